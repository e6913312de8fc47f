//! One task per WebSocket connection, speaking the y-websocket protocol.
//!
//! The task reads frames from the client and turns them into commands for the board's
//! actor, and writes to the client whatever the board broadcasts. It never holds a lock
//! across an `.await`, and a client that cannot keep up with its board is closed (its
//! y-websocket client reconnects and resyncs) rather than sent a stream with gaps.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use coboard_shared::close;
use coboard_shared::protocol::{self, Msg};
use tokio::sync::{broadcast, oneshot};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use crate::board::{BoardError, BoardHandle, ConnId, Joined, Kick, Registry};

/// How often the server pings an otherwise quiet client.
const PING_EVERY: Duration = Duration::from_secs(20);
/// A client that answers nothing for this long is considered gone.
const DEAD_AFTER: Duration = Duration::from_secs(60);

static NEXT_CONN: AtomicU64 = AtomicU64::new(1);

/// Serves one upgraded socket for `board` until either side closes it.
pub async fn serve(
    socket: WebSocket,
    board: String,
    registry: Registry,
    shutdown: CancellationToken,
) {
    let conn = NEXT_CONN.fetch_add(1, Ordering::Relaxed);
    let span = tracing::info_span!("conn", board = %board, conn);
    async move {
        tracing::debug!("connected");
        let end = run(socket, &board, conn, &registry, &shutdown).await;
        tracing::debug!(code = end.code, reason = %end.reason, "disconnected");
    }
    .instrument(span)
    .await
}

/// Closes a freshly upgraded socket straight away with `code` and `reason`.
pub async fn refuse(mut socket: WebSocket, code: u16, reason: &str) {
    close_with(&mut socket, &End::new(code, reason)).await;
}

struct End {
    code: u16,
    reason: String,
}

impl End {
    fn new(code: u16, reason: impl Into<String>) -> Self {
        Self {
            code,
            reason: reason.into(),
        }
    }
}

async fn run(
    mut socket: WebSocket,
    board: &str,
    conn: ConnId,
    registry: &Registry,
    shutdown: &CancellationToken,
) -> End {
    let (handle, joined, mut kick_rx) = match join(registry, board, conn).await {
        Ok(j) => j,
        Err(e) => {
            let end = match e {
                BoardError::NotFound => End::new(close::NOT_FOUND, "This board does not exist."),
                BoardError::Corrupt { .. } => End::new(
                    close::BOARD_UNAVAILABLE,
                    "This board's saved data cannot be read. Please tell the person who runs this server.",
                ),
                _ => End::new(1011, "The board could not be opened; please try again."),
            };
            close_with(&mut socket, &end).await;
            return end;
        }
    };
    let Joined { mut rx, frames } = joined;
    let end = pump(
        &mut socket,
        &handle,
        conn,
        &mut rx,
        frames,
        &mut kick_rx,
        shutdown,
    )
    .await;
    handle.leave(conn);
    close_with(&mut socket, &end).await;
    end
}

