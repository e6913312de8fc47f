//! Loading a board from the store, failing safely, and unloading.

use tokio::sync::mpsc;
use yrs::Transact;

use super::BoardActor;
use crate::board::validate;
use crate::board::{BoardError, Cmd};

impl BoardActor {
    pub(super) async fn load(&mut self) -> Result<(), BoardError> {
        // Subscribe first: whatever another instance publishes after this is delivered,
        // and whatever it published before is already in the store read below.
        self.remote = Some(self.cluster.attach(&self.id, self.generation).await);
        let start = std::time::Instant::now();
        let stored = self.store.load(&self.id).await.map_err(BoardError::from)?;
        crate::metrics::store_op("load", start);
        let corrupt = |detail: String| BoardError::Corrupt {
            board: self.id.to_string(),
            detail,
        };
        let mut txn = self.awareness.doc().transact_mut();
        for (n, bytes) in stored
            .snapshot
            .iter()
            .chain(stored.updates.iter())
            .enumerate()
        {
            validate::apply_stored(&mut txn, &mut self.depths, bytes)
                .map_err(|e| corrupt(format!("stored update {n}: {e}")))?;
        }
        drop(txn);
        self.snapshots.watch(self.awareness.doc());
        self.guard = Some(coboard_shared::rules::Guard::watch(self.awareness.doc()));
        self.log.loaded(&stored);
        Ok(())
    }

    /// The store failed, or the live document can no longer be trusted: close every
    /// connection so clients reconnect and resync against a freshly loaded board (their
    /// edits are still in their own documents), and unload.
    pub(super) fn fail(&mut self, e: BoardError) {
        tracing::error!(error = %e, "board stopped");
        self.exit.remove();
        let reason = match e {
            BoardError::Poisoned(_) => "The board hit a bad update; reconnecting.",
            _ => "The board hit a storage problem; reconnecting.",
        };
        self.conns
            .kick_all(coboard_shared::close::SERVER_ERROR, reason);
        self.log.abandon();
        self.failed = true;
    }

    /// Applies updates still queued (unless the board failed), finishes pending appends,
    /// writes a final snapshot and exits.
    pub(super) async fn shut_down(mut self, mut rx: mpsc::Receiver<Cmd>) {
        rx.close();
        // Commands that raced with unloading or shutdown: updates a connection handed over
        // are still saved; joins and the rest are dropped, so joins retry on a new actor.
        while let Ok(cmd) = rx.try_recv() {
            if let Cmd::Update { conn, update } = cmd
                && !self.failed
                && self.apply(conn, update, None).is_err()
            {
                break;
            }
            if self.stale
                && let Err(e) = self.restore().await
            {
                // The document holds a refused change and cannot be rebuilt: store and
                // snapshot nothing more from it.
                tracing::error!(error = %e, "could not rebuild the board after a refused change");
                self.log.abandon();
                self.failed = true;
                break;
            }
        }
        while let Some((result, frame, ack)) = self.log.next_stored().await {
            if let Ok(seq) = result {
                self.durable(seq, frame);
                if let Some(ack) = ack {
                    let _ = ack.send(Ok(()));
                }
            }
        }
        if !self.failed {
            self.auto_snapshot(true);
        }
        self.snapshots.written().await;
        self.log.compacted().await;
        if self.log.has_uncompacted() {
            self.start_compaction();
            self.log.compacted().await;
        }
        let conns: Vec<_> = (self.conns.iter())
            .map(|(id, c)| (id, c.invite.clone()))
            .collect();
        for (conn, invite) in conns {
            let person = self.cluster.leave(&self.id, conn);
            self.record_attendance(person, &invite);
        }
        self.cluster.detach(&self.id, self.generation).await;
        tracing::debug!("board unloaded");
    }
}
