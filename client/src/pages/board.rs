//! The board page: join, then work on the board together (canvas or list view), with
//! the connection state and who is here always in view.

use coboard_shared::schema::{Author, COLOURS, ItemView, KIND_NOTE, NOTE_H, NOTE_W, NewItem};
use leptos::prelude::*;

use crate::components::{
    canvas::Canvas, join_dialog::JoinDialog, list_view::ListView, presence::Presence,
    status::Status,
};
use crate::identity::{self, Identity};
use crate::sync::{Link, Session, SessionHandle};

/// Gap between notes placed by "Add note".
const GAP: f64 = 20.0;
/// Notes per row when looking for a free spot.
const COLUMNS: usize = 5;

/// The first grid cell, left to right and top to bottom, that no note overlaps.
fn free_spot(items: &[ItemView]) -> (f64, f64) {
    let overlaps = |x: f64, y: f64| {
        items
            .iter()
            .any(|i| x < i.x + i.w && i.x < x + NOTE_W && y < i.y + i.h && i.y < y + NOTE_H)
    };
    (0..)
        .map(|n| {
            let (col, row) = ((n % COLUMNS) as f64, (n / COLUMNS) as f64);
            (GAP + col * (NOTE_W + GAP), GAP + row * (NOTE_H + GAP))
        })
        .find(|&(x, y)| !overlaps(x, y))
        .unwrap_or((GAP, GAP))
}

#[component]
pub fn BoardPage(id: String) -> impl IntoView {
    let session = Session::start(id);
    provide_context(session);
    let signals = session.signals();
    let me = RwSignal::new(identity::load());
    let choosing = RwSignal::new(me.get_untracked().is_none());
    let list_mode = RwSignal::new(false);
    if let Some(i) = me.get_untracked() {
        session.get().set_identity(&i);
    }

    Effect::new(move |_| {
        let title = signals.title.get();
        let shown = if title.is_empty() {
            "Board".to_owned()
        } else {
            title
        };
        crate::dom::set_document_title(&format!("{shown} — Coboard"));
    });

    let join = move |name: String, role| {
        let colour = me.get_untracked().map(|i| i.colour);
        let mut chosen = Identity::new(name, role);
        if let Some(c) = colour {
            chosen.colour = c;
        }
        identity::save(&chosen);
        session.get().set_identity(&chosen);
        me.set(Some(chosen));
        choosing.set(false);
        crate::dom::focus_later("#add-note".to_owned());
    };

    let refused = move || match signals.link.get() {
        Link::Refused(reason) => Some(reason),
        _ => None,
    };

    view! {
        <header class="site-header board-header">
            <p class="brand"><a href="/">"Coboard"</a></p>
            <h1>{move || {
                let t = signals.title.get();
                if t.is_empty() { "Board".to_owned() } else { t }
            }}</h1>
            <Status signals=signals/>
        </header>
        <main class="board-main">
            {move || {
                if let Some(reason) = refused() {
                    view! {
                        <section class="card refused" role="alert">
                            <h2>"This board cannot be opened"</h2>
                            <p>{reason}</p>
                            <p><a href="/">"Go to the Coboard home page"</a></p>
                        </section>
                    }
                        .into_any()
                } else if choosing.get() {
                    let current = me.get_untracked();
                    let cancel: Option<Box<dyn Fn()>> = current
                        .is_some()
                        .then(|| Box::new(move || choosing.set(false)) as Box<dyn Fn()>);
                    view! { <JoinDialog current=current on_join=join on_cancel=cancel/> }
                        .into_any()
                } else {
                    view! { <Workspace session=session list_mode=list_mode choosing=choosing me=me/> }
                        .into_any()
                }
            }}
        </main>
    }
}

#[component]
fn Workspace(
    session: SessionHandle,
    list_mode: RwSignal<bool>,
    choosing: RwSignal<bool>,
    me: RwSignal<Option<Identity>>,
) -> impl IntoView {
    let signals = session.signals();
    let add_note = move |_| {
        let Some(author) = me.get_untracked() else {
            return;
        };
        let (x, y) = signals.items.with_untracked(|items| free_spot(items));
        let id = crate::dom::random_hex(2);
        let new = NewItem {
            kind: KIND_NOTE.to_owned(),
            text: String::new(),
            x,
            y,
            colour: COLOURS[0].to_owned(),
            author: Author {
                name: author.name,
                role: author.role,
            },
            created_at: js_sys::Date::now(),
        };
        session
            .get()
            .edit(|board, txn| board.add_item(txn, &id, &new));
        crate::dom::focus_later(format!("[data-id=\"{id}\"] textarea"));
    };

    view! {
        <section class="toolbar" aria-label="Board tools">
            <button id="add-note" type="button" class="primary" on:click=add_note>
                "Add note"
            </button>
            <div class="view-switch" role="group" aria-label="View">
                <button
                    id="view-board"
                    type="button"
                    aria-pressed=move || (!list_mode.get()).to_string()
                    on:click=move |_| list_mode.set(false)
                >
                    "Board"
                </button>
                <button
                    id="view-list"
                    type="button"
                    aria-pressed=move || list_mode.get().to_string()
                    on:click=move |_| list_mode.set(true)
                >
                    "List"
                </button>
            </div>
            <button type="button" class="secondary" on:click=move |_| choosing.set(true)>
                "Change my name or role"
            </button>
        </section>
        <Presence signals=signals/>
        {move || {
            if list_mode.get() {
                view! { <ListView signals=signals/> }.into_any()
            } else {
                view! { <Canvas signals=signals/> }.into_any()
            }
        }}
    }
}