/// Joins the board, starting its actor if needed; retries if the actor was unloading.
async fn join(
    registry: &Registry,
    board: &str,
    conn: ConnId,
) -> Result<(BoardHandle, Joined, oneshot::Receiver<Kick>), BoardError> {
    for _ in 0..3 {
        let handle = registry.get_or_start(board);
        let (kick_tx, kick_rx) = oneshot::channel::<Kick>();
        match handle.join(conn, kick_tx).await {
            Ok(joined) => return Ok((handle, joined, kick_rx)),
            Err(BoardError::Gone) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(BoardError::Gone)
}

async fn pump(
    socket: &mut WebSocket,
    board: &BoardHandle,
    conn: ConnId,
    rx: &mut broadcast::Receiver<Arc<crate::board::Outgoing>>,
    initial: Vec<Vec<u8>>,
    kick: &mut oneshot::Receiver<Kick>,
    shutdown: &CancellationToken,
) -> End {
    for frame in initial {
        if socket.send(Message::Binary(frame.into())).await.is_err() {
            return End::new(1006, "send failed");
        }
    }
    let mut ping = tokio::time::interval_at(Instant::now() + PING_EVERY, PING_EVERY);
    let mut last_heard = Instant::now();
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                last_heard = Instant::now();
                match incoming {
                    Some(Ok(Message::Binary(bytes))) => {
                        if let Err(end) = handle_frame(socket, board, conn, &bytes).await {
                            return end;
                        }
                    }
                    Some(Ok(Message::Text(_))) => {
                        return End::new(close::UNSUPPORTED, "text frames are not part of the protocol");
                    }
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                    Some(Ok(Message::Close(_))) | None => return End::new(1000, "client closed"),
                    Some(Err(e)) => {
                        let msg = e.to_string();
                        let code = if msg.contains("too long") || msg.contains("too big") {
                            close::TOO_BIG
                        } else {
                            1002
                        };
                        return End::new(code, format!("protocol error: {msg}"));
                    }
                }
            }
            out = rx.recv() => match out {
                Ok(out) => {
                    if out.origin != conn
                        && socket.send(Message::Binary(out.frame.clone())).await.is_err()
                    {
                        return End::new(1006, "send failed");
                    }
                }
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::info!(missed = n, "client fell behind; closing so it resyncs");
                    return End::new(close::TOO_SLOW, "You fell behind the board; reconnecting will catch up.");
                }
                Err(broadcast::error::RecvError::Closed) => {
                    return End::new(close::GOING_AWAY, "The board was closed; please reconnect.");
                }
            },
            k = &mut *kick => {
                if let Ok(k) = k {
                    return End::new(k.code, k.reason);
                }
                // The kick sender went away with the actor: the broadcast will say so.
                std::future::pending::<()>().await;
            }
            _ = ping.tick() => {
                if last_heard.elapsed() > DEAD_AFTER {
                    return End::new(1001, "no answer from client");
                }
                if socket.send(Message::Ping(Default::default())).await.is_err() {
                    return End::new(1006, "send failed");
                }
            }
            _ = shutdown.cancelled() => {
                return End::new(close::GOING_AWAY, "The server is restarting; reconnecting shortly.");
            }
        }
    }
}

/// Handles every message of one binary frame.
async fn handle_frame(
    socket: &mut WebSocket,
    board: &BoardHandle,
    conn: ConnId,
    bytes: &[u8],
) -> Result<(), End> {
    let msgs = protocol::decode_frame(bytes).map_err(|e| {
        tracing::info!(error = %e, "malformed frame");
        End::new(close::MALFORMED, format!("malformed message: {e}"))
    })?;
    let gone = |_| End::new(1011, "The board stopped; please reconnect.");
    for msg in msgs {
        match msg {
            Msg::SyncStep1(sv) => {
                let reply = board.sync_step1(sv).await.map_err(gone)?;
                socket
                    .send(Message::Binary(reply.into()))
                    .await
                    .map_err(|_| End::new(1006, "send failed"))?;
            }
            Msg::SyncStep2(update) | Msg::Update(update) => {
                board.update(conn, update).await.map_err(gone)?
            }
            Msg::Awareness(update) => board.awareness(conn, update).await.map_err(gone)?,
            Msg::QueryAwareness => {
                let reply = board.query_awareness().await.map_err(gone)?;
                if !reply.is_empty() {
                    socket
                        .send(Message::Binary(reply.into()))
                        .await
                        .map_err(|_| End::new(1006, "send failed"))?;
                }
            }
            Msg::Auth => {}
        }
    }
    Ok(())
}

async fn close_with(socket: &mut WebSocket, end: &End) {
    if end.code == 1006 {
        return;
    }
    let frame = CloseFrame {
        code: end.code,
        reason: Utf8Bytes::from(truncate_reason(&end.reason)),
    };
    let _ = socket.send(Message::Close(Some(frame))).await;
}

/// Close reasons are limited to 123 bytes by the WebSocket protocol.
fn truncate_reason(reason: &str) -> String {
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    reason[..end].to_owned()
}
