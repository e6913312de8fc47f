//! "Withdraw my contribution": `POST /api/boards/{id}/items/{item}/withdraw`.

use serde::{Deserialize, Serialize};

/// The request: the author's secret, unless a facilitator asks (then it may be absent,
/// and the body too).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawRequest {
    #[serde(default)]
    pub key: Option<String>,
}

/// What the contributor is told: what no longer holds the words, and what cannot be
/// reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub item: String,
    /// Milliseconds since the Unix epoch.
    pub withdrawn_at: i64,
    /// Plain sentences: what no longer holds the words.
    pub removed: Vec<String>,
    /// Plain sentences: what Coboard cannot reach.
    pub not_removed: Vec<String>,
}
