//! Command-line and environment configuration, in one place.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::board::BoardConfig;

/// Coboard: a live co-production board.
#[derive(Debug, Parser)]
#[command(name = "coboard", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server.
    Serve(ServeArgs),
}

/// Settings for `coboard serve`. Every flag has a `COBOARD_*` environment variable.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "COBOARD_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Directory for the embedded store.
    #[arg(long, env = "COBOARD_DATA_DIR", default_value = "./coboard-data")]
    pub data_dir: PathBuf,

    /// Directory of the built web client (index.html, wasm and JS).
    #[arg(long, env = "COBOARD_WEB_DIR", default_value = "./client/dist")]
    pub web_dir: PathBuf,

    /// Compact a board's update log into a snapshot after this many updates.
    #[arg(long, env = "COBOARD_COMPACT_EVERY", default_value_t = 1000)]
    pub compact_every: u64,

    /// Seconds a board with nobody connected stays in memory.
    #[arg(long, env = "COBOARD_IDLE_UNLOAD_SECS", default_value_t = 30)]
    pub idle_unload_secs: u64,

    /// Frames buffered per board; a client further behind is disconnected to resync.
    #[arg(long, env = "COBOARD_BROADCAST_CAPACITY", default_value_t = 1024)]
    pub broadcast_capacity: usize,

    /// Largest WebSocket message accepted, in bytes.
    #[arg(long, env = "COBOARD_MAX_MESSAGE_BYTES", default_value_t = 1024 * 1024)]
    pub max_message_bytes: usize,
}

impl ServeArgs {
    pub fn board_config(&self) -> BoardConfig {
        BoardConfig {
            broadcast_capacity: self.broadcast_capacity.max(16),
            compact_every: self.compact_every.max(1),
            idle_unload: Duration::from_secs(self.idle_unload_secs),
        }
    }
}
