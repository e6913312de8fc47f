//! Named and automatic snapshots, what changed since one, restoring one as a new board,
//! and exporting one, against the real binary.

use coboard_e2e::{Server, YClient};
use coboard_shared::schema::{Author, NewItem, ParticipantRole, Status};
use serde_json::{Value, json};
use yrs::updates::decoder::Decode;
use yrs::{Doc, Transact, Update};

fn aim(id: &str, text: &str) -> (String, NewItem) {
    (
        id.to_owned(),
        NewItem {
            kind: "aim".into(),
            section: "aims".into(),
            text: text.into(),
            author: Author::named("Asha", ParticipantRole::Public, "asha"),
            ..NewItem::default()
        },
    )
}

async fn call(
    server: &Server,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> anyhow::Result<(u16, Value)> {
    let (status, text) = server.call(method, path, token, body).await?;
    Ok((
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    ))
}

/// Waits until both a second client and the store have the edit.
async fn settle(server: &Server, board: &str, id: &str) -> anyhow::Result<()> {
    let mut other = YClient::connect(&server.ws(board)).await?;
    other
        .pump_until(|o| o.items().iter().any(|i| i.id == id))
        .await
}

#[tokio::test]
async fn snapshots_show_changes_restore_as_new_boards_and_export() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server
        .create_board_from("Our plan", "coproduction-plan")
        .await?;
    let token = server.token(&board).unwrap();
    let mut c = YClient::connect(&server.ws(&board)).await?;
    c.edit(|b, txn| {
        for (id, item) in [aim("a1", "First aim"), aim("a2", "Second aim")] {
            b.add_item(txn, &id, &item);
        }
    })
    .await?;
    settle(&server, &board, "a2").await?;

    let base = format!("/api/boards/{board}/snapshots");
    let (s, snap) = call(
        &server,
        reqwest::Method::POST,
        &base,
        &token,
        Some(json!({"name": "Agreed at meeting 3"})),
    )
    .await?;
    assert_eq!(s, 201, "{snap}");
    let sid = snap["id"].as_str().unwrap().to_owned();
    assert!(snap["bytes"].as_u64().unwrap() > 100);

    // After the snapshot: one aim edited, one removed, one added.
    c.edit(|b, txn| {
        let t = b.item_text(txn, "a1").unwrap();
        yrs::Text::push(&t, txn, " (reworded)");
        b.delete_item(txn, "a2").unwrap();
        let (id, item) = aim("a3", "Third aim");
        b.add_item(txn, &id, &item);
    })
    .await?;
    settle(&server, &board, "a3").await?;

    let (s, list) = call(&server, reqwest::Method::GET, &base, &token, None).await?;
    assert_eq!(s, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["name"], "Agreed at meeting 3");
    assert_eq!(list[0]["auto"], false);

    let (s, changes) = call(
        &server,
        reqwest::Method::GET,
        &format!("{base}/{sid}/changes"),
        &token,
        None,
    )
    .await?;
    assert_eq!(s, 200, "{changes}");
    assert_eq!(changes["added"][0]["id"], "a3");
    assert_eq!(changes["added"][0]["who"][0], "Asha (Public member)");
    assert_eq!(changes["removed"][0]["text"], "Second aim");
    assert_eq!(changes["edited"][0]["text"], "First aim (reworded)");

    // The snapshot's own state, as a client opening it read-only sees it.
    let bytes = reqwest::Client::new()
        .get(server.http(&format!("{base}/{sid}")))
        .bearer_auth(&token)
        .send()
        .await?
        .bytes()
        .await?;
    let then = Doc::new();
    then.transact_mut()
        .apply_update(Update::decode_v1(&bytes)?)?;
    let then_board = coboard_shared::schema::Board::new(&then);
    let texts: Vec<String> = then_board
        .read_items(&then.transact())
        .into_iter()
        .filter(|i| i.kind == "aim")
        .map(|i| i.text)
        .collect();
    assert_eq!(texts, ["First aim", "Second aim"]);

    // Export from the snapshot, not the live board.
    let md = reqwest::Client::new()
        .get(server.http(&format!(
            "/api/boards/{board}/export?format=md&scope=all&snapshot={sid}"
        )))
        .bearer_auth(&token)
        .send()
        .await?
        .text()
        .await?;
    assert!(
        md.contains("Second aim") && !md.contains("Third aim"),
        "{md}"
    );
    assert!(md.contains("from Agreed at meeting 3"), "{md}");

    // Restore as a new board: distinct, seeded with the snapshot; the original unchanged.
    let (s, restored) = call(
        &server,
        reqwest::Method::POST,
        &format!("{base}/{sid}/restore"),
        &token,
        Some(json!({})),
    )
    .await?;
    assert_eq!(s, 201, "{restored}");
    let new_id = restored["id"].as_str().unwrap().to_owned();
    assert_ne!(new_id, board);
    assert_eq!(restored["title"], "Our plan (Agreed at meeting 3)");
    let new_token = restored["facilitator_token"].as_str().unwrap().to_owned();
    let copy = YClient::connect(&server.ws_with(&new_id, &new_token)).await?;
    let copy_aims: Vec<String> = copy
        .items()
        .into_iter()
        .filter(|i| i.kind == "aim")
        .map(|i| i.text)
        .collect();
    assert_eq!(copy_aims, ["First aim", "Second aim"]);
    assert_eq!(copy.board.read_sections(&copy.doc.transact()).len(), 10);
    let original = YClient::connect(&server.ws(&board)).await?;
    let live: Vec<String> = original
        .items()
        .into_iter()
        .filter(|i| i.kind == "aim")
        .map(|i| i.text)
        .collect();
    assert_eq!(live, ["First aim (reworded)", "Third aim"]);
    Ok(())
}

