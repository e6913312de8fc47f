//! Coboard's web client: a Leptos app rendered in the browser that edits a shared board
//! (a yrs document) and keeps it in step with the server over the y-websocket protocol.

mod api;
mod app;
mod components;
mod dom;
mod download;
mod identity;
mod needs;
mod pages;
mod sync;
mod token;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
