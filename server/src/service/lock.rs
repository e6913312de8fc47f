//! The one lock that orders requests on a board.
//!
//! The board's actor orders every change to its *document*. Some features also keep
//! records outside the document (sealed ballots, silent cards, a handover offer, ledger
//! rows and rate tables) and have a step that reads them all and then changes the
//! document (closing a round publishes its ballots; a reveal puts the cards on the
//! board). Nothing may slip in between that read and that change, on any instance, so
//! every service step that touches a board's records holds its [`BoardLocks`] lock.
//!
//! It is one lock in two layers: in this process first (so one instance's requests queue
//! here, rather than each holding a database connection while it waits), then in the
//! store ([`crate::store::Store::lock_board`]: an advisory lock on PostgreSQL, which
//! every instance shares; nothing more on the embedded store, which serves one instance).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::store::{Store, StoreError, StoreLock};

/// Locks of this process kept before those nobody holds or waits for are forgotten.
const PRUNE_AT: usize = 1024;

/// Board locks, one per board in use. Cheap to clone.
#[derive(Clone)]
pub struct BoardLocks {
    local: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
    store: Arc<dyn Store>,
}

/// A board's lock, held until dropped. Fields drop in order: the store's lock is let go
/// first (PostgreSQL's unlock is sent in the background, so another instance may wait a
/// moment longer), then this process's.
pub struct BoardGuard {
    _shared: StoreLock,
    _local: tokio::sync::OwnedMutexGuard<()>,
}

impl BoardLocks {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            local: Arc::default(),
            store,
        }
    }

    /// Waits for the board's lock, in this process and then in the store.
    pub async fn lock(&self, board: &str) -> Result<BoardGuard, StoreError> {
        let local = {
            let mut locks = self.local.lock().expect("board lock map poisoned");
            // Now and then, forget the locks nobody holds or waits for (each holder and
            // waiter has a clone), so the map stays as small as the boards in use. Clones
            // are only made here, under this mutex, so none can appear meanwhile.
            if locks.len() >= PRUNE_AT {
                locks.retain(|_, lock| Arc::strong_count(lock) > 1);
            }
            locks.entry(board.to_owned()).or_default().clone()
        };
        let local = local.lock_owned().await;
        let shared = self.store.lock_board(board).await?;
        Ok(BoardGuard {
            _shared: shared,
            _local: local,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::{BoardLocks, PRUNE_AT};
    use crate::store::SqliteStore;

    #[tokio::test]
    async fn locks_of_boards_no_longer_in_use_are_forgotten_and_held_ones_still_hold() {
        let dir = tempfile::tempdir().unwrap();
        let locks = BoardLocks::new(Arc::new(SqliteStore::open(dir.path()).unwrap()));
        let held = locks.lock("held").await.unwrap();
        for n in 0..3 * PRUNE_AT {
            drop(locks.lock(&format!("board-{n}")).await.unwrap());
        }
        let kept = locks.local.lock().unwrap().len();
        assert!(kept <= PRUNE_AT, "{kept} locks kept");
        // The lock held all along is still the one a second request waits for.
        let again = tokio::time::timeout(Duration::from_millis(100), locks.lock("held")).await;
        assert!(again.is_err(), "a held lock must not be given twice");
        drop(held);
        let after = tokio::time::timeout(Duration::from_secs(5), locks.lock("held")).await;
        assert!(after.is_ok());
    }
}
