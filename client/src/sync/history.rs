//! Undo and redo of my own changes to the board's items (typing, moving, recolouring,
//! status, adding and binning notes), with yrs's `UndoManager`. It tracks only
//! transactions of this page's local origin, so undoing never reverts what anyone else did,
//! even in the same note: their typing stays where it is.
//!
//! What goes through the server (an author's consent, binning my own note as a
//! contributor, withdrawing) is not in this history: those have their own "Undo".

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use yrs::undo::{Options, UndoManager};
use yrs::{Doc, Origin};

/// Changes made within this long of each other undo as one step (a burst of typing).
const GROUP_MS: u64 = 600;

/// My undo and redo stacks, and the updates an undo or redo produced, to send.
pub(super) struct History {
    manager: RefCell<UndoManager<()>>,
    /// Updates made by the last undo or redo, taken by [`History::step`]. (A mutex only
    /// because the native build of the tests shares yrs's thread-safe observers.)
    made: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl History {
    /// Tracks `local_origin`'s changes to the `items` root of `doc`. Call with no
    /// transaction open.
    pub(super) fn new(doc: &Doc, local_origin: &str) -> Self {
        let options = Options {
            capture_timeout_millis: GROUP_MS,
            tracked_origins: HashSet::from([Origin::from(local_origin)]),
            capture_transaction: None,
            timestamp: Arc::new(|| js_sys::Date::now() as u64),
            init_undo_stack: Vec::new(),
            init_redo_stack: Vec::new(),
        };
        let mut manager = UndoManager::with_options(options);
        let items = doc.get_or_insert_map(coboard_shared::schema::ITEMS);
        manager.expand_scope(doc, &items);
        let made: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
        let sink = made.clone();
        let own = manager.as_origin();
        let _ = doc.observe_update_v1("history", move |txn, e| {
            if txn.origin() == Some(&own)
                && let Ok(mut made) = sink.lock()
            {
                made.push(e.update.clone());
            }
        });
        Self {
            manager: RefCell::new(manager),
            made,
        }
    }

    /// Undoes (or redoes) my last step; returns the updates that made it, to send. Empty
    /// when there was nothing to undo (or redo).
    pub(super) fn step(&self, undo: bool) -> Vec<Vec<u8>> {
        let mut m = self.manager.borrow_mut();
        let _ = if undo {
            m.undo_blocking()
        } else {
            m.redo_blocking()
        };
        self.made
            .lock()
            .map(|mut m| std::mem::take(&mut *m))
            .unwrap_or_default()
    }

    pub(super) fn can_undo(&self) -> bool {
        self.manager.borrow().can_undo()
    }

    pub(super) fn can_redo(&self) -> bool {
        self.manager.borrow().can_redo()
    }
}
