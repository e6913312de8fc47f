//! How a board lives inside a yrs [`Doc`], and typed helpers to read and write it.
//!
//! The layout is the contract between every client (our Leptos app, a JavaScript Yjs
//! client, the server when it seeds a board) and is documented in `docs/board-schema.md`.
//! The server itself relays any valid Yjs update; only clients depend on this layout.
//!
//! ```text
//! Y.Map "meta"   title: string, schema: number
//! Y.Map "items"  <item id> -> Y.Map {
//!     id: string, kind: string, text: Y.Text,
//!     x, y, w, h: number, colour: string,
//!     author: { name: string, role: string },   // plain JSON object
//!     created_at: number (ms since the Unix epoch)
//! }
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use yrs::types::ToJson;
use yrs::{
    Any, Doc, GetString, Map, MapPrelim, MapRef, Out, ReadTxn, Text, TextPrelim, TextRef,
    TransactionMut,
};

/// Version of the layout above; written into `meta.schema` when a board is created.
pub const SCHEMA_VERSION: i64 = 1;

/// Name of the root map holding board-wide settings.
pub const META: &str = "meta";
/// Name of the root map holding every item, keyed by item id.
pub const ITEMS: &str = "items";

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

/// Who made an item, as they chose to be named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Author {
    pub name: String,
    pub role: ParticipantRole,
}

/// Note colours. Stored by name so clients can choose their own accessible shades.
pub const COLOURS: [&str; 6] = ["yellow", "green", "blue", "pink", "orange", "purple"];

/// What kind of thing an item is. Later kinds (aims, priorities, ...) extend this list;
/// clients must show unknown kinds as plain notes rather than drop them.
pub const KIND_NOTE: &str = "note";

/// Everything needed to create an item.
#[derive(Debug, Clone, PartialEq)]
pub struct NewItem {
    pub kind: String,
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub colour: String,
    pub author: Author,
    pub created_at: f64,
}

/// A plain snapshot of one item, read out of the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: String,
    pub kind: String,
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub colour: String,
    pub author: Author,
    pub created_at: f64,
}

/// Errors from the typed helpers.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SchemaError {
    #[error("no item with id {0}")]
    NoSuchItem(String),
}

/// The board's root types, looked up once per document.
///
/// Build it *before* opening a transaction: `Doc::get_or_insert_map` opens a write
/// transaction of its own and would wait forever on one already open.
#[derive(Clone, Debug)]
pub struct Board {
    /// Board-wide settings.
    pub meta: MapRef,
    /// Every item, keyed by item id.
    pub items: MapRef,
}

