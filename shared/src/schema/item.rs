//! Items: notes, aims, priorities, stage plans, decisions, questions and the rest.
//!
//! Every item is a `Y.Map` with a collaborative `text` and, for structured kinds, a
//! `fields` map whose text fields are `Y.Text` too, so two people can fill in one stage
//! plan at once. Items move through [`Status`] draft → proposed → agreed; agreeing records
//! a [`Decision`] on the item: what was agreed, when, by whom, and who was there.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use yrs::{
    Any, GetString, Map, MapPrelim, MapRef, Out, ReadTxn, TextPrelim, TextRef, TransactionMut,
};

use super::{Author, Board, COLOURS, KIND_NOTE, NOTE_H, NOTE_W, SchemaError, as_f64, as_string};
use crate::templates::{FieldInput, SectionKind};

/// Every item kind, with a plain label. Clients show a kind they do not know as a note.
pub const KINDS: [(&str, &str); 12] = [
    (KIND_NOTE, "Note"),
    ("aim", "Aim"),
    ("priority", "Priority"),
    ("idea", "Idea"),
    ("question", "Question"),
    ("decision", "Decision"),
    ("stageplan", "Stage plan"),
    ("check", "Checklist item"),
    ("principle", "Principle"),
    ("ladder", "Ladder placing"),
    ("groundrule", "Ground rule"),
    ("review", "Reflection"),
];

/// Plain label for an item kind.
pub fn kind_label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("Note", |(_, label)| label)
}

/// The kind of item a person adds to a section of this kind.
pub fn kind_for_section(kind: SectionKind) -> &'static str {
    match kind {
        SectionKind::Aims => "aim",
        SectionKind::Priorities => "priority",
        SectionKind::Question => "question",
        SectionKind::Ideas | SectionKind::Voting => "idea",
        SectionKind::Decisions => "decision",
        SectionKind::StagePlan => "stageplan",
        SectionKind::Checklist => "check",
        SectionKind::Principles => "principle",
        SectionKind::Ladder => "ladder",
        SectionKind::GroundRules => "groundrule",
        SectionKind::Review => "review",
        SectionKind::Notes => KIND_NOTE,
    }
}

/// Where an item is in the group's agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Being written; not yet put to the group.
    #[default]
    Draft,
    /// Put to the group to agree.
    Proposed,
    /// Agreed by the group; carries a [`Decision`].
    Agreed,
}

impl Status {
    pub const ALL: [Status; 3] = [Self::Draft, Self::Proposed, Self::Agreed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Proposed => "proposed",
            Self::Agreed => "agreed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Proposed => "Proposed",
            Self::Agreed => "Agreed",
        }
    }
}

/// What the group agreed, recorded on the item when it is marked agreed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The item's text at the moment it was agreed.
    pub what: String,
    /// When, in ms since the Unix epoch.
    pub at: f64,
    /// Who marked it agreed.
    pub by: Author,
    /// Who was on the board at that moment (from presence), as each chose to be named.
    pub present: Vec<Author>,
    /// The item's field values at that moment (structured cards: a stage plan's answers);
    /// `None` for decisions recorded before fields were kept.
    #[serde(default)]
    pub fields: Option<BTreeMap<String, String>>,
}

/// Everything needed to create an item.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewItem {
    pub kind: String,
    /// The section it belongs to ("" for none).
    pub section: String,
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub colour: String,
    pub author: Author,
    pub created_at: f64,
    /// For items that stand for an entry of a template list (a checklist question, a
    /// principle): that entry's id.
    pub reference: String,
    /// Fields to create, with their initial values: text fields become `Y.Text`,
    /// choice fields plain strings.
    pub fields: Vec<(String, FieldInput, String)>,
    /// Made by the server from a template, not by a person (left out of participation).
    pub seeded: bool,
    /// Size; 0 means the default note size.
    pub w: f64,
    pub h: f64,
    /// [`super::author_key_hash`] of a secret only the author's client holds, so they
    /// can withdraw the item later ("" for none: then only a facilitator can).
    pub author_key: String,
}

/// A plain snapshot of one item, read out of the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: String,
    pub kind: String,
    pub section: String,
    pub reference: String,
    pub text: String,
    /// Field values by field id (text fields read as strings).
    pub fields: BTreeMap<String, String>,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub colour: String,
    pub author: Author,
    pub seeded: bool,
    pub created_at: f64,
    pub updated_at: f64,
    pub status: Status,
    pub decision: Option<Decision>,
}

impl ItemView {
    /// Whether the item was agreed and its words have changed since: the change is
    /// proposed, not agreed, until the group agrees again (or the agreed words are put
    /// back). What was agreed stays in [`Decision::what`] and [`Decision::fields`].
    pub fn changed_since_agreed(&self) -> bool {
        let Some(d) = self
            .decision
            .as_ref()
            .filter(|_| self.status == Status::Agreed)
        else {
            return false;
        };
        // Decisions recorded before fields were kept compare the text alone.
        let field_changed = d.fields.as_ref().is_some_and(|agreed| {
            let value = |m: &BTreeMap<String, String>, k: &String| {
                m.get(k).map_or(String::new(), |v| v.trim().to_owned())
            };
            let mut keys = agreed.keys().chain(self.fields.keys());
            keys.any(|k| value(agreed, k) != value(&self.fields, k))
        });
        self.text != d.what || field_changed
    }

