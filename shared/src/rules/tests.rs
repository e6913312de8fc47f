//! The rules, judged on real yrs documents: a "live" board with a [`Guard`], and client
//! documents whose updates it receives, as the server receives them.

use std::collections::BTreeMap;

use yrs::updates::decoder::Decode;
use yrs::{Any, Array, Doc, Map, ReadTxn, StateVector, Transact, TransactionMut, Update, WriteTxn};

use super::*;
use crate::schema::{self, Author, Board, NewItem, ParticipantRole, Round, RoundState, Status};

/// A board as the server holds it: rebuilt from the accepted updates after a refusal, as
/// the server rebuilds it from its store.
struct Setup {
    live: std::cell::RefCell<(Doc, Guard)>,
    accepted: std::cell::RefCell<Vec<Vec<u8>>>,
}

fn note(text: &str) -> NewItem {
    NewItem {
        kind: schema::KIND_NOTE.to_owned(),
        text: text.to_owned(),
        colour: "green".to_owned(),
        author: Author::named("Asha", ParticipantRole::Public, "asha-id"),
        created_at: 1.0,
        ..NewItem::default()
    }
}

fn line(who: &Author) -> schema::ActivityEntry {
    schema::ActivityEntry {
        at: 1.0,
        who: who.clone(),
        action: schema::Action::Added,
        item: "n".to_owned(),
        kind: "note".to_owned(),
        detail: "first words".to_owned(),
    }
}

fn round(id: &str, sealed: bool) -> Round {
    Round {
        id: id.to_owned(),
        title: "Which first?".to_owned(),
        section: String::new(),
        budget: 3,
        sealed,
        state: RoundState::Open,
        created_at: 1.0,
        closed_at: None,
    }
}

impl Setup {
    /// A board with one note `n`, two rounds (`open`, `sealed`) and an activity line,
    /// made by the server.
    fn new() -> Self {
        let doc = Doc::new();
        let board = Board::new(&doc);
        {
            let mut t = doc.transact_mut();
            board.init(&mut t, "Plan");
            board.add_item(&mut t, "n", &note("first words"));
            board.add_round(&mut t, &round("open", false)).unwrap();
            board.add_round(&mut t, &round("sealed", true)).unwrap();
            board.log(&mut t, &line(&Author::default()));
        }
        let first = state(&doc);
        Self {
            live: std::cell::RefCell::new(load(std::slice::from_ref(&first))),
            accepted: std::cell::RefCell::new(vec![first]),
        }
    }

    /// Makes a change on a client holding the whole board, and judges it on the live
    /// board as `writer`; a refused change is then dropped from the live board.
    fn try_as(
        &self,
        writer: Writer,
        change: impl FnOnce(&Board, &mut TransactionMut),
    ) -> Result<(), Breach> {
        let client = Doc::new();
        apply(&client, &state(&self.live.borrow().0));
        let before = client.transact().state_vector();
        change(&Board::new(&client), &mut client.transact_mut());
        let update = client.transact().encode_state_as_update_v1(&before);
        let verdict = {
            let live = self.live.borrow();
            live.1.judging(writer, || apply(&live.0, &update)).1
        };
        match verdict {
            Ok(()) => self.accepted.borrow_mut().push(update),
            Err(_) => *self.live.borrow_mut() = load(&self.accepted.borrow()),
        }
        verdict
    }
}

fn state(doc: &Doc) -> Vec<u8> {
    doc.transact()
        .encode_state_as_update_v1(&StateVector::default())
}

fn apply(doc: &Doc, update: &[u8]) {
    doc.transact_mut()
        .apply_update(Update::decode_v1(update).unwrap())
        .unwrap();
}

fn load(updates: &[Vec<u8>]) -> (Doc, Guard) {
    let doc = Doc::new();
    for u in updates {
        apply(&doc, u);
    }
    let guard = Guard::watch(&doc);
    (doc, guard)
}

/// A change a test makes on a client.
type Change = dyn Fn(&Board, &mut TransactionMut);

const C: Writer = Writer::Contributor;
const F: Writer = Writer::Facilitator;

