//! "Download my contribution statement", for everyone who is not a facilitator: the time
//! and payments recorded for me on this board, and nobody else's.
//!
//! The ledger itself is for facilitators only; this is how each person can check what
//! was recorded for them. The server finds my rows by the person id they were recorded
//! under, and I prove that id is mine by sending the secret behind it (my per-board
//! person key), which never goes into the board.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api;
use crate::activity::record::me;
use crate::sync::SessionHandle;

#[component]
pub fn StatementDownload() -> impl IntoView {
    let Some(session) = use_context::<SessionHandle>() else {
        return ().into_any();
    };
    let me = me();
    let status = RwSignal::new(String::new());
    let failed = RwSignal::new(false);
    let busy = RwSignal::new(false);

    let download = move |_| {
        if busy.get_untracked() {
            return;
        }
        let s = session.get();
        let (board, token) = (s.board_id().to_owned(), s.token().to_owned());
        let Some(key) = me.with_untracked(|m| m.as_ref().map(|i| i.person_key(&board))) else {
            failed.set(true);
            status.set("Join the board first, so there is a you to look up.".to_owned());
            return;
        };
        busy.set(true);
        failed.set(false);
        status.set("Preparing your statement…".to_owned());
        spawn_local(async move {
            let words = match api::statement(&board, &token, &key)
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

    view! {
        <section class="ledger-entry" aria-labelledby="statement-heading">
            <h2 id="statement-heading" class="panel-heading">"Your time and payments"</h2>
            <p class="panel-help">
                "If the facilitators recorded your time or a payment for you on this board, "
                "you can download it as a spreadsheet to check it or keep it. Nobody else's "
                "rows are in it."
            </p>
            <button
                id="statement-download"
                type="button"
                class="secondary"
                aria-disabled=move || busy.get().to_string()
                on:click=download
            >
                "Download my contribution statement"
            </button>
            <p
                id="statement-status"
                class="ledger-status"
                data-failed=move || failed.get().to_string()
                role="status"
            >
                {move || status.get()}
            </p>
        </section>
    }
    .into_any()
}