    /// The words the group agreed (text and fields), for an agreed item; `None` otherwise.
    pub fn agreed_words(&self) -> Option<(String, BTreeMap<String, String>)> {
        let d = self
            .decision
            .as_ref()
            .filter(|_| self.status == Status::Agreed)?;
        // Recorded before fields were kept: the fields as they are now.
        let fields = d.fields.clone().unwrap_or_else(|| self.fields.clone());
        Some((d.what.clone(), fields))
    }
}

impl Board {
    /// Adds an item. Ids are chosen by the caller so that a client can refer to the item
    /// at once, before its update has round-tripped.
    pub fn add_item(&self, txn: &mut TransactionMut, id: &str, new: &NewItem) {
        let size = |v: f64, default: f64| if v > 0.0 { v } else { default };
        let colour = if new.colour.is_empty() {
            COLOURS[0]
        } else {
            new.colour.as_str()
        };
        let fields: MapPrelim = [
            ("id".to_owned(), Any::from(id)),
            ("kind".to_owned(), Any::from(new.kind.as_str())),
            ("section".to_owned(), Any::from(new.section.as_str())),
            ("ref".to_owned(), Any::from(new.reference.as_str())),
            ("x".to_owned(), Any::from(new.x)),
            ("y".to_owned(), Any::from(new.y)),
            ("w".to_owned(), Any::from(size(new.w, NOTE_W))),
            ("h".to_owned(), Any::from(size(new.h, NOTE_H))),
            ("colour".to_owned(), Any::from(colour)),
            ("author".to_owned(), new.author.to_any()),
            ("seeded".to_owned(), Any::from(new.seeded)),
            ("created_at".to_owned(), Any::from(new.created_at)),
            ("updated_at".to_owned(), Any::from(new.created_at)),
            ("status".to_owned(), Any::from(Status::Draft.as_str())),
        ]
        .into_iter()
        .collect();
        let item = self.items.insert(txn, id, fields);
        if !new.author_key.is_empty() {
            item.insert(txn, "author_key", new.author_key.as_str());
        }
        item.insert(txn, "text", TextPrelim::new(new.text.as_str()));
        if !new.fields.is_empty() {
            let map = item.insert(txn, "fields", MapPrelim::default());
            for (field, input, value) in &new.fields {
                match input {
                    FieldInput::Text => {
                        map.insert(txn, field.as_str(), TextPrelim::new(value.as_str()));
                    }
                    FieldInput::Approach | FieldInput::Rung => {
                        map.insert(txn, field.as_str(), value.as_str());
                    }
                }
            }
        }
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

    /// The collaborative text of one of an item's text fields.
    pub fn field_text<T: ReadTxn>(
        &self,
        txn: &T,
        id: &str,
        field: &str,
    ) -> Result<TextRef, SchemaError> {
        let no_field = || SchemaError::NoSuchField {
            item: id.to_owned(),
            field: field.to_owned(),
        };
        match self.item(txn, id)?.get(txn, "fields") {
            Some(Out::YMap(fields)) => match fields.get(txn, field) {
                Some(Out::YText(t)) => Ok(t),
                _ => Err(no_field()),
            },
            _ => Err(no_field()),
        }
    }

    /// Sets a choice field (an approach, a rung).
    pub fn set_choice(
        &self,
        txn: &mut TransactionMut,
        id: &str,
        field: &str,
        value: &str,
    ) -> Result<(), SchemaError> {
        match self.item(txn, id)?.get(txn, "fields") {
            Some(Out::YMap(fields)) if !matches!(fields.get(txn, field), Some(Out::YText(_))) => {
                fields.insert(txn, field, value);
                Ok(())
            }
            _ => Err(SchemaError::NoSuchField {
                item: id.to_owned(),
                field: field.to_owned(),
            }),
        }
    }

    /// Records that an item was just edited (for "new since your last visit").
    pub fn touch(&self, txn: &mut TransactionMut, id: &str, now: f64) -> Result<(), SchemaError> {
        self.item(txn, id)?.insert(txn, "updated_at", now);
        Ok(())
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

    /// Moves an item along draft → proposed → agreed (or back). Agreeing records a
    /// [`Decision`] with the item's current text, `by` and everyone `present`; leaving
    /// "agreed" removes the decision from the item (the activity list keeps the history).
    pub fn set_status(
        &self,
        txn: &mut TransactionMut,
        id: &str,
        status: Status,
        by: &Author,
        present: &[Author],
        now: f64,
    ) -> Result<(), SchemaError> {
        let item = self.item(txn, id)?;
        item.insert(txn, "status", status.as_str());
        item.insert(txn, "updated_at", now);
        if status == Status::Agreed {
            let what = self.item_text(txn, id)?.get_string(txn);
            let present: Vec<Any> = present.iter().map(Author::to_any).collect();
            let fields: HashMap<String, Any> = read_item(txn, id, &item)
                .map(|i| i.fields)
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, Any::from(v)))
                .collect();
            let decision = Any::from(HashMap::from([
                ("what".to_owned(), Any::from(what)),
                ("at".to_owned(), Any::from(now)),
                ("by".to_owned(), by.to_any()),
                ("present".to_owned(), Any::from(present)),
                ("fields".to_owned(), Any::from(fields)),
            ]));
            item.insert(txn, "decision", decision);
        } else {
            item.remove(txn, "decision");
        }
        Ok(())
    }

