//! Facilitation against the real binary, seen through Yjs clients: silent-round cards
//! stay out of every client's document until the facilitator reveals them (public
//! members' first), and the facilitator role is handed to a public member in one step.

use coboard_e2e::{Server, YClient};
use coboard_shared::schema::{Offer, ParticipantRole, SilentRound, SilentState, author_key_hash};
use serde_json::{Value, json};
use yrs::Transact;

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

/// A new invite link's token for `role` on `board`.
async fn token_for(server: &Server, board: &str, role: &str) -> anyhow::Result<String> {
    let invite = server.invite(board, json!({ "role": role })).await?;
    Ok(invite["token"].as_str().unwrap_or_default().to_owned())
}

/// How many cards a silent round holds, as anyone on the board is told.
async fn card_count(server: &Server, path: &str, token: &str) -> anyhow::Result<u64> {
    let count: Value = reqwest::Client::new()
        .get(server.http(path))
        .bearer_auth(token)
        .send()
        .await?
        .json()
        .await?;
    Ok(count["cards"].as_u64().unwrap_or(u64::MAX))
}

fn card(id: &str, role: &str, text: &str) -> Value {
    json!({
        "card": id,
        "key": format!("{id}-secret-key-0123456789"),
        "text": text,
        "name": format!("{id} writer"),
        "role": role,
    })
}

/// Whether `text` appears anywhere in the client's whole document, deleted content
/// included: the encoded state is what a client holds.
fn holds(c: &YClient, text: &str) -> bool {
    c.state().windows(text.len()).any(|w| w == text.as_bytes())
}

/// The words of every item people wrote (not the template's own cards), sorted.
fn written(c: &YClient) -> Vec<String> {
    let mut t: Vec<String> = c
        .items()
        .into_iter()
        .filter(|i| !i.seeded)
        .map(|i| i.text)
        .collect();
    t.sort();
    t
}

fn state_of(c: &YClient) -> SilentState {
    c.board
        .silent_round(&c.doc.transact(), "s1")
        .map(|r| r.state)
        .unwrap_or_default()
}

