use yrs::{Doc, Transact};

use super::*;
use crate::schema::{Author, Lead, NewItem, Outcome, SilentRound};

const NOW: f64 = 1_800_000_000_000.0;
const DAY: f64 = 86_400_000.0;

fn person(name: &str, role: ParticipantRole) -> Author {
    Author::named(name, role, &format!("{name}-id"))
}

fn add(board: &Board, doc: &Doc, id: &str, kind: &str, by: &Author) {
    let new = NewItem {
        kind: kind.into(),
        text: format!("text of {id}"),
        author: by.clone(),
        created_at: NOW,
        ..NewItem::default()
    };
    board.add_item(&mut doc.transact_mut(), id, &new);
}

fn find<'a>(all: &'a [Evidence], id: &str) -> &'a Evidence {
    all.iter().find(|e| e.id == id).unwrap()
}

#[test]
fn an_empty_board_shows_gaps_for_every_standard() {
    let doc = Doc::new();
    let board = Board::new(&doc);
    let all = gather(&board, &doc.transact(), NOW, &LedgerFacts::default());
    assert_eq!(all.len(), 6);
    for e in &all {
        assert!(e.found.is_empty(), "{}: {:?}", e.id, e.found);
        assert!(!e.gaps.is_empty(), "{} has no gap", e.id);
    }
}

#[test]
fn evidence_is_gathered_from_what_the_board_records() {
    let doc = Doc::new();
    let board = Board::new(&doc);
    let asha = person("Asha", ParticipantRole::Public);
    let sam = person("Sam", ParticipantRole::Professional);
    add(&board, &doc, "g1", "groundrule", &sam);
    add(&board, &doc, "a1", "aim", &asha);
    add(&board, &doc, "a2", "aim", &asha);
    add(&board, &doc, "r1", "review", &asha);
    {
        let mut txn = doc.transact_mut();
        board
            .set_status(
                &mut txn,
                "g1",
                Status::Agreed,
                &sam,
                std::slice::from_ref(&asha),
                NOW,
            )
            .unwrap();
        board
            .set_status(&mut txn, "a1", Status::Agreed, &sam, &[], NOW)
            .unwrap();
        let outcome = Outcome {
            state: OutcomeState::Adopted,
            reason: String::new(),
            by: sam.clone(),
            at: NOW + 2.5 * DAY,
        };
        board.set_outcome(&mut txn, "a1", &outcome).unwrap();
        board.set_need_met(&mut txn, "captions_bsl", "Live captions booked", NOW);
        board.set_lead(
            &mut txn,
            &Lead {
                name: "Asha".into(),
                role: ParticipantRole::Public,
                since: NOW,
            },
        );
        let round = SilentRound {
            id: "s1".into(),
            prompt: "?".into(),
            section: String::new(),
            public_first: true,
            state: SilentState::Writing,
            created_at: NOW,
            revealed_at: None,
        };
        board.add_silent_round(&mut txn, &round).unwrap();
        board.reveal_cards(&mut txn, "s1", &[], false, NOW).unwrap();
    }
    let ledger = LedgerFacts {
        rows: 3,
        people: 2,
        amounts: Some((15_000, 640)),
    };
    let all = gather(&board, &doc.transact(), NOW + 3.0 * DAY, &ledger);
    let text = |id: &str| find(&all, id).found.join(" | ");
    let inclusive = text("inclusive-opportunities");
    assert!(
        inclusive.contains("Captions or BSL\": Live captions booked"),
        "{inclusive}"
    );
    assert!(
        inclusive.contains("2 people (3 rows): £150.00 for time and £6.40 expenses"),
        "{inclusive}"
    );
    let together = text("working-together");
    assert!(together.contains("1 ground rule(s) agreed"), "{together}");
    // Without the amounts (anyone but a facilitator), only the counts.
    let counted = LedgerFacts {
        amounts: None,
        ..ledger.clone()
    };
    let others = gather(&board, &doc.transact(), NOW + 3.0 * DAY, &counted);
    let lines = find(&others, "inclusive-opportunities").found.join(" | ");
    assert!(
        lines.contains("Payment recorded for 2 people (3 rows)."),
        "{lines}"
    );
    assert!(!lines.contains('£'), "{lines}");
    assert!(
        together.contains("1 silent round(s) held, 1 revealing public members' cards first"),
        "{together}"
    );
    assert!(
        together.contains("Facilitated by Asha (public member)"),
        "{together}"
    );
    assert!(text("support-and-learning").contains("1 reflection(s)"));
    let governance = find(&all, "governance");
    assert!(
        governance.found[0].contains("1 of 2 decisions were made with public members present"),
        "{:?}",
        governance.found
    );
    assert!(governance.gaps[0].contains("1 decision(s) were made with no public member present"));
    let comms = find(&all, "communications");
    // Asha's two aims and her reflection are public members' contributions; one answered.
    assert!(
        comms.found[0].contains("1 of 3 contributions"),
        "{:?}",
        comms.found
    );
    assert!(
        comms.found[1].contains("within 3 day(s)"),
        "{:?}",
        comms.found
    );
    assert!(text("impact").contains("1 contribution(s) adopted"));
}