    /// Deletes an item and the comments on it.
    pub fn delete_item(&self, txn: &mut TransactionMut, id: &str) -> Result<(), SchemaError> {
        self.items
            .remove(txn, id)
            .ok_or_else(|| SchemaError::NoSuchItem(id.to_owned()))?;
        let comments: Vec<String> = self
            .read_comments(txn)
            .into_iter()
            .filter(|c| c.item == id)
            .map(|c| c.id)
            .collect();
        for c in comments {
            self.comments.remove(txn, &c);
        }
        Ok(())
    }

    /// One item, read; `None` for an item in the bin (see `bin`).
    pub fn read_item<T: ReadTxn>(&self, txn: &T, id: &str) -> Option<ItemView> {
        let m = self.item(txn, id).ok()?;
        if in_bin(txn, &m) {
            return None;
        }
        read_item(txn, id, &m)
    }

    /// Reads every item, ordered for reading: top to bottom, then left to right, then by
    /// id. Items that do not follow the layout are skipped rather than failing the whole
    /// board, because any Yjs client may write to it. Items in the bin are left out.
    pub fn read_items<T: ReadTxn>(&self, txn: &T) -> Vec<ItemView> {
        let mut out: Vec<ItemView> = self
            .items
            .iter(txn)
            .filter_map(|(id, value)| match value {
                Out::YMap(m) if !in_bin(txn, &m) => read_item(txn, id, &m),
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

/// The item key that puts an item in the bin (see `bin`).
pub const REMOVED: &str = "removed";

/// Whether an item's map says it is in the bin.
fn in_bin<T: ReadTxn>(txn: &T, m: &MapRef) -> bool {
    m.get(txn, REMOVED).is_some()
}

pub(super) fn read_item<T: ReadTxn>(txn: &T, id: &str, m: &MapRef) -> Option<ItemView> {
    let any = |key: &str| match m.get(txn, key) {
        Some(Out::Any(a)) => Some(a),
        _ => None,
    };
    let num = |key: &str, default: f64| as_f64(any(key).as_ref()).unwrap_or(default);
    let string = |key: &str, default: &str| {
        as_string(any(key).as_ref()).unwrap_or_else(|| default.to_owned())
    };
    let text = match m.get(txn, "text") {
        Some(Out::YText(t)) => t.get_string(txn),
        Some(Out::Any(Any::String(s))) => s.to_string(),
        _ => String::new(),
    };
    let mut fields = BTreeMap::new();
    if let Some(Out::YMap(map)) = m.get(txn, "fields") {
        for (k, v) in map.iter(txn) {
            let value = match v {
                Out::YText(t) => t.get_string(txn),
                Out::Any(Any::String(s)) => s.to_string(),
                _ => continue,
            };
            fields.insert(k.to_owned(), value);
        }
    }
    let created_at = num("created_at", 0.0);
    Some(ItemView {
        id: id.to_owned(),
        kind: string("kind", KIND_NOTE),
        section: string("section", ""),
        reference: string("ref", ""),
        text,
        fields,
        x: num("x", 0.0),
        y: num("y", 0.0),
        w: num("w", NOTE_W),
        h: num("h", NOTE_H),
        colour: string("colour", COLOURS[0]),
        author: any("author")
            .map(|a| Author::from_any(&a))
            .unwrap_or_default(),
        seeded: matches!(any("seeded"), Some(Any::Bool(true))),
        created_at,
        updated_at: num("updated_at", created_at),
        status: Status::parse(&string("status", "draft")).unwrap_or_default(),
        decision: any("decision").and_then(|a| read_decision(&a)),
    })
}

pub(crate) fn read_decision(any: &Any) -> Option<Decision> {
    let Any::Map(f) = any else { return None };
    let present = match f.get("present") {
        Some(Any::Array(list)) => list.iter().map(Author::from_any).collect(),
        _ => Vec::new(),
    };
    let fields = match f.get("fields") {
        Some(Any::Map(m)) => Some(
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), as_string(Some(v))?)))
                .collect(),
        ),
        _ => None,
    };
    Some(Decision {
        fields,
        what: as_string(f.get("what")).unwrap_or_default(),
        at: as_f64(f.get("at"))?,
        by: f.get("by").map(Author::from_any).unwrap_or_default(),
        present,
    })
}