#[tokio::test]
async fn silent_cards_stay_out_of_every_document_until_revealed_public_first() -> anyhow::Result<()>
{
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server
        .create_board_from("Barriers", "priority-setting")
        .await?;
    let facilitator_token = server.token(&board).unwrap();
    let mut facilitator = YClient::connect(&server.ws(&board)).await?;
    facilitator
        .edit(|b, txn| {
            let round = SilentRound {
                id: "s1".into(),
                prompt: "What gets in the way?".into(),
                section: "ideas".into(),
                public_first: true,
                state: SilentState::Writing,
                created_at: 1.0,
                revealed_at: None,
            };
            b.add_silent_round(txn, &round).unwrap();
        })
        .await?;
    let contributor = token_for(&server, &board, "contributor").await?;
    let viewer = token_for(&server, &board, "viewer").await?;
    let mut watcher = YClient::connect(&server.ws_with(&board, &viewer)).await?;
    let cards = format!("/api/boards/{board}/silent/s1/cards");

    let cards_written = [
        ("c1", "public", "Buses arrive after clinic opens"),
        ("c2", "public", "Letters full of jargon"),
        ("c3", "professional", "Clinic slots are set centrally"),
        ("c4", "public", "A card its writer takes back"),
    ];
    for (n, (id, role, text)) in cards_written.iter().enumerate() {
        let (s, body) = post(&server, &cards, &contributor, &card(id, role, text)).await?;
        assert_eq!(
            (s, body["cards"].as_u64()),
            (200, Some(n as u64 + 1)),
            "{body}"
        );
    }
    // The writer of c4 takes it back before the reveal (an empty card); it no longer
    // counts.
    let (s, body) = post(&server, &cards, &contributor, &card("c4", "public", "")).await?;
    assert_eq!((s, body["cards"].as_u64()), (200, Some(3)), "{body}");
    // Taking back a card that was never written is refused.
    let unknown = post(&server, &cards, &contributor, &card("c7", "public", "")).await?;
    assert_eq!(unknown.0, 404, "{}", unknown.1);

    // Refusals, each with its own status.
    let viewing = post(&server, &cards, &viewer, &card("v1", "public", "hi")).await?;
    assert_eq!(viewing.0, 403, "{}", viewing.1);
    let mut not_mine = card("c1", "public", "Rewritten by someone else");
    not_mine["key"] = json!("another-persons-key-0123");
    let not_mine = post(&server, &cards, &contributor, &not_mine).await?;
    assert_eq!(not_mine.0, 403, "{}", not_mine.1);
    let long = "a".repeat(coboard_shared::schema::MAX_CARD_CHARS + 1);
    let too_long = post(&server, &cards, &contributor, &card("c9", "public", &long)).await?;
    assert_eq!(too_long.0, 400, "{}", too_long.1);
    let mut short_key = card("c9", "public", "hi");
    short_key["key"] = json!("short");
    assert_eq!(
        post(&server, &cards, &contributor, &short_key).await?.0,
        400
    );
    let missing = format!("/api/boards/{board}/silent/zz/cards");
    let missing = post(&server, &missing, &contributor, &card("c9", "public", "hi")).await?;
    assert_eq!(missing.0, 404, "{}", missing.1);
    let reveal = format!("/api/boards/{board}/silent/s1/reveal");
    let by_contributor = post(&server, &reveal, &contributor, &json!({})).await?;
    assert_eq!(by_contributor.0, 403, "{}", by_contributor.1);

    // Nothing reached any document: not the facilitator's, not a viewer's, not a
    // newcomer's full sync.
    let newcomer = YClient::connect(&server.ws(&board)).await?;
    for c in [&facilitator, &watcher, &newcomer] {
        for (_, _, text) in &cards_written {
            assert!(!holds(c, text), "{text} leaked before the reveal");
        }
        assert_eq!(state_of(c), SilentState::Writing);
    }
    assert_eq!(card_count(&server, &cards, &viewer).await?, 3);

    // First reveal: public members' cards only.
    let (s, body) = post(
        &server,
        &reveal,
        &facilitator_token,
        &json!({"public_only": true}),
    )
    .await?;
    assert_eq!(
        (s, &body["cards"], &body["state"]),
        (200, &json!(2), &json!("public")),
        "{body}"
    );
    for c in [&mut facilitator, &mut watcher] {
        c.pump_until(|c| state_of(c) == SilentState::Public).await?;
        assert_eq!(
            written(c),
            ["Buses arrive after clinic opens", "Letters full of jargon"]
        );
        assert!(!holds(c, "Clinic slots are set centrally"));
        assert!(!holds(c, "A card its writer takes back"));
    }
    // Public members' cards are on the board now, and no longer in the store: only the
    // professional's card waits.
    assert_eq!(card_count(&server, &cards, &viewer).await?, 1);
    // Public members have been heard; they write no more in this round. Others still may.
    let late = post(&server, &cards, &contributor, &card("c5", "public", "late")).await?;
    assert_eq!(late.0, 409, "{}", late.1);
    let (s, _) = post(
        &server,
        &cards,
        &contributor,
        &card("c6", "professional", "Reception closes at four"),
    )
    .await?;
    assert_eq!(s, 200);

    // Second reveal: everything else; the round is done and the store forgets the cards.
    let (s, body) = post(&server, &reveal, &facilitator_token, &json!({})).await?;
    assert_eq!(
        (s, &body["cards"], &body["state"]),
        (200, &json!(2), &json!("revealed")),
        "{body}"
    );
    watcher
        .pump_until(|c| state_of(c) == SilentState::Revealed && written(c).len() >= 4)
        .await?;
    let items = watcher.items();
    assert_eq!(
        written(&watcher),
        [
            "Buses arrive after clinic opens",
            "Clinic slots are set centrally",
            "Letters full of jargon",
            "Reception closes at four"
        ]
    );
    assert!(!holds(&watcher, "A card its writer takes back"));
    let c3 = items.iter().find(|i| i.id == "c3").unwrap();
    assert_eq!((c3.kind.as_str(), c3.section.as_str()), ("idea", "ideas"));
    assert_eq!(c3.author.name, "c3 writer");
    let again = post(&server, &reveal, &facilitator_token, &json!({})).await?;
    assert_eq!(again.0, 409, "{}", again.1);
    assert_eq!(card_count(&server, &cards, &viewer).await?, 0);
    Ok(())
}

