//! Command-line and environment configuration, in one place.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::board::BoardConfig;
use crate::cluster::ClusterConfig;
use crate::limits::Limits;

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
    Serve(Box<ServeArgs>),
    /// Export a board's plan from the store, with no server running.
    Export(ExportArgs),
}

/// Settings for `coboard export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The board's id (32 hex digits).
    pub board: String,
    /// File format.
    #[arg(long, value_enum, default_value = "pdf")]
    pub format: crate::export::Format,
    /// `agreed` keeps only what the group marked agreed; `all` exports everything.
    #[arg(long, default_value = "agreed", value_parser = ["agreed", "all"])]
    pub scope: String,
    /// Where to write the export.
    #[arg(long)]
    pub out: PathBuf,
    /// Directory holding the embedded store.
    #[arg(long, env = "COBOARD_DATA_DIR", default_value = "./coboard-data")]
    pub data_dir: PathBuf,
    /// Read from PostgreSQL (`postgres://…`) instead of the embedded store.
    #[arg(long, env = "COBOARD_DATABASE_URL")]
    pub database_url: Option<String>,
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

    /// Keep boards in PostgreSQL (`postgres://user@host/db`) instead of the embedded
    /// store, so several instances can serve them. Migrations run on start.
    #[arg(long, env = "COBOARD_DATABASE_URL")]
    pub database_url: Option<String>,

    /// Redis (`redis://host:6379`) for presence and fan-out across instances. Without it
    /// this instance serves its boards alone.
    #[arg(long, env = "COBOARD_REDIS_URL")]
    pub redis_url: Option<String>,

    /// A secret shared by every instance (at least 16 characters), with which they sign
    /// what they send each other through Redis. Required with `--redis-url`.
    #[arg(long, env = "COBOARD_CLUSTER_SECRET", hide_env_values = true)]
    pub cluster_secret: Option<String>,

    /// This instance's name in presence and cluster messages (default: random).
    #[arg(long, env = "COBOARD_INSTANCE_ID")]
    pub instance_id: Option<String>,

    /// Seconds an instance's presence outlives its last heartbeat: the people of an
    /// instance that died leave presence lists this long after.
    #[arg(long, env = "COBOARD_PRESENCE_TTL_SECS", default_value_t = 30)]
    pub presence_ttl_secs: u64,

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
    /// Each slot is allocated when the board loads (about 30 bytes), so this is most of an
    /// idle board's memory; 256 was tried and closed clients that sent a burst of 200
    /// edits without reading (the sync tests), so the default stays at 1024.
    #[arg(long, env = "COBOARD_BROADCAST_CAPACITY", default_value_t = 1024)]
    pub broadcast_capacity: usize,

    /// Largest WebSocket message accepted, in bytes.
    #[arg(long, env = "COBOARD_MAX_MESSAGE_BYTES", default_value_t = 1024 * 1024)]
    pub max_message_bytes: usize,

    /// Largest presence (awareness) state of one person, in bytes.
    #[arg(long, env = "COBOARD_MAX_AWARENESS_BYTES", default_value_t = 4096)]
    pub max_awareness_bytes: usize,

    /// Sustained messages per second per connection; faster senders are slowed down.
    #[arg(long, env = "COBOARD_MESSAGES_PER_SEC", default_value_t = 100)]
    pub messages_per_sec: u32,

    /// Messages a connection may send in a burst above the sustained rate.
    #[arg(long, env = "COBOARD_MESSAGE_BURST", default_value_t = 500)]
    pub message_burst: u32,

    /// Most y-websocket messages in one WebSocket frame; a frame with more is refused.
    #[arg(long, env = "COBOARD_MAX_MESSAGES_PER_FRAME", default_value_t = 100)]
    pub max_messages_per_frame: usize,

    /// Requests per second per connection that make the server answer with state (sync
    /// step 1, query awareness); faster ones wait.
    #[arg(long, env = "COBOARD_REPLIES_PER_SEC", default_value_t = 2)]
    pub replies_per_sec: u32,

    /// Bytes per second the server sends one connection in answer to its own requests,
    /// after a first allowance of the board's size limit; more waits.
    #[arg(long, env = "COBOARD_REPLY_BYTES_PER_SEC", default_value_t = 4 * 1024 * 1024)]
    pub reply_bytes_per_sec: u32,

    /// Reverse proxies (addresses or CIDR ranges, comma-separated) whose
    /// `X-Forwarded-For` / `Forwarded` headers name the client, for per-address limits.
    /// Headers from any other peer are ignored.
    #[arg(long, env = "COBOARD_TRUSTED_PROXIES", value_delimiter = ',', value_parser = proxy)]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// New WebSocket connections per minute from one IP address.
    #[arg(
        long,
        env = "COBOARD_CONNECTIONS_PER_MINUTE_PER_IP",
        default_value_t = 120
    )]
    pub connections_per_minute_per_ip: u32,

    /// Most connections on one board; more are closed with "board full".
    #[arg(long, env = "COBOARD_MAX_CONNECTIONS_PER_BOARD", default_value_t = 200)]
    pub max_connections_per_board: usize,

    /// Most connections to one board from one address (an IPv6 /64): one machine or one
    /// network cannot take a whole board. A venue's shared wifi is one address, so this
    /// stays well above a session's size.
    #[arg(
        long,
        env = "COBOARD_MAX_CONNECTIONS_PER_ADDRESS",
        default_value_t = 100
    )]
    pub max_connections_per_address: usize,

    /// Most connections to one board with one invite link (a group often shares one).
    #[arg(
        long,
        env = "COBOARD_MAX_CONNECTIONS_PER_INVITE",
        default_value_t = 150
    )]
    pub max_connections_per_invite: usize,

    /// Most WebSocket connections this server holds, across boards; more are refused.
    #[arg(long, env = "COBOARD_MAX_CONNECTIONS", default_value_t = 10_000)]
    pub max_connections: usize,

    /// Of the connections a board allows, how many only facilitators may take.
    #[arg(long, env = "COBOARD_FACILITATOR_PLACES", default_value_t = 10)]
    pub facilitator_places: usize,

    /// Largest the whole store may grow, in bytes (the embedded store's files, or the
    /// PostgreSQL tables); past it new boards, snapshots and edits are refused until
    /// space is freed. 0: no ceiling.
    #[arg(long, env = "COBOARD_MAX_STORE_BYTES", default_value_t = 0)]
    pub max_store_bytes: u64,

    /// Largest board, in bytes of stored Yjs state; edits beyond it are refused.
    #[arg(long, env = "COBOARD_MAX_BOARD_BYTES", default_value_t = 32 * 1024 * 1024)]
    pub max_board_bytes: usize,

    /// Refused changes (changes that break the board's rules) from one address within ten
    /// minutes after which that address may not join the board for the rest of them.
    #[arg(long, env = "COBOARD_REFUSALS_BEFORE_BAR", default_value_t = 3)]
    pub refusals_before_bar: usize,

    /// Boards created per hour from one IP address.
    #[arg(long, env = "COBOARD_BOARDS_PER_HOUR_PER_IP", default_value_t = 60)]
    pub boards_per_hour_per_ip: u32,

    /// Largest HTTP request body, in bytes.
    #[arg(long, env = "COBOARD_MAX_BODY_BYTES", default_value_t = 64 * 1024)]
    pub max_body_bytes: usize,

    /// Seconds a connection has to send each whole request (and so its token): from
    /// connecting, then from each response, so it is also the keep-alive idle time.
    #[arg(long, env = "COBOARD_AUTH_TIMEOUT_SECS", default_value_t = 10)]
    pub auth_timeout_secs: u64,

    /// Seconds the server waits for a client to take one write (a client that stops
    /// reading is closed after this, and its place on the board freed).
    #[arg(long, env = "COBOARD_SEND_TIMEOUT_SECS", default_value_t = 30)]
    pub send_timeout_secs: u64,

    /// Seconds between checks of each live connection's invite, so a link that expired,
    /// or was switched off while a revoke message was lost, closes within this time.
    #[arg(long, env = "COBOARD_RECHECK_SECS", default_value_t = 30)]
    pub recheck_secs: u64,

    /// Days attendance records (who was connected when, for the ledger's session minutes)
    /// are kept before they are deleted; 0 keeps them for ever. Ledger rows keep the
    /// minutes they were given, so deleting attendance changes no row.
    #[arg(long, env = "COBOARD_ATTENDANCE_KEEP_DAYS", default_value_t = 180)]
    pub attendance_keep_days: u32,
}

