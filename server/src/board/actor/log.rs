//! The board's stored history, as its actor keeps track of it: appends on their way to
//! the store (in order), the last sequence number stored, how many bytes the board has
//! stored, and the compaction that folds the log into a snapshot.
//!
//! The actor decides *when* (it applies an update, then hands its bytes here; it asks
//! for a compaction when [`DurableLog::durable`] says one is due); this part does the
//! store work and keeps the numbers right.

use std::sync::Arc;

use futures_util::StreamExt;
use futures_util::stream::FuturesOrdered;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::Ack;
use crate::board::{BoardError, Outgoing};
use crate::store::{Store, StoreError, StoredBoard};

/// An append on its way to the store, with the frame to relay and the caller to tell
/// once it is durable.
pub(super) type Appended = (Result<i64, StoreError>, Arc<Outgoing>, Option<Ack>);

type PendingAppend = std::pin::Pin<Box<dyn std::future::Future<Output = Appended> + Send>>;

pub(super) struct DurableLog {
    store: Arc<dyn Store>,
    board: Arc<str>,
    /// Compact after this many appends.
    compact_every: u64,
    pending: FuturesOrdered<PendingAppend>,
    /// Appends handed to the store so far, and of those, how many it has made durable:
    /// a barrier waits for `stored` to reach the `queued` of its time.
    queued: u64,
    stored: u64,
    last_seq: i64,
    appends_since_compact: u64,
    /// Bytes of the board's stored snapshot and updates, for the size limit.
    stored_bytes: usize,
    compaction: Option<JoinHandle<()>>,
}

impl DurableLog {
    pub(super) fn new(store: Arc<dyn Store>, board: Arc<str>, compact_every: u64) -> Self {
        Self {
            store,
            board,
            compact_every,
            pending: FuturesOrdered::new(),
            queued: 0,
            stored: 0,
            last_seq: 0,
            appends_since_compact: 0,
            stored_bytes: 0,
            compaction: None,
        }
    }

    /// Takes up where the stored board left off.
    pub(super) fn loaded(&mut self, stored: &StoredBoard) {
        self.last_seq = stored.last_seq;
        self.appends_since_compact = stored.updates.len() as u64;
        self.stored_bytes = stored
            .snapshot
            .iter()
            .chain(&stored.updates)
            .map(Vec::len)
            .sum();
    }

    /// Bytes the board has stored.
    pub(super) fn stored_bytes(&self) -> usize {
        self.stored_bytes
    }

    /// Whether an append is still on its way to the store.
    pub(super) fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Appends handed to the store so far.
    pub(super) fn queued(&self) -> u64 {
        self.queued
    }

    /// Appends the store has made durable so far.
    pub(super) fn stored(&self) -> u64 {
        self.stored
    }

    /// Sends an applied update to the store, behind every append before it.
    pub(super) fn append(&mut self, bytes: Vec<u8>, frame: Arc<Outgoing>, ack: Option<Ack>) {
        self.queued += 1;
        let (store, board) = (self.store.clone(), self.board.clone());
        self.pending.push_back(Box::pin(async move {
            let start = std::time::Instant::now();
            let result = store.append(&board, bytes).await;
            crate::metrics::store_op("append", start);
            (result, frame, ack)
        }));
    }

    /// The oldest append once the store has answered for it (in the order they were
    /// made); `None` when nothing is on its way.
    pub(super) async fn next_stored(&mut self) -> Option<Appended> {
        self.pending.next().await
    }

    /// Counts an append the store made durable; true when a compaction is due.
    pub(super) fn durable(&mut self, seq: i64, bytes: usize) -> bool {
        self.stored += 1;
        self.last_seq = self.last_seq.max(seq);
        self.stored_bytes += bytes;
        self.appends_since_compact += 1;
        self.appends_since_compact >= self.compact_every
    }

    /// Counts an update another instance stored.
    pub(super) fn stored_elsewhere(&mut self, bytes: usize) {
        self.stored_bytes += bytes;
    }

    /// Whether appends were stored since the last compaction.
    pub(super) fn has_uncompacted(&self) -> bool {
        self.appends_since_compact > 0
    }

    /// Whether a compaction is still running.
    pub(super) fn compacting(&self) -> bool {
        self.compaction.as_ref().is_some_and(|h| !h.is_finished())
    }