#[tokio::test]
async fn agreeing_takes_an_automatic_snapshot() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server
        .create_board_from("Auto", "coproduction-plan")
        .await?;
    let token = server.token(&board).unwrap();
    let mut c = YClient::connect(&server.ws(&board)).await?;
    let asha = Author::named("Asha", ParticipantRole::Public, "asha");
    c.edit(|b, txn| {
        let (id, item) = aim("a1", "Buses that match clinic times");
        b.add_item(txn, &id, &item);
        b.set_status(txn, "a1", Status::Proposed, &asha, &[], 1.0)
            .unwrap();
    })
    .await?;
    settle(&server, &board, "a1").await?;
    let base = format!("/api/boards/{board}/snapshots");
    let (_, list) = call(&server, reqwest::Method::GET, &base, &token, None).await?;
    assert_eq!(
        list.as_array().unwrap().len(),
        0,
        "proposing is not agreeing"
    );
    c.edit(|b, txn| {
        b.set_status(txn, "a1", Status::Agreed, &asha, &[], 2.0)
            .unwrap();
    })
    .await?;
    let mut found = None;
    for _ in 0..50 {
        let (_, list) = call(&server, reqwest::Method::GET, &base, &token, None).await?;
        if let Some(s) = list.as_array().unwrap().first() {
            found = Some(s.clone());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let snap = found.expect("an automatic snapshot within 5 s");
    assert_eq!(snap["auto"], true);
    assert_eq!(snap["name"], "Agreed: Buses that match clinic times");

    // A second agreement within the minute is not copied at once: it is gathered into
    // the next automatic snapshot, which the board takes at the latest when it unloads.
    c.edit(|b, txn| {
        let (id, item) = aim("a2", "Text reminders");
        b.add_item(txn, &id, &item);
        b.set_status(txn, "a2", Status::Agreed, &asha, &[], 3.0)
            .unwrap();
    })
    .await?;
    settle(&server, &board, "a2").await?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let (_, list) = call(&server, reqwest::Method::GET, &base, &token, None).await?;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    drop(c);
    let server = server.restart().await?;
    let (_, list) = call(&server, reqwest::Method::GET, &base, &token, None).await?;
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Agreed: Buses that match clinic times",
            "Agreed: Text reminders"
        ]
    );
    Ok(())
}

#[tokio::test]
async fn snapshot_requests_are_checked() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Checks").await?;
    let token = server.token(&board).unwrap();
    let viewer = server.invite(&board, json!({"role": "viewer"})).await?["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let contributor = server
        .invite(&board, json!({"role": "contributor"}))
        .await?["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let base = format!("/api/boards/{board}/snapshots");
    let post = reqwest::Method::POST;
    assert_eq!(
        call(
            &server,
            post.clone(),
            &base,
            &token,
            Some(json!({"name": "  "}))
        )
        .await?
        .0,
        400
    );
    assert_eq!(
        call(
            &server,
            post.clone(),
            &base,
            &token,
            Some(json!({"name": "x".repeat(200)}))
        )
        .await?
        .0,
        400
    );
    assert_eq!(
        call(
            &server,
            post.clone(),
            &base,
            &viewer,
            Some(json!({"name": "mine"}))
        )
        .await?
        .0,
        403
    );
    let (s, snap) = call(
        &server,
        post.clone(),
        &base,
        &contributor,
        Some(json!({"name": "ok"})),
    )
    .await?;
    assert_eq!(s, 201);
    let sid = snap["id"].as_str().unwrap();
    assert_eq!(
        call(
            &server,
            post.clone(),
            &format!("{base}/{sid}/restore"),
            &contributor,
            Some(json!({}))
        )
        .await?
        .0,
        403
    );
    let (s, body) = call(
        &server,
        reqwest::Method::GET,
        &format!("{base}/nope/changes"),
        &token,
        None,
    )
    .await?;
    assert_eq!(s, 404);
    assert!(body["error"].is_string());
    assert_eq!(
        call(
            &server,
            reqwest::Method::GET,
            &format!("{base}/nope"),
            &viewer,
            None
        )
        .await?
        .0,
        404
    );
    // Each snapshot is a full copy of the board: one address may save only a few a minute.
    let mut limited = false;
    for n in 0..12 {
        let (s, _) = call(
            &server,
            post.clone(),
            &base,
            &token,
            Some(json!({"name": format!("s{n}")})),
        )
        .await?;
        if s == 429 {
            limited = true;
            break;
        }
        assert_eq!(s, 201);
    }
    assert!(limited, "the eleventh snapshot in a minute is refused");
    // Comparing decodes two whole boards: a viewer may ask often, but not endlessly.
    let changes = format!("{base}/{sid}/changes");
    let mut paced = false;
    for _ in 0..70 {
        let (s, _) = call(&server, reqwest::Method::GET, &changes, &viewer, None).await?;
        if s == 429 {
            paced = true;
            break;
        }
        assert_eq!(s, 200);
    }
    assert!(paced, "comparisons are paced per address");
    let export = reqwest::Client::new()
        .get(server.http(&format!(
            "/api/boards/{board}/export?format=md&snapshot=nope"
        )))
        .bearer_auth(&token)
        .send()
        .await?;
    assert_eq!(export.status(), 404);
    Ok(())
}
