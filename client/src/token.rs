//! The secret in an invite link (`/b/{id}#token=...`), and where this browser keeps it.
//!
//! The token arrives in the URL fragment because browsers never send fragments to servers
//! or put them in `Referer` headers. As soon as the board page loads it is moved into
//! `localStorage` and removed from the address bar with `history.replaceState`, so it is
//! not left on screen, in the history list, or in a bookmark made later. It is never
//! logged: nothing in this module (or its callers) prints a URL that carries it.

use leptos::prelude::window;
use wasm_bindgen::JsValue;

/// `localStorage` key of a board's token.
fn key(board_id: &str) -> String {
    format!("coboard.token.{board_id}")
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The `token` parameter of a fragment such as `#token=abc` (with or without the `#`).
pub fn from_fragment(fragment: &str) -> Option<String> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    fragment
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .map(|raw| {
            js_sys::decode_uri_component(raw)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_else(|| raw.to_owned())
        })
        .filter(|t| !t.is_empty())
}

/// Moves a token from the address bar's fragment into storage, then removes the fragment.
/// A new link always wins over a remembered one: it is the one the person just opened.
pub fn adopt_from_address_bar(board_id: &str) {
    let loc = window().location();
    let Some(token) = loc.hash().ok().as_deref().and_then(from_fragment) else {
        return;
    };
    save(board_id, &token);
    let clean = format!(
        "{}{}",
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    );
    if let Ok(history) = window().history() {
        // If this fails the token stays visible, which is no worse than before.
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&clean));
    }
}

/// The token remembered for a board.
pub fn load(board_id: &str) -> Option<String> {
    storage()?
        .get_item(&key(board_id))
        .ok()
        .flatten()
        .filter(|t| !t.is_empty())
}

/// Remembers a board's token; private browsing may refuse, which only means the link is
/// needed again next time.
pub fn save(board_id: &str, token: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(&key(board_id), token);
    }
}

/// Forgets a board's token once the server has refused it, so that opening a new link
/// (or the same board without one) does not keep trying the dead one. What the link let
/// me do goes with it.
pub fn forget(board_id: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&key(board_id));
        let _ = s.remove_item(&role_key(board_id));
    }
}

fn role_key(board_id: &str) -> String {
    format!("coboard.role.{board_id}")
}

/// Remembers what the server said my link lets me do, so the board opens offline.
pub fn save_role(board_id: &str, role: coboard_shared::api::AccessRole) {
    if let Some(s) = storage() {
        let _ = s.set_item(&role_key(board_id), role.as_str());
    }
}

/// What my link let me do when the server last said, for opening the board offline (the
/// server still decides what it accepts once the page reconnects).
pub fn saved_role(board_id: &str) -> Option<coboard_shared::api::AccessRole> {
    let role = storage()?.get_item(&role_key(board_id)).ok().flatten()?;
    coboard_shared::api::AccessRole::parse(&role)
}

/// Shown when the server does not know the token (HTTP 401, WebSocket close 4401).
pub const NOT_VALID: &str =
    "This link is not valid. Ask the person running the session for a new invite link.";
/// Shown when the token was revoked or has expired (HTTP 403, WebSocket close 4403).
pub const SWITCHED_OFF: &str = "This invite link has been switched off or has expired. \
     Ask the person running the session for a new one.";
/// Shown when this browser has no token for the board at all.
pub const NO_INVITE: &str = "You need an invite link to open this board. \
     Ask the person running the session to send you one.";
/// Shown when there is no such board (HTTP 404, WebSocket close 4404).
pub const NO_SUCH_BOARD: &str = "This board does not exist. Check the link you were given.";

/// A board and the token that opens it, provided as context on the board page for the
/// components that call the API (the invite panel).
#[derive(Clone)]
pub struct BoardKey {
    pub id: String,
    pub token: String,
}
