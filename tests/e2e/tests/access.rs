//! Capability links and roles against the real binary: nobody gets in without a valid
//! token, view-only means view-only at the server, and revoking a link takes effect at once.

use coboard_e2e::{Server, YClient, refused};
use coboard_shared::close;
use serde_json::{Value, json};

#[tokio::test]
async fn websocket_refuses_missing_bad_foreign_revoked_and_expired_tokens() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Locked").await?;
    let other = server.create_board("Other").await?;
    let base = format!("ws://{}/ws/{board}", server.addr);

    let no_token = refused(&base).await?;
    assert_eq!(no_token.0, close::UNAUTHORIZED, "{no_token:?}");
    let bad = refused(&format!("{base}?token=0123456789abcdef")).await?;
    assert_eq!(bad.0, close::UNAUTHORIZED, "{bad:?}");
    let foreign = refused(&server.ws_with(&board, &server.token(&other).unwrap())).await?;
    assert_eq!(foreign.0, close::FORBIDDEN, "{foreign:?}");
    // An unknown board id is no different from a known one without a token.
    let unknown = refused(&format!(
        "ws://{}/ws/0123456789abcdef0123456789abcdef",
        server.addr
    ))
    .await?;
    assert_eq!(unknown.0, close::UNAUTHORIZED);

    // Revoking a link closes the connections using it, and refuses it afterwards.
    let invite = server
        .invite(&board, json!({"role": "contributor"}))
        .await?;
    let token = invite["token"].as_str().unwrap();
    let mut live = YClient::connect(&server.ws_with(&board, token)).await?;
    let revoked = reqwest::Client::new()
        .delete(server.http(&format!(
            "/api/boards/{board}/invites/{}",
            invite["id"].as_str().unwrap()
        )))
        .bearer_auth(server.token(&board).unwrap())
        .send()
        .await?;
    assert_eq!(revoked.status(), 204);
    let (code, reason) = live.expect_close().await?;
    assert_eq!(code, close::FORBIDDEN, "{reason}");
    let again = refused(&server.ws_with(&board, token)).await?;
    assert_eq!(again.0, close::FORBIDDEN);
    assert!(again.1.contains("switched off"), "{}", again.1);

    // Expiry: an invite whose time has passed is refused (the clock is moved in the store).
    let expiring = server
        .invite(&board, json!({"role": "viewer", "expires_in_hours": 1}))
        .await?;
    let expiring_token = expiring["token"].as_str().unwrap().to_owned();
    YClient::connect(&server.ws_with(&board, &expiring_token)).await?;
    let mut server = server;
    server.stop().await?;
    rusqlite::Connection::open(dir.path().join("coboard.db"))?.execute(
        "UPDATE invites SET expires_at = 1 WHERE id = ?1",
        [expiring["id"].as_str().unwrap()],
    )?;
    let server = server.start_again().await?;
    let expired = refused(&server.ws_with(&board, &expiring_token)).await?;
    assert_eq!(expired.0, close::FORBIDDEN);
    assert!(expired.1.contains("expired"), "{}", expired.1);
    // The facilitator's own link still works.
    YClient::connect(&server.ws(&board)).await?;
    Ok(())
}

#[tokio::test]
async fn rest_api_checks_bearer_tokens_and_roles() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Roles").await?;
    let facilitator = server.token(&board).unwrap();
    let contributor = server
        .invite(&board, json!({"role": "contributor", "label": "group A"}))
        .await?;
    let contributor = contributor["token"].as_str().unwrap().to_owned();
    let http = reqwest::Client::new();
    let invites = server.http(&format!("/api/boards/{board}/invites"));
    let info = server.http(&format!("/api/boards/{board}"));

    let status = |r: reqwest::Response| r.status().as_u16();
    assert_eq!(status(http.get(&info).send().await?), 401);
    assert_eq!(
        status(http.get(&info).bearer_auth("nonsense").send().await?),
        401
    );
    let me: Value = http
        .get(&info)
        .bearer_auth(&contributor)
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(me["role"], "contributor");

    // Only facilitators manage invites.
    assert_eq!(status(http.get(&invites).send().await?), 401);
    assert_eq!(
        status(http.get(&invites).bearer_auth(&contributor).send().await?),
        403
    );
    let body = json!({"role": "viewer"});
    assert_eq!(
        status(
            http.post(&invites)
                .bearer_auth(&contributor)
                .json(&body)
                .send()
                .await?
        ),
        403
    );
    let listed: Value = http
        .get(&invites)
        .bearer_auth(&facilitator)
        .send()
        .await?
        .json()
        .await?;
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 2, "the creator's link and group A's");
    assert!(
        listed.iter().all(|i| i.get("token").is_none()),
        "tokens are never listed"
    );
    assert!(
        listed
            .iter()
            .any(|i| i["label"] == "group A" && i["role"] == "contributor")
    );

    // Bad requests get a reason.
    for body in [
        json!({"role": "owner"}),
        json!({"role": "viewer", "expires_in_hours": 0}),
        json!({"role": "viewer", "label": "x".repeat(101)}),
    ] {
        let r = http
            .post(&invites)
            .bearer_auth(&facilitator)
            .json(&body)
            .send()
            .await?;
        assert_eq!(r.status(), 400, "{body}");
        assert!(r.json::<Value>().await?["error"].is_string());
    }
    let missing = http
        .delete(format!("{invites}/0000000000000000"))
        .bearer_auth(&facilitator)
        .send()
        .await?;
    assert_eq!(missing.status(), 404);
    Ok(())
}

#[tokio::test]
async fn a_viewers_write_is_never_applied_relayed_or_stored() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Read only").await?;
    let viewer = server.invite(&board, json!({"role": "viewer"})).await?;
    let viewer_url = server.ws_with(&board, viewer["token"].as_str().unwrap());

    let mut editor = YClient::connect(&server.ws(&board)).await?;
    editor.add_note("visible", "everyone can read this").await?;
    let mut reader = YClient::connect(&viewer_url).await?;
    reader
        .pump_until(|c| c.texts() == ["everyone can read this"])
        .await?;

    // The viewer tries to write, and is told why it did not count.
    reader.add_note("sneaky", "should not appear").await?;
    reader.pump_until(|c| c.denied.is_some()).await?;
    assert!(reader.denied.as_deref().unwrap().contains("view-only"));
    // The viewer still receives others' edits after the refusal.
    editor.add_note("later", "later edit").await?;
    reader
        .pump_until(|c| c.texts().contains(&"later edit".to_owned()))
        .await?;

    // Nobody else ever sees the viewer's note, now or after a restart.
    let fresh = YClient::connect(&server.ws(&board)).await?;
    assert_eq!(fresh.texts(), ["everyone can read this", "later edit"]);
    let server = server.restart().await?;
    let after = YClient::connect(&server.ws(&board)).await?;
    assert_eq!(after.texts(), ["everyone can read this", "later edit"]);
    Ok(())
}
