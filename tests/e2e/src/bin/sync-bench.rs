//! Measures how long a new client takes to load a board of N notes from a running server.
//!
//!   cargo run --release -p coboard-e2e --bin sync-bench -- <host:port> [notes] [rounds]
//!
//! It creates a board through the API, fills it with N notes (one update each, as people
//! would), then connects fresh clients and times connect + full sync over loopback. It
//! also times yrs's full-state encode of the same document in this process: the work the
//! server does to answer a newcomer's sync step 1. Prints the board URL, so the browser's
//! first render can be timed with `node tests/js/browser.mjs render`.

use std::time::{Duration, Instant};

use anyhow::Context;
use coboard_e2e::YClient;
use yrs::{ReadTxn, StateVector, Transact};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr = args
        .next()
        .context("usage: sync-bench <host:port> [notes] [rounds]")?;
    let notes: usize = args.next().map_or(Ok(1000), |s| s.parse())?;
    let rounds: usize = args.next().map_or(Ok(20), |s| s.parse())?;

    let resp: serde_json::Value = reqwest::Client::new()
        .post(format!("http://{addr}/api/boards"))
        .json(&serde_json::json!({"title": format!("{notes} notes"), "template": "blank"}))
        .send()
        .await?
        .json()
        .await?;
    let board = resp["id"].as_str().context("no board id")?.to_owned();
    let token = resp["facilitator_token"].as_str().context("no token")?;
    let url = format!("ws://{addr}/ws/{board}?token={token}");

    let mut writer = YClient::connect(&url).await?;
    for i in 0..notes {
        writer
            .add_note(
                &format!("note-{i:06}"),
                &format!("Idea number {i}: more buses in the evening"),
            )
            .await?;
    }
    // Wait until the server has everything: a fresh client sees all notes.
    loop {
        if YClient::connect(&url).await?.items().len() == notes {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let mut sync_times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        let c = YClient::connect(&url).await?;
        sync_times.push(t.elapsed());
        anyhow::ensure!(c.items().len() == notes, "incomplete sync");
    }
    let mut encode_times = Vec::with_capacity(rounds);
    let mut bytes = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        bytes = writer
            .doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default())
            .len();
        encode_times.push(t.elapsed());
    }
    let report = serde_json::json!({
        "notes": notes,
        "state_bytes": bytes,
        "connect_and_sync_ms": summary(&mut sync_times),
        "full_state_encode_ms": summary(&mut encode_times),
        "board_url": format!("http://{addr}/b/{board}#token={token}"),
    });
    println!("{report}");
    Ok(())
}

fn summary(times: &mut [Duration]) -> serde_json::Value {
    times.sort();
    let ms = |d: Duration| (d.as_secs_f64() * 1000.0 * 100.0).round() / 100.0;
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    serde_json::json!({ "p50": ms(at(0.5)), "p95": ms(at(0.95)), "max": ms(at(1.0)) })
}
