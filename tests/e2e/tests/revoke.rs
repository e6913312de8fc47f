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

/// The flags of an instance on PostgreSQL `db` and the machine's Redis.
fn clustered(db: &str) -> [&str; 6] {
    [
        "--database-url",
        db,
        "--redis-url",
        "redis://127.0.0.1:6379",
        "--cluster-secret",
        "e2e-cluster-secret-0123456789",
    ]
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
    let shared = clustered(&db);
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

/// Runs `redis-cli` against the machine's Redis, `stdin` as the last argument (`-x`).
fn redis_cli(args: &[&str], stdin: &[u8]) -> Result<String> {
    use std::io::Write;
    let mut child = std::process::Command::new("redis-cli")
        .args(["-h", "127.0.0.1", "-p", "6379", "-x"])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("redis-cli")?;
    child.stdin.take().context("stdin")?.write_all(stdin)?;
    let out = child.wait_with_output()?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Someone who can reach Redis but has not the cluster's secret can neither push an update
/// to the instances' clients nor show them an invented person.
#[tokio::test]
async fn messages_and_presence_not_signed_with_the_cluster_secret_reach_nobody() -> Result<()> {
    let schema = Schema::new("coboard_e2e")?;
    let dir = tempfile::tempdir()?;
    let db = schema.url();
    let shared = clustered(&db);
    let a = instance(&dir, "a", &shared).await?;
    let board = a.create_board("Forgery").await?;
    let facilitator = a.token(&board).context("token")?;
    let mut on_a = YClient::connect(&a.ws(&board)).await?;

    // A note, framed as a cluster message from "b" whose tag is not the cluster's.
    use coboard_shared::schema::{Board, KIND_NOTE, NewItem};
    use yrs::{ReadTxn, Transact};
    let doc = yrs::Doc::new();
    let note = NewItem {
        kind: KIND_NOTE.to_owned(),
        text: "written by no one".to_owned(),
        colour: "yellow".to_owned(),
        ..NewItem::default()
    };
    Board::new(&doc).add_item(&mut doc.transact_mut(), "forged", &note);
    let update = doc
        .transact()
        .encode_state_as_update_v1(&yrs::StateVector::default());
    let frame = coboard_shared::protocol::encode_update(&update);
    let mut forged = vec![1u8, 1, 1, b'b'];
    forged.extend(coboard_e2e_now().to_be_bytes());
    // As an unsigned message was read before signing: header, then the frame.
    forged.extend(&frame);
    let receivers = redis_cli(&["PUBLISH", &format!("coboard:board:{board}")], &forged)?;
    assert_eq!(receivers.trim(), "1", "instance a is subscribed");

    // A presence value for a made-up instance, without a valid tag.
    let person = json!([{"name": "Invented person", "anonymous": false, "role": "viewer",
        "instance": "b", "since": 1, "last_active": 1, "person": ""}]);
    redis_cli(&["SADD", &format!("coboard:presence:{board}")], b"b")?;
    redis_cli(
        &["SET", &format!("coboard:presence:{board}:b")],
        person.to_string().as_bytes(),
    )?;

    let got = on_a
        .pump_until_within(Duration::from_secs(1), |c| !c.texts().is_empty())
        .await;
    assert!(
        got.is_err(),
        "the forged note reached a client: {:?}",
        on_a.texts()
    );
    let (status, body) = a
        .call(
            reqwest::Method::GET,
            &format!("/api/boards/{board}/presence"),
            &facilitator,
            None,
        )
        .await?;
    assert_eq!(status, 200);
    assert!(!body.contains("Invented person"), "{body}");
    Ok(())
}

fn coboard_e2e_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[tokio::test]
async fn an_instance_given_redis_without_a_cluster_secret_refuses_to_start() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let out = tokio::process::Command::new(coboard_e2e::server_binary())
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--redis-url",
            "redis://127.0.0.1:6379",
        ])
        .arg("--data-dir")
        .arg(dir.path())
        .env_remove("COBOARD_CLUSTER_SECRET")
        .output()
        .await?;
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("--cluster-secret"), "{said}");
    Ok(())
}
