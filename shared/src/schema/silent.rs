//! Silent rounds: everyone writes cards alone, and nobody sees any of them until the
//! facilitator reveals them.
//!
//! Writing alone first is how a group hears the quieter voices before the confident ones
//! (INVOLVE 2018 and Nesta 2013 both stress that power shows in whose words are heard
//! first). Hiding cards only in the UI would not do: every client holds the whole
//! document, so a card in the document is a card anyone can read. Cards therefore go to
//! the server and wait in its store, outside the document, with no author shown; the
//! server writes them in as items when the facilitator reveals them
//! ([`Board::reveal_cards`]). With `public_first`, the first reveal publishes only public
//! members' cards, so theirs are on the board, and discussed, before anyone else's.
//!
//! ```text
//! Y.Map "silent"  <round id> -> { id, prompt, section, public_first, state, created_at,
//!                                 revealed_at? }
//! state: "writing" → ("public" →) "revealed"
//! ```

use serde::{Deserialize, Serialize};
use yrs::{Any, Map, ReadTxn, TransactionMut};

use super::{
    Author, Board, NOTE_H, NOTE_W, NewItem, ParticipantRole, SchemaError, as_f64, as_object,
    as_string, is_round_id,
};
use crate::templates::SectionKind;

/// Name of the root map holding silent rounds, keyed by round id.
pub const SILENT: &str = "silent";

/// Longest card accepted, in characters.
pub const MAX_CARD_CHARS: usize = 2000;

/// Where a silent round is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SilentState {
    /// People are writing; no card is on the board.
    #[default]
    Writing,
    /// Public members' cards are on the board; the others still wait.
    Public,
    /// Every card is on the board; the round takes no more.
    Revealed,
}

impl SilentState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Writing => "writing",
            Self::Public => "public",
            Self::Revealed => "revealed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Writing, Self::Public, Self::Revealed]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// A silent round, as the document holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SilentRound {
    pub id: String,
    /// The question people write to.
    pub prompt: String,
    /// The section the revealed cards go into.
    pub section: String,
    /// Reveal public members' cards before everyone else's.
    pub public_first: bool,
    pub state: SilentState,
    pub created_at: f64,
    pub revealed_at: Option<f64>,
}

/// A card as the server keeps it until it is revealed. Never in the document before then.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SilentCard {
    /// Random, chosen by the writer's client; becomes the item id.
    pub id: String,
    pub text: String,
    /// As the writer chose to be named (anonymous writers keep only their role).
    pub author: Author,
    /// [`super::author_key_hash`] of the writer's item key, so they can withdraw the card
    /// once it is on the board.
    pub author_key: String,
    pub at: f64,
}

/// What one reveal did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revealed {
    /// Cards written into the board by this reveal.
    pub cards: usize,
    pub state: SilentState,
}

impl Board {
    /// Opens a silent round.
    pub fn add_silent_round(
        &self,
        txn: &mut TransactionMut,
        round: &SilentRound,
    ) -> Result<(), SchemaError> {
        if !is_round_id(&round.id) {
            return Err(SchemaError::Invalid(
                "a round id is 1 to 64 letters, digits, '-' or '_'".into(),
            ));
        }
        self.silent
            .insert(txn, round.id.as_str(), silent_to_any(round));
        Ok(())
    }

    /// Every silent round, oldest first.
    pub fn silent_rounds<T: ReadTxn>(&self, txn: &T) -> Vec<SilentRound> {
        let mut out: Vec<SilentRound> = self
            .silent
            .iter(txn)
            .filter_map(|(id, v)| read_silent(id, &as_object(&v, txn)?))
            .collect();
        out.sort_by(|a, b| a.created_at.total_cmp(&b.created_at).then(a.id.cmp(&b.id)));
        out
    }

    /// One silent round.
    pub fn silent_round<T: ReadTxn>(&self, txn: &T, id: &str) -> Result<SilentRound, SchemaError> {
        self.silent
            .get(txn, id)
            .and_then(|v| read_silent(id, &as_object(&v, txn)?))
            .ok_or_else(|| SchemaError::NoSuchRound(id.to_owned()))
    }

    /// Checks that a round still takes cards and that the card is well formed.
    pub fn check_card<T: ReadTxn>(
        &self,
        txn: &T,
        round: &str,
        card: &SilentCard,
    ) -> Result<SilentRound, SchemaError> {
        let r = self.silent_round(txn, round)?;
        if r.state == SilentState::Revealed {
            return Err(SchemaError::RoundClosed);
        }
        if r.state == SilentState::Public && card.author.role == ParticipantRole::Public {
            return Err(SchemaError::RoundClosed);
        }
        if card.text.trim().is_empty() || card.text.chars().count() > MAX_CARD_CHARS {
            return Err(SchemaError::Invalid(format!(
                "a card holds 1 to {MAX_CARD_CHARS} characters"
            )));
        }
        if self.items.get(txn, &card.id).is_some() {
            return Err(SchemaError::Invalid("that card id is already taken".into()));
        }
        Ok(r)
    }

