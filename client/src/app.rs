//! Picks the page from the address bar. The server answers every unknown path with
//! `index.html`, so the client does its own (tiny) routing.

use leptos::prelude::*;

use crate::pages::{board::BoardPage, home::HomePage, not_found::NotFoundPage};

/// Which page a path shows.
enum Route {
    Home,
    Board(String),
    NotFound,
}

fn route(path: &str) -> Route {
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return Route::Home;
    }
    match path.strip_prefix("/b/") {
        Some(id) if !id.is_empty() && !id.contains('/') => Route::Board(id.to_owned()),
        _ => Route::NotFound,
    }
}

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    // Before any page draws: the access needs declared in this browser adapt every page.
    crate::needs::provide();
    let path = window().location().pathname().unwrap_or_default();
    match route(&path) {
        Route::Home => HomePage().into_any(),
        Route::Board(id) => view! { <BoardPage id=id/> }.into_any(),
        Route::NotFound => NotFoundPage().into_any(),
    }
}
