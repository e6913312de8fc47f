//! Shown for addresses that are neither the home page nor a board.

use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    crate::dom::set_document_title("Page not found — Coboard");
    view! {
        <header class="site-header">
            <p class="brand"><a href="/">"Coboard"</a></p>
        </header>
        <main class="page">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. Boards have addresses that start with /b/."</p>
            <p><a href="/">"Go to the Coboard home page"</a></p>
        </main>
    }
}
