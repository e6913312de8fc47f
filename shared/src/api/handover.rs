//! Handing the facilitator role to a person on the board. The answer to an accepted
//! offer is a new facilitator link, [`super::CreatedInvite`].

use serde::{Deserialize, Serialize};

use crate::schema::ParticipantRole;

/// `POST /api/boards/{id}/facilitator/offer` (facilitators only; answered 204).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferRequest {
    /// The per-board person id of whoever is offered the role.
    pub person: String,
    /// The offering facilitator's name, for the notice.
    #[serde(default)]
    pub by: String,
}

/// `POST /api/boards/{id}/facilitator/accept`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptRequest {
    /// The secret whose `author_key_hash` is the person id the offer names.
    pub key: String,
    #[serde(default)]
    pub name: String,
    pub role: ParticipantRole,
}
