//! Starting a round: a title, which items, how many votes each, sealed or not.

use coboard_shared::schema::{Action, ActivityEntry, Round, RoundState};
use leptos::prelude::*;

use crate::activity::seen;
use crate::identity::Identity;
use crate::sync::SessionHandle;
use crate::ui::text::sentence;

use super::*;

#[component]
pub(super) fn RoundForm(session: SessionHandle, me: RwSignal<Option<Identity>>) -> impl IntoView {
    let signals = session.signals();
    let title = RwSignal::new(String::new());
    let budget = RwSignal::new(DEFAULT_VOTES.to_string());
    let sealed = RwSignal::new(false);
    let section = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(String::new());
    let sections = Memo::new(move |_| {
        signals.sections.with(|all| {
            all.iter()
                .filter(|s| VOTABLE.contains(&s.kind.as_str()))
                .map(|s| (s.id.clone(), s.title.clone()))
                .collect::<Vec<_>>()
        })
    });

    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(String::new());
        let Ok(votes) = budget.get_untracked().trim().parse::<u32>() else {
            error.set(Some(format!(
                "Give each person a whole number of votes, from 1 to {MAX_VOTES}."
            )));
            return;
        };
        if !(1..=MAX_VOTES).contains(&votes) {
            error.set(Some(format!(
                "Give each person between 1 and {MAX_VOTES} votes."
            )));
            return;
        }
        let Some(person) = me.get_untracked() else {
            error.set(Some("Choose your name and role first.".to_owned()));
            return;
        };
        let number = signals.rounds.with_untracked(Vec::len) + 1;
        let chosen = title.get_untracked().trim().to_owned();
        let round = Round {
            id: crate::dom::random_hex(2),
            title: if chosen.is_empty() {
                format!("Round {number}")
            } else {
                chosen
            },
            section: section.get_untracked(),
            budget: votes,
            sealed: sealed.get_untracked(),
            state: RoundState::Open,
            created_at: js_sys::Date::now(),
            closed_at: None,
        };
        let mut result = Ok(());
        seen::remember_my_entry(&round.id, round.created_at);
        session.get().edit(|board, txn| {
            result = board.add_round(txn, &round);
            if result.is_ok() {
                board.log(
                    txn,
                    &ActivityEntry {
                        at: round.created_at,
                        who: person.author(),
                        action: Action::Round,
                        item: round.id.clone(),
                        kind: String::new(),
                        detail: format!("started: {}", round.title),
                    },
                );
            }
        });
        match result {
            Ok(()) => {
                error.set(None);
                title.set(String::new());
                done.set(format!("The round “{}” has started.", round.title));
            }
            Err(e) => error.set(Some(sentence(&e.to_string()))),
        }
    };

    view! {
        <form id="round-form" class="round-form" on:submit=start aria-labelledby="round-form-heading">
            <h3 id="round-form-heading" class="panel-subheading">"Start a voting round"</h3>
            <label for="round-title">"What are people voting on?"</label>
            <input
                id="round-title"
                type="text"
                maxlength="120"
                placeholder="For example: Which ideas should we try first?"
                prop:value=move || title.get()
                on:input=move |ev| title.set(event_target_value(&ev))
            />
            <label for="round-section">"Which items"</label>
            <select
                id="round-section"
                on:change=move |ev| section.set(event_target_value(&ev))
                prop:value=move || section.get()
            >
                <option value="">"All ideas and priorities"</option>
                {move || {
                    sections
                        .get()
                        .into_iter()
                        .map(|(id, title)| view! { <option value=id>{title}</option> })
                        .collect_view()
                }}
            </select>
            <label for="round-budget">"Votes for each person"</label>
            <input
                id="round-budget"
                type="number"
                min="1"
                max=MAX_VOTES.to_string()
                step="1"
                required
                aria-describedby="round-budget-hint"
                prop:value=move || budget.get()
                on:input=move |ev| budget.set(event_target_value(&ev))
            />
            <p id="round-budget-hint" class="field-hint">
                {format!("From 1 to {MAX_VOTES}. Everyone gets the same number.")}
            </p>
            <div class="check-row">
                <input
                    id="round-sealed"
                    type="checkbox"
                    aria-describedby="round-sealed-hint"
                    prop:checked=move || sealed.get()
                    on:change=move |ev| sealed.set(event_target_checked(&ev))
                />
                <label for="round-sealed">"Keep votes hidden until the round closes"</label>
            </div>
            <p id="round-sealed-hint" class="field-hint">
                "Hidden votes stop people following the first or loudest voters. "
                "Nobody, not even you, sees any votes until you close the round."
            </p>
            <button id="round-start" type="submit" class="primary">"Start round"</button>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <p class="form-done" role="status">{move || done.get()}</p>
        </form>
    }
}
