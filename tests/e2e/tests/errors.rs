//! Bad input against the real binary: each case gets a clear answer, and the server, the
//! board and everyone else carry on.

use coboard_e2e::{Server, YClient};
use coboard_shared::close;
use serde_json::{Value, json};

#[tokio::test]
async fn rest_api_answers_and_errors_in_json() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let http = reqwest::Client::new();

    let health = http.get(server.http("/healthz")).send().await?;
    assert_eq!(health.status(), 200);
    // Every response carries the security headers (docs/security.md).
    let h = health.headers();
    let csp = h["content-security-policy"].to_str()?;
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");

    let created = http
        .post(server.http("/api/boards"))
        .json(&json!({"title": "  Our plan  ", "template": "blank"}))
        .send()
        .await?;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await?;
    let id = created["id"].as_str().unwrap();
    assert_eq!(id.len(), 32, "128 bits as hex");
    assert_eq!(created["title"], "Our plan");
    assert_eq!(created["url"], format!("/b/{id}"));
    let token = created["facilitator_token"].as_str().unwrap();
    assert_eq!(
        created["share_url"],
        format!("/b/{id}#token={token}"),
        "the token travels in the fragment, which is never sent to a server"
    );

    let info: Value = http
        .get(server.http(&format!("/api/boards/{id}")))
        .bearer_auth(token)
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(info["title"], "Our plan");
    assert_eq!(info["role"], "facilitator");

    // Two boards never share an id.
    let other: Value = http
        .post(server.http("/api/boards"))
        .json(&json!({"title": "Another"}))
        .send()
        .await?
        .json()
        .await?;
    assert_ne!(other["id"], created["id"]);

    let cases = [
        // Without a token, whether a board exists is not revealed.
        (
            "GET",
            "/api/boards/0123456789abcdef0123456789abcdef",
            None,
            401,
        ),
        ("GET", "/api/boards/not-an-id", None, 401),
        (
            "POST",
            "/api/boards",
            Some(json!({"title": "x", "template": "nope"})),
            400,
        ),
        ("POST", "/api/boards", Some(json!({"title": "   "})), 400),
        (
            "POST",
            "/api/boards",
            Some(json!({"title": "x".repeat(201)})),
            400,
        ),
        ("POST", "/api/boards", Some(json!({"nothing": true})), 400),
    ];
    for (method, path, body, status) in cases {
        let req = match method {
            "GET" => http.get(server.http(path)),
            _ => http.post(server.http(path)).json(&body),
        };
        let resp = req.send().await?;
        assert_eq!(resp.status(), status, "{method} {path} {body:?}");
        let err: Value = resp.json().await?;
        assert!(
            err["error"].as_str().is_some_and(|m| !m.is_empty()),
            "{err}"
        );
    }
    let bad_template: Value = http
        .post(server.http("/api/boards"))
        .json(&json!({"title": "x", "template": "nope"}))
        .send()
        .await?
        .json()
        .await?;
    assert!(
        bad_template["error"].as_str().unwrap().contains("blank"),
        "lists valid ids"
    );

    // Not JSON at all.
    let resp = http
        .post(server.http("/api/boards"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await?;
    assert_eq!(resp.status(), 400);
    assert!(resp.json::<Value>().await?["error"].is_string());
    Ok(())
}

#[tokio::test]
async fn garbage_closes_only_the_senders_connection() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Garbage").await?;
    let other_board = server.create_board("Elsewhere").await?;
    let mut good = YClient::connect(&server.ws(&board)).await?;
    let mut elsewhere = YClient::connect(&server.ws(&other_board)).await?;
    good.add_note("before", "before").await?;

    let garbage: [(&str, Vec<u8>, u16); 5] = [
        (
            "random bytes",
            vec![0xde, 0xad, 0xbe, 0xef, 0x99],
            close::MALFORMED,
        ),
        ("truncated update", vec![0, 2, 50, 1, 2], close::MALFORMED),
        (
            "update that does not decode",
            vec![0, 2, 3, 0xff, 0xff, 0xff],
            close::MALFORMED,
        ),
        ("unknown sync type", vec![0, 7, 0], close::MALFORMED),
        ("empty frame", vec![], close::MALFORMED),
    ];
    for (what, frame, code) in garbage {
        let mut bad = YClient::connect(&server.ws(&board)).await?;
        bad.send_raw(frame).await?;
        let (got, reason) = bad.expect_close().await?;
        assert_eq!(got, code, "{what}: {reason}");
        assert!(!reason.is_empty(), "{what} gives a reason");
    }
    // A text frame is not part of the protocol.
    let (mut ws, _) = tokio_tungstenite::connect_async(server.ws(&board)).await?;
    {
        use futures_util::SinkExt;
        ws.send(tokio_tungstenite::tungstenite::Message::Text(
            "hello".into(),
        ))
        .await?;
    }
    let (code, _) = coboard_e2e::close_of(&mut ws).await?;
    assert_eq!(code, close::UNSUPPORTED);

    // Everyone else carries on, on this board and on others, and nothing was corrupted.
    good.add_note("after", "after").await?;
    let mut check = YClient::connect(&server.ws(&board)).await?;
    check
        .pump_until(|c| c.texts() == ["after", "before"])
        .await?;
    elsewhere.add_note("x", "still fine").await?;
    let other = YClient::connect(&server.ws(&other_board)).await?;
    assert_eq!(other.texts(), ["still fine"]);
    Ok(())
}

