//! The board's items as the page holds them: one list in reading order, kept up to date
//! item by item, with a signal per item and one for where the items are.
//!
//! A keystroke changes one item's words, so it wakes only what shows that item; moving,
//! adding or removing an item also wakes what depends on where items are (the canvas, the
//! frames, the list's groups). Readers of the whole list ([`Items::with`]) wake on any
//! item's change, so they belong in panels, not on every card.

use std::collections::{HashMap, HashSet};

use coboard_shared::schema::{Board, ItemView};
use leptos::prelude::*;
use yrs::{Map, ReadTxn};

/// Where an item is: what the canvas, the frames and the list need to lay items out.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub id: String,
    pub section: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub created_at: f64,
}

impl Place {
    fn of(i: &ItemView) -> Self {
        Self {
            id: i.id.clone(),
            section: i.section.clone(),
            x: i.x,
            y: i.y,
            w: i.w,
            h: i.h,
            created_at: i.created_at,
        }
    }

    /// Whether it overlaps the rectangle at (`x`, `y`) of size `w` × `h`.
    pub fn overlaps(&self, x: f64, y: f64, w: f64, h: f64) -> bool {
        x < self.x + self.w && self.x < x + w && y < self.y + self.h && self.y < y + h
    }
}

/// Every item (out of the bin) in reading order, and where each one is in the list.
#[derive(Default)]
struct Held {
    all: Vec<ItemView>,
    index: HashMap<String, usize>,
}

impl Held {
    fn sort(&mut self) {
        self.all.sort_by(|a, b| {
            a.y.total_cmp(&b.y)
                .then(a.x.total_cmp(&b.x))
                .then(a.id.cmp(&b.id))
        });
        self.index = self
            .all
            .iter()
            .enumerate()
            .map(|(n, i)| (i.id.clone(), n))
            .collect();
    }
}

/// The items, cheap to copy into components.
#[derive(Clone, Copy)]
pub struct Items {
    held: StoredValue<Held, LocalStorage>,
    /// One trigger per item someone watches, made when first asked for.
    watched: StoredValue<HashMap<String, ArcTrigger>, LocalStorage>,
    /// Where every item is, in reading order.
    places: RwSignal<Vec<Place>>,
    /// Changes whenever any item does.
    any: Trigger,
}

impl Items {
    pub(super) fn new() -> Self {
        Self {
            held: StoredValue::new_local(Held::default()),
            watched: StoredValue::new_local(HashMap::new()),
            places: RwSignal::new(Vec::new()),
            any: Trigger::new(),
        }
    }

    /// One item, or `None` while it does not exist (or is in the bin). Wakes the caller
    /// when that item changes, and only then.
    pub fn item(&self, id: &str) -> Option<ItemView> {
        let trigger = self.watched.try_update_value(|w| {
            w.entry(id.to_owned())
                .or_insert_with(ArcTrigger::new)
                .clone()
        });
        if let Some(t) = trigger {
            t.track();
        }
        self.item_untracked(id)
    }

    /// One item, now, without watching it.
    pub fn item_untracked(&self, id: &str) -> Option<ItemView> {
        self.held
            .try_with_value(|h| h.index.get(id).map(|&n| h.all[n].clone()))
            .flatten()
    }

    /// Where every item is, in reading order; wakes the caller when any item is added,
    /// removed, moved, resized or changes section, never when words change.
    pub fn places(&self) -> RwSignal<Vec<Place>> {
        self.places
    }

    /// Reads every item in reading order; wakes the caller on any item's change.
    pub fn with<R>(&self, f: impl FnOnce(&[ItemView]) -> R) -> R {
        self.any.track();
        self.with_untracked(f)
    }

    /// Reads every item in reading order, without watching.
    pub fn with_untracked<R>(&self, f: impl FnOnce(&[ItemView]) -> R) -> R {
        self.held.with_value(|h| f(&h.all))
    }

