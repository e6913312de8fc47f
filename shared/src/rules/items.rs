//! Judging changes under `items`: a new item whole, key by key; an existing item by the
//! keys that changed (with old and new values, so a status is judged by where it moves);
//! its text and fields by their path.

use std::collections::VecDeque;

use yrs::types::map::MapEvent;
use yrs::types::{EntryChange, Event, PathSegment};
use yrs::{Any, Map, MapRef, Out, TransactionMut};

use super::judge::{Breach, act_of, allow, new_value, require};
use super::{Act, Part, Writer};
use crate::schema::{self, Consent, as_f64, as_string};

/// A change under `items`: the entries themselves, an item's keys, its text, its fields.
pub(super) fn event(
    writer: Writer,
    txn: &TransactionMut,
    event: &Event,
    path: &VecDeque<PathSegment>,
) -> Result<(), Breach> {
    let key = |i: usize| match path.get(i) {
        Some(PathSegment::Key(k)) => Some(&**k),
        _ => None,
    };
    match (path.len(), event) {
        (0, Event::Map(e)) => {
            for (id, change) in e.keys(txn) {
                match change {
                    EntryChange::Removed(_) => allow(writer, Part::Item, Act::Delete)?,
                    // Replacing an item whole would rewrite who made it; only the server
                    // (which never does) could.
                    EntryChange::Updated(..) => allow(writer, Part::Item, Act::Change)?,
                    EntryChange::Inserted(v) => {
                        allow(writer, Part::Item, Act::Create)?;
                        new_item(writer, txn, id, v)?;
                    }
                }
            }
            Ok(())
        }
        (1, Event::Map(e)) => item_keys(writer, txn, e),
        (2, Event::Text(_)) if key(1) == Some("text") => {
            allow(writer, Part::ItemWords, Act::Change)
        }
        (2, Event::Map(e)) if key(1) == Some("fields") => {
            for change in e.keys(txn).values() {
                allow(writer, Part::ItemWords, act_of(change))?;
                if let Some(v) = new_value(change) {
                    field_value(v)?;
                }
            }
            Ok(())
        }
        (3, Event::Text(_)) if key(1) == Some("fields") => {
            allow(writer, Part::ItemWords, Act::Change)
        }
        _ => Err(Breach::shape("An item has no such part.")),
    }
}

fn field_value(v: &Out) -> Result<(), Breach> {
    require(
        matches!(v, Out::YText(_) | Out::Any(Any::String(_))),
        "An item's field is a text or a choice.",
    )
}

/// A new item, judged key by key as if each were added.
fn new_item(writer: Writer, txn: &TransactionMut, id: &str, v: &Out) -> Result<(), Breach> {
    let Out::YMap(item) = v else {
        return Err(Breach::shape("An entry of the items list must be an item."));
    };
    for (key, value) in item.iter(txn) {
        let part = item_part(key, None, Some(&value))?;
        allow(writer, part, Act::Create)?;
        item_value(txn, key, &value)?;
        if key == "id" {
            require(
                matches!(&value, Out::Any(Any::String(s)) if &**s == id),
                "An item's id must be the key it is kept under.",
            )?;
        }
    }
    Ok(())
}

/// Changed keys of an item that already existed.
fn item_keys(writer: Writer, txn: &TransactionMut, e: &MapEvent) -> Result<(), Breach> {
    for (key, change) in e.keys(txn) {
        let old = match change {
            EntryChange::Updated(old, _) | EntryChange::Removed(old) => Some(old),
            EntryChange::Inserted(_) => None,
        };
        let new = new_value(change);
        let part = item_part(key, old, new)?;
        let act = match part {
            // What is written with the item (who made it; the author's consent) is changed,
            // not added, when it is added to an item that already exists.
            Part::ItemOrigin | Part::ItemConsent => Act::Change,
            _ => act_of(change),
        };
        allow(writer, part, act)?;
        if let Some(v) = new {
            item_value(txn, key, v)?;
        }
    }
    Ok(())
}

fn is_agreed(v: Option<&Out>) -> bool {
    matches!(v, Some(Out::Any(Any::String(s))) if &**s == "agreed")
}

/// Which part of the table an item key belongs to (for `status`, by the values).
fn item_part(key: &str, old: Option<&Out>, new: Option<&Out>) -> Result<Part, Breach> {
    Ok(match key {
        "id" | "kind" | "ref" | "author" | "author_key" | "created_at" | "seeded" => {
            Part::ItemOrigin
        }
        "text" | "fields" => Part::ItemWords,
        "section" | "x" | "y" | "w" | "h" | "colour" | "updated_at" => Part::ItemPlace,
        "status" if is_agreed(old) || is_agreed(new) => Part::ItemAgreement,
        "status" => Part::ItemStatus,
        "decision" => Part::ItemAgreement,
        "outcome" => Part::ItemOutcome,
        "consent" => Part::ItemConsent,
        "withdrawn_at" => Part::ItemWithdrawal,
        "removed" => Part::ItemRemoval,
        _ => return Err(Breach::shape(format!("An item has no \"{key}\"."))),
    })
}

/// The value of one item key must have the schema's type.
fn item_value(txn: &TransactionMut, key: &str, v: &Out) -> Result<(), Breach> {
    let any = match v {
        Out::Any(a) => Some(a),
        _ => None,
    };
    let string = any.is_some_and(|a| matches!(a, Any::String(_)));
    let number = as_f64(any).is_some_and(f64::is_finite);
    let ok = match key {
        "id" | "kind" | "ref" | "section" | "colour" => string,
        "x" | "y" | "w" | "h" | "created_at" | "updated_at" | "withdrawn_at" => number,
        "seeded" => matches!(any, Some(Any::Bool(_))),
        "author" => matches!(any, Some(Any::Map(_))),
        "author_key" => as_string(any).is_some_and(|k| schema::is_key_hash(&k)),
        "status" => as_string(any).is_some_and(|s| schema::Status::parse(&s).is_some()),
        "decision" => any.and_then(schema::read_decision).is_some(),
        "outcome" => matches!(any, Some(Any::Map(m))
            if as_string(m.get("state")).is_some_and(|s| schema::OutcomeState::parse(&s).is_some())),
        "consent" => any.and_then(Consent::from_any).is_some(),
        "removed" => any.and_then(schema::Removal::from_any).is_some(),
        "text" => matches!(v, Out::YText(_)),
        "fields" => match v {
            Out::YMap(m) => return fields(txn, m),
            _ => false,
        },
        _ => false,
    };
    require(ok, &format!("An item's \"{key}\" has the wrong type."))
}

fn fields(txn: &TransactionMut, m: &MapRef) -> Result<(), Breach> {
    m.iter(txn).try_for_each(|(_, v)| field_value(&v))
}
