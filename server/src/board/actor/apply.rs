//! Taking in one update: checked, applied and judged against the board's rules, then
//! queued for durability (or refused, leaving the board as it was).

use std::sync::Arc;

use coboard_shared::close;
use coboard_shared::protocol;

use super::{Ack, BoardActor, SERVER_ORIGIN};
use crate::board::validate::{self, LiveError};
use crate::board::{BoardError, ConnId, EditError, Outgoing};

/// Tells a server edit's caller that its update was refused (a client's refused update
/// has no one waiting: its connection is closed instead).
pub(super) fn refuse(ack: Option<Ack>, why: String) {
    if let Some(ack) = ack {
        let _ = ack.send(Err(EditError::Refused(
            coboard_shared::schema::SchemaError::Invalid(format!(
                "the board refused the change: {why}"
            )),
        )));
    }
}

impl BoardActor {
    /// Validates, applies and queues for durability one incoming update (see [`validate`]).
    ///
    /// A bad update is rejected before it touches the board, and its sender is closed with
    /// 4400. If the live document misbehaves anyway (a panic, or a half-applied update), it
    /// can no longer be trusted: the update has not been persisted (that happens below, only
    /// after a clean apply), so the board fails and unloads, every client reconnects to a
    /// fresh actor loaded from the store, and the sync handshake brings back their edits.
    pub(super) fn apply(
        &mut self,
        conn: ConnId,
        bytes: Vec<u8>,
        ack: Option<Ack>,
    ) -> Result<(), BoardError> {
        let checked = match validate::check_update(&bytes) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(conn, error = %e, len = bytes.len(), "rejected an update");
                self.kick(conn, close::MALFORMED, format!("update rejected: {e}"));
                refuse(ack, e.to_string());
                return Ok(());
            }
        };
        if checked.update.is_empty() {
            if let Some(ack) = ack {
                let _ = ack.send(Ok(()));
            }
            return Ok(());
        }
        let writer = match conn {
            SERVER_ORIGIN => Some(coboard_shared::rules::Writer::Server),
            conn => self.conns.writer(conn),
        };
        let (Some(writer), Some(guard)) = (writer, self.guard.as_ref()) else {
            // The connection left (or may not write, which the connection itself checks).
            refuse(ack, "nobody who may write sent it".into());
            return Ok(());
        };
        let kept = self.snapshots.gathered();
        let (applied, verdict) = guard.judging(writer, || {
            validate::apply_live(self.awareness.doc(), &mut self.depths, checked)
        });
        match applied {
            Ok(()) => {}
            Err(LiveError::MissingDependencies) => {
                tracing::info!(
                    conn,
                    "update builds on unseen changes; asking the client to resync"
                );
                self.kick(
                    conn,
                    close::RESYNC,
                    "Your change builds on edits this board has not received; reconnecting will resync.".into(),
                );
                refuse(ack, "it builds on changes the board has not seen".into());
                return Ok(());
            }
            Err(LiveError::Rejected(e)) => {
                tracing::warn!(conn, error = %e, "rejected an update that does not apply");
                self.kick(conn, close::MALFORMED, format!("update rejected: {e}"));
                refuse(ack, e);
                return Ok(());
            }
            Err(LiveError::Poisoned(e)) => {
                tracing::error!(conn, error = %e, len = bytes.len(), "an update broke the live board; reloading it from the store");
                self.kick(
                    conn,
                    close::MALFORMED,
                    "update rejected: it broke the board".into(),
                );
                if let Some(ack) = ack {
                    let _ = ack.send(Err(EditError::Board(BoardError::Poisoned(e.clone()))));
                }
                return Err(BoardError::Poisoned(e));
            }
        }
        if let Err(breach) = verdict {
            self.snapshots.forget_since(kept);
            self.refuse_change(conn, breach, ack);
            return Ok(());
        }
        let frame = Arc::new(Outgoing::same(conn, protocol::encode_update(&bytes).into()));
        self.log.append(bytes, frame, ack);
        Ok(())
    }
}