#[test]
fn the_honest_paths_pass() {
    let s = Setup::new();
    s.try_as(C, |b, t| b.add_item(t, "m", &note("mine")))
        .unwrap();
    s.try_as(C, |b, t| {
        let text = b.item_text(t, "n").unwrap();
        schema::splice_text(t, &text, "first words", "first kind words");
    })
    .unwrap();
    s.try_as(C, |b, t| b.set_position(t, "n", 50.0, 60.0).unwrap())
        .unwrap();
    s.try_as(C, |b, t| b.set_colour(t, "n", "blue").unwrap())
        .unwrap();
    let who = Author::named("Asha", ParticipantRole::Public, "asha-id");
    s.try_as(C, |b, t| {
        b.set_status(t, "n", Status::Proposed, &who, &[], 2.0)
            .unwrap()
    })
    .unwrap();
    let ballot = schema::ballot_for(&who, "open", 3.0, BTreeMap::from([("n".into(), 2)]));
    s.try_as(C, |b, t| b.cast_ballot(t, &ballot).unwrap())
        .unwrap();
    s.try_as(C, |b, t| {
        b.add_comment(t, "c1", "n", "Agreed with this", &who, 4.0)
            .unwrap()
    })
    .unwrap();
    s.try_as(C, |b, t| b.log(t, &line(&who))).unwrap();
    // A root outside the schema is free-form.
    s.try_as(C, |_, t| {
        t.get_or_insert_map("scratchpad").insert(t, "k", "v");
    })
    .unwrap();
    s.try_as(F, |b, t| {
        b.set_status(t, "n", Status::Agreed, &who, &[], 5.0)
            .unwrap()
    })
    .unwrap();
}

#[test]
fn who_made_an_item_is_fixed_once_written() {
    let s = Setup::new();
    for key in ["author", "author_key", "created_at", "id", "kind", "seeded"] {
        let breach = s
            .try_as(F, |b, t| {
                let item = b.item(t, "n").unwrap();
                item.insert(t, key, Any::from("x"));
            })
            .unwrap_err();
        assert!(breach.0.starts_with("Nobody can change"), "{key}: {breach}");
    }
}

#[test]
fn only_facilitators_record_agreement_and_outcomes() {
    let s = Setup::new();
    let who = Author::named("Asha", ParticipantRole::Public, "asha-id");
    let breach = s
        .try_as(C, |b, t| {
            b.set_status(t, "n", Status::Agreed, &who, &[], 2.0)
                .unwrap()
        })
        .unwrap_err();
    assert!(
        breach.0.starts_with("Only facilitators can")
            && breach.0.ends_with("what the group agreed."),
        "{breach}"
    );
    let breach = s
        .try_as(C, |b, t| {
            b.item(t, "n").unwrap().insert(
                t,
                "outcome",
                Any::from(std::collections::HashMap::from([(
                    "state".to_owned(),
                    Any::from("adopted"),
                )])),
            );
        })
        .unwrap_err();
    assert!(breach.0.contains("outcome"), "{breach}");
}

#[test]
fn consent_and_withdrawal_are_the_servers_to_write_later() {
    let s = Setup::new();
    let consent = schema::Consent {
        attribution: schema::Attribution::Anonymous,
        purposes: vec![],
        until: None,
    };
    for writer in [C, F] {
        let breach = s
            .try_as(writer, |b, t| b.set_consent(t, "n", &consent).unwrap())
            .unwrap_err();
        assert!(breach.0.contains("consent"), "{breach}");
    }
    let breach = s
        .try_as(F, |b, t| {
            b.item(t, "n").unwrap().insert(t, "withdrawn_at", 1.0);
        })
        .unwrap_err();
    assert!(breach.0.contains("withdrawal"), "{breach}");
    s.try_as(Writer::Server, |b, t| {
        b.set_consent(t, "n", &consent).unwrap()
    })
    .unwrap();
}

#[test]
fn removing_an_item_takes_a_facilitator() {
    let s = Setup::new();
    let breach = s
        .try_as(C, |b, t| b.delete_item(t, "n").unwrap())
        .unwrap_err();
    assert_eq!(breach.0, "Only facilitators can remove an item.");
    s.try_as(F, |b, t| b.delete_item(t, "n").unwrap()).unwrap();
}

#[test]
fn entries_must_match_the_schema() {
    let s = Setup::new();
    let cases: Vec<(&str, Box<Change>)> = vec![
        (
            "not an item",
            Box::new(|_, t| {
                t.get_or_insert_map(schema::ITEMS)
                    .insert(t, "x", "just a string");
            }),
        ),
        (
            "unknown key",
            Box::new(|b, t| {
                b.item(t, "n").unwrap().insert(t, "owner", "me");
            }),
        ),
        (
            "wrong type",
            Box::new(|b, t| {
                b.item(t, "n").unwrap().insert(t, "x", "left");
            }),
        ),
        (
            "unknown facilitation key",
            Box::new(|_, t| {
                t.get_or_insert_map(schema::FACILITATION)
                    .insert(t, "mood", "happy");
            }),
        ),
        (
            "malformed activity",
            Box::new(|_, t| {
                t.get_or_insert_array(schema::ACTIVITY)
                    .push_back(t, "hello");
            }),
        ),
    ];
    for (name, change) in cases {
        assert!(
            s.try_as(F, |b, t| change(b, t)).is_err(),
            "{name} was let through"
        );
    }
}

