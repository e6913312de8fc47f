//! Starting the servers under test, each pinned to its own core.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::target::{Kind, Target};

/// The core the server runs on; the generator runs on [`GENERATOR_CPU`].
pub const SERVER_CPU: &str = "0";
pub const GENERATOR_CPU: &str = "1";

const START_TIMEOUT: Duration = Duration::from_secs(30);

/// Where to find what the suite runs.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The workspace root.
    pub root: PathBuf,
    /// `target/release/coboard`.
    pub coboard: PathBuf,
    /// The reference server's entry point in `bench/reference/node_modules`.
    pub reference: PathBuf,
    /// This program, run again for each load point.
    pub generator: PathBuf,
}

impl Paths {
    pub fn find(root: &Path) -> Result<Self> {
        let p = Self {
            root: root.to_owned(),
            coboard: root.join("target/release/coboard"),
            reference: root.join("bench/reference/node_modules/@y/websocket-server/src/server.js"),
            generator: std::env::current_exe()?,
        };
        for (what, path) in [
            ("coboard", &p.coboard),
            ("the reference server", &p.reference),
        ] {
            if !path.exists() {
                bail!(
                    "{what} is missing at {}: run `cargo xtask bench`, which builds and installs it",
                    path.display()
                );
            }
        }
        Ok(p)
    }
}

/// A server process under test.
pub struct Running {
    pub target: Target,
    pub pid: i32,
    child: Child,
    /// Keeps the data directory alive as long as the server.
    _data: Option<tempfile::TempDir>,
}

impl Running {
    pub async fn stop(mut self) -> Result<()> {
        self.child.start_kill()?;
        self.child.wait().await?;
        Ok(())
    }
}

/// Options for a Coboard under test.
#[derive(Debug, Clone, Default)]
pub struct CoboardOptions {
    /// Put the data directory on tmpfs (`/dev/shm`), where fsync costs nothing.
    pub tmpfs: bool,
    /// Unload idle boards after this many seconds instead of the default 30.
    pub idle_unload_secs: Option<u64>,
}

/// Starts Coboard pinned to [`SERVER_CPU`], with its data in a fresh directory.
///
/// The abuse limits are raised: per IP address (every simulated person comes from
/// 127.0.0.1), per connection (the saturation search sends faster than the default
/// pacing), people per board (200 by default) and board size (the 100,000-item board).
/// Every other setting is the default.
pub async fn coboard(paths: &Paths, opts: &CoboardOptions) -> Result<Running> {
    let data = if opts.tmpfs {
        tempfile::tempdir_in("/dev/shm")?
    } else {
        tempfile::tempdir_in(paths.root.join("target"))?
    };
    let mut cmd = Command::new("taskset");
    cmd.args(["-c", SERVER_CPU])
        .arg(&paths.coboard)
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data.path())
        .arg("--web-dir")
        .arg(paths.root.join("client/dist"))
        .args(["--connections-per-minute-per-ip", "1000000"])
        .args(["--boards-per-hour-per-ip", "1000000"])
        .args(["--max-connections-per-board", "10000"])
        // Every generated client comes from one address, most boards through one link.
        .args(["--max-connections-per-address", "10000"])
        .args(["--max-connections-per-invite", "10000"])
        .args(["--max-board-bytes", "536870912"])
        // Paces each connection at 100 messages/s by default (burst 500); the saturation
        // search goes past that, so it is raised like the per-IP limits.
        .args(["--messages-per-sec", "10000", "--message-burst", "10000"]);
    if let Some(secs) = opts.idle_unload_secs {
        cmd.args(["--idle-unload-secs", &secs.to_string()]);
    }
    let (child, addr) = spawn(cmd, "Coboard is running at http://").await?;
    let addr = addr.trim_end_matches('/').to_owned();
    Ok(running(child, Target::new(Kind::Coboard, addr), Some(data)))
}

/// Starts the reference server (`@y/websocket-server`, in memory) pinned to [`SERVER_CPU`].
pub async fn reference(paths: &Paths) -> Result<Running> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut cmd = Command::new("taskset");
    cmd.args(["-c", SERVER_CPU, "node"])
        .arg(&paths.reference)
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string());
    let (child, _) = spawn(cmd, "running at").await?;
    let addr = format!("127.0.0.1:{port}");
    Ok(running(child, Target::new(Kind::Reference, addr), None))
}

fn running(child: Child, target: Target, data: Option<tempfile::TempDir>) -> Running {
    let pid = child.id().expect("a running child has a pid") as i32;
    Running {
        target,
        pid,
        child,
        _data: data,
    }
}

/// Spawns `cmd` and waits for a stdout line containing `ready`; returns what follows it.
async fn spawn(mut cmd: Command, ready: &str) -> Result<(Child, String)> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .context("starting a server (is `taskset` installed?)")?;
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    let rest = tokio::time::timeout(START_TIMEOUT, async {
        while let Some(line) = lines.next_line().await? {
            if let Some(at) = line.find(ready) {
                return Ok(line[at + ready.len()..].trim().to_owned());
            }
        }
        bail!("the server exited before it was ready")
    })
    .await
    .context("waiting for a server to start")??;
    // Keep reading stdout so the server never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok((child, rest))
}
