//! "Withdraw my contribution": asks the server to replace one item's words with
//! "[withdrawn]" wherever it keeps them, and hands back its receipt.

use serde::{Deserialize, Serialize};

use super::snapshot_call;

/// The server's answer: what no longer holds the words, and what it cannot reach.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Receipt {
    pub item: String,
    /// When, in ms since the Unix epoch.
    #[serde(default)]
    pub withdrawn_at: f64,
    /// Plain sentences.
    #[serde(default)]
    pub removed: Vec<String>,
    /// Plain sentences.
    #[serde(default)]
    pub not_removed: Vec<String>,
}

#[derive(Serialize)]
struct Request<'a> {
    key: &'a str,
}

/// Withdraws item `item`, proving it is mine with its `key` (facilitators may withdraw
/// any item; for them the key is ignored).
pub async fn withdraw(board: &str, token: &str, item: &str, key: &str) -> Result<Receipt, String> {
    let item = js_sys::encode_uri_component(item)
        .as_string()
        .unwrap_or_default();
    let path = format!("/api/boards/{board}/items/{item}/withdraw");
    let body = serde_json::to_string(&Request { key }).map_err(|_| super::garbled().to_owned())?;
    snapshot_call(
        "POST",
        &path,
        token,
        Some(body),
        "The contribution could not be withdrawn",
    )
    .await
}
