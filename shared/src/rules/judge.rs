//! Judging one transaction's changes against the rules table, from the events yrs reports
//! for each root of the schema.
//!
//! yrs reports a change to an existing shared type as an event on that type (with the
//! old value of every map key it replaced), and a type created in the same transaction
//! only as the value inserted into its parent. So a new item is judged whole, key by key,
//! and an existing one by the keys that changed.

use std::collections::HashMap;

use yrs::branch::BranchID;
use yrs::types::map::MapEvent;
use yrs::types::{EntryChange, Event, PathSegment};
use yrs::{Any, ClientID, Map, MapRef, Out, ReadTxn, TransactionMut};

use super::{Act, Part, Who, Writer, rule};
use crate::schema::{self, Consent, as_f64, as_object, as_string};

/// Why a change was refused, in words for the person who made it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Breach(pub String);

impl Breach {
    fn shape(what: impl Into<String>) -> Self {
        Breach(what.into())
    }
}

/// Whether `writer` may `act` on `part`; if not, the sentence that says so.
fn allow(writer: Writer, part: Part, act: Act) -> Result<(), Breach> {
    let r = rule(part);
    let who = match act {
        Act::Create => r.create,
        Act::Change => r.change,
        Act::Delete => r.delete,
    };
    if who.allows(writer) {
        return Ok(());
    }
    Err(Breach(match who {
        Who::Nobody => format!("Nobody can {} {} once it is written.", act.verb(), r.what),
        who => format!("Only {} can {} {}.", who.plural(), act.verb(), r.what),
    }))
}

fn act_of(change: &EntryChange) -> Act {
    match change {
        EntryChange::Inserted(_) => Act::Create,
        EntryChange::Updated(..) => Act::Change,
        EntryChange::Removed(_) => Act::Delete,
    }
}

fn new_value(change: &EntryChange) -> Option<&Out> {
    match change {
        EntryChange::Inserted(v) | EntryChange::Updated(_, v) => Some(v),
        EntryChange::Removed(_) => None,
    }
}

/// A root of the schema, as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Root {
    Meta,
    Sections,
    Items,
    Comments,
    Rounds,
    Votes,
    Activity,
    Silent,
    Facilitation,
}

