//! The side-by-side benchmark: every load point against Coboard and against the reference
//! server, in one run, on one machine.
//!
//! Each server under test gets core 0 to itself and each load point runs as a separate
//! generator process on core 1 (`taskset`), so neither steals the other's CPU and the
//! generator's own CPU use shows whether it, not the server, was the limit. A fresh server
//! is started for each measurement that reports memory.

mod report;
mod saturation;
mod servers;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::scenario::Report;
use crate::sync::SyncReport;
use crate::target::Kind;
pub use report::markdown as report_markdown;
pub use servers::Paths;
use servers::{CoboardOptions, GENERATOR_CPU, Running};

/// The fixed points of the issue: (clients, boards, updates per second per client).
pub const POINTS: [(usize, usize, f64); 4] = [
    (10, 1, 10.0),
    (50, 1, 2.0),
    (200, 20, 2.0),
    (1000, 100, 0.5),
];

/// How long each part runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub out: PathBuf,
    /// Seconds measured at each fixed point.
    pub seconds: f64,
    /// Seconds measured at each saturation step.
    pub step_seconds: f64,
    /// Idle connections, and how long they are held.
    pub idle_connections: usize,
    pub idle_seconds: f64,
    /// Boards each loaded by one idle connection.
    pub idle_boards: usize,
    /// Board sizes for the sync measurement, and whether to time the browser's render.
    pub sync_items: Vec<usize>,
    pub browser: bool,
}

/// Both servers at one load point.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pair {
    pub coboard: Report,
    pub reference: Report,
    /// Coboard's store-append latency histogram from `/metrics` after the run.
    pub append_buckets: Vec<(String, u64)>,
}

/// The steps of a saturation search and the best sustained one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Saturation {
    pub server: Kind,
    pub steps: Vec<Report>,
    pub best: Option<Report>,
    /// Why the search stopped.
    pub stopped: String,
}

/// A sync measurement and, where timed, the browser's first render in milliseconds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SyncRow {
    pub sync: SyncReport,
    pub browser_ms: Option<u64>,
    pub browser_note: Option<String>,
}

/// Everything one suite run measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Results {
    pub machine: String,
    pub points: Vec<Pair>,
    pub saturation: Vec<Saturation>,
    pub idle: Vec<Report>,
    pub idle_boards: Vec<Report>,
    /// Coboard at (50, 1, 2/s) with its data on tmpfs, where fsync is free.
    pub tmpfs: Option<Report>,
    pub sync: Vec<SyncRow>,
}

/// Runs the whole benchmark and writes `results.json` and `results.md` into `opts.out`.
pub async fn run(paths: &Paths, opts: &Options) -> Result<Results> {
    std::fs::create_dir_all(&opts.out)?;
    let mut results = Results {
        machine: machine(),
        points: vec![],
        saturation: vec![],
        idle: vec![],
        idle_boards: vec![],
        tmpfs: None,
        sync: vec![],
    };
    for (clients, boards, rate) in POINTS {
        eprintln!("== {clients} clients, {boards} boards, {rate}/s each");
        let shape = Shape::new(clients, boards, rate, opts.seconds);
        let server = servers::coboard(paths, &CoboardOptions::default()).await?;
        let coboard = point(paths, &server, &shape).await?;
        let append_buckets = append_buckets(&server.target.addr).await?;
        server.stop().await?;
        let server = servers::reference(paths).await?;
        let reference = point(paths, &server, &shape).await?;
        server.stop().await?;
        results.points.push(Pair {
            coboard,
            reference,
            append_buckets,
        });
        save(&results, &opts.out)?;
    }

    eprintln!("== Coboard at (50, 1, 2/s) with its data on tmpfs");
    let server = servers::coboard(
        paths,
        &CoboardOptions {
            tmpfs: true,
            ..Default::default()
        },
    )
    .await?;
    results.tmpfs = Some(point(paths, &server, &Shape::new(50, 1, 2.0, opts.seconds)).await?);
    server.stop().await?;

    for kind in [Kind::Coboard, Kind::Reference] {
        eprintln!("== saturation: {}", kind.name());
        results
            .saturation
            .push(saturation::search(paths, kind, opts).await?);
        save(&results, &opts.out)?;
    }

    for kind in [Kind::Coboard, Kind::Reference] {
        eprintln!(
            "== {} idle connections: {}",
            opts.idle_connections,
            kind.name()
        );
        let boards = (opts.idle_connections / 100).max(1);
        let shape = Shape::idle(opts.idle_connections, boards, opts.idle_seconds);
        let server = start(paths, kind).await?;
        results.idle.push(point(paths, &server, &shape).await?);
        server.stop().await?;
        eprintln!("== {} idle boards: {}", opts.idle_boards, kind.name());
        let shape = Shape::idle(opts.idle_boards, opts.idle_boards, opts.idle_seconds);
        let server = start(paths, kind).await?;
        results
            .idle_boards
            .push(point(paths, &server, &shape).await?);
        server.stop().await?;
        save(&results, &opts.out)?;
    }

    results.sync = sync_rows(paths, opts).await?;
    save(&results, &opts.out)?;
    Ok(results)
}

/// Starts a fresh server of `kind` with the suite's settings.
async fn start(paths: &Paths, kind: Kind) -> Result<Running> {
    match kind {
        Kind::Coboard => servers::coboard(paths, &CoboardOptions::default()).await,
        Kind::Reference => servers::reference(paths).await,
    }
}