    /// Wakes the caller on any item's change (for readers of the document that depend
    /// on the items in ways the list does not show).
    pub fn track(&self) {
        self.any.track();
    }

    /// Every item, cloned; wakes the caller on any item's change.
    pub fn all(&self) -> Vec<ItemView> {
        self.with(<[ItemView]>::to_vec)
    }

    /// Reads again the items `ids` (and, with `rescan`, which items exist at all) from
    /// the document, then wakes exactly what watches what changed.
    pub(super) fn refresh<T: ReadTxn>(
        &self,
        board: &Board,
        txn: &T,
        ids: HashSet<String>,
        rescan: bool,
    ) -> Refreshed {
        let mut ids = ids;
        let mut changed: Vec<String> = Vec::new();
        let mut moved = false;
        // An item that changed while in the bin (or was deleted from it): nothing on the
        // board shows it, but the bin does.
        let mut outside = false;
        self.held.update_value(|held| {
            if rescan {
                // Keys only: items held and still there are read only if their own events
                // named them (an item is never replaced whole; the rules refuse it).
                let now: HashSet<&str> = board.items.keys(txn).collect();
                ids.extend(
                    held.index
                        .keys()
                        .filter(|id| !now.contains(id.as_str()))
                        .cloned(),
                );
                ids.extend(
                    now.into_iter()
                        .filter(|id| !held.index.contains_key(*id))
                        .map(str::to_owned),
                );
            }
            let mut gone = Vec::new();
            for id in ids {
                let fresh = board.read_item(txn, &id);
                match (held.index.get(&id).copied(), fresh) {
                    (Some(n), Some(item)) => {
                        let old = &held.all[n];
                        // A round counts items by section and kind.
                        moved |= Place::of(old) != Place::of(&item) || old.kind != item.kind;
                        held.all[n] = item;
                    }
                    (Some(n), None) => {
                        gone.push(n);
                    }
                    (None, Some(item)) => {
                        held.all.push(item);
                        moved = true;
                    }
                    (None, None) => {
                        outside = true;
                        continue;
                    }
                }
                // Woken even when its view reads the same: what changed may be a part of
                // the item the view leaves out (its outcome, its consent), which the
                // panels read from the document. Memos over the view stop it there.
                changed.push(id);
            }
            if !gone.is_empty() {
                gone.sort_unstable();
                for n in gone.into_iter().rev() {
                    held.all.swap_remove(n);
                }
                moved = true;
            }
            if moved {
                held.sort();
            }
        });
        if changed.is_empty() {
            if outside {
                self.any.notify();
            }
            return Refreshed::default();
        }
        // Taken out first, so nothing is borrowed while what they wake runs.
        let wake: Vec<ArcTrigger> = self
            .watched
            .with_value(|w| changed.iter().filter_map(|id| w.get(id).cloned()).collect());
        for t in wake {
            t.notify();
        }
        if moved {
            let places: Vec<Place> = self
                .held
                .with_value(|h| h.all.iter().map(Place::of).collect());
            if self.places.with_untracked(|p| *p != places) {
                self.places.set(places);
            }
        }
        self.any.notify();
        Refreshed { moved }
    }
}