/// A trusted proxy: a CIDR range, or one address.
fn proxy(s: &str) -> Result<ipnet::IpNet, String> {
    let s = s.trim();
    s.parse::<ipnet::IpNet>()
        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("{s:?} is neither an address nor a CIDR range"))
}

impl ServeArgs {
    pub fn limits(&self) -> Limits {
        Limits {
            max_message_bytes: self.max_message_bytes,
            max_awareness_bytes: self.max_awareness_bytes,
            messages_per_sec: self.messages_per_sec,
            message_burst: self.message_burst,
            max_messages_per_frame: self.max_messages_per_frame.max(1),
            replies_per_sec: self.replies_per_sec,
            reply_bytes_per_sec: self.reply_bytes_per_sec,
            reply_bytes_burst: self.max_board_bytes,
            connections_per_minute_per_ip: self.connections_per_minute_per_ip,
            boards_per_hour_per_ip: self.boards_per_hour_per_ip,
            max_body_bytes: self.max_body_bytes,
            auth_timeout: Duration::from_secs(self.auth_timeout_secs.max(1)),
            send_timeout: Duration::from_secs(self.send_timeout_secs.max(1)),
            recheck_every: Duration::from_secs(self.recheck_secs.max(1)),
            max_connections: self.max_connections.max(1),
        }
    }

    pub fn cluster_config(&self) -> ClusterConfig {
        let instance_id = self
            .instance_id
            .clone()
            .unwrap_or_else(|| format!("coboard-{}", hex::encode(rand::random::<[u8; 4]>())));
        ClusterConfig {
            // Instance ids go into Redis keys and messages: keep them short and plain.
            instance_id: instance_id
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .take(64)
                .collect(),
            redis_url: self.redis_url.clone(),
            secret: self.cluster_secret.clone(),
            presence_ttl: Duration::from_secs(self.presence_ttl_secs.max(3)),
        }
    }

    pub fn board_config(&self) -> BoardConfig {
        BoardConfig {
            broadcast_capacity: self.broadcast_capacity.max(16),
            compact_every: self.compact_every.max(1),
            idle_unload: Duration::from_secs(self.idle_unload_secs),
            max_connections: self.max_connections_per_board.max(1),
            facilitator_places: self.facilitator_places,
            max_per_address: self.max_connections_per_address.max(1),
            max_per_invite: self.max_connections_per_invite.max(1),
            quota: std::sync::Arc::new(crate::quota::StoreQuota::new(self.max_store_bytes)),
            max_board_bytes: self.max_board_bytes,
            max_awareness_clients: BoardConfig::default().max_awareness_clients,
            refusals_before_bar: self.refusals_before_bar.max(1),
        }
    }
}
