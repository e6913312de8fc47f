//! Catching up from the store: when this board has missed messages from other instances
//! (Redis reconnected, a queue overflowed, an update arrived before what it builds on),
//! the store has everything, so the board reads what it lacks from there, in the
//! background, one read at a time.

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;
use yrs::updates::decoder::Decode;
use yrs::{Doc, ReadTxn, StateVector, Transact, Update};

use crate::store::{Store, StoreError};

/// Attempts to read the store for a catch-up before waiting for the next reason to.
const TRIES: u32 = 5;

type Read = JoinHandle<Result<Vec<u8>, StoreError>>;

pub(super) struct CatchUp {
    store: Arc<dyn Store>,
    board: Arc<str>,
    running: Option<Read>,
    /// Another catch-up was asked for while one ran.
    again: bool,
}

impl CatchUp {
    pub(super) fn new(store: Arc<dyn Store>, board: Arc<str>) -> Self {
        Self {
            store,
            board,
            running: None,
            again: false,
        }
    }

    /// Starts reading what the stored board has beyond `sv`; false when a read is already
    /// running (another is then started once it finishes, see [`CatchUp::take_again`]).
    pub(super) fn start(&mut self, sv: StateVector) -> bool {
        if self.running.as_ref().is_some_and(|h| !h.is_finished()) {
            self.again = true;
            return false;
        }
        let (store, board) = (self.store.clone(), self.board.clone());
        self.running = Some(tokio::spawn(async move {
            let mut tries = 0;
            loop {
                match store.load(&board).await {
                    Ok(stored) => {
                        let parts: Vec<Vec<u8>> =
                            stored.snapshot.into_iter().chain(stored.updates).collect();
                        let board = board.to_string();
                        return tokio::task::spawn_blocking(move || {
                            missing_from(&board, &parts, &sv)
                        })
                        .await?;
                    }
                    Err(e) if tries + 1 < TRIES => {
                        tracing::warn!(board = %board, error = %e, "catch-up could not read the store; retrying");
                        tries += 1;
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                    Err(e) => return Err(e),
                }
            }
        }));
        true
    }

    /// The running read's result, as one update; never, if no read runs.
    pub(super) async fn finished(&mut self) -> Result<Vec<u8>, StoreError> {
        let result = match &mut self.running {
            Some(h) => h.await,
            None => std::future::pending().await,
        };
        self.running = None;
        result.unwrap_or_else(|e| Err(StoreError::Task(e)))
    }

    /// Whether another catch-up was asked for while the last one ran.
    pub(super) fn take_again(&mut self) -> bool {
        std::mem::take(&mut self.again)
    }
}

/// What the stored board has beyond state vector `sv`, as one update.
fn missing_from(board: &str, parts: &[Vec<u8>], sv: &StateVector) -> Result<Vec<u8>, StoreError> {
    let corrupt = |detail: String| StoreError::Corrupt {
        board: board.to_owned(),
        detail,
    };
    let doc = Doc::new();
    let mut txn = doc.transact_mut();
    for part in parts {
        let update = Update::decode_v1(part).map_err(|e| corrupt(e.to_string()))?;
        txn.apply_update(update)
            .map_err(|e| corrupt(e.to_string()))?;
    }
    Ok(txn.encode_state_as_update_v1(sv))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use yrs::updates::decoder::Decode;
    use yrs::{Doc, Map, ReadTxn, StateVector, Transact, Update};

    use super::CatchUp;
    use crate::store::contract::{info, invite, keys};
    use crate::store::{SqliteStore, Store};

    #[tokio::test]
    async fn a_board_reads_from_the_store_only_what_it_lacks() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).unwrap());
        // Another instance stored two edits; this board has seen only the first.
        let theirs = Doc::new();
        let map = theirs.get_or_insert_map("m");
        let mut edits = Vec::new();
        for key in ["seen", "missed"] {
            let mut txn = theirs.transact_mut();
            map.insert(&mut txn, key, key);
            edits.push(txn.encode_update_v1());
        }
        let empty = Doc::new()
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        (store.create_board(&info("b"), empty, &invite("b", "i", 1)))
            .await
            .unwrap();
        for e in &edits {
            store.append("b", e.clone()).await.unwrap();
        }
        assert_eq!(keys(&*store, "b").await, ["missed", "seen"]);
        let mine = Doc::new();
        let mine_map = mine.get_or_insert_map("m");
        (mine.transact_mut())
            .apply_update(Update::decode_v1(&edits[0]).unwrap())
            .unwrap();

        let mut catch_up = CatchUp::new(store, Arc::from("b"));
        assert!(catch_up.start(mine.transact().state_vector()));
        assert!(
            !catch_up.start(mine.transact().state_vector()),
            "one read at a time"
        );
        let missing = catch_up.finished().await.unwrap();
        assert!(catch_up.take_again(), "the second ask is kept for after");
        assert!(!catch_up.take_again());
        assert!(missing.len() < edits[0].len() + edits[1].len());
        (mine.transact_mut())
            .apply_update(Update::decode_v1(&missing).unwrap())
            .unwrap();
        let txn = mine.transact();
        let mut got: Vec<String> = mine_map.keys(&txn).map(str::to_owned).collect();
        got.sort();
        assert_eq!(got, ["missed", "seen"]);
    }
}
