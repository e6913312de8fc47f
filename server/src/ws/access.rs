//! What one connection may do and how it is paced (its [`Access`]), what every connection
//! shares ([`Services`]), and sending with a deadline.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use coboard_shared::close;
use governor::DefaultDirectRateLimiter;
use tokio_util::sync::CancellationToken;

use super::End;
use crate::auth::{self, Grant};
use crate::board::Registry;
use crate::limits::{Limits, reply_cells};
use crate::store::Store;

/// What a connection may do: its invite's role, and the limits it lives within.
pub(super) struct Access {
    pub(super) grant: Grant,
    /// Whether this view-only connection has already been told its edits are refused.
    pub(super) told_read_only: bool,
    pub(super) limits: Arc<Limits>,
    /// Paces the messages this connection sends; a flood is slowed, not relayed at speed.
    pub(super) rate: DefaultDirectRateLimiter,
    /// Paces its requests for answers (sync step 1, query awareness).
    pub(super) replies: DefaultDirectRateLimiter,
    /// Paces the bytes of those answers.
    pub(super) reply_bytes: DefaultDirectRateLimiter,
    /// Where the invite is checked again while the connection lives.
    pub(super) store: Arc<dyn Store>,
    pub(super) board: String,
}

impl Access {
    /// Checks the connection's invite again: switched off or expired since it joined means
    /// the connection ends. A store that cannot answer leaves it as it is until next time.
    pub(super) async fn recheck(&self) -> Result<(), End> {
        let now = crate::now_ms();
        match auth::check_hash(
            &*self.store,
            &self.board,
            self.grant.token_hash,
            now,
            |_| true,
        )
        .await
        {
            Ok(_) => Ok(()),
            Err(auth::AuthError::Denied(d)) => Err(End::new(close::FORBIDDEN, d.to_string())),
            Err(auth::AuthError::Store(e)) => {
                tracing::warn!(error = %e, "could not check a live connection's invite");
                Ok(())
            }
        }
    }
}

/// What every connection task shares.
#[derive(Clone)]
pub struct Services {
    pub limits: Arc<Limits>,
    pub store: Arc<dyn Store>,
    pub registry: Registry,
    pub shutdown: CancellationToken,
    /// WebSocket connections open on this server (see [`Services::open`]).
    pub open: Arc<std::sync::atomic::AtomicUsize>,
}

/// Counts one open connection for as long as it lives.
pub struct OpenSocket(Arc<std::sync::atomic::AtomicUsize>);

impl Services {
    /// Takes a place among the server's `max_connections`, if one is free.
    pub fn open(&self) -> Option<OpenSocket> {
        let max = self.limits.max_connections;
        self.open
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| OpenSocket(self.open.clone()))
    }
}

impl Drop for OpenSocket {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Sends one message, giving up on a client that does not take it within `timeout` (the
/// `send_timeout` limit): one that stopped reading would otherwise hold this task, and its
/// board slot, forever.
pub(super) async fn send(
    socket: &mut WebSocket,
    timeout: Duration,
    msg: Message,
) -> Result<(), End> {
    match tokio::time::timeout(timeout, socket.send(msg)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(End::new(close::ABNORMAL, "send failed")),
        Err(_) => {
            tracing::info!("client stopped reading; closing its connection");
            Err(End::new(close::ABNORMAL, "client stopped reading"))
        }
    }
}

/// Sends an answer to this connection's own request, once its answer budget allows:
/// what one client makes the server send is paced and charged to that client.
pub(super) async fn send_reply(
    socket: &mut WebSocket,
    access: &Access,
    reply: Vec<u8>,
) -> Result<(), End> {
    let cells = reply_cells(reply.len(), &access.limits);
    // Within the burst by construction (`reply_cells` caps it), so this only waits.
    let _ = access.reply_bytes.until_n_ready(cells).await;
    send(
        socket,
        access.limits.send_timeout,
        Message::Binary(reply.into()),
    )
    .await
}
