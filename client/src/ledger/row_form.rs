//! "Add a row": one person's time on one day, at the current rate table's rate.
//!
//! The session minutes can come from presence (how long the person was on the board that
//! day), so nobody has to keep a stopwatch; "Fill in from presence" shows them before
//! saving, and leaving the box empty lets the server fill them in. Filling in also links
//! the row to the person's board identity, so they can download their own statement.

use coboard_shared::ledger::Choice;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::money::{money, read_form, today};
use super::state::LedgerState;
use coboard_shared::api::ledger::NewRow;

use super::api;

/// Plain words for what someone chose to receive.
pub fn choice_words(c: Choice) -> &'static str {
    match c {
        Choice::Full => "The full amount",
        Choice::Reduced => "Less than offered",
        Choice::Declined => "Nothing (declined)",
        Choice::Voucher => "A voucher",
    }
}

#[component]
pub fn RowForm(state: LedgerState) -> impl IntoView {
    let person = RwSignal::new(String::new());
    let person_id = RwSignal::new(String::new());
    let date = RwSignal::new(today());
    let task = RwSignal::new(String::new());
    let prep = RwSignal::new(String::new());
    let minutes = RwSignal::new(String::new());
    let rate = RwSignal::new(String::new());
    let choice = RwSignal::new(Choice::Full);
    let reduced = RwSignal::new(String::new());
    let expenses = RwSignal::new(String::new());
    let receipt = RwSignal::new(false);
    let error = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    // A rate that is not in the current table (or none yet) becomes the table's first.
    Effect::new(move |_| {
        let ids: Vec<String> = state
            .rates()
            .map(|t| t.rates.into_iter().map(|r| r.id).collect())
            .unwrap_or_default();
        if !ids.contains(&rate.get_untracked()) {
            rate.set(ids.into_iter().next().unwrap_or_default());
        }
    });

    let fill = move |_| {
        let name = person.get_untracked().trim().to_owned();
        if name.is_empty() {
            error.set("Write the person's name first, as it shows on the board.".to_owned());
            return;
        }
        error.set(String::new());
        let day = date.get_untracked();
        let (board, token) = state.keys();
        spawn_local(async move {
            match api::attendance(&board, &token, &day)
                .await
                .map_err(String::from)
            {
                Ok(people) => {
                    let found = people
                        .iter()
                        .find(|a| a.name.trim().eq_ignore_ascii_case(&name));
                    if let Some(a) = found {
                        let _ = person.try_set(a.name.clone());
                        let _ = person_id.try_set(a.person.clone());
                        let _ = minutes.try_set(a.minutes.to_string());
                        let _ = status.try_set(format!(
                            "{} was on the board for {} minutes on {day}{}.",
                            a.name,
                            a.minutes,
                            through_links(&a.roles)
                        ));
                    } else {
                        let names: Vec<&str> = people.iter().map(|a| a.name.as_str()).collect();
                        let there = if names.is_empty() {
                            "Nobody with a name showing was recorded that day.".to_owned()
                        } else {
                            format!("On the board that day: {}.", names.join(", "))
                        };
                        let _ = error.try_set(format!(
                            "No time on the board recorded for “{name}” on {day}. {there} \
                             You can type the minutes in instead."
                        ));
                    }
                }
                Err(e) => {
                    let _ = error.try_set(e);
                }
            }
        });
    };

    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        status.set(String::new());
        let row = match read_form(
            &prep.get_untracked(),
            &minutes.get_untracked(),
            &reduced.get_untracked(),
            &expenses.get_untracked(),
        ) {
            Ok((prep_minutes, session_minutes, reduced_pence, expenses_pence)) => NewRow {
                person: person.get_untracked().trim().to_owned(),
                person_id: person_id.get_untracked(),
                date: date.get_untracked(),
                task: task.get_untracked().trim().to_owned(),
                prep_minutes,
                session_minutes,
                rate_id: rate.get_untracked(),
                choice: choice.get_untracked(),
                reduced_pence,
                expenses_pence,
                receipt: receipt.get_untracked(),
            },
            Err(e) => {
                error.set(e);
                return;
            }
        };
        error.set(String::new());
        busy.set(true);
        let (board, token) = state.keys();
        spawn_local(async move {
            match api::add_row(&board, &token, &row)
                .await
                .map_err(String::from)
            {
                Ok(r) => {
                    let _ = status.try_set(format!(
                        "Added {} on {}: {} offered.",
                        r.row.person,
                        r.row.date,
                        money(r.offered_pence)
                    ));
                    for s in [person, person_id, task, prep, minutes, reduced, expenses] {
                        let _ = s.try_set(String::new());
                    }
                    let _ = receipt.try_set(false);
                    let _ = choice.try_set(Choice::Full);
                    state.reload();
                }
                Err(e) => {
                    let _ = error.try_set(e);
                }
            }
            let _ = busy.try_set(false);
        });
    };

    let text = move |id: &'static str, words: &'static str, value: RwSignal<String>| {
        view! {
            <div class="row-field">
                <label for=id>{words}</label>
                <input
                    id=id
                    type="text"
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            </div>
        }
    };
    let options = move || {
        state
            .rates()
            .map(|t| t.rates)
            .unwrap_or_default()
            .into_iter()
            .map(|r| {
                let words = format!("{}: {} an hour", r.label, money(r.pence_per_hour));
                let selected = rate.get_untracked() == r.id;
                view! { <option value=r.id selected=selected>{words}</option> }
            })
            .collect_view()
    };

    view! {
        <section class="ledger-part" aria-labelledby="row-heading">
            <h3 id="row-heading">"Add a row"</h3>
            <form id="row-form" class="row-form" on:submit=add>
                <div class="row-field">
                    <label for="row-person">"Name, as the finance team should see it"</label>
                    <input
                        id="row-person"
                        type="text"
                        autocomplete="off"
                        prop:value=move || person.get()
                        on:input=move |ev| {
                            person.set(event_target_value(&ev));
                            // A new name is someone else: their statement link goes.
                            person_id.set(String::new());
                        }
                    />
                </div>
                <div class="row-field">
                    <label for="row-date">"Date"</label>
                    <input
                        id="row-date"
                        type="date"
                        prop:value=move || date.get()
                        on:input=move |ev| date.set(event_target_value(&ev))
                    />
                </div>
                {text("row-task", "What they did", task)}
                {text("row-prep", "Preparation (minutes)", prep)}
                <div class="row-field row-minutes">
                    <label for="row-minutes">"Time in the session (minutes)"</label>
                    <p id="row-minutes-hint" class="hint">
                        "Leave empty to take it from how long they were on the board that day."
                    </p>
                    <input
                        id="row-minutes"
                        type="text"
                        inputmode="numeric"
                        aria-describedby="row-minutes-hint"
                        prop:value=move || minutes.get()
                        on:input=move |ev| minutes.set(event_target_value(&ev))
                    />
                    <button id="row-fill" type="button" class="secondary" on:click=fill>
                        "Fill in from presence"
                    </button>
                    <p id="row-linked" class="hint" hidden=move || person_id.with(String::is_empty)>
                        "Linked to this person's place on the board, so they can download their own statement."
                    </p>
                </div>
                <div class="row-field">
                    <label for="row-rate">"Rate"</label>
                    <select
                        id="row-rate"
                        prop:value=move || rate.get()
                        on:change=move |ev| rate.set(event_target_value(&ev))
                    >
                        {options}
                    </select>
                </div>
                <div class="row-field">
                    <label for="row-choice">"They chose to receive"</label>
                    <select
                        id="row-choice"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(c) = Choice::ALL.into_iter().find(|c| c.as_str() == v) {
                                choice.set(c);
                            }
                        }
                    >
                        {Choice::ALL
                            .into_iter()
                            .map(|c| view! {
                                <option value=c.as_str() selected=move || choice.get() == c>
                                    {choice_words(c)}
                                </option>
                            })
                            .collect_view()}
                    </select>
                </div>
                <Show when=move || choice.get() == Choice::Reduced>
                    {text("row-reduced", "The amount they chose (£)", reduced)}
                </Show>
                {text("row-expenses", "Expenses (£)", expenses)}
                <div class="checkbox row-receipt">
                    <input
                        id="row-receipt"
                        type="checkbox"
                        prop:checked=move || receipt.get()
                        on:change=move |ev| receipt.set(event_target_checked(&ev))
                    />
                    <label for="row-receipt">"Receipt handed in for the expenses"</label>
                </div>
                <div class="actions">
                    <button id="row-add" type="submit" aria-disabled=move || busy.get().to_string()>
                        "Add the row"
                    </button>
                </div>
                <p id="row-error" class="error" role="alert">{move || error.get()}</p>
                <p id="row-status" class="ledger-status" role="status">{move || status.get()}</p>
            </form>
        </section>
    }
}

/// ", with a contributor link" (or "a viewer link and a contributor link"): which kinds
/// of link the person really used, so a facilitator can tell a name someone typed from
/// the link they were given.
fn through_links(roles: &[coboard_shared::api::AccessRole]) -> String {
    if roles.is_empty() {
        return String::new();
    }
    let links: Vec<String> = roles
        .iter()
        .map(|r| format!("a {} link", r.as_str()))
        .collect();
    format!(", with {}", links.join(" and "))
}
