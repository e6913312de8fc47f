//! Finds the actor of a loaded board, or starts one.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::FutureExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::actor::{BoardActor, BoardConfig};
use super::exit::{Boards, Exit};
use super::{BoardError, BoardHandle, EditError, ReadCheck, ServerEdit};
use crate::cluster::Cluster;
use crate::store::Store;

/// Commands queued per board before senders wait.
const ACTOR_QUEUE: usize = 1024;

/// The loaded boards of this process. Cheap to clone.
#[derive(Clone)]
pub struct Registry {
    inner: Arc<Inner>,
}

struct Inner {
    boards: Boards,
    next_generation: AtomicU64,
    store: Arc<dyn Store>,
    config: BoardConfig,
    cluster: Cluster,
    shutdown: CancellationToken,
    tasks: TaskTracker,
}

impl Registry {
    pub fn new(
        store: Arc<dyn Store>,
        config: BoardConfig,
        cluster: Cluster,
        shutdown: CancellationToken,
        tasks: TaskTracker,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                boards: Boards::default(),
                next_generation: AtomicU64::new(1),
                store,
                config,
                cluster,
                shutdown,
                tasks,
            }),
        }
    }

    /// Whether the store is at its ceiling (`--max-store-bytes`): new boards and snapshots
    /// are refused, as edits are by each board.
    pub fn store_full(&self) -> bool {
        self.inner.config.quota.is_full()
    }

    /// The handle of a board's actor, starting (and loading) it if needed. Whether the
    /// board exists is learnt on `join`, from the actor that tried to load it.
    pub fn get_or_start(&self, id: &str) -> BoardHandle {
        let mut boards = self.inner.boards.lock().expect("registry lock poisoned");
        if let Some((_, handle)) = boards.get(id) {
            return handle.clone();
        }
        let id: Arc<str> = Arc::from(id);
        let generation = self.inner.next_generation.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(ACTOR_QUEUE);
        let handle = BoardHandle { tx };
        boards.insert(id.clone(), (generation, handle.clone()));
        drop(boards);
        let exit = Exit::new(
            self.inner.boards.clone(),
            id.clone(),
            generation,
            self.inner.shutdown.clone(),
        );
        let actor = BoardActor::new(
            id.clone(),
            generation,
            self.inner.store.clone(),
            exit,
            self.inner.config.clone(),
            self.inner.cluster.clone(),
        );
        let exit = Exit::new(
            self.inner.boards.clone(),
            id.clone(),
            generation,
            self.inner.shutdown.clone(),
        );
        // If the actor panics anywhere, its entry must go: otherwise every later connection
        // would find a dead handle and the board could never be opened again. Other boards
        // are separate tasks and carry on; the next connection reloads this one from the
        // store. (Its clients notice: the broadcast channel closes and they reconnect.)
        let cluster = self.inner.cluster.clone();
        self.inner.tasks.spawn(async move {
            if let Err(panic) = AssertUnwindSafe(actor.run(rx)).catch_unwind().await {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                tracing::error!(board = %id, panic = %what, "board actor panicked; unloaded");
                exit.remove();
                cluster.detach(&id, generation).await;
            }
        });
        handle
    }

    /// Closes the connections that use `invite`: here, if the board is loaded, and on every
    /// other instance that has it loaded (each acts on the message when it arrives). The
    /// periodic re-check in each connection catches what a lost message would miss.
    pub async fn revoke(&self, board: &str, invite: &str) {
        self.inner.cluster.publish(
            &Arc::from(board),
            crate::cluster::Kind::Revoke,
            bytes::Bytes::copy_from_slice(invite.as_bytes()),
        );
        let handle = {
            let boards = self.inner.boards.lock().expect("registry lock poisoned");
            boards.get(board).map(|(_, h)| h.clone())
        };
        if let Some(handle) = handle {
            // An actor that is unloading has no connections left to close.
            let _ = handle.revoke(invite.to_owned()).await;
        }
    }

    /// Makes a server edit on a board, loading it if needed. Retries a few times when
    /// it meets an actor that is unloading, as a connection would.
    pub async fn edit(&self, board: &str, edit: ServerEdit) -> Result<(), EditError> {
        let mut tries = 0;
        loop {
            match self.get_or_start(board).edit(edit.clone()).await {
                Err(EditError::Board(BoardError::Gone)) if tries < 3 => tries += 1,
                other => return other,
            }
        }
    }

    /// Runs a read-only check on a board's live document, loading the board if needed.
    pub async fn check(&self, board: &str, check: ReadCheck) -> Result<(), EditError> {
        let mut tries = 0;
        loop {
            match self.get_or_start(board).check(check.clone()).await {
                Err(BoardError::Gone) if tries < 3 => tries += 1,
                Err(e) => return Err(e.into()),
                Ok(result) => return result.map_err(EditError::Refused),
            }
        }
    }

    /// A board's whole document, loading the board if needed.
    pub async fn state(&self, board: &str) -> Result<Vec<u8>, BoardError> {
        let mut tries = 0;
        loop {
            match self.get_or_start(board).state().await {
                Err(BoardError::Gone) if tries < 3 => tries += 1,
                other => return other,
            }
        }
    }

    /// Compacts a board's stored history into its current state, loading it if needed.
    pub async fn purge(&self, board: &str) -> Result<(), BoardError> {
        let mut tries = 0;
        loop {
            match self.get_or_start(board).purge().await {
                Err(BoardError::Gone) if tries < 3 => tries += 1,
                other => return other,
            }
        }
    }

    /// Number of boards loaded in memory.
    pub fn loaded(&self) -> usize {
        self.inner
            .boards
            .lock()
            .expect("registry lock poisoned")
            .len()
    }

    /// This instance's link to the others.
    pub fn cluster(&self) -> &Cluster {
        &self.inner.cluster
    }
}