#[tokio::test]
async fn oversized_messages_are_refused_with_1009() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start_with(dir.path(), &["--max-message-bytes", "4096"]).await?;
    let board = server.create_board("Big").await?;
    let mut big = YClient::connect(&server.ws(&board)).await?;
    big.send_raw(vec![0u8; 10_000]).await?;
    let (code, _) = big.expect_close().await?;
    assert_eq!(code, close::TOO_BIG);
    let mut ok = YClient::connect(&server.ws(&board)).await?;
    ok.add_note("small", "small is fine").await?;
    Ok(())
}

#[tokio::test]
async fn awareness_is_relayed_and_removed_when_its_connection_closes() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Presence").await?;
    let mut a = YClient::connect(&server.ws(&board)).await?;
    let mut b = YClient::connect(&server.ws(&board)).await?;
    a.set_awareness(1001, 1, r#"{"user":{"name":"Asha","role":"public"}}"#)
        .await?;
    let key = yrs::ClientID::new(1001);
    b.pump_until(|c| c.awareness.get(&key).is_some_and(|s| s.is_some()))
        .await?;
    // The sender hears its own state back (y-websocket treats it as a sign of life).
    a.pump_until(|c| c.awareness.get(&key).is_some_and(|s| s.is_some()))
        .await?;
    // A newcomer is told who is here.
    let mut late = YClient::connect(&server.ws(&board)).await?;
    late.pump_until(|c| {
        c.awareness
            .get(&key)
            .is_some_and(|s| s.as_deref().is_some_and(|s| s.contains("Asha")))
    })
    .await?;
    drop(a);
    b.pump_until(|c| c.awareness.get(&key).is_some_and(|s| s.is_none()))
        .await?;
    late.pump_until(|c| c.awareness.get(&key).is_some_and(|s| s.is_none()))
        .await?;
    Ok(())
}

#[tokio::test]
async fn a_corrupt_board_is_named_and_does_not_affect_others() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let broken = server.create_board("Broken").await?;
    let fine = server.create_board("Fine").await?;
    let mut c = YClient::connect(&server.ws(&fine)).await?;
    c.add_note("n", "fine").await?;
    // Once another client has it, the server has stored it.
    let mut seen = YClient::connect(&server.ws(&fine)).await?;
    seen.pump_until(|c| c.texts() == ["fine"]).await?;
    drop((c, seen));
    let mut server = server;
    server.stop().await?;

    // Damage one stored update of one board.
    let db = rusqlite::Connection::open(dir.path().join("coboard.db"))?;
    db.execute(
        "UPDATE updates SET data = x'ffffffff' WHERE board_id = ?1",
        [&broken],
    )?;
    drop(db);

    let server = server.start_again().await?;
    let (code, reason) = coboard_e2e::refused(&server.ws(&broken)).await?;
    assert_eq!(code, close::BOARD_UNAVAILABLE, "{reason}");
    let c = YClient::connect(&server.ws(&fine)).await?;
    assert_eq!(c.texts(), ["fine"]);
    Ok(())
}

#[tokio::test]
async fn a_damaged_store_file_stops_start_up_with_a_clear_message() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    std::fs::write(
        dir.path().join("coboard.db"),
        b"truncated garbage, not SQLite",
    )?;
    let out = tokio::process::Command::new(coboard_e2e::server_binary())
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .output()
        .await?;
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("coboard.db"), "{stderr}");
    assert!(stderr.contains("cannot be used"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    Ok(())
}
