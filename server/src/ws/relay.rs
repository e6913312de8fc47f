//! Relaying a board's frames to one connection.

use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket};
use coboard_shared::close;
use futures_util::SinkExt;
use tokio::sync::broadcast;

use super::End;
use crate::board::{ConnId, Outgoing};

/// Most frames written in one go; past this, the task goes back to reading its client.
const MAX_BATCH: usize = 256;

/// Sends `first` and every frame already waiting behind it, then flushes once.
///
/// Each frame stays its own WebSocket message (y-websocket clients read one message per
/// frame), but under load they leave together: the WebSocket writes to the socket each
/// time about 4 KiB has gathered (`http::WS_WRITE_BUFFER`) and once more at the flush,
/// so a system call and a wake-up of the client carry many updates instead of one.
/// With nothing waiting, this is a plain send.
pub(super) async fn relay(
    socket: &mut WebSocket,
    rx: &mut broadcast::Receiver<Arc<Outgoing>>,
    first: Arc<Outgoing>,
    conn: ConnId,
    facilitator: bool,
) -> Result<(), End> {
    let failed = |_| End::new(close::ABNORMAL, "send failed");
    let mut fed = 0;
    let mut next = Some(first);
    while let Some(out) = next.take() {
        if out.origin != conn {
            let frame = out.frame_for(facilitator).clone();
            socket.feed(Message::Binary(frame)).await.map_err(failed)?;
            fed += 1;
        }
        if fed >= MAX_BATCH {
            break;
        }
        next = match rx.try_recv() {
            Ok(out) => Some(out),
            Err(broadcast::error::TryRecvError::Lagged(n)) => return Err(fell_behind(n)),
            // Closed: the next `recv` reports it, after what was fed has been flushed.
            Err(_) => None,
        };
    }
    if fed > 0 {
        socket.flush().await.map_err(failed)?;
    }
    Ok(())
}

/// Closes a connection that fell further behind its board than the board buffers.
pub(super) fn fell_behind(missed: u64) -> End {
    tracing::info!(missed, "client fell behind; closing so it resyncs");
    End::new(
        close::TOO_SLOW,
        "You fell behind the board; reconnecting will catch up.",
    )
}
