//! How a board lives inside a yrs [`Doc`], and typed helpers to read and write it.
//!
//! The layout is the contract between every client (our Leptos app, a JavaScript Yjs
//! client, the server when it seeds a board) and is documented in `docs/board-schema.md`.
//! The server itself relays any valid Yjs update; only clients depend on this layout.
//!
//! ```text
//! Y.Map "meta"      title, template: string, schema: number, created_at: number
//! Y.Map "sections"  <section id> -> { id, title, kind, order, x, y, w, h, stage? }
//! Y.Map "items"     <item id> -> Y.Map {
//!     id, kind, section, ref: string, text: Y.Text, fields: Y.Map<field id, Y.Text | string>,
//!     x, y, w, h: number, colour: string, author: Author, seeded: bool,
//!     created_at, updated_at: number, status: "draft" | "proposed" | "agreed",
//!     decision?: { what, at, by: Author, present: [Author] }
//! }
//! Y.Map "comments"  <comment id> -> { id, item, text, author: Author, at }
//! Y.Map "rounds"    <round id> -> { id, title, section, budget, sealed, state, created_at, closed_at? }
//! Y.Map "votes"     "<round id>/<voter id>" -> { round, voter, name, role, at, dots: { <item id>: n } }
//! Y.Array "activity" { at, who: Author, action, item, kind, detail }
//! Y.Map "silent"    <round id> -> { id, prompt, section, public_first, state, created_at, revealed_at? }
//! Y.Map "facilitation"  lead, offered_to, spotlight, follow, timer, queue, speaking, heard,
//!                   talk_ms, show_talk, needs_met (see the `facilitation` module)
//! Author = { name, role, anonymous: bool, id }   (plain JSON objects throughout)
//! ```
//!
//! Every value other than `Y.Text` and the item maps is plain JSON, replaced whole when it
//! changes: a section, a round or a ballot is written by one person at a time, and a
//! whole-value write is one small block rather than a nested type.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use yrs::types::ToJson;
use yrs::{Any, ArrayRef, Doc, Map, MapRef, Out, ReadTxn, Text, TextRef, TransactionMut};

mod activity;
mod bin;
mod comment;
mod consent;
mod facilitation;
mod item;
mod outcome;
mod seed;
mod silent;
mod vote;
mod withdraw;

pub(crate) use activity::read_entry;
pub use activity::{Action, ActivityEntry, Participation, RoleCounts};
pub use bin::Removal;
pub use comment::{CommentView, MAX_COMMENT_CHARS};
pub use consent::{Attribution, Consent, PURPOSES, initials};
pub use facilitation::{FACILITATION, Lead, Offer, Speaking, Timer, TimerPhase, Waiting};
pub(crate) use item::read_decision;
pub use item::{Decision, ItemView, KINDS, NewItem, REMOVED, Status, kind_for_section, kind_label};
pub use outcome::{MAX_REASON, Outcome, OutcomeState};
pub use seed::{FRAME_HEAD, FRAME_W, GROUND_RULES, SectionView, layout_sections};
pub(crate) use silent::read_silent;
pub use silent::{MAX_CARD_CHARS, Revealed, SILENT, SilentCard, SilentRound, SilentState};
pub use vote::{
    Ballot, MAX_BUDGET, Ranked, Round, RoundState, Tally, ballot_for, is_round_id, rank,
};
pub(crate) use vote::{read_ballot, read_round};
pub use withdraw::{WITHDRAWN, Withdrawn, author_key_hash, is_key_hash};

/// Version of the layout above; written into `meta.schema` when a board is created.
pub const SCHEMA_VERSION: i64 = 2;

/// Name of the root map holding board-wide settings.
pub const META: &str = "meta";
/// Name of the root map holding every item, keyed by item id.
pub const ITEMS: &str = "items";
/// Name of the root map holding the template's sections (frames on the canvas).
pub const SECTIONS: &str = "sections";
/// Name of the root map holding comments, keyed by comment id.
pub const COMMENTS: &str = "comments";
/// Name of the root map holding voting rounds, keyed by round id.
pub const ROUNDS: &str = "rounds";
/// Name of the root map holding ballots, keyed by "<round id>/<voter id>".
pub const VOTES: &str = "votes";
/// Name of the root array logging who did what, oldest first.
pub const ACTIVITY: &str = "activity";

/// Default size of a new sticky note, in board units (CSS pixels at 100% zoom).
pub const NOTE_W: f64 = 200.0;
/// Default height of a new sticky note.
pub const NOTE_H: f64 = 140.0;

