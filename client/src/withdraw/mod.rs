//! "Withdraw my contribution", under the selected item's details in the Item tab.
//!
//! People may take back what they wrote. The server replaces the words with
//! "[withdrawn]" on the board, in saved versions and in the record of decisions, and
//! answers with a receipt: what it removed, and what it cannot reach (downloads already
//! made). The button shows on items I added in this browser (the item's `author_key` is
//! the one my identity derives for it) and, for facilitators, on every item, because
//! someone may ask them to withdraw theirs. It never shows on an item already withdrawn.

mod api;

use coboard_shared::schema::WITHDRAWN;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::KeyboardEvent;

use crate::activity::{iso, when};
use crate::ui::text::first_words;
use coboard_shared::api::withdraw::Receipt;

use crate::identity::Identity;
use crate::sync::SessionHandle;
use crate::withdraw::api::withdraw;

/// How far the withdrawal has got.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// Only the button.
    Closed,
    /// Asking whether I am sure.
    Confirm,
    /// Done: the server's receipt, and whether the item was mine.
    Done(Receipt, bool),
}

/// Whether I may withdraw the item as the board holds it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// Not mine, already withdrawn, or no longer on the board.
    No,
    /// I added it in this browser.
    Mine,
    /// Someone else's, and my link is a facilitator's.
    Theirs,
}

/// The item's stored author key ("" for none) and whether it is marked withdrawn.
fn stored(session: SessionHandle, id: &str) -> Option<(String, bool)> {
    session.get().read(|board, txn| {
        let key = board.author_key(txn, id).ok()?;
        Some((key, board.withdrawn_at(txn, id).is_some()))
    })
}

fn list(id: &'static str, heading: &'static str, lines: Vec<String>) -> impl IntoView {
    let lines = if lines.is_empty() {
        vec!["Nothing.".to_owned()]
    } else {
        lines
    };
    let heading_id = format!("{id}-heading");
    view! {
        <h4 id=heading_id.clone() class="snapshot-section">{heading}</h4>
        <ul class=format!("snapshot-items {id}") aria-labelledby=heading_id>
            {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
        </ul>
    }
}

fn receipt_view(r: Receipt, mine: bool, close: impl Fn() + Copy + 'static) -> impl IntoView {
    let on_key = move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            e.stop_propagation();
            close();
        }
    };
    let heading = if mine {
        "Your contribution has been withdrawn"
    } else {
        "This contribution has been withdrawn"
    };
    view! {
        <div
            id="withdraw-receipt"
            class="withdraw-receipt snapshot-view"
            role="dialog"
            aria-labelledby="withdraw-done-heading"
            on:keydown=on_key
        >
            <div class="snapshot-view-head">
                <h3 id="withdraw-done-heading" tabindex="-1">{heading}</h3>
                <button
                    id="withdraw-close"
                    type="button"
                    class="secondary"
                    on:click=move |_| close()
                >
                    "Close"
                </button>
            </div>
            {(r.withdrawn_at > 0).then(|| view! {
                <p class="snapshot-meta">
                    <time datetime=iso(r.withdrawn_at as f64)>{when(r.withdrawn_at as f64)}</time>
                </p>
            })}
            {list("withdraw-removed", "What was removed", r.removed)}
            {list("withdraw-not-removed", "What could not be removed", r.not_removed)}
        </div>
    }
}

