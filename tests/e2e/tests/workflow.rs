//! Templates, seeding and voting against the real binary, seen through Yjs clients.

use std::collections::BTreeMap;

use coboard_e2e::{Server, YClient};
use coboard_shared::schema::{NewItem, ParticipantRole, Round, RoundState, Tally};
use coboard_shared::templates::{self, SectionKind};
use serde_json::{Value, json};
use yrs::{Map, Transact};

async fn get(server: &Server, path: &str) -> anyhow::Result<(u16, Value)> {
    let resp = reqwest::get(server.http(path)).await?;
    Ok((resp.status().as_u16(), resp.json().await?))
}

#[tokio::test]
async fn templates_are_listed_and_unknown_ones_refused() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let (status, list) = get(&server, "/api/templates").await?;
    assert_eq!(status, 200);
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, templates::ids().collect::<Vec<_>>());
    let plan = &list[0];
    for key in ["name", "purpose", "source"] {
        assert!(!plan[key].as_str().unwrap().is_empty(), "{key}");
    }
    let stages: Vec<&str> = plan["sections"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["stage"].as_str())
        .collect();
    assert_eq!(
        stages,
        [
            "determining-priorities",
            "design",
            "decision-making",
            "delivery",
            "evaluation-analysis-sharing"
        ]
    );
    let (_, glossary) = get(&server, "/api/glossary").await?;
    assert!(glossary.as_array().unwrap().len() >= 8);

    let resp = reqwest::Client::new()
        .post(server.http("/api/boards"))
        .json(&json!({"title": "Mystery", "template": "nope"}))
        .send()
        .await?;
    assert_eq!(resp.status(), 400);
    let error = resp.json::<Value>().await?["error"]
        .as_str()
        .unwrap()
        .to_owned();
    for id in templates::ids() {
        assert!(error.contains(id), "{error} should list {id}");
    }
    Ok(())
}

#[tokio::test]
async fn every_template_is_seeded_once_on_the_server() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    for t in templates::all() {
        let board = server.create_board_from(t.name, t.id).await?;
        // Several people open the new board at the same moment: nobody seeds anything.
        let mut clients = Vec::new();
        for _ in 0..4 {
            clients.push(YClient::connect(&server.ws(&board)).await?);
        }
        for c in &clients {
            let txn = c.doc.transact();
            let sections: Vec<String> = c
                .board
                .read_sections(&txn)
                .into_iter()
                .map(|s| s.id)
                .collect();
            let want: Vec<&str> = t.sections.iter().map(|s| s.id).collect();
            assert_eq!(sections, want, "{}", t.id);
            assert_eq!(c.board.template(&txn), t.id);
            let items = c.board.read_items(&txn);
            let expected: usize = t
                .sections
                .iter()
                .map(|s| match s.kind {
                    SectionKind::StagePlan | SectionKind::Ladder => 1,
                    SectionKind::Checklist => s.checks.len(),
                    SectionKind::Principles => s.principles.len(),
                    _ => 0,
                })
                .sum();
            assert_eq!(items.len(), expected, "{}", t.id);
        }
        if t.id == "coproduction-plan" {
            let txn = clients[0].doc.transact();
            let stages: Vec<String> = clients[0]
                .board
                .read_sections(&txn)
                .into_iter()
                .filter_map(|s| s.stage)
                .collect();
            assert_eq!(stages.len(), 5);
        }
    }
    Ok(())
}

#[tokio::test]
async fn concurrent_creation_seeds_each_board_exactly_once() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let creations = (0..8).map(|_| server.create_board_from("Same plan", "coproduction-plan"));
    let ids = futures_util::future::try_join_all(creations).await?;
    let mut distinct = ids.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 8);
    let plan = templates::get("coproduction-plan").unwrap();
    for id in &ids {
        let c = YClient::connect(&server.ws(id)).await?;
        let txn = c.doc.transact();
        assert_eq!(c.board.read_sections(&txn).len(), plan.sections.len());
        let stage_plans = c
            .board
            .read_items(&txn)
            .into_iter()
            .filter(|i| i.kind == "stageplan")
            .count();
        assert_eq!(stage_plans, 5);
    }
    Ok(())
}

