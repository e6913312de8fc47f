//! The Coboard server: REST API, the y-websocket endpoint, board actors and storage.
//!
//! `main` parses configuration and calls [`run`]; tests call [`http::app`] directly or
//! run the real binary.

pub mod auth;
pub mod board;
pub mod cluster;
pub mod config;
pub mod error;
pub mod export;
pub mod http;
pub mod ids;
pub mod limits;
pub mod metrics;
pub mod quota;
pub mod retention;
pub mod service;
pub mod store;
pub mod ws;

use std::future::Future;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::board::Registry;
use crate::cluster::Cluster;
use crate::config::ServeArgs;
use crate::http::AppState;

/// Errors that stop the server from starting or running.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Cluster(#[from] cluster::ClusterError),
    #[error("server I/O: {0}")]
    Io(#[from] std::io::Error),
}

/// Serves until `shutdown` completes, then closes every connection, flushes every board
/// to the store and returns. `ready` is called once the store is open and requests are
/// about to be served.
pub async fn run(
    args: ServeArgs,
    listener: TcpListener,
    ready: impl FnOnce(),
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let store = store::open(args.database_url.as_deref(), &args.data_dir).await?;
    metrics::install();
    let cancel = CancellationToken::new();
    let tasks = TaskTracker::new();
    let cluster_config = args.cluster_config();
    let cluster = Cluster::start(&cluster_config, cancel.clone())?;
    tracing::info!(
        instance = %cluster_config.instance_id,
        redis = cluster_config.redis_url.is_some(),
        postgres = args.database_url.is_some(),
        "starting"
    );
    let board_config = args.board_config();
    quota::start(
        store.clone(),
        board_config.quota.clone(),
        cancel.clone(),
        &tasks,
    )
    .await;
    retention::spawn(
        store.clone(),
        args.attendance_keep_days,
        cancel.clone(),
        &tasks,
    );
    let registry = Registry::new(
        store.clone(),
        board_config,
        cluster,
        cancel.clone(),
        tasks.clone(),
    );
    let limits = args.limits();
    let auth_timeout = limits.auth_timeout;
    let state = AppState::new(
        store,
        registry,
        cancel.clone(),
        args.web_dir.clone(),
        limits,
        args.trusted_proxies.clone(),
    );
    // Request spans carry the method and path only: query strings can hold invite tokens,
    // which must never reach the logs.
    let trace = tower_http::trace::TraceLayer::new_for_http().make_span_with(
        |req: &axum::http::Request<axum::body::Body>| {
            tracing::info_span!("http", method = %req.method(), path = %req.uri().path())
        },
    );
    let app = http::app(state).layer(trace);
    let listener = Accept {
        listener,
        auth_timeout,
    };
    let cancel_on_signal = cancel.clone();
    let app = app.into_make_service_with_connect_info::<http::PeerAddr>();
    ready();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        shutdown.await;
        tracing::info!("shutting down");
        cancel_on_signal.cancel();
    });
    server.await?;
    // Board actors flush pending updates and write a final snapshot on cancellation.
    tasks.close();
    if tokio::time::timeout(Duration::from_secs(20), tasks.wait())
        .await
        .is_err()
    {
        tracing::warn!("some boards took too long to flush");
    }
    Ok(())
}

/// The listener: sets `TCP_NODELAY` on every accepted socket (small Yjs messages must not
/// wait for Nagle's algorithm, which adds ~40 ms to latency tails), and gives each
/// connection a deadline for its first request, so it cannot linger without a token.
pub struct Accept {
    listener: TcpListener,
    auth_timeout: Duration,
}

impl axum::serve::Listener for Accept {
    type Io = limits::RequestDeadline<tokio::net::TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.listener.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    return (
                        limits::RequestDeadline::new(stream, self.auth_timeout),
                        addr,
                    );
                }
                Err(e) => {
                    // Usually "too many open files": back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.listener.local_addr()
    }
}

/// The time now, in milliseconds since the Unix epoch (0 if the clock is before 1970).
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
