//! Coboard's web client: a Leptos app rendered in the browser that edits a shared board
//! (a yrs document) and keeps it in step with the server over the y-websocket protocol.
//!
//! One folder per feature, mirroring the server's services: each owns its components
//! and, in its `api.rs`, its calls to the REST API (through [`api`], the one call
//! helper). `items` is the board's content in every view, `layout` the board page around
//! it, `ui` the small widgets the features share, `sync` the document and its connection.

mod activity;
mod api;
mod app;
mod balance;
mod comments;
mod dom;
mod download;
mod exports;
mod facilitation;
mod history;
mod identity;
mod invites;
mod items;
mod layout;
mod ledger;
mod needs;
mod pages;
mod sync;
mod token;
mod ui;
mod voting;
mod withdraw;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