/// A priority-setting board with four ideas and a round, opened by its facilitator.
async fn voting_board(server: &Server, sealed: bool) -> anyhow::Result<(String, YClient)> {
    let board = server
        .create_board_from("Priorities", "priority-setting")
        .await?;
    let mut facilitator = YClient::connect(&server.ws(&board)).await?;
    facilitator
        .edit(|b, txn| {
            for id in ["i1", "i2", "i3", "i4"] {
                let idea = NewItem {
                    kind: "idea".into(),
                    section: "ideas".into(),
                    text: format!("idea {id}"),
                    ..NewItem::default()
                };
                b.add_item(txn, id, &idea);
            }
            b.add_round(
                txn,
                &Round {
                    id: "r1".into(),
                    title: "What matters most?".into(),
                    section: "ideas".into(),
                    budget: 3,
                    sealed,
                    state: RoundState::Open,
                    created_at: 1.0,
                    closed_at: None,
                },
            )
            .unwrap();
        })
        .await?;
    Ok((board, facilitator))
}

fn ballot(voter: &str, key: &str, dots: &[(&str, u32)]) -> Value {
    let dots: BTreeMap<&str, u32> = dots.iter().copied().collect();
    json!({"voter": voter, "key": key, "name": voter, "role": "public", "dots": dots})
}

async fn post(
    server: &Server,
    path: &str,
    token: &str,
    body: &Value,
) -> anyhow::Result<(u16, Value)> {
    server
        .call_json(reqwest::Method::POST, path, token, Some(body.clone()))
        .await
}

fn tally(c: &YClient) -> Tally {
    c.board.tally(&c.doc.transact(), "r1").unwrap()
}

#[tokio::test]
async fn sealed_votes_stay_out_of_every_document_until_the_round_closes() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let (board, mut facilitator) = voting_board(&server, true).await?;
    let contributor = server
        .invite(&board, json!({"role": "contributor"}))
        .await?;
    let contributor = contributor["token"].as_str().unwrap().to_owned();
    let viewer = server.invite(&board, json!({"role": "viewer"})).await?;
    let viewer = viewer["token"].as_str().unwrap().to_owned();
    let mut watcher = YClient::connect(&server.ws_with(&board, &viewer)).await?;
    let path = format!("/api/boards/{board}/rounds/r1/ballot");
    let key_a = "a-secret-key-0123456789";

    let (s, body) = post(
        &server,
        &path,
        &contributor,
        &ballot("asha", key_a, &[("i2", 2), ("i3", 1)]),
    )
    .await?;
    assert_eq!((s, body["ballots"].as_u64()), (200, Some(1)), "{body}");
    let (s, body) = post(
        &server,
        &path,
        &contributor,
        &ballot("ben", "b-secret-key-0123456789", &[("i2", 1)]),
    )
    .await?;
    assert_eq!((s, body["ballots"].as_u64()), (200, Some(2)), "{body}");

    // Refusals, each with its own status.
    let over = post(
        &server,
        &path,
        &contributor,
        &ballot("cal", "c-secret-key-0123456789", &[("i1", 4)]),
    )
    .await?;
    assert_eq!(over.0, 400, "{}", over.1);
    assert!(
        over.1["error"].as_str().unwrap().contains('3'),
        "{}",
        over.1
    );
    // Asha's voter id is public, but a ballot is kept under its key: someone sending
    // Asha's id and name with another key casts a separate ballot, never Asha's.
    let (s, body) = post(
        &server,
        &path,
        &contributor,
        &ballot("asha", "not-ashas-key-0123456", &[("i1", 3)]),
    )
    .await?;
    assert_eq!((s, body["ballots"].as_u64()), (200, Some(3)), "{body}");
    let viewing = post(
        &server,
        &path,
        &viewer,
        &ballot("vic", "v-secret-key-0123456789", &[("i1", 1)]),
    )
    .await?;
    assert_eq!(viewing.0, 403);
    let missing = post(
        &server,
        &format!("/api/boards/{board}/rounds/zz/ballot"),
        &contributor,
        &ballot("asha", key_a, &[]),
    )
    .await?;
    assert_eq!(missing.0, 404);
    let close = format!("/api/boards/{board}/rounds/r1/close");
    assert_eq!(
        post(&server, &close, &contributor, &json!({})).await?.0,
        403
    );

    // Nothing reached any document: not the facilitator's, not a newcomer's.
    let newcomer = YClient::connect(&server.ws(&board)).await?;
    for c in [&facilitator, &watcher, &newcomer] {
        assert_eq!(c.board.votes.len(&c.doc.transact()), 0);
        let t = tally(c);
        assert!(t.hidden && t.voters == 0);
    }
    let count = reqwest::Client::new()
        .get(server.http(&format!("/api/boards/{board}/rounds/r1/ballots")))
        .bearer_auth(&viewer)
        .send()
        .await?
        .json::<Value>()
        .await?;
    assert_eq!(count["ballots"], 3);

    // Asha changes her mind with her own key.
    let (s, _) = post(
        &server,
        &path,
        &contributor,
        &ballot("asha", key_a, &[("i4", 3)]),
    )
    .await?;
    assert_eq!(s, 200);

    let token = server.token(&board).unwrap();
    let (s, body) = post(&server, &close, &token, &json!({})).await?;
    assert_eq!((s, &body["closed"]), (200, &json!(true)), "{body}");
    for c in [&mut facilitator, &mut watcher] {
        c.pump_until(|c| tally(c).round.state == RoundState::Closed)
            .await?;
        let t = tally(c);
        assert!(!t.hidden);
        assert_eq!(t.voters, 3);
        let got: Vec<(&str, u32, u32)> = t
            .ranking
            .iter()
            .map(|r| (r.item.as_str(), r.votes, r.rank))
            .collect();
        assert_eq!(
            got,
            [("i1", 3, 1), ("i4", 3, 1), ("i2", 1, 3), ("i3", 0, 4)]
        );
        assert_eq!(t.dots_by_role.get("public"), Some(&7));
    }
    let late = post(
        &server,
        &path,
        &contributor,
        &ballot("dee", "d-secret-key-0123456789", &[("i1", 1)]),
    )
    .await?;
    assert_eq!(late.0, 409, "{}", late.1);
    assert_eq!(post(&server, &close, &token, &json!({})).await?.0, 409);
    // Once published into the board, the store's copies are gone.
    let count = reqwest::Client::new()
        .get(server.http(&format!("/api/boards/{board}/rounds/r1/ballots")))
        .bearer_auth(&viewer)
        .send()
        .await?
        .json::<Value>()
        .await?;
    assert_eq!(count["ballots"], 0);
    Ok(())
}

