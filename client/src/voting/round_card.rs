//! One round: its settings, a ballot while it is open, its results, and closing it.

use std::collections::HashMap;

use coboard_shared::schema::{Action, ActivityEntry, Round, RoundState};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api;
use crate::activity::seen;
use crate::activity::{ago, iso, when};
use crate::identity::Identity;
use crate::sync::SessionHandle;
use crate::ui::access_role::my_role;

use super::ballot::forget_local;
use super::*;

#[component]
pub(super) fn RoundCard(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    round_id: String,
    counts: RwSignal<HashMap<String, u64>>,
    now: RwSignal<f64>,
) -> impl IntoView {
    let signals = session.signals();
    let rid = StoredValue::new(round_id.clone());
    let tally = Memo::new(move |_| {
        let id = rid.get_value();
        signals
            .rounds
            .with(|r| r.iter().find(|t| t.round.id == id).cloned())
    });
    let round = Memo::new(move |_| tally.with(|t| t.as_ref().map(|t| t.round.clone())));
    let is_open =
        Memo::new(move |_| round.with(|r| r.as_ref().is_some_and(|r| r.state == RoundState::Open)));
    let is_sealed = Memo::new(move |_| round.with(|r| r.as_ref().is_some_and(|r| r.sealed)));
    let manage = my_role().can_manage();
    let heading_id = format!("round-{round_id}-heading");
    let section_name = move || {
        let section = round.with(|r| r.as_ref().map(|r| r.section.clone()).unwrap_or_default());
        if section.is_empty() {
            "All ideas and priorities".to_owned()
        } else {
            signals.sections.with(|all| {
                all.iter()
                    .find(|s| s.id == section)
                    .map_or_else(|| "One section".to_owned(), |s| s.title.clone())
            })
        }
    };
    let meta = move || {
        let Some(r) = round.get() else {
            return String::new();
        };
        let state = match (r.state, r.closed_at) {
            (RoundState::Open, _) => "Open".to_owned(),
            (RoundState::Closed, Some(at)) => format!("Closed {}", ago(at, now.get())),
            (RoundState::Closed, None) => "Closed".to_owned(),
        };
        let sealed = match (r.sealed, r.state) {
            (true, RoundState::Open) => "Votes hidden until it closes",
            (true, RoundState::Closed) => "Votes were hidden until it closed",
            (false, RoundState::Open) => "Votes shown as they come in",
            (false, RoundState::Closed) => "Votes were shown as they came in",
        };
        format!(
            "{state} · {} each · {} · {sealed}",
            votes(r.budget),
            section_name()
        )
    };

    // A sealed round's ballot is forgotten once the round has closed.
    Effect::new(move |_| {
        if !is_open.get() && is_sealed.get() {
            forget_local(session.get().board_id(), &rid.get_value());
        }
    });

    view! {
        <article
            class="round"
            data-round=round_id.clone()
            data-state=move || if is_open.get() { "open" } else { "closed" }
            data-sealed=move || is_sealed.get().to_string()
            aria-labelledby=heading_id.clone()
        >
            <h3 id=heading_id.clone() class="round-title">
                {move || round.with(|r| r.as_ref().map(|r| r.title.clone()).unwrap_or_default())}
            </h3>
            <p class="round-meta">
                {meta}
                {move || round.get().map(|r| view! {
                    " · started "
                    <time datetime=iso(r.created_at) title=when(r.created_at)>
                        {ago(r.created_at, now.get())}
                    </time>
                })}
            </p>
            {move || {
                is_open.get().then(|| view! {
                    <BallotBox session=session me=me round=round counts=counts/>
                })
            }}
            <Results signals=signals tally=tally counts=counts/>
            {move || {
                (is_open.get() && manage).then(|| view! {
                    <CloseButton session=session me=me round=round/>
                })
            }}
        </article>
    }
}

/// My votes in an open round: "+" and "−" per candidate, and how many I have left.

#[component]
pub(super) fn CloseButton(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    round: Memo<Option<Round>>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let close = move |_| {
        if busy.get_untracked() {
            return;
        }
        let Some(r) = round.get_untracked() else {
            return;
        };
        busy.set(true);
        error.set(None);
        let s = session.get();
        let (board, token) = (s.board_id().to_owned(), s.token().to_owned());
        spawn_local(async move {
            match api::close(&board, &token, &r.id).await {
                Ok(()) => {
                    if let Some(person) = me.try_get_untracked().flatten() {
                        let at = js_sys::Date::now();
                        seen::remember_my_entry(&r.id, at);
                        session.get().edit(|b, txn| {
                            b.log(
                                txn,
                                &ActivityEntry {
                                    at,
                                    who: person.author(),
                                    action: Action::Round,
                                    item: r.id.clone(),
                                    kind: String::new(),
                                    detail: format!("closed: {}", r.title),
                                },
                            );
                        });
                    }
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    view! {
        <div class="round-actions">
            <button
                type="button"
                class="round-close secondary"
                aria-disabled=move || busy.get().to_string()
                on:click=close
            >
                {move || if busy.get() { "Closing…" } else { "Close this round" }}
            </button>
            <p class="form-error" role="alert">{move || error.get()}</p>
        </div>
    }
}