/// What a refresh found.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Refreshed {
    /// An item came, went, moved, was resized, or changed section or kind.
    pub moved: bool,
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use coboard_shared::schema::{Author, NewItem};
    use yrs::{Doc, Text, Transact};

    use super::super::changes;
    use super::*;

    /// A board with the page's change watcher, and a way to bring `items` up to date.
    struct Page {
        doc: Doc,
        board: Board,
        gathered: changes::Gathered,
        items: Items,
    }

    impl Page {
        fn new() -> Self {
            let doc = Doc::new();
            let board = Board::new(&doc);
            let gathered = changes::watch(&doc);
            Self {
                doc,
                board,
                gathered,
                items: Items::new(),
            }
        }

        fn change(&self, f: impl FnOnce(&Board, &mut yrs::TransactionMut)) -> Refreshed {
            f(&self.board, &mut self.doc.transact_mut());
            let c = changes::take(&self.gathered);
            self.items
                .refresh(&self.board, &self.doc.transact(), c.items, c.membership)
        }
    }

    /// A memo that counts how often it runs.
    fn counted<T: PartialEq + Send + Sync + 'static>(
        f: impl Fn() -> T + Send + Sync + 'static,
    ) -> (Memo<T>, Arc<AtomicUsize>) {
        let runs = Arc::new(AtomicUsize::new(0));
        let counter = runs.clone();
        let memo = Memo::new(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            f()
        });
        (memo, runs)
    }

    fn runs(memo: impl Fn(), counter: &AtomicUsize) -> usize {
        memo();
        counter.load(Ordering::SeqCst)
    }

    #[test]
    fn a_keystroke_wakes_only_what_shows_that_item() {
        let page = Page::new();
        let found = page.change(|b, txn| {
            for (id, y) in [("a", 0.0), ("b", 200.0)] {
                let new = NewItem {
                    kind: "note".into(),
                    y,
                    ..NewItem::default()
                };
                b.add_item(txn, id, &new);
            }
        });
        assert!(found.moved);
        let items = page.items;
        assert_eq!(items.with_untracked(|all| all.len()), 2);

        let (a, a_runs) = counted(move || items.item("a"));
        let (places, place_runs) = counted(move || items.places().get());
        let (whole, whole_runs) = counted(move || items.with(|all| all.len()));
        let all = || {
            a.get();
            places.get();
            whole.get();
        };
        assert_eq!(runs(all, &a_runs), 1);

        // Typing in b: a's watchers and the places stay asleep; readers of all wake.
        let found = page.change(|b, txn| {
            let text = b.item_text(txn, "b").unwrap();
            text.insert(txn, 0, "hello");
        });
        assert!(!found.moved);
        assert_eq!(runs(all, &a_runs), 1);
        assert_eq!(place_runs.load(Ordering::SeqCst), 1);
        assert_eq!(whole_runs.load(Ordering::SeqCst), 2);
        assert_eq!(items.item_untracked("b").unwrap().text, "hello");

        // Typing in a wakes a.
        page.change(|b, txn| b.item_text(txn, "a").unwrap().insert(txn, 0, "x"));
        assert_eq!(runs(all, &a_runs), 2);
        assert_eq!(a.get_untracked().unwrap().text, "x");

        // Moving b above a changes the places and the reading order.
        let found = page.change(|b, txn| b.set_position(txn, "b", 0.0, -100.0).unwrap());
        assert!(found.moved);
        assert_eq!(runs(all, &place_runs), 2);
        let order: Vec<String> = places.get_untracked().into_iter().map(|p| p.id).collect();
        assert_eq!(order, ["b", "a"]);

        // The bin takes b off the board; putting it back brings it back.
        let by = Author::default();
        let found = page.change(|b, txn| b.remove_item(txn, "b", &by, 1.0).unwrap());
        assert!(found.moved);
        assert_eq!(items.with_untracked(|all| all.len()), 1);
        assert!(items.item_untracked("b").is_none());
        // A change to an item in the bin wakes readers of the whole list (the bin panel).
        let before = runs(all, &whole_runs);
        page.change(|b, txn| b.item_text(txn, "b").unwrap().insert(txn, 0, "binned "));
        assert_eq!(runs(all, &whole_runs), before + 1);
        page.change(|b, txn| b.restore_item(txn, "b").unwrap());
        assert_eq!(items.item_untracked("b").unwrap().text, "binned hello");

        // Deleted outright (as emptying the bin does).
        let found = page.change(|b, txn| b.delete_item(txn, "a").unwrap());
        assert!(found.moved);
        assert_eq!(a.get(), None);
        assert_eq!(places.get().len(), 1);
    }
}