#[tokio::test]
async fn open_rounds_count_budgets_even_against_a_modified_client() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let (board, mut facilitator) = voting_board(&server, false).await?;
    let path = format!("/api/boards/{board}/rounds/r1/ballot");
    let not_sealed = post(
        &server,
        &path,
        &server.token(&board).unwrap(),
        &ballot("x", "x-secret-key-0123456789", &[("i1", 1)]),
    )
    .await?;
    assert_eq!(not_sealed.0, 400, "{}", not_sealed.1);

    let mut honest = YClient::connect(&server.ws(&board)).await?;
    let asha = coboard_shared::schema::Author::named("Asha", ParticipantRole::Public, "asha");
    honest
        .edit(|b, txn| {
            let dots = BTreeMap::from([("i1".to_owned(), 3)]);
            b.cast_ballot(
                txn,
                &coboard_shared::schema::ballot_for(&asha, "r1", 2.0, dots),
            )
            .unwrap();
        })
        .await?;
    // A modified client writes 40 dots for itself straight into the document.
    let mut cheat = YClient::connect(&server.ws(&board)).await?;
    cheat
        .edit(|b, txn| {
            let dots = yrs::Any::from(std::collections::HashMap::from([(
                "i2".to_owned(),
                yrs::Any::from(40.0),
            )]));
            let raw = yrs::Any::from(std::collections::HashMap::from([
                ("role".to_owned(), yrs::Any::from("professional")),
                ("dots".to_owned(), dots),
            ]));
            b.votes.insert(txn, "r1/cheat", raw);
        })
        .await?;
    facilitator.pump_until(|c| tally(c).voters == 2).await?;
    let t = tally(&facilitator);
    let votes: BTreeMap<&str, u32> = t
        .ranking
        .iter()
        .map(|r| (r.item.as_str(), r.votes))
        .collect();
    assert_eq!(votes["i1"], 3);
    assert_eq!(votes["i2"], 3, "40 dots count as the budget of 3");
    assert!(t.ranking[0].tied && t.ranking[1].tied);
    assert_eq!(t.ignored, 37);
    Ok(())
}
