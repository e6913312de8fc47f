//! The bin, as a person meets it: removing an item asks for no confirmation but offers
//! "Undo" for ten seconds, and facilitators can see what is in the bin, who put it there
//! and when, and put it back (`coboard_shared::schema::bin`).
//!
//! Facilitators move items in the board itself (the rules allow them); an author moves
//! their own through the server, proving it with the item's key (`items::api`).

use std::time::Duration;

use coboard_shared::schema::Action;
use leptos::prelude::*;

use crate::activity::record;
use crate::activity::{ago, when, who};
use crate::identity::Identity;
use crate::sync::SessionHandle;

/// How long "Undo" stays offered after a removal.
const UNDO_FOR: Duration = Duration::from_secs(10);

/// The item just removed on this page, while it may still be undone.
#[derive(Clone, Debug, PartialEq)]
pub struct JustRemoved {
    pub id: String,
    /// Its first words, to say what was removed.
    pub snippet: String,
    /// Removed through the server (by its author), so undone the same way.
    pub by_server: bool,
}

/// Context: the removal "Undo" is offered for (provided by the workspace).
#[derive(Clone, Copy)]
pub struct LastRemoved(pub RwSignal<Option<JustRemoved>>);

/// The removal "Undo" is offered for. Call while building a component, not in a handler.
pub fn last_removed() -> RwSignal<Option<JustRemoved>> {
    use_context::<LastRemoved>()
        .map(|l| l.0)
        .unwrap_or_else(|| RwSignal::new(None))
}

/// Moves item `id` to the bin: in the board for a facilitator, through the server for its
/// author (`me`). Offers "Undo" afterwards, through `last`.
pub fn remove(
    session: SessionHandle,
    id: &str,
    me: Option<Identity>,
    facilitator: bool,
    last: RwSignal<Option<JustRemoved>>,
) {
    let mut snippet = String::new();
    session.get().edit(|board, txn| {
        snippet = board
            .read_item(txn, id)
            .map(|i| record::snippet(&i.text))
            .unwrap_or_default();
        if let Some(who) = me.as_ref().map(|m| m.author()) {
            record::log(board, txn, &who, Action::Deleted, id, &snippet);
            if facilitator {
                let _ = board.remove_item(txn, id, &who, record::now());
            }
        }
    });
    if !facilitator && let Some(person) = me {
        let s = session.get();
        let (board, token) = (s.board_id().to_owned(), s.token().to_owned());
        let (item, key) = (id.to_owned(), person.item_key(&board, id));
        leptos::task::spawn_local(async move {
            if let Err(e) = super::api::bin(&board, &token, &item, Some(key), true).await {
                alert(&e.message);
            }
        });
    }
    offer_undo(
        last,
        JustRemoved {
            id: id.to_owned(),
            snippet,
            by_server: !facilitator,
        },
    );
}

/// Takes item `id` out of the bin, the way it went in (`me` proves an author's item).
pub fn restore(session: SessionHandle, id: &str, by_server: bool, me: Option<Identity>) {
    if !by_server {
        session.get().edit(|board, txn| {
            let _ = board.restore_item(txn, id);
        });
        return;
    }
    let Some(person) = me else {
        return;
    };
    let s = session.get();
    let (board, token) = (s.board_id().to_owned(), s.token().to_owned());
    let (item, key) = (id.to_owned(), person.item_key(&board, id));
    leptos::task::spawn_local(async move {
        if let Err(e) = super::api::bin(&board, &token, &item, Some(key), false).await {
            alert(&e.message);
        }
    });
}

fn alert(message: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.alert_with_message(message);
    }
}

fn offer_undo(last: RwSignal<Option<JustRemoved>>, removed: JustRemoved) {
    last.set(Some(removed.clone()));
    set_timeout(
        move || {
            if last.get_untracked().as_ref() == Some(&removed) {
                last.set(None);
            }
        },
        UNDO_FOR,
    );
}

/// "Removed “…”. Undo", for a few seconds after a removal on this page.
#[component]
pub fn UndoRemoval(session: SessionHandle) -> impl IntoView {
    let last = last_removed();
    let me = record::me();
    let undo = move |_| {
        if let Some(r) = last.get_untracked() {
            restore(session, &r.id, r.by_server, me.get_untracked());
            last.set(None);
            crate::dom::focus_later(format!("[data-id=\"{}\"] textarea", r.id));
        }
    };
    view! {
        <div class="undo-removal" class:shown=move || last.with(Option::is_some) role="status" aria-live="polite">
            {move || last.get().map(|r| {
                let what = if r.snippet.is_empty() {
                    "Removed an empty note.".to_owned()
                } else {
                    format!("Removed “{}”.", r.snippet)
                };
                view! {
                    <span>{what}" It is in the bin. "</span>
                    <button type="button" id="undo-removal" class="secondary" on:click=undo>
                        "Undo"
                    </button>
                }
            })}
        </div>
    }
}

/// What is in the bin, for facilitators: who removed each item, when, and "Put back".
#[component]
pub fn BinPanel(session: SessionHandle, on_close: impl Fn() + Copy + 'static) -> impl IntoView {
    let signals = session.signals();
    let binned = Memo::new(move |_| {
        signals.items.track();
        session.get().read(|board, txn| board.read_bin(txn))
    });
    let now = record::now();
    view! {
        <section id="bin-panel" class="bin-panel" aria-labelledby="bin-heading">
            <h2 id="bin-heading" tabindex="-1">"Bin"</h2>
            <p class="field-help">
                "Removed items wait here, out of the board and its exports, until someone "
                "puts them back. Only the author's “Withdraw” erases words for good."
            </p>
            <Show
                when=move || binned.with(|b| !b.is_empty())
                fallback=|| view! { <p class="empty">"The bin is empty."</p> }
            >
                <ul class="bin-list">
                    {move || binned.get().into_iter().map(|(item, removal)| {
                        let id = item.id.clone();
                        let text = if item.text.trim().is_empty() {
                            "(no text)".to_owned()
                        } else {
                            record::snippet(&item.text)
                        };
                        view! {
                            <li data-id=item.id.clone()>
                                <span class="bin-text">{text}</span>
                                <span class="by">
                                    {format!(" — removed by {} ", who(&removal.by))}
                                    <time title=when(removal.at)>{ago(removal.at, now)}</time>
                                </span>
                                <button
                                    type="button"
                                    class="secondary restore"
                                    on:click=move |_| restore(session, &id, false, None)
                                >
                                    "Put back"
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
            <button type="button" class="secondary" on:click=move |_| on_close()>"Close"</button>
        </section>
    }
}
