//! The cards I wrote in a silent round, remembered in this browser only.
//!
//! The server never says whose cards it holds, and the board holds none until the reveal,
//! so the only place that knows which cards are mine is this browser. Keeping their words
//! here lets me reread them, and take one back, before anyone else sees them.

use serde::{Deserialize, Serialize};

/// One card I wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCard {
    pub id: String,
    pub text: String,
}

fn key(board: &str, round: &str) -> String {
    format!("coboard.silent.{board}.{round}")
}

fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}

/// My cards in a round, oldest first.
pub fn load(board: &str, round: &str) -> Vec<MyCard> {
    storage()
        .and_then(|s| s.get_item(&key(board, round)).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// Remembers my cards (private browsing may refuse; then they last as long as the page).
pub fn save(board: &str, round: &str, cards: &[MyCard]) {
    let Some(s) = storage() else { return };
    if cards.is_empty() {
        let _ = s.remove_item(&key(board, round));
    } else if let Ok(json) = serde_json::to_string(cards) {
        let _ = s.set_item(&key(board, round), &json);
    }
}
