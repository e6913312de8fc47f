//! "Download" in the board toolbar: get the plan as a file (PDF, web page, Markdown,
//! JSON or a spreadsheet), with only what was agreed or everything.
//!
//! A small non-modal dialog like the glossary: the board stays usable beside it, Escape or
//! "Close" shuts it, and focus goes back to the button that opened it.

use leptos::prelude::*;
use web_sys::KeyboardEvent;

use super::download_choices::DownloadChoices;
use crate::sync::SessionHandle;

#[component]
pub fn ExportDialog(session: SessionHandle) -> impl IntoView {
    let open = RwSignal::new(false);
    let close = move || {
        open.set(false);
        crate::dom::focus_later("#export-open".to_owned());
    };
    let on_key = move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            close();
        }
    };
    view! {
        <button
            id="export-open"
            type="button"
            class="secondary"
            aria-haspopup="dialog"
            aria-expanded=move || open.get().to_string()
            on:click=move |_| {
                let now_open = !open.get_untracked();
                open.set(now_open);
                if now_open {
                    crate::dom::focus_later("#export-heading".to_owned());
                }
            }
        >
            "Download"
        </button>
        <Show when=move || open.get()>
            <div
                id="export-dialog"
                class="export-dialog"
                role="dialog"
                aria-labelledby="export-heading"
                on:keydown=on_key
            >
                <div class="export-dialog-head">
                    <h2 id="export-heading" tabindex="-1">"Download the plan"</h2>
                    <button type="button" class="secondary" on:click=move |_| close()>
                        "Close"
                    </button>
                </div>
                <p class="hint">"Get the board as a file to print, share or keep."</p>
                <DownloadChoices
                    session=session
                    group="export-scope".to_owned()
                    status_id="export-status"
                />
            </div>
        </Show>
    }
}
