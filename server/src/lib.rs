//! The Coboard server: REST API, the y-websocket endpoint, board actors and storage.
//!
//! `main` parses configuration and calls [`run`]; tests call [`http::app`] directly or
//! run the real binary.

pub mod board;
pub mod config;
pub mod error;
pub mod http;
pub mod store;
pub mod ws;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::board::Registry;
use crate::config::ServeArgs;
use crate::http::AppState;
use crate::store::{SqliteStore, Store};

/// Errors that stop the server from starting or running.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("server I/O: {0}")]
    Io(#[from] std::io::Error),
}

/// Serves until `shutdown` completes, then closes every connection, flushes every board
/// to the store and returns.
pub async fn run(
    args: ServeArgs,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&args.data_dir)?);
    let cancel = CancellationToken::new();
    let tasks = TaskTracker::new();
    let registry = Registry::new(
        store.clone(),
        args.board_config(),
        cancel.clone(),
        tasks.clone(),
    );
    let state = AppState {
        store,
        registry,
        shutdown: cancel.clone(),
        web_dir: args.web_dir.clone(),
        max_message_bytes: args.max_message_bytes,
    };
    let app = http::app(state).layer(tower_http::trace::TraceLayer::new_for_http());
    let listener = NoDelay(listener);
    let cancel_on_signal = cancel.clone();
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

/// A listener that sets `TCP_NODELAY` on every accepted socket: small Yjs messages must not
/// wait for Nagle's algorithm (it adds ~40 ms to latency tails).
struct NoDelay(TcpListener);

impl axum::serve::Listener for NoDelay {
    type Io = tokio::net::TcpStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    return (stream, addr);
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
        self.0.local_addr()
    }
}