/// The role a person chose when joining a board. It is how they describe themselves,
/// not an access right: access rights come from invite tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ParticipantRole {
    /// A member of the public: a person with lived experience, a carer, a community member.
    #[default]
    Public,
    /// A researcher, clinician, service provider or commissioner.
    Professional,
    /// The person guiding the session (who may well be a public member).
    Facilitator,
}

impl ParticipantRole {
    /// Every role, in the order the join dialog offers them.
    pub const ALL: [ParticipantRole; 3] = [Self::Public, Self::Professional, Self::Facilitator];

    /// The wire name (`"public"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Professional => "professional",
            Self::Facilitator => "facilitator",
        }
    }

    /// Parses a wire name; unknown names are `None`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Plain-English label for the UI.
    pub fn label(self) -> &'static str {
        match self {
            Self::Public => "Public member",
            Self::Professional => "Professional",
            Self::Facilitator => "Facilitator",
        }
    }
}

/// Who made something, as they chose to be named.
///
/// An anonymous author is stored with an empty name and no id, so nothing in the
/// document links the contribution to a person; only the role they chose is kept, so
/// the participation panel can still count it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Author {
    pub name: String,
    pub role: ParticipantRole,
    #[serde(default)]
    pub anonymous: bool,
    /// The contributor's browser identity (random, not secret); empty when anonymous.
    #[serde(default)]
    pub id: String,
}

impl Author {
    /// A named author.
    pub fn named(name: &str, role: ParticipantRole, id: &str) -> Self {
        Self {
            name: name.to_owned(),
            role,
            anonymous: false,
            id: id.to_owned(),
        }
    }

    /// The same person, but as stored when they chose to stay anonymous.
    pub fn stored(&self) -> Self {
        if self.anonymous {
            Self {
                name: String::new(),
                role: self.role,
                anonymous: true,
                id: String::new(),
            }
        } else {
            self.clone()
        }
    }

    /// The name to show: "Anonymous" for anonymous contributions.
    pub fn display(&self) -> &str {
        if self.anonymous || self.name.is_empty() {
            "Anonymous"
        } else {
            &self.name
        }
    }

    pub(crate) fn to_any(&self) -> Any {
        let a = self.stored();
        Any::from(HashMap::from([
            ("name".to_owned(), Any::from(a.name.as_str())),
            ("role".to_owned(), Any::from(a.role.as_str())),
            ("anonymous".to_owned(), Any::from(a.anonymous)),
            ("id".to_owned(), Any::from(a.id.as_str())),
        ]))
    }

    pub(crate) fn from_any(any: &Any) -> Self {
        let Any::Map(fields) = any else {
            return Self::default();
        };
        let get = |k: &str| match fields.get(k) {
            Some(Any::String(s)) => s.to_string(),
            _ => String::new(),
        };
        let anonymous = matches!(fields.get("anonymous"), Some(Any::Bool(true)));
        Self {
            name: if anonymous {
                String::new()
            } else {
                get("name")
            },
            role: ParticipantRole::parse(&get("role")).unwrap_or_default(),
            anonymous,
            id: if anonymous { String::new() } else { get("id") },
        }
    }
}

/// Note colours. Stored by name so clients can choose their own accessible shades.
pub const COLOURS: [&str; 6] = ["yellow", "green", "blue", "pink", "orange", "purple"];

/// A plain sticky note: the kind of an item placed outside any section, and the kind
/// clients fall back to for kinds they do not know.
pub const KIND_NOTE: &str = "note";

/// Errors from the typed helpers.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum SchemaError {
    #[error("no item with id {0}")]
    NoSuchItem(String),
    #[error("item {item} has no field {field}")]
    NoSuchField { item: String, field: String },
    #[error("no voting round with id {0}")]
    NoSuchRound(String),
    #[error("this round has closed")]
    RoundClosed,
    #[error("{0}")]
    Invalid(String),
}

/// The board's root types, looked up once per document.
///
/// Build it *before* opening a transaction: `Doc::get_or_insert_map` opens a write
/// transaction of its own and would wait forever on one already open.
#[derive(Clone, Debug)]
pub struct Board {
    /// Board-wide settings.
    pub meta: MapRef,
    /// The template's sections, keyed by section id.
    pub sections: MapRef,
    /// Every item, keyed by item id.
    pub items: MapRef,
    /// Comments on items, keyed by comment id.
    pub comments: MapRef,
    /// Voting rounds, keyed by round id.
    pub rounds: MapRef,
    /// Ballots, keyed by "<round id>/<voter id>".
    pub votes: MapRef,
    /// Who did what, oldest first.
    pub activity: ArrayRef,
    /// Silent rounds, keyed by round id ([`silent`]).
    pub silent: MapRef,
    /// Who leads, the timer, the spotlight and the speaking queue ([`facilitation`]).
    pub facilitation: MapRef,
}

