//! Writing the board's activity list from the board UI, and the small shared facts those
//! writes need: who I am, who is here, and what time it is.
//!
//! Every change the board UI makes (adding, editing, a change of status, deleting) is
//! logged in the same transaction as the change itself, so the list and the board can
//! never disagree. Typing is logged as one "edited" line per item per [`BURST_MS`], not
//! one per keystroke: the participation panel counts these lines, and a fast typist
//! should not count for more than a slow one.

use std::cell::RefCell;
use std::collections::HashMap;

use coboard_shared::schema::{Action, ActivityEntry, Author, Board, ParticipantRole};
use leptos::prelude::*;
use yrs::TransactionMut;

use crate::identity::Identity;
use crate::sync::Peer;

/// One "edited" line per item per this many milliseconds of editing.
pub const BURST_MS: f64 = 60_000.0;

/// Longest snippet of text put in an activity line, in characters.
const SNIPPET_CHARS: usize = 60;

thread_local! {
    /// When I last logged an edit (or an add) of each item, in this tab.
    static LAST_LOGGED: RefCell<HashMap<String, f64>> = RefCell::new(HashMap::new());
}

/// Who I am on this board, provided as context by the workspace.
#[derive(Clone, Copy)]
pub struct Me(pub RwSignal<Option<Identity>>);

/// The item I last chose (focused or clicked); the side panel shows its comments and
/// votes. Unlike my presence selection, it stays set when focus moves into the panel.
#[derive(Clone, Copy)]
pub struct Selected(pub RwSignal<Option<String>>);

/// My identity signal, from context. Call while building a component, not inside an
/// event handler: handlers run outside the component tree, where context is not found.
pub fn me() -> RwSignal<Option<Identity>> {
    use_context::<Me>()
        .map(|m| m.0)
        .unwrap_or_else(|| RwSignal::new(None))
}

/// The selected-item signal, from context (same caveat as [`me`]).
pub fn selected() -> RwSignal<Option<String>> {
    use_context::<Selected>()
        .map(|s| s.0)
        .unwrap_or_else(|| RwSignal::new(None))
}

/// The time now, in ms since the Unix epoch.
pub fn now() -> f64 {
    js_sys::Date::now()
}

/// The first words of a text, on one line, for an activity line.
pub fn snippet(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > SNIPPET_CHARS {
        let cut: String = line.chars().take(SNIPPET_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        line
    }
}

/// Everyone on the board now, as a decision records them. Presence carries names and
/// roles only, so nobody here is anonymous and nobody has an id.
pub fn present(peers: &[Peer]) -> Vec<Author> {
    peers
        .iter()
        // People who chose anonymity are recorded by role only (`Author::to_any` stores
        // them without a name).
        .map(|p| Author {
            name: p.name.clone(),
            role: ParticipantRole::ALL
                .into_iter()
                .find(|r| r.label() == p.role_label)
                .unwrap_or_default(),
            anonymous: p.anonymous,
            id: String::new(),
        })
        .collect()
}

/// Appends one line about item `id` to the activity list. The item's kind is read from
/// the board, so call this before deleting an item, not after.
pub fn log(
    board: &Board,
    txn: &mut TransactionMut,
    who: &Author,
    action: Action,
    id: &str,
    detail: &str,
) {
    let kind = board.read_item(txn, id).map(|i| i.kind).unwrap_or_default();
    board.log(
        txn,
        &ActivityEntry {
            at: now(),
            who: who.clone(),
            action,
            item: id.to_owned(),
            kind,
            detail: detail.to_owned(),
        },
    );
    if matches!(action, Action::Added | Action::Edited) {
        LAST_LOGGED.with(|m| m.borrow_mut().insert(id.to_owned(), now()));
    }
}

/// Records that I just edited item `id`: marks it as changed (for "new since your last
/// visit") and logs an "edited" line if I have not logged one for it in the last
/// [`BURST_MS`]. Writing a new item's first words is part of adding it, so an add counts
/// as the start of a burst.
pub fn edited(
    board: &Board,
    txn: &mut TransactionMut,
    who: Option<&Author>,
    id: &str,
    detail: &str,
) {
    let at = now();
    // The item may have been deleted a moment ago; then there is nothing to mark.
    let _ = board.touch(txn, id, at);
    let due = LAST_LOGGED.with(|m| m.borrow().get(id).is_none_or(|last| at - last >= BURST_MS));
    if let (true, Some(who)) = (due, who) {
        log(board, txn, who, Action::Edited, id, detail);
    }
}