#[component]
pub fn Withdraw(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    item: String,
) -> impl IntoView {
    let role = crate::ui::access_role::my_role();
    if !role.can_edit() {
        return ().into_any();
    }
    let facilitator = role.can_manage();
    let signals = session.signals();
    let board = StoredValue::new(session.get().board_id().to_owned());
    let item = StoredValue::new(item);
    let step = RwSignal::new(Step::Closed);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // Set once the server has answered, before the board's own update arrives.
    let gone = RwSignal::new(false);

    let standing = Memo::new(move |_| {
        let id = item.get_value();
        let text = signals
            .items
            .with(|items| items.iter().find(|i| i.id == id).map(|i| i.text.clone()));
        let (Some(text), Some((key, marked))) = (text, stored(session, &id)) else {
            return Standing::No;
        };
        if marked || text.trim() == WITHDRAWN {
            return Standing::No;
        }
        let mine = !key.is_empty()
            && me.with(|m| {
                m.as_ref()
                    .is_some_and(|m| board.with_value(|b| m.item_author_key(b, &id)) == key)
            });
        match (mine, facilitator) {
            (true, _) => Standing::Mine,
            (false, true) => Standing::Theirs,
            (false, false) => Standing::No,
        }
    });
    // Read without tracking inside the dialog, so it is not rebuilt while open.
    let mine = move || standing.get_untracked() == Standing::Mine;
    let show_button = Memo::new(move |_| {
        standing.get() != Standing::No && !gone.get() && !matches!(step.get(), Step::Done(..))
    });

    let close = move || {
        if busy.get_untracked() {
            return;
        }
        let was_done = matches!(step.get_untracked(), Step::Done(..));
        step.set(Step::Closed);
        error.set(None);
        crate::dom::focus_later(
            if was_done {
                "#panel-item"
            } else {
                "#withdraw-open"
            }
            .to_owned(),
        );
    };
    let on_key = move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            e.stop_propagation();
            close();
        }
    };
    let toggle = move |_| {
        if step.get_untracked() == Step::Confirm {
            close();
        } else {
            step.set(Step::Confirm);
            crate::dom::focus_later("#withdraw-heading".to_owned());
        }
    };
    let confirm = move |_| {
        if busy.get_untracked() {
            return;
        }
        if signals.pending.get_untracked() > 0 {
            error.set(Some(
                "Some of your changes have not reached the server yet. Wait until the board \
                 says it is connected, then try again."
                    .to_owned(),
            ));
            return;
        }
        let id = item.get_value();
        let key = me
            .get_untracked()
            .map(|m| board.with_value(|b| m.item_key(b, &id)))
            .unwrap_or_default();
        let (board_id, token) = {
            let s = session.get();
            (s.board_id().to_owned(), s.token().to_owned())
        };
        let was_mine = standing.get_untracked() == Standing::Mine;
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match withdraw(&board_id, &token, &id, &key)
                .await
                .map_err(String::from)
            {
                Ok(receipt) => {
                    let _ = gone.try_set(true);
                    let _ = step.try_set(Step::Done(receipt, was_mine));
                    crate::dom::focus_later("#withdraw-done-heading".to_owned());
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let quote = move || {
        let id = item.get_value();
        signals
            .items
            .with_untracked(|items| {
                items
                    .iter()
                    .find(|i| i.id == id)
                    .map(|i| first_words(&i.text, 80))
            })
            .filter(|t| !t.is_empty())
    };

    view! {
        <div class="withdraw" data-standing=move || match standing.get() {
            Standing::No => "none",
            Standing::Mine => "mine",
            Standing::Theirs => "theirs",
        }>
            <Show when=move || show_button.get()>
                <button
                    id="withdraw-open"
                    type="button"
                    class="secondary withdraw-open"
                    aria-haspopup="dialog"
                    aria-expanded=move || (step.get() == Step::Confirm).to_string()
                    on:click=toggle
                >
                    {move || {
                        if standing.get() == Standing::Mine {
                            "Withdraw my contribution"
                        } else {
                            "Withdraw this contribution"
                        }
                    }}
                </button>
            </Show>
            {move || match step.get() {
                Step::Closed => ().into_any(),
                Step::Done(r, was_mine) => receipt_view(r, was_mine, close).into_any(),
                Step::Confirm => view! {
                    <div
                        id="withdraw-dialog"
                        class="withdraw-dialog snapshot-confirm"
                        role="dialog"
                        aria-labelledby="withdraw-heading"
                        aria-describedby="withdraw-explain"
                        on:keydown=on_key
                    >
                        <h3 id="withdraw-heading" class="panel-subheading" tabindex="-1">
                            {if mine() {
                                "Withdraw your contribution?"
                            } else {
                                "Withdraw this contribution?"
                            }}
                        </h3>
                        {quote().map(|q| view! {
                            <p class="withdraw-quote">{format!("“{q}”")}</p>
                        })}
                        <div id="withdraw-explain">
                            <p>
                                {if mine() { "Your words" } else { "Its words" }}
                                " will be replaced by “[withdrawn]” everywhere on this board, "
                                "including saved versions and the record of decisions."
                            </p>
                            <p>
                                "This cannot be undone. Downloads people have already made "
                                "(PDF, web page and so on) cannot be called back."
                            </p>
                            {(!mine()).then(|| view! {
                                <p>"Only do this if the person who wrote it has asked you to."</p>
                            })}
                        </div>
                        <div class="actions">
                            <button
                                id="withdraw-confirm"
                                type="button"
                                class="primary"
                                aria-disabled=move || busy.get().to_string()
                                on:click=confirm
                            >
                                {move || {
                                    if busy.get() { "Withdrawing…" } else { "Yes, withdraw it" }
                                }}
                            </button>
                            <button
                                id="withdraw-cancel"
                                type="button"
                                class="secondary"
                                aria-disabled=move || busy.get().to_string()
                                on:click=move |_| close()
                            >
                                "Keep it"
                            </button>
                        </div>
                        <p class="form-error withdraw-error" role="alert">{move || error.get()}</p>
                    </div>
                }
                    .into_any(),
            }}
        </div>
    }
    .into_any()
}
