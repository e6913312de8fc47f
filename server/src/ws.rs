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

use crate::auth::Grant;
use crate::board::{BoardError, BoardHandle, ConnId, Joined, Joiner, Kick, Registry};
use crate::limits::{Limits, message_limiter, reply_bytes_limiter, reply_limiter};

mod access;
mod relay;

use access::{Access, send, send_reply};
pub use access::{OpenSocket, Services};

use relay::{fell_behind, relay};

/// How often the server pings an otherwise quiet client.
const PING_EVERY: Duration = Duration::from_secs(20);
/// Longest wait for a client to answer our close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(2);
/// A client that answers nothing for this long is considered gone.
const DEAD_AFTER: Duration = Duration::from_secs(60);

static NEXT_CONN: AtomicU64 = AtomicU64::new(1);

/// Serves one upgraded socket for `board` until either side closes it. `addr` is the
/// client's address, for the per-address cap.
pub async fn serve(
    socket: WebSocket,
    board: String,
    grant: Grant,
    addr: std::net::IpAddr,
    services: Services,
) {
    let Services {
        limits,
        store,
        registry,
        shutdown,
        ..
    } = services;
    let conn = NEXT_CONN.fetch_add(1, Ordering::Relaxed);
    let span = tracing::info_span!("conn", board = %board, conn, role = grant.role.as_str());
    async move {
        tracing::debug!("connected");
        let access = Access {
            grant,
            told_read_only: false,
            rate: message_limiter(&limits),
            replies: reply_limiter(&limits),
            reply_bytes: reply_bytes_limiter(&limits),
            store,
            board: board.clone(),
            limits,
        };
        let addr = crate::limits::bucket(addr);
        let end = run(socket, &board, (conn, addr), access, &registry, &shutdown).await;
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
    (conn, addr): (ConnId, std::net::IpAddr),
    mut access: Access,
    registry: &Registry,
    shutdown: &CancellationToken,
) -> End {
    let who = Joiner {
        conn,
        invite: access.grant.invite_id.clone(),
        role: access.grant.role,
        addr,
    };
    let (handle, joined, mut kick_rx) = match Box::pin(join(registry, board, who)).await {
        Ok(j) => j,
        Err(e) => {
            let end = match e {
                BoardError::NotFound => End::new(close::NOT_FOUND, "This board does not exist."),
                BoardError::Full => End::new(
                    close::TOO_MANY_PEOPLE,
                    "This board is full right now; please try again later.",
                ),
                BoardError::FullForAddress => End::new(
                    close::TOO_MANY_PEOPLE,
                    "Too many connections to this board from your network; please try again later.",
                ),
                BoardError::FullForInvite => End::new(
                    close::TOO_MANY_PEOPLE,
                    "Too many people are using this link right now; ask for a link of your own.",
                ),
                BoardError::TooManyRefused => End::new(
                    close::TOO_MANY_REFUSED,
                    "Changes from your network broke this board's rules several times; please wait a few minutes before joining again.",
                ),
                BoardError::Corrupt { .. } => End::new(
                    close::BOARD_UNAVAILABLE,
                    "This board's saved data cannot be read. Please tell the person who runs this server.",
                ),
                _ => End::new(
                    close::SERVER_ERROR,
                    "The board could not be opened; please try again.",
                ),
            };
            Box::pin(close_with(&mut socket, &end)).await;
            return end;
        }
    };
    let Joined { mut rx, frames } = joined;
    // Checked again now that the connection is on the board: a revoke that came between
    // the upgrade's check and joining found nobody to close, so it is caught here (one
    // after joining is closed by the board itself).
    if let Err(end) = Box::pin(access.recheck()).await {
        handle.leave(conn);
        Box::pin(close_with(&mut socket, &end)).await;
        return end;
    }
    // Every idle connection keeps this task's state for as long as it stays; the rarer,
    // larger steps (joining, handling a frame, relaying, closing) are boxed so that state
    // holds only what waiting needs (measured with massif: 3.9 KiB per connection before).
    let end = pump(
        &mut socket,
        &handle,
        conn,
        &mut access,
        &mut rx,
        frames,
        &mut kick_rx,
        shutdown,
    )
    .await;
    handle.leave(conn);
    Box::pin(close_with(&mut socket, &end)).await;
    end
}

/// Joins the board, starting its actor if needed; retries if the actor was unloading.
async fn join(
    registry: &Registry,
    board: &str,
    who: Joiner,
) -> Result<(BoardHandle, Joined, oneshot::Receiver<Kick>), BoardError> {
    for _ in 0..3 {
        let handle = registry.get_or_start(board);
        let (kick_tx, kick_rx) = oneshot::channel::<Kick>();
        match handle.join(who.clone(), kick_tx).await {
            Ok(joined) => return Ok((handle, joined, kick_rx)),
            Err(BoardError::Gone) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(BoardError::Gone)
}

#[allow(clippy::too_many_arguments)]
async fn pump(
    socket: &mut WebSocket,
    board: &BoardHandle,
    conn: ConnId,
    access: &mut Access,
    rx: &mut broadcast::Receiver<Arc<crate::board::Outgoing>>,
    initial: Vec<Vec<u8>>,
    kick: &mut oneshot::Receiver<Kick>,
    shutdown: &CancellationToken,
) -> End {
    // One write per joining frame (sync step 1, presence in pieces of about 1 KiB): sent
    // together, they would grow the WebSocket's write buffer to their total, and it keeps
    // that size for as long as the connection lives (measured: +2 KiB per idle connection).
    for frame in initial {
        if let Err(end) = send(
            socket,
            access.limits.send_timeout,
            Message::Binary(frame.into()),
        )
        .await
        {
            return end;
        }
    }
    let mut ping = tokio::time::interval_at(Instant::now() + PING_EVERY, PING_EVERY);
    let every = access.limits.recheck_every;
    let mut recheck = tokio::time::interval_at(Instant::now() + every, every);
    let mut last_heard = Instant::now();
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                last_heard = Instant::now();
                match incoming {
                    Some(Ok(Message::Binary(bytes))) => {
                        if let Err(end) = Box::pin(handle_frame(socket, board, conn, access, &bytes)).await {
                            return end;
                        }
                    }
                    Some(Ok(Message::Text(_))) => {
                        return End::new(close::UNSUPPORTED, "text frames are not part of the protocol");
                    }
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                    Some(Ok(Message::Close(_))) | None => return End::new(close::NORMAL, "client closed"),
                    Some(Err(e)) => return protocol_error(e),
                }
            }
            out = rx.recv() => match out {
                Ok(out) => {
                    // A client that stops reading altogether would hold this task in
                    // `send` forever; past the timeout it is dropped and must resync.
                    let sent = tokio::time::timeout(
                        access.limits.send_timeout,
                        Box::pin(relay(socket, rx, out, conn, access.grant.role.can_manage())),
                    )
                    .await;
                    match sent {
                        Ok(Ok(())) => {}
                        Ok(Err(end)) => return end,
                        Err(_) => return End::new(close::ABNORMAL, "client stopped reading"),
                    }
                }
                Err(broadcast::error::RecvError::Lagged(n)) => return fell_behind(n),
                Err(broadcast::error::RecvError::Closed) => {
                    // The actor may have said why before it went (a storage failure, say).
                    if let Ok(k) = kick.try_recv() {
                        return End::new(k.code, k.reason);
                    }
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
                    return End::new(close::GOING_AWAY, "no answer from client");
                }
                if let Err(end) = send(socket, access.limits.send_timeout, Message::Ping(Default::default())).await {
                    return end;
                }
            }
            _ = recheck.tick() => {
                if let Err(end) = Box::pin(access.recheck()).await {
                    return end;
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
    access: &mut Access,
    bytes: &[u8],
) -> Result<(), End> {
    let msgs = protocol::decode_frame(bytes).map_err(|e| {
        tracing::info!(error = %e, "malformed frame");
        End::new(close::MALFORMED, format!("malformed message: {e}"))
    })?;
    // A frame is not a message: one frame can hold thousands, so limits count messages.
    let max = access.limits.max_messages_per_frame;
    if msgs.len() > max {
        tracing::info!(messages = msgs.len(), "frame with too many messages");
        return Err(End::new(
            close::TOO_MANY_MESSAGES,
            format!("too many messages in one frame (at most {max})"),
        ));
    }
    // Over its rate, a connection waits here: its socket backs up and its client slows
    // down, while other connections carry on.
    let n = u32::try_from(msgs.len())
        .unwrap_or(u32::MAX)
        .clamp(1, access.limits.message_burst.max(1));
    let _ = access
        .rate
        .until_n_ready(std::num::NonZeroU32::new(n).expect("at least 1"))
        .await;
    let gone = |_| End::new(close::SERVER_ERROR, "The board stopped; please reconnect.");
    for msg in msgs {
        match msg {
            Msg::SyncStep1(sv) => {
                access.replies.until_ready().await;
                let reply = board.sync_step1(sv).await.map_err(gone)?;
                send_reply(socket, access, reply).await?;
            }
            Msg::SyncStep2(update) | Msg::Update(update) if !access.grant.role.can_edit() => {
                // Read-only means read-only here, at the server: the change is never applied,
                // stored or relayed. An empty update (a viewer's answer to our sync step 1
                // when it has nothing new) changes nothing and needs no reply.
                if crate::board::validate::carries_change(&update) && !access.told_read_only {
                    access.told_read_only = true;
                    tracing::info!("refused an edit from a view-only connection");
                    let denied = Msg::Auth(Some(READ_ONLY.to_owned()));
                    send(
                        socket,
                        access.limits.send_timeout,
                        Message::Binary(protocol::encode(&denied).into()),
                    )
                    .await?;
                }
            }
            Msg::SyncStep2(update) | Msg::Update(update) => {
                board.update(conn, update).await.map_err(gone)?
            }
            Msg::Awareness(update) => {
                check_awareness(&update, &access.limits)?;
                board.awareness(conn, update).await.map_err(gone)?
            }
            Msg::QueryAwareness => {
                access.replies.until_ready().await;
                let reply = board
                    .query_awareness(access.grant.role.can_manage())
                    .await
                    .map_err(gone)?;
                if !reply.is_empty() {
                    send_reply(socket, access, reply).await?;
                }
            }
            Msg::Ping(n) => {
                // Messages are handled in order, so every update this connection sent before
                // the ping is already with the board: the barrier waits until it is stored.
                // A connection being closed (an update refused or dropped) gets no answer. (A
                // view-only link's refused edits were told by the auth message above first.)
                access.replies.until_ready().await;
                if !board.barrier(conn).await.map_err(gone)? {
                    continue;
                }
                send(
                    socket,
                    access.limits.send_timeout,
                    Message::Binary(protocol::encode(&Msg::Pong(n)).into()),
                )
                .await?;
            }
            // Only the server answers pings.
            Msg::Auth(_) | Msg::Pong(_) => {}
        }
    }
    Ok(())
}

/// Presence states are small JSON objects; anything bigger is spam that every other client
/// would have to store and render. (How many states one connection may announce is counted
/// by the board's actor, which knows the connection's earlier ones.)
fn check_awareness(update: &yrs::sync::AwarenessUpdate, limits: &Limits) -> Result<(), End> {
    if update
        .clients
        .values()
        .any(|e| e.json.len() > limits.max_awareness_bytes)
    {
        return Err(End::new(
            close::AWARENESS_TOO_BIG,
            format!(
                "presence state too large (at most {} bytes)",
                limits.max_awareness_bytes
            ),
        ));
    }
    Ok(())
}

/// Why a connection whose framing broke is closed: a message over the size limit gets
/// "too big" (1009), anything else "protocol error" (1002).
fn protocol_error(e: axum::Error) -> End {
    use std::error::Error as _;
    use tokio_tungstenite::tungstenite::Error;
    let too_big = e
        .source()
        .and_then(|s| s.downcast_ref::<Error>())
        .is_some_and(|e| matches!(e, Error::Capacity(_)));
    let code = if too_big {
        close::TOO_BIG
    } else {
        close::PROTOCOL_ERROR
    };
    End::new(code, format!("protocol error: {e}"))
}

/// Told to a view-only connection that tried to change the board.
const READ_ONLY: &str = "This is a view-only link: your change was not saved.";

async fn close_with(socket: &mut WebSocket, end: &End) {
    if end.code == close::ABNORMAL {
        return;
    }
    if end.code == close::REFUSED {
        // Said in the protocol's own words too, for Yjs clients that show auth messages.
        let denied = protocol::encode(&Msg::Auth(Some(end.reason.clone())));
        let _ =
            tokio::time::timeout(CLOSE_GRACE, socket.send(Message::Binary(denied.into()))).await;
    }
    let frame = CloseFrame {
        code: end.code,
        reason: Utf8Bytes::from(truncate_reason(&end.reason)),
    };
    if !matches!(
        tokio::time::timeout(CLOSE_GRACE, socket.send(Message::Close(Some(frame)))).await,
        Ok(Ok(()))
    ) {
        return;
    }
    // Finish the closing handshake: wait (briefly) for the client's answering close before
    // dropping the TCP connection. Dropping at once can reset the connection before the
    // client has read our close frame, and it would then see 1006 and retry instead of
    // reading our code and reason.
    let _ = tokio::time::timeout(CLOSE_GRACE, async {
        while let Some(Ok(msg)) = socket.recv().await {
            if matches!(msg, Message::Close(_)) {
                break;
            }
        }
    })
    .await;
}

/// Close reasons are limited to 123 bytes by the WebSocket protocol.
fn truncate_reason(reason: &str) -> String {
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    reason[..end].to_owned()
}
