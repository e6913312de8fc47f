//! Sealed voting rounds: ballots kept by the server until the round closes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::schema::ParticipantRole;

/// `POST /api/boards/{id}/rounds/{round}/ballot`: cast or replace my sealed ballot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BallotRequest {
    /// A secret only the voter's browser knows. The server names the voter by it, so
    /// nobody can cast, change or block a ballot in someone else's name.
    pub key: String,
    /// The voter's name, or "" when they take part anonymously.
    #[serde(default)]
    pub name: String,
    pub role: ParticipantRole,
    /// Dots per item id.
    pub dots: BTreeMap<String, u32>,
}

/// How many ballots a sealed round has (never whose, nor what they say): the answer to
/// casting a ballot and to `GET /api/boards/{id}/rounds/{round}/ballots`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotCount {
    pub ballots: u64,
    /// After casting: the voter id the ballot is kept under (derived from the key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voter: Option<String>,
}

/// The answer to `POST /api/boards/{id}/rounds/{round}/close`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closed {
    pub closed: bool,
}
