//! One short sentence in plain words, shown only to people who asked for easy read.
//!
//! Pages and panels put one at their top to say what the place is for, before any
//! detail. Everyone else sees the page as before: the sentence is for those who need it,
//! not extra reading for all.

use leptos::prelude::*;

use crate::needs::{self, Need};

#[component]
pub fn EasyRead(
    /// The sentence: short, plain, no jargon.
    text: &'static str,
) -> impl IntoView {
    let on = needs::wants(Need::EasyRead);
    view! {
        <Show when=move || on.get()>
            <p class="easy-read">{text}</p>
        </Show>
    }
}
