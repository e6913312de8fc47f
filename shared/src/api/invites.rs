//! Invite links.

use serde::{Deserialize, Serialize};

use super::AccessRole;

/// `POST /api/boards/{id}/invites`
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CreateInvite {
    pub role: AccessRole,
    /// The link stops working after this many hours; absent: it never expires.
    #[serde(default)]
    pub expires_in_hours: Option<u32>,
    /// A note for the facilitator, such as "public members' group".
    #[serde(default)]
    pub label: Option<String>,
}

/// Longest invite label accepted, in characters.
pub const MAX_LABEL_CHARS: usize = 100;
/// Longest expiry accepted: a year.
pub const MAX_EXPIRY_HOURS: u32 = 24 * 366;

/// An invite as listed by `GET /api/boards/{id}/invites` (never with its token).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Invite {
    pub id: String,
    pub role: AccessRole,
    pub label: String,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked: bool,
}

/// The answer to `POST /api/boards/{id}/invites` (201): the only time the token is shown.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CreatedInvite {
    #[serde(flatten)]
    pub invite: Invite,
    pub token: String,
    /// `/b/{id}#token=...`
    pub url: String,
}

/// The board page's path with a token in its fragment.
pub fn invite_url(board: &str, token: &str) -> String {
    format!("/b/{board}#token={token}")
}