    /// Writes cards into the board as items of the round's section. With `public_only`,
    /// only public members' cards are revealed and the round moves to
    /// [`SilentState::Public`]; otherwise every card is, and the round is done. Cards
    /// already on the board are skipped, so a reveal can be repeated safely. Cards are
    /// placed in id order (ids are random), so the order says nothing about who wrote what.
    pub fn reveal_cards(
        &self,
        txn: &mut TransactionMut,
        round_id: &str,
        cards: &[SilentCard],
        public_only: bool,
        at: f64,
    ) -> Result<Revealed, SchemaError> {
        let mut round = self.silent_round(txn, round_id)?;
        if round.state == SilentState::Revealed {
            return Err(SchemaError::RoundClosed);
        }
        if public_only && round.state == SilentState::Public {
            return Err(SchemaError::Invalid(
                "public members' cards are already on the board".into(),
            ));
        }
        let section = self
            .read_sections(txn)
            .into_iter()
            .find(|s| s.id == round.section);
        let kind = section
            .as_ref()
            .and_then(|s| SectionKind::ALL.into_iter().find(|k| k.as_str() == s.kind))
            .map(super::kind_for_section)
            .unwrap_or(super::KIND_NOTE);
        // After a public-first reveal, public members' cards are out already: one deleted
        // from the board since must not come back.
        let public_out = round.state == SilentState::Public;
        let mut chosen: Vec<&SilentCard> = cards
            .iter()
            .filter(|c| !public_only || c.author.role == ParticipantRole::Public)
            .filter(|c| !public_out || c.author.role != ParticipantRole::Public)
            .filter(|c| self.items.get(txn, &c.id).is_none())
            .collect();
        chosen.sort_by(|a, b| a.id.cmp(&b.id));
        let already = self
            .read_items(txn)
            .iter()
            .filter(|i| i.section == round.section && !i.seeded)
            .count();
        let (x0, y0, w) = match &section {
            Some(s) => (s.x + 16.0, s.y + 56.0, s.w - 32.0),
            None => (0.0, 0.0, 4.0 * (NOTE_W + 16.0)),
        };
        let per_row = ((w / (NOTE_W + 16.0)).floor() as usize).max(1);
        for (n, card) in chosen.iter().enumerate() {
            let slot = already + n;
            let new = NewItem {
                kind: kind.to_owned(),
                section: round.section.clone(),
                text: card.text.clone(),
                x: x0 + (slot % per_row) as f64 * (NOTE_W + 16.0),
                y: y0 + (slot / per_row) as f64 * (NOTE_H + 16.0),
                author: card.author.clone(),
                created_at: at,
                author_key: card.author_key.clone(),
                ..NewItem::default()
            };
            self.add_item(txn, &card.id, &new);
        }
        round.state = if public_only {
            SilentState::Public
        } else {
            SilentState::Revealed
        };
        round.revealed_at = Some(at);
        self.silent.insert(txn, round_id, silent_to_any(&round));
        Ok(Revealed {
            cards: chosen.len(),
            state: round.state,
        })
    }
}

fn silent_to_any(r: &SilentRound) -> Any {
    let mut m = std::collections::HashMap::from([
        ("id".to_owned(), Any::from(r.id.as_str())),
        ("prompt".to_owned(), Any::from(r.prompt.as_str())),
        ("section".to_owned(), Any::from(r.section.as_str())),
        ("public_first".to_owned(), Any::from(r.public_first)),
        ("state".to_owned(), Any::from(r.state.as_str())),
        ("created_at".to_owned(), Any::from(r.created_at)),
    ]);
    if let Some(at) = r.revealed_at {
        m.insert("revealed_at".to_owned(), Any::from(at));
    }
    Any::from(m)
}

pub(crate) fn read_silent(
    id: &str,
    f: &std::collections::HashMap<String, Any>,
) -> Option<SilentRound> {
    Some(SilentRound {
        id: id.to_owned(),
        prompt: as_string(f.get("prompt")).unwrap_or_default(),
        section: as_string(f.get("section")).unwrap_or_default(),
        public_first: matches!(f.get("public_first"), Some(Any::Bool(true))),
        state: SilentState::parse(&as_string(f.get("state"))?)?,
        created_at: as_f64(f.get("created_at")).unwrap_or(0.0),
        revealed_at: as_f64(f.get("revealed_at")),
    })
}
