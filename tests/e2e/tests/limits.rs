//! Limits against the real binary: each gives a clear status or close code, and the other
//! clients of the board (and of other boards) carry on normally.

use coboard_e2e::{Server, YClient, refused};
use coboard_shared::close;
use serde_json::{Value, json};

#[tokio::test]
async fn http_body_size_and_board_creation_rate() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start_with(
        dir.path(),
        &["--max-body-bytes", "1024", "--boards-per-hour-per-ip", "3"],
    )
    .await?;
    let http = reqwest::Client::new();
    let big = http
        .post(server.http("/api/boards"))
        .json(&json!({"title": "x".repeat(2000)}))
        .send()
        .await?;
    assert_eq!(big.status(), 413);
    assert!(big.json::<Value>().await?["error"].is_string());

    // Only boards actually created count: three are allowed, the fourth is not.
    for _ in 0..3 {
        server.create_board("ok").await?;
    }
    let fourth = http
        .post(server.http("/api/boards"))
        .json(&json!({"title": "one too many"}))
        .send()
        .await?;
    assert_eq!(fourth.status(), 429);
    assert!(
        fourth.json::<Value>().await?["error"]
            .as_str()
            .unwrap()
            .contains("Too many")
    );
    Ok(())
}

#[tokio::test]
async fn connection_rate_per_ip_and_connections_per_board() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start_with(
        dir.path(),
        &[
            "--connections-per-minute-per-ip",
            "3",
            "--max-connections-per-board",
            "2",
        ],
    )
    .await?;
    let board = server.create_board("Small room").await?;
    let _a = YClient::connect(&server.ws(&board)).await?;
    let _b = YClient::connect(&server.ws(&board)).await?;
    let (code, reason) = refused(&server.ws(&board)).await?;
    assert_eq!(code, close::TOO_MANY_PEOPLE, "{reason}");
    assert!(reason.contains("full"), "{reason}");

    // The fourth connection attempt in a minute from this address is turned away with 429,
    // which y-websocket clients retry later.
    let err = tokio_tungstenite::connect_async(server.ws(&board))
        .await
        .unwrap_err();
    match err {
        tokio_tungstenite::tungstenite::Error::Http(resp) => assert_eq!(resp.status(), 429),
        e => panic!("expected HTTP 429, got {e}"),
    }
    Ok(())
}

#[tokio::test]
async fn board_size_limit_refuses_the_edit_and_keeps_the_board() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start_with(dir.path(), &["--max-board-bytes", "20000"]).await?;
    let board = server.create_board("Tiny").await?;
    let mut writer = YClient::connect(&server.ws(&board)).await?;
    writer.add_note("small", "fits").await?;
    writer.add_note("big", &"x".repeat(30_000)).await?;
    let (code, reason) = writer.expect_close().await?;
    assert_eq!(code, close::BOARD_FULL, "{reason}");
    let check = YClient::connect(&server.ws(&board)).await?;
    assert_eq!(check.texts(), ["fits"]);
    Ok(())
}