impl Root {
    pub(super) const ALL: [(Root, &'static str); 9] = [
        (Root::Meta, schema::META),
        (Root::Sections, schema::SECTIONS),
        (Root::Items, schema::ITEMS),
        (Root::Comments, schema::COMMENTS),
        (Root::Rounds, schema::ROUNDS),
        (Root::Votes, schema::VOTES),
        (Root::Activity, schema::ACTIVITY),
        (Root::Silent, schema::SILENT),
        (Root::Facilitation, schema::FACILITATION),
    ];
}

/// Judges one event under `root`.
pub(super) fn event(
    writer: Writer,
    own: &[u64],
    root: Root,
    txn: &TransactionMut,
    event: &Event,
) -> Result<(), Breach> {
    let path = event.path();
    if root == Root::Items {
        return item_event(writer, own, txn, event, &path);
    }
    if root == Root::Activity {
        return activity(writer, txn, event);
    }
    let Event::Map(e) = event else {
        return Err(Breach::shape("This part of the board holds plain values."));
    };
    if !path.is_empty() {
        return Err(Breach::shape("This part of the board holds plain values."));
    }
    for (key, change) in e.keys(txn) {
        plain_entry(writer, root, txn, key, change)?;
    }
    Ok(())
}

/// An entry of a root whose values are plain JSON.
fn plain_entry(
    writer: Writer,
    root: Root,
    txn: &TransactionMut,
    key: &str,
    change: &EntryChange,
) -> Result<(), Breach> {
    let act = act_of(change);
    let value = new_value(change).map(|v| as_object(v, txn));
    let part = match root {
        Root::Meta => Part::Meta,
        Root::Sections => Part::Section,
        Root::Comments => Part::Comment,
        Root::Rounds => Part::Round,
        Root::Votes => Part::Ballot,
        Root::Silent => Part::SilentRound,
        Root::Facilitation => facilitation_part(key)?,
        Root::Items | Root::Activity => unreachable!("judged elsewhere"),
    };
    allow(writer, part, act)?;
    let Some(value) = value else { return Ok(()) };
    // Meta and facilitation hold numbers and booleans too; the rest are objects.
    if matches!(root, Root::Meta | Root::Facilitation) {
        return Ok(());
    }
    let Some(f) = value else {
        return Err(Breach::shape(format!(
            "{} must be an object.",
            rule(part).what
        )));
    };
    match root {
        Root::Sections => require(
            as_string(f.get("title")).is_some(),
            "A section needs a title.",
        ),
        Root::Comments => comment(key, &f),
        Root::Rounds => require(
            schema::read_round(key, &f).is_some() && id_is(&f, key),
            "A voting round needs a plain id and a budget of 1 to 100 dots.",
        ),
        // The server writes a sealed round's ballots as it closes the round.
        Root::Votes if writer == Writer::Server => require(
            key.split_once('/')
                .is_some_and(|(r, v)| schema::read_ballot(r, v, &f).is_some()),
            "A ballot is kept under \"<round>/<voter>\".",
        ),
        Root::Votes => ballot(txn, key, &f),
        Root::Silent => require(
            schema::read_silent(key, &f).is_some() && id_is(&f, key),
            "A silent round needs its id and a state.",
        ),
        _ => Ok(()),
    }
}

fn require(ok: bool, why: &str) -> Result<(), Breach> {
    if ok { Ok(()) } else { Err(Breach::shape(why)) }
}

/// Whether an object's `id`, when present, is the key it is stored under.
fn id_is(f: &HashMap<String, Any>, key: &str) -> bool {
    as_string(f.get("id")).is_none_or(|id| id == key)
}

fn comment(key: &str, f: &HashMap<String, Any>) -> Result<(), Breach> {
    let text = as_string(f.get("text")).unwrap_or_default();
    require(
        id_is(f, key) && as_string(f.get("item")).is_some_and(|i| !i.is_empty()),
        "A comment needs its id and the item it is about.",
    )?;
    require(
        text.chars().count() <= schema::MAX_COMMENT_CHARS,
        "A comment can be at most 4,000 characters.",
    )
}

/// A ballot goes only into an open round that is not sealed, under its own key.
fn ballot(txn: &TransactionMut, key: &str, f: &HashMap<String, Any>) -> Result<(), Breach> {
    let Some((round, voter)) = key.split_once('/') else {
        return Err(Breach::shape("A ballot is kept under \"<round>/<voter>\"."));
    };
    let matches = as_string(f.get("round")).is_none_or(|r| r == round)
        && as_string(f.get("voter")).is_none_or(|v| v == voter)
        && !voter.is_empty();
    require(
        matches,
        "A ballot must name the round and voter it is kept under.",
    )?;
    let rounds = txn.get_map(schema::ROUNDS);
    let found = rounds
        .and_then(|r| r.get(txn, round))
        .and_then(|v| as_object(&v, txn))
        .and_then(|f| schema::read_round(round, &f));
    match found {
        None => Err(Breach::shape("There is no such voting round.")),
        Some(r) if r.sealed => Err(Breach::shape(
            "Votes in a sealed round go to the server, not into the board.",
        )),
        Some(r) if r.state != schema::RoundState::Open => {
            Err(Breach::shape("This voting round is closed."))
        }
        Some(_) => require(
            schema::read_ballot(round, voter, f).is_some(),
            "A ballot must be an object.",
        ),
    }
}

fn facilitation_part(key: &str) -> Result<Part, Breach> {
    Ok(match key {
        "lead" | "offered_to" => Part::Handover,
        "timer" | "spotlight" | "follow" | "needs_met" => Part::Running,
        "queue" | "speaking" | "heard" | "talk_ms" | "show_talk" => Part::Speaking,
        _ => {
            return Err(Breach::shape(format!(
                "The facilitation settings have no \"{key}\"."
            )));
        }
    })
}

/// Activity lines are only appended, each a well-formed line.
fn activity(writer: Writer, txn: &TransactionMut, event: &Event) -> Result<(), Breach> {
    let Event::Array(e) = event else {
        return Err(Breach::shape("The activity list holds plain lines."));
    };
    if !event.path().is_empty() {
        return Err(Breach::shape("The activity list holds plain lines."));
    }
    for change in e.delta(txn) {
        match change {
            yrs::types::Change::Added(values) => {
                allow(writer, Part::Activity, Act::Create)?;
                for v in values {
                    let Out::Any(any) = v else {
                        return Err(Breach::shape("An activity line is a plain object."));
                    };
                    let line = schema::read_entry(any);
                    require(
                        line.is_some_and(|l| l.detail.chars().count() <= 80),
                        "An activity line needs a time and an action, and at most 80 characters of detail.",
                    )?;
                }
            }
            yrs::types::Change::Removed(_) => allow(writer, Part::Activity, Act::Delete)?,
            yrs::types::Change::Retain(_) => {}
        }
    }
    Ok(())
}

/// A change under `items`: the entries themselves, an item's keys, its text, its fields.
fn item_event(
    writer: Writer,
    own: &[u64],
    txn: &TransactionMut,
    event: &Event,
    path: &std::collections::VecDeque<PathSegment>,
) -> Result<(), Breach> {
    let key = |i: usize| match path.get(i) {
        Some(PathSegment::Key(k)) => Some(&**k),
        _ => None,
    };
    match (path.len(), event) {
        (0, Event::Map(e)) => {
            for (id, change) in e.keys(txn) {
                let old = match change {
                    EntryChange::Updated(old, _) | EntryChange::Removed(old) => Some(old),
                    EntryChange::Inserted(_) => None,
                };
                if let Some(old) = old
                    && !made_by(old, own)
                {
                    allow(writer, Part::Item, Act::Delete)?;
                }
                if let Some(v) = new_value(change) {
                    allow(writer, Part::Item, Act::Create)?;
                    new_item(writer, txn, id, v)?;
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

/// Whether an item was made under one of the writer's own Yjs clients, so deleting it
/// takes back what this writer added (the web client's undo of adding a note).
fn made_by(item: &Out, own: &[u64]) -> bool {
    let Out::YMap(m) = item else { return false };
    matches!(m.as_ref().id(), BranchID::Nested(id) if own.iter().any(|&c| ClientID::new(c) == id.client))
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
