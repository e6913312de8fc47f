//! Silent rounds: cards kept by the server until the facilitator reveals them (see
//! `crate::schema::silent` for why).

use serde::{Deserialize, Serialize};

use crate::schema::ParticipantRole;

/// `POST /api/boards/{id}/silent/{round}/cards`: write, change or take back my card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardRequest {
    /// Random id chosen by the client; the card's item id once revealed.
    pub card: String,
    /// The writer's secret for this card: needed to change or withdraw it, and (hashed)
    /// the key that lets them withdraw the item once it is on the board.
    pub key: String,
    /// The card's words. Empty takes the card back before the reveal.
    pub text: String,
    /// The writer's name, or "" when they take part anonymously.
    #[serde(default)]
    pub name: String,
    pub role: ParticipantRole,
    #[serde(default)]
    pub anonymous: bool,
}

/// How many cards a round holds (never whose, nor what they say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardCount {
    pub cards: u64,
}

/// `POST /api/boards/{id}/silent/{round}/reveal`. The answer is
/// [`crate::schema::Revealed`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealRequest {
    /// Reveal only public members' cards, leaving the others for a second reveal.
    #[serde(default)]
    pub public_only: bool,
}
