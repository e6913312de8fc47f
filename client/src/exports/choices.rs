//! What to put in a download and which format to get it in: shared by the "Download"
//! dialog in the toolbar and by each snapshot in the History tab.
//!
//! Progress and errors go to a polite live region, so screen reader users hear that the
//! file is being prepared (a PDF takes a moment) without losing their place.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::download::{self, FORMATS, Format, Scope};
use crate::sync::SessionHandle;

#[component]
pub fn DownloadChoices(
    session: SessionHandle,
    /// The snapshot to export, or `None` for the board as it is now.
    #[prop(optional)]
    snapshot: Option<String>,
    /// Name of the scope radio group; also the start of the radio buttons' ids, so it must
    /// be unique on the page.
    group: String,
    /// Id of the live region, when something needs to find it (the toolbar dialog).
    #[prop(optional)]
    status_id: Option<&'static str>,
) -> impl IntoView {
    let scope = RwSignal::new(Scope::Agreed);
    let busy = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    let failed = RwSignal::new(false);
    let snapshot = StoredValue::new(snapshot);

    let start = move |format: Format| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failed.set(false);
        status.set(format!("Preparing the {}…", format.name));
        let s = session.get();
        let (board, token) = (s.board_id().to_owned(), s.token().to_owned());
        let sid = snapshot.get_value();
        let chosen = scope.get_untracked();
        spawn_local(async move {
            match download::download(&board, &token, format, chosen, sid.as_deref()).await {
                Ok(name) => {
                    let _ = status.try_set(format!(
                        "Your {} is ready: look for “{name}” in your downloads.",
                        format.name
                    ));
                }
                Err(e) => {
                    let _ = failed.try_set(true);
                    let _ = status.try_set(e.message);
                }
            }
            let _ = busy.try_set(false);
        });
    };

    let radio = move |value: Scope, words: &'static str, hint: &'static str| {
        let id = format!("{group}-{}", value.as_str());
        let hint_id = format!("{id}-hint");
        view! {
            <div class="radio">
                <input
                    type="radio"
                    id=id.clone()
                    name=group.clone()
                    value=value.as_str()
                    aria-describedby=hint_id.clone()
                    prop:checked=move || scope.get() == value
                    on:change=move |_| scope.set(value)
                />
                <label for=id>{words}</label>
            </div>
            <p class="hint scope-hint" id=hint_id>{hint}</p>
        }
    };

    view! {
        <div class="download-choices">
            <fieldset class="export-scope">
                <legend>"What to include"</legend>
                {radio(Scope::Agreed, "What was agreed", "The plan as the group agreed it.")}
                {radio(
                    Scope::All,
                    "Everything",
                    "Drafts and proposals too, marked as not yet agreed.",
                )}
            </fieldset>
            <p class="export-formats-label">"Download as:"</p>
            <ul class="export-formats">
                {FORMATS
                    .into_iter()
                    .map(|f| view! {
                        <li>
                            <button
                                type="button"
                                class="export-download secondary"
                                data-format=f.id
                                aria-disabled=move || busy.get().to_string()
                                on:click=move |_| start(f)
                            >
                                {f.label}
                            </button>
                        </li>
                    })
                    .collect_view()}
            </ul>
            <p
                id=status_id
                class="export-status"
                data-failed=move || failed.get().to_string()
                role="status"
                aria-live="polite"
            >
                {move || status.get()}
            </p>
        </div>
    }
}
