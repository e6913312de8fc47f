//! "You said, we did": what became of a contribution. Stored on the item as
//! `outcome: { state, reason, by: Author, at }`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use yrs::{Any, Map, Out, ReadTxn, TransactionMut};

use super::{Author, Board, SchemaError, as_f64, as_string};

/// Longest reason kept, in characters.
pub const MAX_REASON: usize = 1000;

/// What happened to a contribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutcomeState {
    #[default]
    Pending,
    Adopted,
    Adapted,
    NotAdopted,
}

impl OutcomeState {
    pub const ALL: [OutcomeState; 4] = [
        Self::Pending,
        Self::Adopted,
        Self::Adapted,
        Self::NotAdopted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Adopted => "adopted",
            Self::Adapted => "adapted",
            Self::NotAdopted => "not-adopted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Plain words, as the contributor reads them.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Not decided yet",
            Self::Adopted => "Adopted as you said it",
            Self::Adapted => "Adopted with changes",
            Self::NotAdopted => "Not adopted",
        }
    }
}

/// The outcome of one contribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub state: OutcomeState,
    /// Why (required when not adopted; what changed, when adapted).
    pub reason: String,
    /// Who decided.
    pub by: Author,
    /// When (ms since the Unix epoch).
    pub at: f64,
}

impl Board {
    /// Records what became of item `id`. A contribution that was not adopted needs a
    /// reason: people are owed one.
    pub fn set_outcome(
        &self,
        txn: &mut TransactionMut,
        id: &str,
        outcome: &Outcome,
    ) -> Result<(), SchemaError> {
        let item = self.item(txn, id)?;
        let reason: String = outcome.reason.trim().chars().take(MAX_REASON).collect();
        if outcome.state == OutcomeState::NotAdopted && reason.is_empty() {
            return Err(SchemaError::Invalid(
                "Say why it was not adopted: the person who suggested it will read this.".into(),
            ));
        }
        let value = Any::from(HashMap::from([
            ("state".to_owned(), Any::from(outcome.state.as_str())),
            ("reason".to_owned(), Any::from(reason)),
            ("by".to_owned(), outcome.by.to_any()),
            ("at".to_owned(), Any::from(outcome.at)),
        ]));
        item.insert(txn, "outcome", value);
        Ok(())
    }

    /// What became of item `id`, if anyone has said.
    pub fn outcome<T: ReadTxn>(&self, txn: &T, id: &str) -> Option<Outcome> {
        let Some(Out::Any(Any::Map(m))) = self.item(txn, id).ok()?.get(txn, "outcome") else {
            return None;
        };
        Some(Outcome {
            state: OutcomeState::parse(&as_string(m.get("state"))?)?,
            reason: as_string(m.get("reason")).unwrap_or_default(),
            by: m.get("by").map(Author::from_any).unwrap_or_default(),
            at: as_f64(m.get("at")).unwrap_or(0.0),
        })
    }
}