#[tokio::test]
async fn awareness_spam_is_refused() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Presence").await?;
    let mut watcher = YClient::connect(&server.ws(&board)).await?;

    let mut big = YClient::connect(&server.ws(&board)).await?;
    let huge = format!(r#"{{"user":{{"name":"{}"}}}}"#, "x".repeat(5000));
    big.set_awareness(1, 1, &huge).await?;
    assert_eq!(big.expect_close().await?.0, close::AWARENESS_TOO_BIG);

    let mut many = YClient::connect(&server.ws(&board)).await?;
    let update = yrs::sync::AwarenessUpdate {
        clients: (0..50u64)
            .map(|i| {
                let entry = yrs::sync::awareness::AwarenessUpdateEntry {
                    clock: 1,
                    json: r#"{"user":{"name":"bot"}}"#.into(),
                };
                (yrs::ClientID::new(100 + i), entry)
            })
            .collect(),
    };
    many.send_msg(&coboard_shared::protocol::Msg::Awareness(update))
        .await?;
    assert_eq!(many.expect_close().await?.0, close::AWARENESS_TOO_BIG);

    // Many small messages, each announcing another made-up person, add up the same way.
    let mut drip = YClient::connect(&server.ws(&board)).await?;
    for i in 0..9u64 {
        drip.set_awareness(200 + i, 1, r#"{"user":{"name":"bot"}}"#)
            .await?;
    }
    assert_eq!(drip.expect_close().await?.0, close::AWARENESS_TOO_BIG);

    // Neither reached the others; normal presence still does.
    let mut ok = YClient::connect(&server.ws(&board)).await?;
    ok.set_awareness(7, 1, r#"{"user":{"name":"Sam"}}"#).await?;
    watcher
        .pump_until(|c| c.awareness.contains_key(&yrs::ClientID::new(7)))
        .await?;
    assert!(!watcher.awareness.contains_key(&yrs::ClientID::new(1)));
    assert!(!watcher.awareness.contains_key(&yrs::ClientID::new(100)));
    assert!(!watcher.awareness.contains_key(&yrs::ClientID::new(208)));
    Ok(())
}

#[tokio::test]
async fn a_flooding_writer_is_slowed_and_others_are_not_stuck_behind_it() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start_with(
        dir.path(),
        &["--messages-per-sec", "100", "--message-burst", "20"],
    )
    .await?;
    let board = server.create_board("Flood").await?;
    let mut flooder = YClient::connect(&server.ws(&board)).await?;
    let mut normal = YClient::connect(&server.ws(&board)).await?;
    let mut observer = YClient::connect(&server.ws(&board)).await?;
    // 500 updates sent at once; at 100 a second they take about 5 s to be read.
    for i in 0..500 {
        flooder.add_note(&format!("f{i}"), "flood").await?;
    }
    normal.add_note("n", "normal").await?;
    observer
        .pump_until(|c| c.texts().contains(&"normal".to_owned()))
        .await?;
    let flood_seen = observer.items().len() - 1;
    assert!(
        flood_seen < 500,
        "the normal edit arrived while the flood was still being paced ({flood_seen} seen)"
    );
    // Nothing from the flood is lost: it is slowed, not dropped.
    observer.pump_until(|c| c.items().len() == 501).await?;
    Ok(())
}

#[tokio::test]
async fn a_reader_that_falls_behind_is_closed_and_can_resync() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start_with(dir.path(), &["--broadcast-capacity", "16"]).await?;
    let board = server.create_board("Slow").await?;
    let mut slow = YClient::connect(&server.ws(&board)).await?;
    let mut writer = YClient::connect(&server.ws(&board)).await?;
    let mut fast = YClient::connect(&server.ws(&board)).await?;
    // About 8 MB, more than the socket buffers between the server and a reader that
    // is not reading can hold.
    let text = "y".repeat(16 * 1024);
    for i in 0..500 {
        writer.add_note(&format!("w{i}"), &text).await?;
        // A reader that keeps up is never closed.
        fast.pump_until(|c| c.items().len() > i).await?;
    }
    fast.pump_until(|c| c.items().len() == 500).await?;
    // The slow reader finally reads: it gets what was buffered, then a close asking it to
    // resync, never a stream with a gap.
    let (code, reason) = slow.expect_close().await?;
    assert_eq!(code, close::TOO_SLOW, "{reason}");
    let again = YClient::connect(&server.ws(&board)).await?;
    assert_eq!(again.items().len(), 500);
    Ok(())
}

#[tokio::test]
async fn a_connection_that_never_sends_its_request_is_dropped() -> anyhow::Result<()> {
    use tokio::io::AsyncReadExt;
    let dir = tempfile::tempdir()?;
    let server = Server::start_with(dir.path(), &["--auth-timeout-secs", "1"]).await?;
    let mut silent = tokio::net::TcpStream::connect(&server.addr).await?;
    let mut buf = [0u8; 16];
    // The server hangs up (end of stream or reset) once the deadline passes.
    let read = tokio::time::timeout(coboard_e2e::TIMEOUT, silent.read(&mut buf)).await?;
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    // A prompt client is unaffected.
    let board = server.create_board("Still here").await?;
    YClient::connect(&server.ws(&board)).await?;
    Ok(())
}

