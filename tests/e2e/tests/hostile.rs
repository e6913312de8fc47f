//! Hostile clients against the real binary: a link of any role sending frames made to crash,
//! exhaust or flood the server. Each time the server stays up, the offender alone is
//! affected, and everyone else carries on.

use std::time::{Duration, Instant};

use coboard_e2e::{Server, YClient};
use serde_json::json;
use yrs::encoding::write::Write;

/// A sync-update message carrying `update`, as y-websocket frames it.
fn update_msg(update: &[u8]) -> Vec<u8> {
    let mut msg = vec![0u8, 2];
    msg.write_buf(update);
    msg
}

/// A v1 update whose one map entry holds an array nested `depth` deep.
fn deep_update(depth: usize) -> Vec<u8> {
    let mut u = vec![1u8, 1, 1, 0, 0x28, 1, 5];
    u.extend(b"items");
    u.extend([1, b'a', 1]);
    u.extend([117u8, 1].repeat(depth));
    u.push(126);
    u.push(0);
    u
}

/// Peak resident memory of a process, in MiB, from `/proc`.
fn peak_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

#[tokio::test]
async fn a_viewer_cannot_crash_or_exhaust_the_server() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Hostile viewer").await?;
    let other = server.create_board("Another board").await?;
    let mut facilitator = YClient::connect(&server.ws(&board)).await?;
    let mut elsewhere = YClient::connect(&server.ws(&other)).await?;
    let viewer = server.invite(&board, json!({"role": "viewer"})).await?;
    let mut hostile =
        YClient::connect(&server.ws_with(&board, viewer["token"].as_str().unwrap())).await?;

    // About 20 KB: a value nested 10,000 deep (yrs decodes values recursively).
    hostile.send_raw(update_msg(&deep_update(10_000))).await?;
    // 60 eight-byte messages, each claiming 2^28 blocks, in two frames.
    let bomb = update_msg(&[0x80, 0x80, 0x80, 0x01]);
    for _ in 0..2 {
        hostile.send_raw(bomb.repeat(30)).await?;
    }

    let http = reqwest::Client::new();
    for _ in 0..5 {
        let started = Instant::now();
        let health = http.get(server.http("/healthz")).send().await?;
        assert!(health.status().is_success());
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "/healthz took {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let peak = peak_mib(server.pid().expect("running"));
    assert!(peak < 200, "peak memory {peak} MiB");

    // Everyone else carries on, on this board and on another.
    facilitator.add_note("n1", "still here").await?;
    elsewhere.add_note("n2", "unaffected").await?;
    let check = YClient::connect(&server.ws(&board)).await?;
    assert_eq!(check.texts(), ["still here"]);
    let check = YClient::connect(&server.ws(&other)).await?;
    assert_eq!(check.texts(), ["unaffected"]);
    Ok(())
}
