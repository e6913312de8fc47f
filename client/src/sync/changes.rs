//! What a transaction changed, gathered from the document's own events, so the page
//! re-reads only that: the items touched (by id) and the other parts of the board by
//! name. Typing one character therefore costs one item's read, however big the board.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use yrs::types::{Event, PathSegment};
use yrs::{DeepObservable, Doc};

use coboard_shared::schema::{
    ACTIVITY, COMMENTS, FACILITATION, ITEMS, META, ROUNDS, SECTIONS, SILENT, VOTES,
};

/// The parts of the board besides items, as bits of [`Changes::parts`].
pub(super) mod part {
    pub const META: u16 = 1;
    pub const SECTIONS: u16 = 1 << 1;
    pub const COMMENTS: u16 = 1 << 2;
    pub const ROUNDS: u16 = 1 << 3;
    pub const VOTES: u16 = 1 << 4;
    pub const ACTIVITY: u16 = 1 << 5;
    /// The facilitation state and silent rounds.
    pub const OTHER: u16 = 1 << 6;
}

/// Changes gathered since the page last read them.
#[derive(Debug, Default)]
pub(super) struct Changes {
    /// Items whose own map, text or fields changed.
    pub items: HashSet<String>,
    /// Whether items were added to, replaced in or removed from the `items` map itself:
    /// then which ids exist is read again (keys only).
    pub membership: bool,
    /// The other parts that changed (bits of [`part`]).
    pub parts: u16,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && !self.membership && self.parts == 0
    }

    pub fn has(&self, bits: u16) -> bool {
        self.parts & bits != 0
    }
}

/// Shared between the document's observers and the page. (A mutex, not a `RefCell`, only
/// because native test builds share yrs's thread-safe observers.)
pub(super) type Gathered = Arc<Mutex<Changes>>;

/// Starts gathering `doc`'s changes. Call with no transaction open.
pub(super) fn watch(doc: &Doc) -> Gathered {
    let gathered = Gathered::default();
    let sink = gathered.clone();
    let items = doc.get_or_insert_map(ITEMS);
    items.observe_deep("page", move |_txn, events| {
        let Ok(mut c) = sink.lock() else { return };
        for event in events.iter() {
            // The first step of the path is the item's id; an event on the map itself
            // (an item added or removed) has none.
            match event.path().front() {
                Some(PathSegment::Key(id)) => {
                    c.items.insert(id.to_string());
                }
                _ => {
                    if matches!(event, Event::Map(_)) {
                        c.membership = true;
                    }
                }
            }
        }
    });
    for (name, bit) in [
        (META, part::META),
        (SECTIONS, part::SECTIONS),
        (COMMENTS, part::COMMENTS),
        (ROUNDS, part::ROUNDS),
        (VOTES, part::VOTES),
    ] {
        let sink = gathered.clone();
        doc.get_or_insert_map(name)
            .observe_deep("page", move |_, _| mark(&sink, bit));
    }
    let sink = gathered.clone();
    doc.get_or_insert_array(ACTIVITY)
        .observe_deep("page", move |_, _| mark(&sink, part::ACTIVITY));
    // The facilitation state and silent rounds: the page re-reads those where it shows
    // them; it only needs to know that they changed.
    for name in [FACILITATION, SILENT] {
        let sink = gathered.clone();
        doc.get_or_insert_map(name)
            .observe_deep("page", move |_, _| mark(&sink, part::OTHER));
    }
    gathered
}

fn mark(sink: &Gathered, bit: u16) {
    if let Ok(mut c) = sink.lock() {
        c.parts |= bit;
    }
}

/// Takes what was gathered, leaving nothing.
pub(super) fn take(gathered: &Gathered) -> Changes {
    gathered
        .lock()
        .map(|mut c| std::mem::take(&mut *c))
        .unwrap_or_default()
}