/// Opens a WebSocket to `url` claiming to be forwarded for `client`; returns the HTTP
/// status of a refused upgrade, or 101.
async fn connect_as(url: &str, client: &str) -> anyhow::Result<u16> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut req = url.into_client_request()?;
    req.headers_mut().insert(
        "x-forwarded-for",
        format!("198.51.100.1, {client}").parse()?,
    );
    match tokio_tungstenite::connect_async(req).await {
        Ok((ws, _)) => {
            drop(ws);
            Ok(101)
        }
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => Ok(resp.status().as_u16()),
        Err(e) => Err(e.into()),
    }
}

/// Behind a trusted proxy each client has its own per-address budget; from an untrusted
/// peer the forwarding header is ignored, so a client cannot pick a fresh address.
#[tokio::test]
async fn per_address_limits_count_clients_behind_a_trusted_proxy() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let limit = ["--connections-per-minute-per-ip", "2"];
    let behind = Server::start_with(
        &dir.path().join("behind"),
        &[&limit[..], &["--trusted-proxies", "127.0.0.0/8,::1"]].concat(),
    )
    .await?;
    let board = behind.create_board("Behind a proxy").await?;
    let url = behind.ws(&board);
    for client in ["203.0.113.1", "203.0.113.2"] {
        assert_eq!(connect_as(&url, client).await?, 101, "{client}");
        assert_eq!(connect_as(&url, client).await?, 101, "{client}");
        assert_eq!(connect_as(&url, client).await?, 429, "{client}'s third");
    }

    let exposed = Server::start_with(&dir.path().join("exposed"), &limit).await?;
    let board = exposed.create_board("No proxy").await?;
    let url = exposed.ws(&board);
    assert_eq!(connect_as(&url, "203.0.113.1").await?, 101);
    assert_eq!(connect_as(&url, "203.0.113.2").await?, 101);
    assert_eq!(
        connect_as(&url, "203.0.113.3").await?,
        429,
        "the header is not believed from an untrusted peer"
    );
    Ok(())
}

/// Past `--max-store-bytes` new boards, snapshots and people's edits are refused with a
/// clear reason; what is stored can still be read and exported.
#[tokio::test]
async fn a_full_store_refuses_new_data_with_a_clear_reason() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut roomy = Server::start(dir.path()).await?;
    let board = roomy.create_board("Before the disk filled").await?;
    let mut writer = YClient::connect(&roomy.ws(&board)).await?;
    writer.add_note("n1", "kept").await?;
    drop(writer);
    roomy.stop().await?;

    // The same store, now with a ceiling it is already over.
    let full = roomy
        .start_again_with(&["--max-store-bytes", "1000"])
        .await?;
    let create = reqwest::Client::new()
        .post(full.http("/api/boards"))
        .json(&json!({"title": "One more"}))
        .send()
        .await?;
    assert_eq!(create.status(), 507);
    let said: Value = create.json().await?;
    assert!(
        said["error"].as_str().unwrap().contains("storage is full"),
        "{said}"
    );

    let fac = full.token(&board).unwrap();
    let path = format!("/api/boards/{board}/snapshots");
    let (status, _) = full
        .call(
            reqwest::Method::POST,
            &path,
            &fac,
            Some(json!({"name": "x"})),
        )
        .await?;
    assert_eq!(status, 507);

    let mut writer = YClient::connect(&full.ws(&board)).await?;
    assert_eq!(writer.texts(), ["kept"], "what is stored is still served");
    writer.add_note("n2", "no room").await?;
    let (code, reason) = writer.expect_close().await?;
    assert_eq!(code, close::BOARD_FULL);
    assert!(reason.contains("storage is full"), "{reason}");
    let (status, _) = full
        .call(
            reqwest::Method::GET,
            &format!("/api/boards/{board}/export?format=md&scope=all"),
            &fac,
            None,
        )
        .await?;
    assert_eq!(status, 200, "exports still work");
    Ok(())
}
