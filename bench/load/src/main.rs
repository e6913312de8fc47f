//! `coboard-load`: the load generator's command line. See `docs/performance.md`.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use clap::{Parser, Subcommand};
use coboard_load::scenario::{self, Load};
use coboard_load::suite;
use coboard_load::target::{Kind, Target};

#[derive(Parser)]
#[command(
    name = "coboard-load",
    about = "Load generator for y-websocket servers"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs one load point and prints its report as JSON.
    Run(RunArgs),
    /// The whole side-by-side benchmark (servers started here; see docs/performance.md).
    Suite(SuiteArgs),
    /// Memory the server holds for newcomers who sync a board of many items and stay.
    Held(HeldArgs),
}

#[derive(clap::Args)]
struct HeldArgs {
    /// host:port of a Coboard server (loopback).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// Notes on the board.
    #[arg(long, default_value_t = 1000)]
    items: usize,
    /// Newcomers who sync it and stay connected.
    #[arg(long, default_value_t = 50)]
    people: usize,
    /// The server's process id, to read its memory.
    #[arg(long)]
    server_pid: i32,
}

#[derive(clap::Args)]
struct SuiteArgs {
    /// The workspace root (it holds target/release/coboard and bench/reference).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Where results.json and results.md go.
    #[arg(long, default_value = "target/bench")]
    out: PathBuf,
    /// Seconds measured at each fixed load point.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Seconds measured at each saturation step.
    #[arg(long, default_value_t = 5.0)]
    step_seconds: f64,
    #[arg(long, default_value_t = 5000)]
    idle_connections: usize,
    #[arg(long, default_value_t = 30.0)]
    idle_seconds: f64,
    #[arg(long, default_value_t = 1000)]
    idle_boards: usize,
    /// Board sizes, in items, for the newcomer sync measurement.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
    sync_items: Vec<usize>,
    /// Skip timing the browser's first render (it needs Chromium and tests/js's packages).
    #[arg(long)]
    no_browser: bool,
}

#[derive(clap::Args)]
struct RunArgs {
    /// Which kind of server is at `--addr`.
    #[arg(long, value_enum, default_value = "coboard")]
    server: Kind,
    /// host:port of the server (loopback).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    #[arg(long, default_value_t = 10)]
    clients: usize,
    #[arg(long, default_value_t = 1)]
    boards: usize,
    /// Updates per second per client; 0 holds the connections idle.
    #[arg(long, default_value_t = 10.0)]
    rate: f64,
    /// Seconds of sending before the measured window.
    #[arg(long, default_value_t = 2.0)]
    warmup: f64,
    /// Seconds measured.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Seconds after the last send for the last copies to arrive.
    #[arg(long, default_value_t = 2.0)]
    drain: f64,
    /// The server's process id, to report its CPU and memory.
    #[arg(long)]
    server_pid: Option<i32>,
}

fn main() -> Result<()> {
    // One thread: the generator's cost is easy to see, and to keep off the server's core.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    match Cli::parse().command {
        Command::Run(a) => {
            let load = Load {
                clients: a.clients,
                boards: a.boards,
                rate: a.rate,
                warmup: Duration::from_secs_f64(a.warmup),
                seconds: Duration::from_secs_f64(a.seconds),
                drain: Duration::from_secs_f64(a.drain),
                server_pid: a.server_pid,
            };
            let report = rt.block_on(scenario::run(&Target::new(a.server, a.addr), &load))?;
            println!("{}", serde_json::to_string(&report)?);
        }
        Command::Held(a) => {
            let report = rt.block_on(coboard_load::sync::held(
                &a.addr,
                a.items,
                a.people,
                Some(a.server_pid),
            ))?;
            println!("{}", serde_json::to_string(&report)?);
        }
        Command::Suite(a) => {
            let paths = suite::Paths::find(&a.root)?;
            let opts = suite::Options {
                out: a.out,
                seconds: a.seconds,
                step_seconds: a.step_seconds,
                idle_connections: a.idle_connections,
                idle_seconds: a.idle_seconds,
                idle_boards: a.idle_boards,
                sync_items: a.sync_items,
                browser: !a.no_browser,
            };
            let results = rt.block_on(suite::run(&paths, &opts))?;
            print!("{}", suite::report_markdown(&results));
        }
    }
    Ok(())
}
