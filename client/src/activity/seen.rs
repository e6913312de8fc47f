//! "New since your last visit": the time I last had a board open is kept in this
//! browser's `localStorage` (`coboard.seen.{board}`), so items and comments that other
//! people added or changed while I was away can be marked "New".
//!
//! The previous visit is read once per page load and kept, so every component (the side
//! panel, the cards, the list) compares against the same moment, however often they are
//! rebuilt. The stored time moves forward while the board is open ([`keep_marking`]).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::time::Duration;

use coboard_shared::schema::{CommentView, ItemView};
use leptos::prelude::*;

/// How often the stored "last visit" moves forward while a board is open.
const MARK_EVERY: Duration = Duration::from_secs(60);

/// My previous visit to the board on this page, in ms since the Unix epoch. Provided as
/// context by the side panel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LastVisit(pub f64);

/// What this page load found in storage, per board: (previous visit, first visit?).
#[derive(Clone, Copy)]
struct Found {
    at: f64,
    first: bool,
}

thread_local! {
    static FOUND: RefCell<HashMap<String, Found>> = RefCell::new(HashMap::new());
    /// Things I made on this page (item and comment ids, activity lines): anonymous
    /// contributions carry no id, so this is how they are still known to be mine.
    static MINE: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
}

/// Remembers, for this page load, that I made the item or comment with this id, so it
/// is never marked "New" for me even when I take part anonymously.
pub fn remember_mine(id: &str) {
    MINE.with(|m| m.borrow_mut().insert(id.to_owned()));
}

/// Remembers that I wrote the activity line about `item` at time `at`.
pub fn remember_my_entry(item: &str, at: f64) {
    remember_mine(&entry_key(item, at));
}

fn entry_key(item: &str, at: f64) -> String {
    format!("{item}@{}", at.to_bits())
}

fn remembered(id: &str) -> bool {
    MINE.with(|m| m.borrow().contains(id))
}

/// Whether an activity line is one I wrote: by my id, or remembered from this page.
pub fn is_my_entry(item: &str, at: f64, who_id: &str, my_id: &str) -> bool {
    (!my_id.is_empty() && who_id == my_id) || remembered(&entry_key(item, at))
}

fn key(board_id: &str) -> String {
    format!("coboard.seen.{board_id}")
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn found(board_id: &str) -> Found {
    FOUND.with(|f| {
        *f.borrow_mut()
            .entry(board_id.to_owned())
            .or_insert_with(|| {
                let stored = storage()
                    .and_then(|s| s.get_item(&key(board_id)).ok().flatten())
                    .and_then(|v| v.parse::<f64>().ok())
                    .filter(|v| v.is_finite() && *v > 0.0);
                match stored {
                    Some(at) => Found { at, first: false },
                    // Never been here: nothing counts as new, rather than everything.
                    None => Found {
                        at: js_sys::Date::now(),
                        first: true,
                    },
                }
            })
    })
}

/// When I last had this board open (ms since the Unix epoch), as it was when this page
/// loaded. On a first visit this is the moment the page opened, so nothing is "new".
pub fn last_visit(board_id: &str) -> f64 {
    found(board_id).at
}

/// Whether this browser had never opened the board before this page load.
pub fn first_visit(board_id: &str) -> bool {
    found(board_id).first
}

/// Records that I am looking at the board now. Reads the previous visit first, so the
/// value this page compares against is never overwritten by its own visit.
pub fn mark_visit(board_id: &str) {
    found(board_id);
    if let Some(s) = storage() {
        // Private browsing may refuse: then every visit is a first visit.
        let _ = s.set_item(&key(board_id), &format!("{}", js_sys::Date::now().floor()));
    }
}

/// Keeps the stored visit up to date while the calling component lives: now, every
/// minute, and when the page is hidden or closed.
pub fn keep_marking(board_id: String) {
    mark_visit(&board_id);
    let id = board_id.clone();
    let interval = set_interval_with_handle(move || mark_visit(&id), MARK_EVERY).ok();
    let id = board_id.clone();
    let hide = window_event_listener(leptos::ev::pagehide, move |_| mark_visit(&id));
    let id = board_id;
    let hidden = window_event_listener_untyped("visibilitychange", move |_| mark_visit(&id));
    on_cleanup(move || {
        if let Some(i) = interval {
            i.clear();
        }
        hide.remove();
        hidden.remove();
    });
}

/// Whether an item is new to me: added or changed after my last visit, by someone else.
///
/// The document does not say who last changed an item, only who made it, so a change to
/// my own item is not marked, and neither (alas) is my own change to someone else's item
/// told apart from theirs. Anonymous items carry no id: they count as mine only if this
/// page made them and called [`remember_mine`].
pub fn is_new(item: &ItemView, last_visit: f64, my_id: &str) -> bool {
    let mine = (!my_id.is_empty() && item.author.id == my_id) || remembered(&item.id);
    !mine && (item.created_at > last_visit || item.updated_at > last_visit)
}

/// For cards and list rows: whether to mark an item "New" for me on this board.
/// `me` is `None` before I have joined, when nothing is marked.
pub fn is_new_for(board_id: &str, item: &ItemView, me: Option<&crate::identity::Identity>) -> bool {
    me.is_some_and(|me| is_new(item, last_visit(board_id), &me.id))
}

/// Whether a comment is new to me: written after my last visit, by someone else.
pub fn is_new_comment(comment: &CommentView, last_visit: f64, my_id: &str) -> bool {
    let mine = (!my_id.is_empty() && comment.author.id == my_id) || remembered(&comment.id);
    !mine && comment.at > last_visit
}

/// The "New" badge.
#[component]
pub fn NewMarker() -> impl IntoView {
    view! { <span class="new-marker">"New"</span> }
}
