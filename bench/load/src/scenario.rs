//! One load point: N clients over R boards, each sending U updates a second.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::client::{self, Plan, Shared, Spec};
use crate::procstat::{self, Memory};
use crate::record::{Recorder, Summary};
use crate::target::{Kind, Target};

/// Connections allowed to be in progress at once.
const CONNECTING_AT_ONCE: usize = 64;

/// What to run.
#[derive(Debug, Clone)]
pub struct Load {
    pub clients: usize,
    pub boards: usize,
    /// Updates per second per client; 0 holds every connection idle for `seconds`.
    pub rate: f64,
    /// Sending before the measured window (not counted).
    pub warmup: Duration,
    /// The measured window.
    pub seconds: Duration,
    /// Time after the last send for the last copies to arrive.
    pub drain: Duration,
    /// The server's process id, for its CPU and memory.
    pub server_pid: Option<i32>,
}

/// Everything one run measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub server: Kind,
    pub clients: usize,
    pub boards: usize,
    pub rate: f64,
    pub seconds: f64,
    /// Clients that connected and synced.
    pub connected: usize,
    /// Connect plus initial sync, per client.
    pub connect: Summary,
    /// Bytes of board state each client received in its initial sync, on average.
    pub sync_bytes: u64,
    /// Updates the plan called for in the window, sent, and copies expected and delivered.
    pub planned: u64,
    pub sent: u64,
    pub expected: u64,
    pub delivered: u64,
    /// Copies that arrived too late to be matched to their send.
    pub unmatched: u64,
    pub deliveries_per_sec: f64,
    /// Send to arrival, per delivered copy.
    pub latency: Summary,
    pub errors: u64,
    pub error_samples: Vec<String>,
    /// Server CPU over the window, in percent of one core.
    pub server_cpu_percent: Option<f64>,
    /// Server memory before the clients connected, and at the end of the window.
    pub server_memory_before: Option<Memory>,
    pub server_memory: Option<Memory>,
    /// This generator's CPU over the window, in percent of one core.
    pub generator_cpu_percent: f64,
}

impl Report {
    /// Server memory added per connected client, in KiB (meaningful for idle runs).
    pub fn rss_per_connection_kib(&self) -> Option<f64> {
        let (before, after) = (self.server_memory_before?, self.server_memory?);
        (self.connected > 0)
            .then(|| after.rss_kib.saturating_sub(before.rss_kib) as f64 / self.connected as f64)
    }
}

/// Runs `load` against `target` and reports what happened.
pub async fn run(target: &Target, load: &Load) -> Result<Report> {
    if load.clients == 0 || load.boards == 0 || load.boards > load.clients {
        bail!("need at least one client and one board, and no more boards than clients");
    }
    let urls = target.boards(load.boards).await?;
    let memory_before = load
        .server_pid
        .map(|pid| procstat::memory(Some(pid)))
        .transpose()?;

    let (ready_tx, mut ready_rx) = mpsc::unbounded_channel();
    let (plan_tx, plan_rx) = watch::channel(None);
    let shared = Arc::new(Shared {
        rec: Recorder::new(load.clients),
        connecting: Semaphore::new(CONNECTING_AT_ONCE),
        ready: ready_tx,
        plan: plan_rx,
    });
    let mut tasks = JoinSet::new();
    for index in 0..load.clients {
        let board = index % load.boards;
        let on_board = (load.clients - board).div_ceil(load.boards);
        let spec = Spec {
            index,
            url: urls[board].clone(),
            peers: on_board as u64 - 1,
        };
        tasks.spawn(client::run(spec, shared.clone()));
    }
    let mut connected = 0;
    for _ in 0..load.clients {
        if ready_rx.recv().await == Some(true) {
            connected += 1;
        }
    }

    let start = Instant::now() + Duration::from_millis(200);
    let window = start + load.warmup;
    let stop = window + load.seconds;
    shared.rec.set_window(window.into_std(), load.seconds);
    plan_tx.send_replace(Some(Plan {
        rate: load.rate,
        start,
        stop,
        close: stop + load.drain,
    }));

    tokio::time::sleep_until(window).await;
    let server_from = load
        .server_pid
        .map(|pid| procstat::cpu_mark(Some(pid)))
        .transpose()?;
    let own_from = procstat::cpu_mark(None)?;
    tokio::time::sleep_until(stop).await;
    let server_cpu = match (load.server_pid, server_from) {
        (Some(pid), Some(from)) => {
            Some(procstat::cpu_percent(from, procstat::cpu_mark(Some(pid))?))
        }
        _ => None,
    };
    let generator_cpu = procstat::cpu_percent(own_from, procstat::cpu_mark(None)?);
    let memory = load
        .server_pid
        .map(|pid| procstat::memory(Some(pid)))
        .transpose()?;
    while tasks.join_next().await.is_some() {}

    let rec = &shared.rec;
    let load_secs = load.seconds.as_secs_f64();
    let get = |a: &std::sync::atomic::AtomicU64| a.load(std::sync::atomic::Ordering::Relaxed);
    let delivered = get(&rec.delivered);
    Ok(Report {
        server: target.kind,
        clients: load.clients,
        boards: load.boards,
        rate: load.rate,
        seconds: load_secs,
        connected,
        connect: rec.connect_times(),
        sync_bytes: get(&rec.sync_bytes) / connected.max(1) as u64,
        planned: (load.rate * load_secs * connected as f64).round() as u64,
        sent: get(&rec.sent),
        expected: get(&rec.expected),
        delivered,
        unmatched: get(&rec.unmatched),
        deliveries_per_sec: (delivered as f64 / load_secs).round(),
        latency: rec.latency(),
        errors: rec.error_count(),
        error_samples: rec.error_samples(),
        server_cpu_percent: server_cpu,
        server_memory_before: memory_before,
        server_memory: memory,
        generator_cpu_percent: generator_cpu,
    })
}