    /// Folds the stored log up to the last durable append into `state` (the whole
    /// document, encoded), after any compaction still running; tells `reply` (if any)
    /// how it went.
    pub(super) fn compact(
        &mut self,
        state: Vec<u8>,
        reply: Option<oneshot::Sender<Result<(), BoardError>>>,
    ) {
        self.appends_since_compact = 0;
        self.stored_bytes = state.len();
        let (store, id, upto) = (self.store.clone(), self.board.clone(), self.last_seq);
        let before = self.compaction.take();
        self.compaction = Some(tokio::spawn(async move {
            if let Some(h) = before {
                let _ = h.await;
            }
            let start = std::time::Instant::now();
            let result = store.compact(&id, state, upto).await;
            crate::metrics::store_op("compact", start);
            match &result {
                Ok(()) => tracing::debug!(board = %id, upto, "compacted"),
                Err(e) => tracing::warn!(board = %id, error = %e, "compaction failed"),
            }
            if let Some(reply) = reply {
                let _ = reply.send(result.map_err(BoardError::from));
            }
        }));
    }

    /// Waits for the compaction running, if any.
    pub(super) async fn compacted(&mut self) {
        if let Some(h) = self.compaction.take() {
            let _ = h.await;
        }
    }

    /// Gives up the appends on their way (the board failed: its clients resync against a
    /// fresh actor, and their edits are still in their documents).
    pub(super) fn abandon(&mut self) {
        self.pending = FuturesOrdered::new();
        self.appends_since_compact = 0;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use yrs::{Doc, Map, ReadTxn, StateVector, Transact};

    use super::DurableLog;
    use crate::board::Outgoing;
    use crate::store::{DocumentLog, SqliteStore, Store};

    async fn store_with_board(dir: &std::path::Path) -> Arc<dyn Store> {
        use crate::store::contract::{info, invite};
        let store = SqliteStore::open(dir).unwrap();
        let empty = Doc::new()
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        (store.create_board(&info("b"), empty, &invite("b", "i", 1)))
            .await
            .unwrap();
        Arc::new(store)
    }

    fn frame() -> Arc<Outgoing> {
        Arc::new(Outgoing::same(1, bytes::Bytes::from_static(b"frame")))
    }

    #[tokio::test]
    async fn appends_are_stored_in_order_and_a_compaction_comes_due() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_board(dir.path()).await;
        let mut log = DurableLog::new(store.clone(), Arc::from("b"), 3);
        log.loaded(&store.load("b").await.unwrap());
        let doc = Doc::new();
        let map = doc.get_or_insert_map("m");
        let mut updates = Vec::new();
        for n in 0..3 {
            let mut txn = doc.transact_mut();
            map.insert(&mut txn, format!("k{n}"), n);
            updates.push(txn.encode_update_v1());
        }
        for u in &updates {
            log.append(u.clone(), frame(), None);
        }
        assert!(log.has_pending());
        let mut seqs = Vec::new();
        let mut due = Vec::new();
        while let Some((result, frame, _)) = log.next_stored().await {
            let seq = result.unwrap();
            seqs.push(seq);
            due.push(log.durable(seq, frame.frame.len()));
        }
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
        // The board's first state was one append already; the third of these makes the
        // log four long, past the threshold of three.
        assert_eq!(due, [false, true, true]);
        let before = log.stored_bytes();
        let state = doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let (tx, rx) = tokio::sync::oneshot::channel();
        log.compact(state.clone(), Some(tx));
        rx.await.unwrap().unwrap();
        assert!(!log.has_uncompacted());
        assert_eq!(log.stored_bytes(), state.len());
        assert_ne!(log.stored_bytes(), before);
        let stored = store.load("b").await.unwrap();
        assert_eq!(stored.snapshot, Some(state));
        assert!(stored.updates.is_empty());
    }

    #[tokio::test]
    async fn a_failed_board_gives_up_its_appends() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_board(dir.path()).await;
        let mut log = DurableLog::new(store, Arc::from("b"), 1000);
        log.append(vec![0, 0], frame(), None);
        log.abandon();
        assert!(!log.has_pending());
        assert!(log.next_stored().await.is_none());
    }
}