/// One generator run's settings.
pub(crate) struct Shape {
    clients: usize,
    boards: usize,
    rate: f64,
    warmup: f64,
    seconds: f64,
    drain: f64,
}

impl Shape {
    pub(crate) fn new(clients: usize, boards: usize, rate: f64, seconds: f64) -> Self {
        Self {
            clients,
            boards,
            rate,
            warmup: 2.0,
            seconds,
            drain: 2.0,
        }
    }

    fn idle(clients: usize, boards: usize, seconds: f64) -> Self {
        Self {
            clients,
            boards,
            rate: 0.0,
            warmup: 0.0,
            seconds,
            drain: 0.0,
        }
    }
}

/// Runs one generator process on the generator's core against `server`.
pub(crate) async fn point(paths: &Paths, server: &Running, s: &Shape) -> Result<Report> {
    let out = tokio::process::Command::new("taskset")
        .args(["-c", GENERATOR_CPU])
        .arg(&paths.generator)
        .arg("run")
        .args(["--server", server.target.kind.name()])
        .args(["--addr", &server.target.addr])
        .args(["--server-pid", &server.pid.to_string()])
        .args(["--clients", &s.clients.to_string()])
        .args(["--boards", &s.boards.to_string()])
        .args(["--rate", &s.rate.to_string()])
        .args(["--warmup", &s.warmup.to_string()])
        .args(["--seconds", &s.seconds.to_string()])
        .args(["--drain", &s.drain.to_string()])
        .stderr(std::process::Stdio::inherit())
        .output()
        .await
        .context("running the generator")?;
    if !out.status.success() {
        bail!("the generator failed: {}", out.status);
    }
    let report: Report =
        serde_json::from_slice(&out.stdout).context("reading the generator's report")?;
    eprintln!("   {}", report::one_line(&report));
    Ok(report)
}

/// Coboard's `coboard_store_seconds` buckets for appends, from its `/metrics`.
async fn append_buckets(addr: &str) -> Result<Vec<(String, u64)>> {
    let text = reqwest::get(format!("http://{addr}/metrics"))
        .await?
        .text()
        .await?;
    Ok(text
        .lines()
        .filter(|l| l.starts_with("coboard_store_seconds_bucket") && l.contains("op=\"append\""))
        .filter_map(|l| {
            let le = l.split("le=\"").nth(1)?.split('"').next()?.to_owned();
            let n = l.rsplit(' ').next()?.parse().ok()?;
            Some((le, n))
        })
        .collect())
}

async fn sync_rows(paths: &Paths, opts: &Options) -> Result<Vec<SyncRow>> {
    let mut rows = vec![];
    for &items in &opts.sync_items {
        eprintln!("== sync of a board of {items} items (Coboard alone)");
        let server = servers::coboard(
            paths,
            &CoboardOptions {
                idle_unload_secs: Some(1),
                ..Default::default()
            },
        )
        .await?;
        // Idle boards are checked for unloading once per idle period; wait out two.
        let unloaded = tokio::time::sleep(Duration::from_secs(3));
        let sync = crate::sync::run(&server.target.addr, items, 10, unloaded).await?;
        eprintln!(
            "   cold {} ms, warm p50 {} ms",
            sync.cold_ms, sync.warm.p50_ms
        );
        let (browser_ms, browser_note) = if opts.browser {
            browser_render(&paths.root, &server.target.addr, &sync).await
        } else {
            (None, Some("not run".to_owned()))
        };
        server.stop().await?;
        rows.push(SyncRow {
            sync,
            browser_ms,
            browser_note,
        });
    }
    Ok(rows)
}

/// Times headless Chromium from navigation to every note on screen
/// (`tests/js/browser.mjs render`).
async fn browser_render(
    root: &Path,
    addr: &str,
    sync: &SyncReport,
) -> (Option<u64>, Option<String>) {
    let run = tokio::process::Command::new("node")
        .kill_on_drop(true)
        .current_dir(root.join("tests/js"))
        .args([
            "browser.mjs",
            "render",
            &format!("http://{addr}"),
            &sync.board_url,
        ])
        .arg(sync.items.to_string())
        .arg("280000")
        .output();
    let out = match tokio::time::timeout(Duration::from_secs(300), run).await {
        Ok(Ok(out)) => out,
        Ok(Err(e)) => return (None, Some(format!("could not run node: {e}"))),
        Err(_) => return (None, Some("did not finish in 300 s".to_owned())),
    };
    let parsed: Option<serde_json::Value> = serde_json::from_slice(&out.stdout).ok();
    match parsed.and_then(|v| v["ms_to_render"].as_u64()) {
        Some(ms) => (Some(ms), None),
        None => {
            let err = String::from_utf8_lossy(&out.stderr);
            let first = err
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("no output");
            (None, Some(first.chars().take(160).collect()))
        }
    }
}

fn save(results: &Results, out: &Path) -> Result<()> {
    std::fs::write(
        out.join("results.json"),
        serde_json::to_string_pretty(results)?,
    )?;
    std::fs::write(out.join("results.md"), report::markdown(results))?;
    Ok(())
}

/// CPU model, cores, memory and kernel, from `/proc`.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_kib: u64 = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!(
        "{model}, {cores} cores, {:.0} GiB RAM, Linux {}",
        mem_kib as f64 / 1_048_576.0,
        kernel.trim()
    )
}
