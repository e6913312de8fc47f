//! A real npm `y-websocket` client and a Rust Yjs client on one board, both ways,
//! presence included.

use coboard_e2e::{Server, YClient, node};
use yrs::ClientID;

#[tokio::test]
async fn a_y_websocket_client_and_a_rust_client_co_edit() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Interop").await?;
    let mut rust = YClient::connect(&server.ws(&board)).await?;
    rust.set_awareness(
        4242,
        1,
        r#"{"user":{"name":"Rust client","role":"public"}}"#,
    )
    .await?;
    rust.add_note("from-rust", "from rust").await?;

    let base = format!("ws://{}/ws", server.addr);
    let js = tokio::spawn({
        let board = board.clone();
        let token = server.token(&board).unwrap();
        async move { node("interop.mjs", &[&base, &board, &token, "co-edit"]).await }
    });
    // The Node client's note, its edit of ours, and its presence all reach us.
    rust.pump_until(|c| {
        c.texts() == ["from node", "from rust + node"]
            && c.awareness
                .values()
                .any(|s| s.as_deref().is_some_and(|s| s.contains("Node client")))
    })
    .await?;
    let out: serde_json::Value = serde_json::from_str(js.await??.trim())?;
    assert_eq!(
        out["texts"],
        serde_json::json!(["from node", "from rust + node"])
    );
    assert!(
        out["peers"]
            .as_array()
            .unwrap()
            .contains(&"Rust client".into())
    );
    // When it leaves, its presence is removed for everyone.
    let node_id = ClientID::new(out["clientID"].as_u64().unwrap());
    rust.pump_until(|c| c.awareness.get(&node_id).is_some_and(|s| s.is_none()))
        .await?;
    Ok(())
}

#[tokio::test]
async fn y_websocket_edits_made_offline_upload_on_reconnect() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Offline interop").await?;
    let base = format!("ws://{}/ws", server.addr);
    let token = server.token(&board).unwrap();
    node("interop.mjs", &[&base, &board, &token, "offline"]).await?;
    let check = YClient::connect(&server.ws(&board)).await?;
    assert_eq!(check.texts(), ["written while offline"]);
    Ok(())
}

#[tokio::test]
async fn a_y_websocket_client_with_a_bad_token_stops_retrying() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Locked").await?;
    let base = format!("ws://{}/ws", server.addr);
    let out = node(
        "interop.mjs",
        &[&base, &board, "not-a-real-token", "refused"],
    )
    .await?;
    let out: serde_json::Value = serde_json::from_str(out.trim())?;
    assert_eq!(out["code"], 4401);
    assert_eq!(out["closes"], 1, "one attempt, no retries: {out}");
    assert_eq!(out["synced"], false);
    Ok(())
}

/// y-websocket re-sends everyone else's presence whenever it renews; the server must not
/// take those copies for the connection's own (it closed every provider on a board of more
/// than eight people with 4414 "too many presence states", about 15 s in).
#[tokio::test]
async fn fifty_y_websocket_providers_stay_connected_for_a_minute() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("A full session").await?;
    let invite = server
        .invite(&board, serde_json::json!({"role": "contributor"}))
        .await?;
    let token = invite["token"].as_str().unwrap();
    let base = format!("ws://{}/ws", server.addr);
    let out = node("crowd.mjs", &[&base, &board, token, "50", "60"]).await?;
    let out: serde_json::Value = serde_json::from_str(out.trim())?;
    assert_eq!(out["closes"], serde_json::json!([]), "{out}");
    assert_eq!(out["delivered"], out["expected"], "{out}");
    assert_eq!(out["fewest_seen"], 50, "everyone sees all 50 people: {out}");
    Ok(())
}