impl Board {
    pub fn new(doc: &Doc) -> Self {
        Self {
            meta: doc.get_or_insert_map(META),
            items: doc.get_or_insert_map(ITEMS),
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

    /// Adds an item. Ids are chosen by the caller so that a client can refer to the item
    /// at once, before its update has round-tripped.
    pub fn add_item(&self, txn: &mut TransactionMut, id: &str, new: &NewItem) {
        let author = Any::from(HashMap::from([
            ("name".to_owned(), Any::from(new.author.name.as_str())),
            ("role".to_owned(), Any::from(new.author.role.as_str())),
        ]));
        let fields: MapPrelim = [
            ("id".to_owned(), Any::from(id)),
            ("kind".to_owned(), Any::from(new.kind.as_str())),
            ("x".to_owned(), Any::from(new.x)),
            ("y".to_owned(), Any::from(new.y)),
            ("w".to_owned(), Any::from(NOTE_W)),
            ("h".to_owned(), Any::from(NOTE_H)),
            ("colour".to_owned(), Any::from(new.colour.as_str())),
            ("author".to_owned(), author),
            ("created_at".to_owned(), Any::from(new.created_at)),
        ]
        .into_iter()
        .collect();
        let item = self.items.insert(txn, id, fields);
        item.insert(txn, "text", TextPrelim::new(new.text.as_str()));
    }

    /// The item map with the given id.
    pub fn item<T: ReadTxn>(&self, txn: &T, id: &str) -> Result<MapRef, SchemaError> {
        match self.items.get(txn, id) {
            Some(Out::YMap(m)) => Ok(m),
            _ => Err(SchemaError::NoSuchItem(id.to_owned())),
        }
    }

    /// The collaborative text of an item.
    pub fn item_text<T: ReadTxn>(&self, txn: &T, id: &str) -> Result<TextRef, SchemaError> {
        match self.item(txn, id)?.get(txn, "text") {
            Some(Out::YText(t)) => Ok(t),
            _ => Err(SchemaError::NoSuchItem(id.to_owned())),
        }
    }

    /// Moves an item.
    pub fn set_position(
        &self,
        txn: &mut TransactionMut,
        id: &str,
        x: f64,
        y: f64,
    ) -> Result<(), SchemaError> {
        let m = self.item(txn, id)?;
        m.insert(txn, "x", x);
        m.insert(txn, "y", y);
        Ok(())
    }

    /// Changes an item's colour.
    pub fn set_colour(
        &self,
        txn: &mut TransactionMut,
        id: &str,
        colour: &str,
    ) -> Result<(), SchemaError> {
        self.item(txn, id)?.insert(txn, "colour", colour);
        Ok(())
    }

    /// Deletes an item.
    pub fn delete_item(&self, txn: &mut TransactionMut, id: &str) -> Result<(), SchemaError> {
        self.items
            .remove(txn, id)
            .map(|_| ())
            .ok_or_else(|| SchemaError::NoSuchItem(id.to_owned()))
    }

    /// Reads every item, ordered for reading: top to bottom, then left to right, then by
    /// id. Items that do not follow the layout are skipped rather than failing the whole
    /// board, because any Yjs client may write to it.
    pub fn read_items<T: ReadTxn>(&self, txn: &T) -> Vec<ItemView> {
        let mut out: Vec<ItemView> = self
            .items
            .iter(txn)
            .filter_map(|(id, value)| match value {
                Out::YMap(m) => read_item(txn, id, &m),
                _ => None,
            })
            .collect();
        out.sort_by(|a, b| {
            a.y.total_cmp(&b.y)
                .then(a.x.total_cmp(&b.x))
                .then(a.id.cmp(&b.id))
        });
        out
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

fn read_item<T: ReadTxn>(txn: &T, id: &str, m: &MapRef) -> Option<ItemView> {
    let num = |key: &str, default: f64| match m.get(txn, key) {
        Some(Out::Any(Any::Number(yrs::any::Number::Float(n)))) => n,
        Some(Out::Any(Any::Number(yrs::any::Number::Int(n)))) => n as f64,
        _ => default,
    };
    let string = |key: &str, default: &str| match m.get(txn, key) {
        Some(Out::Any(Any::String(s))) => s.to_string(),
        _ => default.to_owned(),
    };
    let text = match m.get(txn, "text") {
        Some(Out::YText(t)) => t.get_string(txn),
        Some(Out::Any(Any::String(s))) => s.to_string(),
        _ => String::new(),
    };
    let author = match m.get(txn, "author") {
        Some(out) => read_author(&out.to_json(txn)),
        None => Author::default(),
    };
    Some(ItemView {
        id: id.to_owned(),
        kind: string("kind", KIND_NOTE),
        text,
        x: num("x", 0.0),
        y: num("y", 0.0),
        w: num("w", NOTE_W),
        h: num("h", NOTE_H),
        colour: string("colour", COLOURS[0]),
        author,
        created_at: num("created_at", 0.0),
    })
}

fn read_author(any: &Any) -> Author {
    let Any::Map(fields) = any else {
        return Author::default();
    };
    let get = |k: &str| match fields.get(k) {
        Some(Any::String(s)) => s.to_string(),
        _ => String::new(),
    };
    Author {
        name: get("name"),
        role: ParticipantRole::parse(&get("role")).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests;
