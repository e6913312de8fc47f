//! Judging one transaction's changes against the rules table, from the events yrs reports
//! for each root of the schema.
//!
//! yrs reports a change to an existing shared type as an event on that type (with the
//! old value of every map key it replaced), and a type created in the same transaction
//! only as the value inserted into its parent. So a new item is judged whole, key by key,
//! and an existing one by the keys that changed.

use std::collections::HashMap;

use yrs::types::{EntryChange, Event};
use yrs::{Any, Map, Out, ReadTxn, TransactionMut};

use super::{Act, Part, Who, Writer, rule};
use crate::schema::{self, as_object, as_string};

/// Why a change was refused, in words for the person who made it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Breach(pub String);

impl Breach {
    pub(super) fn shape(what: impl Into<String>) -> Self {
        Breach(what.into())
    }
}

/// Whether `writer` may `act` on `part`; if not, the sentence that says so.
pub(super) fn allow(writer: Writer, part: Part, act: Act) -> Result<(), Breach> {
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

pub(super) fn act_of(change: &EntryChange) -> Act {
    match change {
        EntryChange::Inserted(_) => Act::Create,
        EntryChange::Updated(..) => Act::Change,
        EntryChange::Removed(_) => Act::Delete,
    }
}

pub(super) fn new_value(change: &EntryChange) -> Option<&Out> {
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

/// Judges one event under a root whose values are plain JSON.
pub(super) fn plain(
    writer: Writer,
    root: Root,
    txn: &TransactionMut,
    event: &Event,
) -> Result<(), Breach> {
    let Event::Map(e) = event else {
        return Err(Breach::shape("This part of the board holds plain values."));
    };
    if !event.path().is_empty() {
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

pub(super) fn require(ok: bool, why: &str) -> Result<(), Breach> {
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
        "lead" => Part::Handover,
        "offered_to" => Part::OfferNotice,
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
pub(super) fn activity(writer: Writer, txn: &TransactionMut, event: &Event) -> Result<(), Breach> {
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
