//! "Help: words we use": the glossary, one button away from anywhere on the board.
//!
//! Research and services are full of words that shut people out ("PCIE", "co-applicant").
//! The glossary explains them plainly, so nobody has to ask in front of the group.
//! It opens as a dialog; Escape or "Close" shuts it and puts focus back on the button.

use coboard_shared::templates::GLOSSARY;
use leptos::prelude::*;
use web_sys::KeyboardEvent;

#[component]
pub fn Glossary() -> impl IntoView {
    let open = RwSignal::new(false);
    let close = move || {
        open.set(false);
        crate::dom::focus_later("#glossary-open".to_owned());
    };
    let on_key = move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            close();
        }
    };
    view! {
        <button
            id="glossary-open"
            type="button"
            class="secondary"
            aria-haspopup="dialog"
            aria-expanded=move || open.get().to_string()
            on:click=move |_| {
                let now_open = !open.get_untracked();
                open.set(now_open);
                if now_open {
                    crate::dom::focus_later("#glossary-heading".to_owned());
                }
            }
        >
            "Help: words we use"
        </button>
        <Show when=move || open.get()>
            <div
                id="glossary"
                class="glossary"
                role="dialog"
                aria-labelledby="glossary-heading"
                on:keydown=on_key
            >
                <div class="glossary-head">
                    <h2 id="glossary-heading" tabindex="-1">"Words we use"</h2>
                    <button type="button" class="secondary" on:click=move |_| close()>
                        "Close"
                    </button>
                </div>
                <p class="hint">"What some words on this board mean, in plain English."</p>
                <dl>
                    {GLOSSARY
                        .iter()
                        .map(|t| view! { <dt>{t.term}</dt><dd>{t.meaning}</dd> })
                        .collect_view()}
                </dl>
            </div>
        </Show>
    }
}
