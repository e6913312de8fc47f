//! The load generator against real servers: Coboard (the debug build the workspace tests
//! use) and the reference Node.js server from `bench/reference`.

use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, Result};
use coboard_e2e::Server;
use coboard_load::scenario::{self, Load, Report};
use coboard_load::target::{Kind, Target};
use tokio::io::{AsyncBufReadExt, BufReader};

/// The per-IP limits guard a public server; every simulated person here is on loopback.
const OPEN_LIMITS: [&str; 4] = [
    "--connections-per-minute-per-ip",
    "100000",
    "--boards-per-hour-per-ip",
    "100000",
];

fn load(clients: usize, boards: usize, rate: f64, pid: Option<u32>) -> Load {
    Load {
        clients,
        boards,
        rate,
        warmup: Duration::from_millis(500),
        seconds: Duration::from_secs(2),
        drain: Duration::from_secs(1),
        server_pid: pid.map(|p| p as i32),
    }
}

/// Every copy of every update is accounted for, once, and timed.
fn assert_complete(r: &Report, peers: u64) {
    assert_eq!(r.errors, 0, "errors: {:?}", r.error_samples);
    assert_eq!(r.connected, r.clients);
    assert!(r.sent > 0, "nothing sent: {r:?}");
    assert!(
        r.sent as f64 >= r.planned as f64 * 0.8,
        "sent {} of {} planned",
        r.sent,
        r.planned
    );
    assert_eq!(r.expected, r.sent * peers, "copies expected per update");
    assert_eq!(r.delivered, r.expected, "every copy arrives exactly once");
    assert_eq!(r.latency.count, r.delivered);
    assert!(r.latency.p50_ms > 0.0 && r.latency.max_ms >= r.latency.p99_ms);
    assert_eq!(r.connect.count, r.clients as u64);
    assert!(r.generator_cpu_percent >= 0.0);
}

#[tokio::test]
async fn measures_every_delivery_on_coboard_with_server_usage() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start_with(dir.path(), &OPEN_LIMITS).await?;
    let target = Target::new(Kind::Coboard, server.addr.clone());
    // Three clients on each of two boards: two copies of every update.
    let r = scenario::run(&target, &load(6, 2, 5.0, server.pid())).await?;
    assert_complete(&r, 2);
    assert!(r.server_cpu_percent.is_some());
    let mem = r.server_memory.context("server memory")?;
    assert!(mem.rss_kib > 1024 && mem.peak_kib >= mem.rss_kib, "{mem:?}");
    Ok(())
}

#[tokio::test]
async fn idle_runs_hold_connections_and_report_memory_per_connection() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start_with(dir.path(), &OPEN_LIMITS).await?;
    let target = Target::new(Kind::Coboard, server.addr.clone());
    let mut idle = load(20, 2, 0.0, server.pid());
    idle.warmup = Duration::ZERO;
    let r = scenario::run(&target, &idle).await?;
    assert_eq!((r.connected, r.sent, r.delivered, r.errors), (20, 0, 0, 0));
    assert!(r.rss_per_connection_kib().is_some());
    Ok(())
}

#[tokio::test]
async fn a_refused_connection_is_an_error_not_a_hang() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start_with(dir.path(), &OPEN_LIMITS).await?;
    // A Coboard board URL with a wrong token: the server closes the socket with a reason.
    let board = server.create_board("refused").await?;
    let url = format!("ws://{}/ws/{board}?token=wrong", server.addr);
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::unbounded_channel();
    let (_plan_tx, plan_rx) = tokio::sync::watch::channel(None);
    let shared = std::sync::Arc::new(coboard_load::client::Shared {
        rec: coboard_load::record::Recorder::new(1),
        connecting: tokio::sync::Semaphore::new(1),
        ready: ready_tx,
        plan: plan_rx,
    });
    let spec = coboard_load::client::Spec {
        index: 0,
        url,
        peers: 0,
    };
    tokio::time::timeout(
        Duration::from_secs(20),
        coboard_load::client::run(spec, shared.clone()),
    )
    .await
    .context("the client hung")?;
    assert_eq!(ready_rx.recv().await, Some(false));
    assert_eq!(shared.rec.error_count(), 1);
    assert!(
        shared.rec.error_samples()[0].contains("closed"),
        "{:?}",
        shared.rec.error_samples()
    );
    Ok(())
}

#[tokio::test]
async fn syncs_a_large_board_cold_and_warm() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut flags = OPEN_LIMITS.to_vec();
    flags.extend(["--idle-unload-secs", "1"]);
    let server = Server::start_with(dir.path(), &flags).await?;
    let waited = tokio::time::sleep(Duration::from_secs(3));
    // Three batches; `run` itself checks that a newcomer sees every item.
    let r = coboard_load::sync::run(&server.addr, 1200, 3, waited).await?;
    assert_eq!((r.items, r.warm.count, r.encode.count), (1200, 3, 3));
    assert!(r.state_bytes > 1200 * 40, "{} bytes", r.state_bytes);
    assert!(r.cold_ms > 0.0);
    assert!(r.board_url.contains("#token="));
    Ok(())
}

/// Newcomers who stay are counted, each got the whole board, and the server's memory is
/// read before and after.
#[tokio::test]
async fn held_newcomers_report_the_servers_memory() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start_with(dir.path(), &OPEN_LIMITS).await?;
    let pid = server.pid().map(|p| p as i32);
    let r = coboard_load::sync::held(&server.addr, 600, 5, pid).await?;
    assert_eq!((r.items, r.people), (600, 5));
    assert!(r.state_bytes > 600 * 40, "{} bytes", r.state_bytes);
    assert!(r.rss_before_kib > 0 && r.rss_after_kib > 0, "{r:?}");
    // Without the server's process id there is nothing to read.
    assert!(
        coboard_load::sync::held(&server.addr, 0, 1, Some(i32::MAX))
            .await
            .is_err()
    );
    Ok(())
}

/// The reference server (`npm ci` in bench/reference; `cargo xtask test` does it).
struct Reference(tokio::process::Child, String);

async fn reference() -> Result<Reference> {
    let root = coboard_e2e::root();
    let entry = root.join("bench/reference/node_modules/@y/websocket-server/src/server.js");
    anyhow::ensure!(
        entry.exists(),
        "{} is missing: run `npm ci` in bench/reference (cargo xtask test does)",
        entry.display()
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut child = tokio::process::Command::new("node")
        .arg(entry)
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let mut lines = BufReader::new(child.stdout.take().context("stdout")?).lines();
    tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(line) = lines.next_line().await? {
            if line.contains("running at") {
                return Ok(());
            }
        }
        anyhow::bail!("the reference server exited")
    })
    .await??;
    Ok(Reference(child, format!("127.0.0.1:{port}")))
}

#[tokio::test]
async fn measures_the_reference_server_ignoring_its_echoes() -> Result<()> {
    let server = reference().await?;
    let target = Target::new(Kind::Reference, server.1.clone());
    // The reference server also sends each update back to its sender; those copies must
    // not be counted, or delivered would exceed expected.
    let r = scenario::run(&target, &load(6, 2, 5.0, server.0.id())).await?;
    assert_complete(&r, 2);
    assert!(r.server_memory.is_some());
    Ok(())
}
