//! "Download CSV for the finance team": the rows of a period, ending with a TOTAL row, as
//! a spreadsheet a finance team can check and pay from without access to the board.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::state::LedgerState;
use coboard_shared::api::ledger::Period;

use super::api;

#[component]
pub fn LedgerExport(state: LedgerState) -> impl IntoView {
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let failed = RwSignal::new(false);
    let busy = RwSignal::new(false);

    let download = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failed.set(false);
        status.set("Preparing the spreadsheet…".to_owned());
        let (board, token) = state.keys();
        let period = Period {
            from: Some(from.get_untracked()).filter(|d| !d.is_empty()),
            to: Some(to.get_untracked()).filter(|d| !d.is_empty()),
        };
        spawn_local(async move {
            let words = match api::export(&board, &token, &period)
                .await
                .map_err(String::from)
            {
                Ok(name) => format!("Ready: look for “{name}” in your downloads."),
                Err(e) => {
                    let _ = failed.try_set(true);
                    e
                }
            };
            let _ = status.try_set(words);
            let _ = busy.try_set(false);
        });
    };
    let date = move |id: &'static str, words: &'static str, value: RwSignal<String>| {
        view! {
            <div class="row-field">
                <label for=id>{words}</label>
                <input
                    id=id
                    type="date"
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            </div>
        }
    };

    view! {
        <section class="ledger-part" aria-labelledby="export-ledger-heading">
            <h3 id="export-ledger-heading">"For the finance team"</h3>
            <p class="hint">
                "A spreadsheet of the rows between two dates (leave both empty for every "
                "row), ending with a TOTAL row."
            </p>
            <div class="ledger-period">
                {date("ledger-from", "From", from)}
                {date("ledger-to", "To", to)}
            </div>
            <button
                id="ledger-export"
                type="button"
                class="secondary"
                aria-disabled=move || busy.get().to_string()
                on:click=download
            >
                "Download CSV for the finance team"
            </button>
            <p
                id="ledger-export-status"
                class="ledger-status"
                data-failed=move || failed.get().to_string()
                role="status"
            >
                {move || status.get()}
            </p>
        </section>
    }
}