impl Board {
    pub fn new(doc: &Doc) -> Self {
        Self {
            meta: doc.get_or_insert_map(META),
            sections: doc.get_or_insert_map(SECTIONS),
            items: doc.get_or_insert_map(ITEMS),
            comments: doc.get_or_insert_map(COMMENTS),
            rounds: doc.get_or_insert_map(ROUNDS),
            votes: doc.get_or_insert_map(VOTES),
            activity: doc.get_or_insert_array(ACTIVITY),
            silent: doc.get_or_insert_map(SILENT),
            facilitation: doc.get_or_insert_map(FACILITATION),
        }
    }

    /// Writes the board's title and schema version. The server calls this once, when the
    /// board is created, so clients never race to initialise a board.
    pub fn init(&self, txn: &mut TransactionMut, title: &str) {
        self.meta.insert(txn, "title", title);
        self.meta.insert(txn, "schema", SCHEMA_VERSION);
    }

    /// The board's title, if it has been set.
    pub fn title<T: ReadTxn>(&self, txn: &T) -> Option<String> {
        match self.meta.get(txn, "title")? {
            Out::Any(Any::String(s)) => Some(s.to_string()),
            _ => None,
        }
    }

    /// The id of the template the board was seeded from (`"blank"` if none was recorded).
    pub fn template<T: ReadTxn>(&self, txn: &T) -> String {
        match self.meta.get(txn, "template") {
            Some(Out::Any(Any::String(s))) => s.to_string(),
            _ => "blank".to_owned(),
        }
    }
}

/// Replaces `old` with `new` in a `Y.Text` by the smallest single splice, so that two
/// people typing in one note merge character by character instead of overwriting each
/// other. Offsets are in the document's offset kind; callers pass strings, so the splice
/// is computed in that same unit.
pub fn splice_text(txn: &mut TransactionMut, text: &TextRef, old: &str, new: &str) {
    let (start, old_len, insert) = diff_splice(old, new, txn.doc().offset_kind());
    if old_len > 0 {
        text.remove_range(txn, start, old_len);
    }
    if !insert.is_empty() {
        text.insert(txn, start, insert);
    }
}

/// The single splice turning `old` into `new`: (start, length removed, text inserted),
/// with offsets counted in `kind` units (bytes or UTF-16 code units).
pub fn diff_splice<'a>(old: &str, new: &'a str, kind: yrs::OffsetKind) -> (u32, u32, &'a str) {
    let prefix: usize = old
        .char_indices()
        .zip(new.chars())
        .take_while(|((_, a), b)| a == b)
        .map(|((_, a), _)| a.len_utf8())
        .sum();
    let old_rest = &old[prefix..];
    let new_rest = &new[prefix..];
    let suffix: usize = old_rest
        .chars()
        .rev()
        .zip(new_rest.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let removed = &old_rest[..old_rest.len() - suffix];
    let inserted = &new_rest[..new_rest.len() - suffix];
    let units = |s: &str| -> u32 {
        match kind {
            yrs::OffsetKind::Bytes => s.len() as u32,
            yrs::OffsetKind::Utf16 => s.encode_utf16().count() as u32,
        }
    };
    (units(&old[..prefix]), units(removed), inserted)
}

/// Reads a number from a JSON-ish value, accepting both encodings Yjs clients use.
pub(crate) fn as_f64(v: Option<&Any>) -> Option<f64> {
    match v? {
        Any::Number(yrs::any::Number::Float(n)) => Some(*n),
        Any::Number(yrs::any::Number::Int(n)) => Some(*n as f64),
        _ => None,
    }
}

/// Reads a string from a JSON-ish value.
pub(crate) fn as_string(v: Option<&Any>) -> Option<String> {
    match v? {
        Any::String(s) => Some(s.to_string()),
        _ => None,
    }
}

/// The JSON-ish fields of a plain-object value (`None` for anything else).
pub(crate) fn as_object(out: &Out, txn: &impl ReadTxn) -> Option<HashMap<String, Any>> {
    match out.to_json(txn) {
        Any::Map(m) => Some(m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        _ => None,
    }
}

#[cfg(test)]
mod facilitation_tests;
#[cfg(test)]
mod silent_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod workflow_tests;
