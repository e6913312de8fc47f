//! Fan-out latency within one instance and across two, measured on the same updates.
//!
//!   cargo run --release -p coboard-load --bin cluster-bench -- <A host:port> <B host:port> [seconds] [per second]
//!
//! A and B must share Redis and PostgreSQL. A sender on A sets a map entry carrying a
//! sequence number `rate` times a second; one observer on A (the single-instance path:
//! apply, store, relay) and one on B (the same, then Redis pub/sub to B, apply, relay)
//! time each update from send to arrival. All clients are in this process, so one clock
//! times both ends.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use coboard_e2e::YClient;
use yrs::{Any, Map, Out, Transact};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: cluster-bench <A host:port> <B host:port> [seconds] [per second]";
    let a = args.next().context(usage)?;
    let b = args.next().context(usage)?;
    let secs: u64 = args.next().map_or(Ok(20), |s| s.parse())?;
    let rate: u64 = args.next().map_or(Ok(20), |s| s.parse())?;

    let resp: serde_json::Value = reqwest::Client::new()
        .post(format!("http://{a}/api/boards"))
        .json(&serde_json::json!({"title": "cluster bench"}))
        .send()
        .await?
        .json()
        .await?;
    let board = resp["id"].as_str().context("no id")?;
    let token = resp["facilitator_token"].as_str().context("no token")?;
    let url = |addr: &str| format!("ws://{addr}/ws/{board}?token={token}");
    let mut sender = YClient::connect(&url(&a)).await?;
    let same = YClient::connect(&url(&a)).await?;
    let across = YClient::connect(&url(&b)).await?;

    let expected = secs * rate;
    let sent_at = Arc::new(Mutex::new(Vec::<Instant>::with_capacity(expected as usize)));
    let deadline = Instant::now() + Duration::from_secs(secs + 20);
    let send = async {
        let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / rate.max(1)));
        for seq in 0..expected {
            tick.tick().await;
            sent_at.lock().expect("lock").push(Instant::now());
            sender
                .edit(|b, txn| {
                    b.meta.insert(txn, "bench_seq", seq as f64);
                })
                .await?;
        }
        anyhow::Ok(())
    };
    // One task, three futures: the clients' futures are not `Send`, and one task keeps
    // the generator's own scheduling out of the comparison.
    let (sent, same, across) = tokio::join!(
        send,
        observe(same, sent_at.clone(), expected, deadline),
        observe(across, sent_at.clone(), expected, deadline),
    );
    sent?;
    let (same, across) = (same?, across?);
    println!(
        "{}",
        serde_json::json!({
            "seconds": secs,
            "updates_per_second": rate,
            "single_instance": summary(same),
            "cross_instance": summary(across),
        })
    );
    Ok(())
}

/// Times every update `observer` sees, until the last one arrives or the deadline.
async fn observe(
    mut observer: YClient,
    sent_at: Arc<Mutex<Vec<Instant>>>,
    expected: u64,
    deadline: Instant,
) -> anyhow::Result<Vec<Duration>> {
    let mut latencies = Vec::with_capacity(expected as usize);
    let mut last = -1i64;
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
    Ok(latencies)
}

fn summary(mut latencies: Vec<Duration>) -> serde_json::Value {
    if latencies.is_empty() {
        return serde_json::json!({ "samples": 0 });
    }
    latencies.sort();
    let ms = |d: Duration| (d.as_secs_f64() * 1e5).round() / 100.0;
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    serde_json::json!({
        "samples": latencies.len(),
        "p50_ms": ms(at(0.5)),
        "p95_ms": ms(at(0.95)),
        "p99_ms": ms(at(0.99)),
        "max_ms": ms(at(1.0)),
    })
}