#[tokio::test]
async fn the_facilitator_role_is_handed_to_a_public_member() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Handover").await?;
    let facilitator = server.token(&board).unwrap();
    let contributor = token_for(&server, &board, "contributor").await?;
    let mut asha = YClient::connect(&server.ws_with(&board, &contributor)).await?;
    let asha_key = "ashas-person-secret-0123456789";
    let asha_person = author_key_hash(asha_key);
    let offer = format!("/api/boards/{board}/facilitator/offer");
    let accept = format!("/api/boards/{board}/facilitator/accept");
    let invites = server.http(&format!("/api/boards/{board}/invites"));
    let list_invites = |token: String| {
        let invites = invites.clone();
        async move {
            reqwest::Client::new()
                .get(invites)
                .bearer_auth(token)
                .send()
                .await
                .map(|r| r.status().as_u16())
        }
    };
    assert_eq!(list_invites(contributor.clone()).await?, 403);

    // Only a facilitator can offer, and only to a well-formed person id.
    let by_contributor = post(
        &server,
        &offer,
        &contributor,
        &json!({"person": asha_person}),
    )
    .await?;
    assert_eq!(by_contributor.0, 403, "{}", by_contributor.1);
    let bad = post(&server, &offer, &facilitator, &json!({"person": "asha"})).await?;
    assert_eq!(bad.0, 400, "{}", bad.1);

    // A notice forged into the document by a contributor is refused (only the server
    // writes it), and would give nothing anyway: the server keeps the real offer.
    let mallory_key = "mallorys-person-secret-0123456";
    asha.edit(|b, txn| {
        b.set_offer(
            txn,
            &Offer {
                person: author_key_hash(mallory_key),
                by: "Sam".into(),
                at: 1.0,
            },
        )
    })
    .await?;
    let (code, reason) = asha.expect_close().await?;
    assert_eq!(code, coboard_shared::close::REFUSED, "{reason}");
    let mut asha = YClient::connect(&server.ws_with(&board, &contributor)).await?;
    let forged = post(
        &server,
        &accept,
        &contributor,
        &json!({"key": mallory_key, "name": "Mallory", "role": "public"}),
    )
    .await?;
    assert_eq!(forged.0, 404, "{}", forged.1);

    let resp = reqwest::Client::new()
        .post(server.http(&offer))
        .bearer_auth(&facilitator)
        .json(&json!({"person": asha_person, "by": "Sam"}))
        .send()
        .await?;
    assert_eq!(resp.status().as_u16(), 204);
    asha.pump_until(|c| {
        c.board
            .offer(&c.doc.transact())
            .is_some_and(|o| o.person == asha_person && o.by == "Sam")
    })
    .await?;

    // Someone else's key does not take Asha's offer; Asha's does, once.
    let wrong = post(
        &server,
        &accept,
        &contributor,
        &json!({"key": mallory_key, "name": "Mallory", "role": "public"}),
    )
    .await?;
    assert_eq!(wrong.0, 404, "{}", wrong.1);
    let (s, body) = post(
        &server,
        &accept,
        &contributor,
        &json!({"key": asha_key, "name": "Asha", "role": "public"}),
    )
    .await?;
    assert_eq!(s, 201, "{body}");
    assert_eq!(body["role"], "facilitator");
    assert_eq!(body["label"], "Handed over to Asha");
    let asha_token = body["token"].as_str().unwrap().to_owned();
    assert_eq!(list_invites(asha_token.clone()).await?, 200);
    asha.pump_until(|c| {
        let txn = c.doc.transact();
        c.board.offer(&txn).is_none()
            && c.board
                .lead(&txn)
                .is_some_and(|l| l.name == "Asha" && l.role == ParticipantRole::Public)
    })
    .await?;
    let again = post(
        &server,
        &accept,
        &contributor,
        &json!({"key": asha_key, "name": "Asha", "role": "public"}),
    )
    .await?;
    assert_eq!(again.0, 404, "{}", again.1);
    Ok(())
}

/// Access needs shared "with facilitators" reach facilitators' connections only: live,
/// and in the presence a newcomer receives on joining.
#[tokio::test]
async fn shared_access_needs_reach_facilitators_only() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Needs").await?;
    let contributor = token_for(&server, &board, "contributor").await?;
    let mut fay = YClient::connect(&server.ws(&board)).await?;
    let mut ben = YClient::connect(&server.ws_with(&board, &contributor)).await?;
    let mut pat = YClient::connect(&server.ws_with(&board, &contributor)).await?;
    let state = json!({"user": {"name": "Pat", "needs": ["more_time", "captions_bsl"]}});
    pat.set_awareness(501, 1, &state.to_string()).await?;
    let pats = |c: &YClient| -> Option<Value> {
        c.awareness
            .get(&yrs::ClientID::new(501))
            .and_then(|s| serde_json::from_str(s.as_deref()?).ok())
    };
    fay.pump_until(|c| pats(c).is_some()).await?;
    ben.pump_until(|c| pats(c).is_some()).await?;
    assert_eq!(
        pats(&fay).unwrap()["user"]["needs"],
        json!(["more_time", "captions_bsl"])
    );
    assert_eq!(pats(&ben).unwrap()["user"], json!({"name": "Pat"}));
    // Asking the server for everyone's presence does not get them either.
    ben.awareness.clear();
    ben.send_msg(&coboard_shared::protocol::Msg::QueryAwareness)
        .await?;
    ben.pump_until(|c| pats(c).is_some()).await?;
    assert_eq!(pats(&ben).unwrap()["user"], json!({"name": "Pat"}));
    fay.awareness.clear();
    fay.send_msg(&coboard_shared::protocol::Msg::QueryAwareness)
        .await?;
    fay.pump_until(|c| pats(c).is_some()).await?;
    assert!(pats(&fay).unwrap()["user"]["needs"].is_array());

    // Newcomers: a facilitator gets the needs with the presence sent on joining; a
    // contributor does not.
    let mut fay2 = YClient::connect(&server.ws(&board)).await?;
    let mut ben2 = YClient::connect(&server.ws_with(&board, &contributor)).await?;
    fay2.pump_until(|c| pats(c).is_some()).await?;
    ben2.pump_until(|c| pats(c).is_some()).await?;
    assert!(pats(&fay2).unwrap()["user"]["needs"].is_array());
    assert!(pats(&ben2).unwrap()["user"].get("needs").is_none());
    Ok(())
}
