//! Who is on a board.

use serde::{Deserialize, Serialize};

use super::AccessRole;

/// One person connected to a board, as `GET /api/boards/{id}/presence` lists them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PresentPerson {
    /// The name they show; `None` until their client says, or when they joined anonymously.
    pub name: Option<String>,
    pub anonymous: bool,
    /// The role of the invite they came in with.
    pub role: AccessRole,
    /// The server instance holding their connection.
    pub instance: String,
    /// When they connected (ms since the Unix epoch).
    pub since: i64,
    /// Their last edit or presence change (ms since the Unix epoch).
    pub last_active: i64,
    /// Their per-board person id, as their client publishes it ("" if it has not).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub person: String,
}

/// Who is on a board right now.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Presence {
    /// `"cluster"`: every instance, from Redis. `"local"`: only the instance that answered
    /// (there is no Redis, or it cannot be reached).
    pub source: String,
    pub people: Vec<PresentPerson>,
}
