//! The page shown instead of the board when it cannot be opened: no invite link, a link
//! the server refused, or a board that does not exist. Plain words, and a way home.

use leptos::prelude::*;

#[component]
pub fn Refusal(
    /// Short heading, e.g. "You need an invite link".
    heading: &'static str,
    /// The plain-words reason (kept in `#refusal` for tests).
    #[prop(into)]
    reason: String,
) -> impl IntoView {
    view! {
        <section class="card refused" aria-labelledby="refusal-heading">
            <h2 id="refusal-heading">{heading}</h2>
            <p id="refusal" role="alert">{reason}</p>
            <p><a href="/">"Go to the Coboard home page"</a></p>
        </section>
    }
}
