//! How a board's actor leaves the registry: the one thing an actor needs of it, so the
//! actor holds this handle instead of the registry itself.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{BoardHandle, Cmd};

/// The loaded boards: board id -> (generation, handle). The generation lets an exiting
/// actor remove its own entry without removing a newer actor that took its place.
pub(super) type Boards = Arc<Mutex<HashMap<Arc<str>, (u64, BoardHandle)>>>;

/// One actor's way out of the registry.
pub(super) struct Exit {
    boards: Boards,
    id: Arc<str>,
    generation: u64,
    /// Cancelled when the server shuts down.
    pub(super) shutdown: CancellationToken,
}

impl Exit {
    pub(super) fn new(
        boards: Boards,
        id: Arc<str>,
        generation: u64,
        shutdown: CancellationToken,
    ) -> Self {
        Self {
            boards,
            id,
            generation,
            shutdown,
        }
    }

    /// Removes this actor's entry (not a newer actor's): the next connection to the board
    /// starts a fresh actor.
    pub(super) fn remove(&self) {
        let mut boards = self.boards.lock().expect("registry lock poisoned");
        if boards
            .get(&self.id)
            .is_some_and(|(g, _)| *g == self.generation)
        {
            boards.remove(&self.id);
        }
    }

    /// Removes this idle actor's entry unless a command is already queued for it. Checked
    /// under the registry lock, so no new connection can find the handle once this
    /// returns true.
    pub(super) fn remove_if_idle(&self, rx: &mpsc::Receiver<Cmd>) -> bool {
        let mut boards = self.boards.lock().expect("registry lock poisoned");
        if !rx.is_empty() {
            return false;
        }
        if boards
            .get(&self.id)
            .is_some_and(|(g, _)| *g == self.generation)
        {
            boards.remove(&self.id);
        }
        true
    }
}
