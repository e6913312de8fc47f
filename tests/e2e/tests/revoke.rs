//! Switching a link off takes effect on every instance at once, and live connections are
//! checked again, on real PostgreSQL (and Redis where the test says so).

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use coboard_e2e::pg::Schema;
use coboard_e2e::{Server, YClient};
use coboard_shared::close;
use serde_json::json;

async fn instance(dir: &tempfile::TempDir, name: &str, extra: &[&str]) -> Result<Server> {
    let mut args = vec!["--instance-id", name];
    args.extend_from_slice(extra);
    Server::start_with(&dir.path().join(name), &args).await
}

/// Revokes `invite` through `server` as the board's facilitator.
async fn revoke(server: &Server, board: &str, facilitator: &str, invite: &str) -> Result<()> {
    let path = format!("/api/boards/{board}/invites/{invite}");
    let (status, body) = server
        .call(reqwest::Method::DELETE, &path, facilitator, None)
        .await?;
    anyhow::ensure!(status == 204, "revoke: {status} {body}");
    Ok(())
}

#[tokio::test]
async fn a_link_revoked_through_one_instance_is_closed_on_another_within_two_seconds() -> Result<()>
{
    let schema = Schema::new("coboard_e2e")?;
    let dir = tempfile::tempdir()?;
    let db = schema.url();
    let shared = [
        "--database-url",
        &db,
        "--redis-url",
        "redis://127.0.0.1:6379",
    ];
    let a = instance(&dir, "a", &shared).await?;
    let b = instance(&dir, "b", &shared).await?;
    let board = a.create_board("Revoked everywhere").await?;
    let facilitator = a.token(&board).context("token")?;
    let invite = a.invite(&board, json!({"role": "contributor"})).await?;
    let token = invite["token"].as_str().unwrap();
    let mut on_b = YClient::connect(&b.ws_with(&board, token)).await?;
    on_b.add_note("before", "written before the revoke").await?;

    let revoked_at = Instant::now();
    revoke(&a, &board, &facilitator, invite["id"].as_str().unwrap()).await?;
    let (code, reason) = tokio::time::timeout(Duration::from_secs(2), on_b.expect_close())
        .await
        .context("B did not close the revoked link's connection within 2 s")??;
    assert_eq!(code, close::FORBIDDEN, "{reason}");
    assert!(revoked_at.elapsed() < Duration::from_secs(2));

    // Its earlier edit stays; nothing it sends now is stored.
    let check = YClient::connect(&a.ws_with(&board, &facilitator)).await?;
    assert_eq!(check.texts(), ["written before the revoke"]);
    Ok(())
}

/// Without Redis, the revoke message cannot reach the other instance: the periodic check
/// of each live connection's invite closes it instead.
#[tokio::test]
async fn live_connections_are_checked_again_and_a_switched_off_link_is_closed() -> Result<()> {
    let schema = Schema::new("coboard_e2e")?;
    let dir = tempfile::tempdir()?;
    let db = schema.url();
    let a = instance(&dir, "a", &["--database-url", &db]).await?;
    let b = instance(&dir, "b", &["--database-url", &db, "--recheck-secs", "1"]).await?;
    let board = a.create_board("Checked again").await?;
    let facilitator = a.token(&board).context("token")?;
    let invite = a.invite(&board, json!({"role": "viewer"})).await?;
    let mut on_b = YClient::connect(&b.ws_with(&board, invite["token"].as_str().unwrap())).await?;
    revoke(&a, &board, &facilitator, invite["id"].as_str().unwrap()).await?;
    let (code, reason) = tokio::time::timeout(Duration::from_secs(5), on_b.expect_close())
        .await
        .context("the re-check did not close the connection")??;
    assert_eq!(code, close::FORBIDDEN);
    assert!(reason.contains("switched off"), "{reason}");
    Ok(())
}