#[test]
fn rounds_and_the_session_are_run_by_facilitators_and_the_server() {
    let s = Setup::new();
    // A contributor cannot open a round, close one, or change its budget.
    assert!(
        s.try_as(C, |b, t| b.add_round(t, &round("mine", false)).unwrap())
            .is_err()
    );
    for writer in [C, F] {
        let breach = s
            .try_as(writer, |b, t| b.close_round(t, "sealed", 9.0).unwrap())
            .unwrap_err();
        assert_eq!(breach.0, "Only the server can change a voting round.");
    }
    // A ballot written straight into a sealed round's place is refused.
    let breach = s
        .try_as(C, |_, t| {
            let v = t.get_or_insert_map(schema::VOTES);
            v.insert(
                t,
                "sealed/asha-id",
                Any::from(std::collections::HashMap::from([(
                    "dots".to_owned(),
                    Any::from(std::collections::HashMap::from([(
                        "n".to_owned(),
                        Any::from(2.0),
                    )])),
                )])),
            );
        })
        .unwrap_err();
    assert!(breach.0.contains("sealed"), "{breach}");
    // Timer and spotlight are the facilitator's; the speaking queue is everyone's.
    assert!(
        s.try_as(C, |b, t| b.set_spotlight(t, Some("n"), 1.0))
            .is_err()
    );
    s.try_as(F, |b, t| b.set_spotlight(t, Some("n"), 1.0))
        .unwrap();
    let w = schema::Waiting {
        person: "p".into(),
        name: "Asha".into(),
        role: ParticipantRole::Public,
        asked_at: 1.0,
    };
    s.try_as(C, |b, t| b.ask_to_speak(t, &w)).unwrap();
    // Activity lines are only added.
    assert!(
        s.try_as(F, |_, t| {
            t.get_or_insert_array(schema::ACTIVITY).remove(t, 0);
        })
        .is_err()
    );
}

#[test]
fn may_answers_the_table() {
    assert!(may(C, Part::Item, Act::Create));
    assert!(!may(C, Part::Item, Act::Delete));
    assert!(may(F, Part::Item, Act::Delete));
    assert!(!may(Writer::Server, Part::ItemOrigin, Act::Change));
    assert!(may(C, Part::ItemStatus, Act::Change));
    assert!(!may(C, Part::ItemAgreement, Act::Change));
}

#[test]
fn the_documented_table_is_this_one() {
    let doc = include_str!("../../../docs/board-schema.md");
    assert!(
        doc.contains(&markdown()),
        "docs/board-schema.md must hold the table from rules::markdown():\n{}",
        markdown()
    );
}

#[test]
fn the_bin_is_a_facilitators_and_nobody_replaces_an_item() {
    let s = Setup::new();
    let who = Author::named("Asha", ParticipantRole::Public, "asha-id");
    let breach = s
        .try_as(C, |b, t| b.remove_item(t, "n", &who, 1.0).unwrap())
        .unwrap_err();
    assert!(breach.0.contains("bin"), "{breach}");
    s.try_as(F, |b, t| b.remove_item(t, "n", &who, 1.0).unwrap())
        .unwrap();
    s.try_as(F, |b, t| b.restore_item(t, "n").unwrap()).unwrap();

    // Nobody replaces an item whole (it would rewrite who made it), and a contributor
    // cannot delete even a note they made: it goes to the bin through the server.
    let breach = s
        .try_as(F, |b, t| b.add_item(t, "n", &note("forged")))
        .unwrap_err();
    assert!(breach.0.contains("an item"), "{breach}");
    s.try_as(C, |b, t| b.add_item(t, "mine", &note("oops")))
        .unwrap();
    assert!(
        s.try_as(C, |b, t| b.delete_item(t, "mine").unwrap())
            .is_err()
    );
}

/// Formatting content set as a map value (a crafted update no Yjs API makes) is refused,
/// whatever yrs makes of its event, and never panics out of the guard.
#[test]
fn formatting_content_as_a_map_value_is_refused() {
    let s = Setup::new();
    let mut bytes = vec![1u8, 1, 0xAB, 0x02, 0, 0x26, 1];
    for word in ["facilitation", "timer", "bold", "true"] {
        bytes.push(word.len() as u8);
        bytes.extend(word.as_bytes());
    }
    bytes.push(0);
    let live = s.live.borrow();
    let (applied, verdict) = live.1.judging(C, || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            live.0
                .transact_mut()
                .apply_update(Update::decode_v1(&bytes).unwrap())
        }))
    });
    assert!(applied.is_ok(), "the guard let a panic out");
    assert!(verdict.is_err(), "formatting content was let through");
}
