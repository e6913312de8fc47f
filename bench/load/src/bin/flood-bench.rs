//! Measures what a flooding client does to everyone else's latency on its board.
//!
//!   cargo run --release -p coboard-load --bin flood-bench -- <host:port> [seconds]
//!
//! A "normal" client sends 10 small updates a second (a map entry carrying a sequence
//! number); an observer on the same board times each one from send to arrival. This runs
//! twice: alone, then while a third client floods the board with notes as fast as its
//! socket takes them. All three clients are in this process, so one clock times both ends.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use coboard_e2e::YClient;
use yrs::{Any, Map, Out, Transact};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr = args
        .next()
        .context("usage: flood-bench <host:port> [seconds]")?;
    let secs: u64 = args.next().map_or(Ok(10), |s| s.parse())?;
    let quiet = measure(&addr, secs, false).await?;
    let flooded = measure(&addr, secs, true).await?;
    println!(
        "{}",
        serde_json::json!({ "seconds": secs, "without_flood": quiet, "with_flood": flooded })
    );
    Ok(())
}

async fn measure(addr: &str, secs: u64, flood: bool) -> anyhow::Result<serde_json::Value> {
    let resp: serde_json::Value = reqwest::Client::new()
        .post(format!("http://{addr}/api/boards"))
        .json(&serde_json::json!({"title": "flood bench"}))
        .send()
        .await?
        .json()
        .await?;
    let board = resp["id"].as_str().context("no id")?;
    let token = resp["facilitator_token"].as_str().context("no token")?;
    let url = format!("ws://{addr}/ws/{board}?token={token}");
    let mut normal = YClient::connect(&url).await?;
    let mut observer = YClient::connect(&url).await?;

    let stop = Arc::new(AtomicBool::new(false));
    let flooded = Arc::new(AtomicU64::new(0));
    let flooder = if flood {
        let mut f = YClient::connect(&url).await?;
        let (stop, flooded) = (stop.clone(), flooded.clone());
        Some(tokio::spawn(async move {
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) {
                f.add_note(&format!("flood-{i}"), "flood flood flood")
                    .await?;
                i += 1;
                flooded.store(i, Ordering::Relaxed);
            }
            anyhow::Ok(())
        }))
    } else {
        None
    };

    let start = Instant::now();
    let sent_at = Arc::new(std::sync::Mutex::new(Vec::<Instant>::new()));
    let sender = {
        let sent_at = sent_at.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            for seq in 0..secs * 10 {
                tick.tick().await;
                sent_at.lock().expect("lock").push(Instant::now());
                normal
                    .edit(|b, txn| {
                        b.meta.insert(txn, "bench_seq", seq as f64);
                    })
                    .await?;
            }
            anyhow::Ok(())
        })
    };

    let expected = secs * 10;
    let mut latencies = Vec::with_capacity(expected as usize);
    let mut last = -1i64;
    let deadline = start + Duration::from_secs(secs + 20);
    while (last + 1) < expected as i64 && Instant::now() < deadline {
        observer.recv_one().await?;
        let seq = match observer
            .board
            .meta
            .get(&observer.doc.transact(), "bench_seq")
        {
            Some(Out::Any(Any::Number(yrs::any::Number::Float(n)))) => n as i64,
            _ => continue,
        };
        if seq > last {
            let sent = sent_at.lock().expect("lock")[seq as usize];
            latencies.push(sent.elapsed());
            last = seq;
        }
    }
    stop.store(true, Ordering::Relaxed);
    sender.await??;
    if let Some(f) = flooder {
        f.abort();
    }
    latencies.sort();
    let ms = |d: Duration| (d.as_secs_f64() * 1e5).round() / 100.0;
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    Ok(serde_json::json!({
        "samples": latencies.len(),
        "p50_ms": ms(at(0.5)),
        "p99_ms": ms(at(0.99)),
        "max_ms": ms(at(1.0)),
        "flood_updates_sent": flooded.load(Ordering::Relaxed),
    }))
}
