//! What an item's author (or a facilitator) asks the server to do to an item, since the
//! rules let nobody else do it in the document (`crate::rules`):
//! `PUT /api/boards/{id}/items/{item}/consent`, and `POST /api/boards/{id}/items/{item}/remove`
//! and `.../restore` (to the bin and back).

use serde::{Deserialize, Serialize};

use crate::schema::Consent;

/// The author changes how their words may be used, proving it with the item's key (the
/// secret whose hash is the item's `author_key`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsentRequest {
    pub key: String,
    pub consent: Consent,
}

/// Moves an item to the bin, or back: its author with the item's key, or a facilitator
/// (then the key may be absent, and the body too).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoveRequest {
    #[serde(default)]
    pub key: Option<String>,
}
