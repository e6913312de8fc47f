//! "You said, we did" on one item: what became of a public member's contribution.
//!
//! Everyone sees the outcome once one is recorded, so the person who suggested it hears
//! back in the board itself. Facilitators record it: adopted, adopted with changes, not
//! adopted (a reason is required, because the contributor will read it), or not decided
//! yet. Only public members' contributions carry an outcome: they are the people
//! co-production must answer to (INVOLVE 2018 on feedback; SCIE 2013 on reciprocity).

use coboard_shared::schema::{Outcome, OutcomeState, ParticipantRole};
use leptos::prelude::*;

use crate::activity::record;
use crate::items::status_control::date_label;
use crate::sync::SessionHandle;

/// The outcome of item `item` as the board holds it now (re-read whenever items change).
fn current(session: SessionHandle, item: &str) -> Option<Outcome> {
    session.get().read(|board, txn| board.outcome(txn, item))
}

#[component]
pub fn OutcomePanel(session: SessionHandle, item: String) -> impl IntoView {
    let signals = session.signals();
    let item = StoredValue::new(item);
    let is_public = Memo::new(move |_| {
        let id = item.get_value();
        signals
            .items
            .item(&id)
            .is_some_and(|i| !i.seeded && i.author.role == ParticipantRole::Public)
    });
    let outcome = Memo::new(move |_| {
        signals.items.item(&item.get_value());
        current(session, &item.get_value())
    });
    let facilitator = crate::ui::access_role::my_role().can_manage();
    let me = record::me();
    let state = RwSignal::new(
        outcome
            .get_untracked()
            .map_or(OutcomeState::Pending, |o| o.state),
    );
    let reason = RwSignal::new(
        outcome
            .get_untracked()
            .map(|o| o.reason)
            .unwrap_or_default(),
    );
    let message = RwSignal::new(None::<String>);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(by) = me.get_untracked().map(|m| m.author()) else {
            return;
        };
        let chosen = Outcome {
            state: state.get_untracked(),
            reason: reason.get_untracked(),
            by,
            at: record::now(),
        };
        let id = item.get_value();
        let mut result = Ok(());
        session.get().edit(|board, txn| {
            result = board.set_outcome(txn, &id, &chosen);
        });
        message.set(Some(match result {
            Ok(()) => "Saved. The person who suggested it will see this.".to_owned(),
            Err(e) => e.to_string(),
        }));
    };

    view! {
        <Show when=move || is_public.get()>
            <section class="outcome" aria-labelledby="outcome-heading">
                <h3 id="outcome-heading" class="panel-subheading">"What became of it"</h3>
                <p id="outcome-text" class="outcome-text">
                    {move || match outcome.get() {
                        None => "Not decided yet.".to_owned(),
                        Some(o) => {
                            let mut s = o.state.label().to_owned();
                            if !o.reason.is_empty() {
                                s.push_str(": ");
                                s.push_str(&o.reason);
                            }
                            if o.state != OutcomeState::Pending {
                                s.push_str(&format!(
                                    " (decided by {}, {})",
                                    o.by.display(),
                                    date_label(o.at)
                                ));
                            }
                            s
                        }
                    }}
                </p>
                {facilitator.then(|| view! {
                    <form class="outcome-form" on:submit=save>
                        <label class="field-label" for="outcome-state">"Outcome"</label>
                        <select
                            id="outcome-state"
                            on:change=move |e| {
                                if let Some(s) = OutcomeState::parse(&event_target_value(&e)) {
                                    state.set(s);
                                }
                            }
                        >
                            {OutcomeState::ALL
                                .into_iter()
                                .map(|s| view! {
                                    <option value=s.as_str() selected=move || state.get() == s>
                                        {s.label()}
                                    </option>
                                })
                                .collect_view()}
                        </select>
                        <label class="field-label" for="outcome-reason">
                            {move || if state.get() == OutcomeState::NotAdopted {
                                "Why not (required: they will read this)"
                            } else {
                                "What happened, in plain words (optional)"
                            }}
                        </label>
                        <textarea
                            id="outcome-reason"
                            rows="3"
                            prop:value=move || reason.get()
                            on:input=move |e| reason.set(event_target_value(&e))
                        ></textarea>
                        <button id="outcome-save" type="submit">"Save the outcome"</button>
                        <p class="form-status" role="status">{move || message.get()}</p>
                    </form>
                })}
            </section>
        </Show>
    }
}
