//! A row's status (recorded, approved, paid), changed in place. Choosing "paid" first asks
//! for the date it was paid, since a finance team (and the person) need to know when;
//! the change is only sent once that date is given.

use coboard_shared::ledger::{PayStatus, Row};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::money::today;
use super::state::LedgerState;
use coboard_shared::api::ledger::RowChange;

use super::api;

const STATUSES: [(PayStatus, &str); 3] = [
    (PayStatus::Recorded, "Recorded"),
    (PayStatus::Approved, "Approved"),
    (PayStatus::Paid, "Paid"),
];

#[component]
pub fn RowStatus(row: Row, state: LedgerState, error: RwSignal<String>) -> impl IntoView {
    let current = row.status;
    // Waiting for the date paid, after "paid" was chosen.
    let asking = RwSignal::new(false);
    // What the select shows: "paid" while asking, back to the row's status on "Cancel".
    let shown = RwSignal::new(current.as_str());
    let paid_on = RwSignal::new(today());
    let busy = RwSignal::new(false);
    let who = format!("{} on {}", row.person, row.date);
    let id = StoredValue::new(row.id.clone());

    let send = move |status: PayStatus, date: String| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(String::new());
        let (board, token) = state.keys();
        let change = RowChange {
            status: Some(status),
            paid_on: Some(date),
            ..RowChange::default()
        };
        let row = id.get_value();
        spawn_local(async move {
            match api::change_row(&board, &token, &row, &change)
                .await
                .map_err(String::from)
            {
                Ok(_) => {
                    let _ = asking.try_set(false);
                    state.reload();
                }
                Err(e) => {
                    let _ = error.try_set(e);
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let chosen = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        let Some((s, _)) = STATUSES.into_iter().find(|(s, _)| s.as_str() == v) else {
            return;
        };
        shown.set(s.as_str());
        if s == PayStatus::Paid {
            asking.set(true);
            crate::dom::focus_later(format!("tr[data-id=\"{}\"] .row-paid-on", id.get_value()));
        } else {
            asking.set(false);
            if s != current {
                // Back from paid: the date paid no longer holds.
                send(s, String::new());
            }
        }
    };
    let cancel = move |_| {
        asking.set(false);
        shown.set(current.as_str());
        let selector = format!("tr[data-id=\"{}\"] .row-status", id.get_value());
        crate::dom::focus_later(selector);
    };

    view! {
        <select
            class="row-status"
            aria-label=format!("Status of the row for {who}")
            aria-disabled=move || busy.get().to_string()
            prop:value=move || shown.get()
            on:change=chosen
        >
            {STATUSES
                .into_iter()
                .map(|(s, words)| view! {
                    <option value=s.as_str() selected=s == current>{words}</option>
                })
                .collect_view()}
        </select>
        {row.paid_on.clone().map(|d| view! { <span class="paid-on">{format!(" on {d}")}</span> })}
        <Show when=move || asking.get()>
            <div class="row-paid">
                <label>
                    "Date paid "
                    <input
                        type="date"
                        class="row-paid-on"
                        prop:value=move || paid_on.get()
                        on:input=move |ev| paid_on.set(event_target_value(&ev))
                    />
                </label>
                <button
                    type="button"
                    class="row-paid-save"
                    on:click=move |_| send(PayStatus::Paid, paid_on.get_untracked())
                >
                    "Mark paid"
                </button>
                <button type="button" class="secondary row-paid-cancel" on:click=cancel>
                    "Cancel"
                </button>
            </div>
        </Show>
    }
}
