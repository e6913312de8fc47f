//! Silent rounds: cards reach the document only when revealed, public members' first
//! when the round asks for it.

use yrs::{Doc, Transact};

use super::*;
use crate::templates;

const NOW: f64 = 1_800_000_000_000.0;

fn board() -> (Doc, Board) {
    let doc = Doc::new();
    let board = Board::new(&doc);
    let mut n = 0;
    board.seed(
        &mut doc.transact_mut(),
        templates::get("priority-setting").unwrap(),
        NOW,
        || {
            n += 1;
            format!("seed-{n:03}")
        },
    );
    let round = SilentRound {
        id: "s1".into(),
        prompt: "What gets in the way?".into(),
        section: "ideas".into(),
        public_first: true,
        state: SilentState::Writing,
        created_at: NOW,
        revealed_at: None,
    };
    board
        .add_silent_round(&mut doc.transact_mut(), &round)
        .unwrap();
    (doc, board)
}

fn card(id: &str, role: ParticipantRole, text: &str) -> SilentCard {
    SilentCard {
        id: id.into(),
        text: text.into(),
        author: Author::named(&format!("{id}-writer"), role, ""),
        author_key: format!("key-{id}"),
        at: NOW,
    }
}

#[test]
fn public_cards_are_revealed_first_then_the_rest() {
    let (doc, board) = board();
    let cards = [
        card("c3", ParticipantRole::Professional, "Clinic forms"),
        card("c1", ParticipantRole::Public, "Bus times"),
        card("c2", ParticipantRole::Public, "Nobody explains the letters"),
    ];
    let first = board
        .reveal_cards(&mut doc.transact_mut(), "s1", &cards, true, NOW + 1.0)
        .unwrap();
    assert_eq!(first.cards, 2);
    assert_eq!(first.state, SilentState::Public);
    let txn = doc.transact();
    assert!(board.read_item(&txn, "c3").is_none());
    let c1 = board.read_item(&txn, "c1").unwrap();
    assert_eq!((c1.kind.as_str(), c1.section.as_str()), ("idea", "ideas"));
    assert_eq!(c1.author.name, "c1-writer");
    drop(txn);

    // A repeated public reveal is refused; the full reveal adds only what is left.
    assert!(
        board
            .reveal_cards(&mut doc.transact_mut(), "s1", &cards, true, NOW)
            .is_err()
    );
    // A public card deleted from the board between the two reveals stays deleted.
    board.delete_item(&mut doc.transact_mut(), "c2").unwrap();
    let rest = board
        .reveal_cards(&mut doc.transact_mut(), "s1", &cards, false, NOW + 2.0)
        .unwrap();
    assert_eq!((rest.cards, rest.state), (1, SilentState::Revealed));
    let txn = doc.transact();
    assert_eq!(board.read_item(&txn, "c3").unwrap().text, "Clinic forms");
    assert!(
        board.read_item(&txn, "c2").is_none(),
        "a deleted card came back"
    );
    let placed: Vec<(f64, f64)> = ["c1", "c3"]
        .iter()
        .map(|id| {
            let i = board.read_item(&txn, id).unwrap();
            (i.x, i.y)
        })
        .collect();
    for (n, a) in placed.iter().enumerate() {
        assert!(!placed[n + 1..].contains(a), "cards overlap: {placed:?}");
    }
    assert_eq!(
        board.silent_round(&txn, "s1").unwrap().state,
        SilentState::Revealed
    );
}

#[test]
fn cards_are_checked_against_the_round() {
    let (doc, board) = board();
    let ok = card("c1", ParticipantRole::Public, "Bus times");
    assert!(board.check_card(&doc.transact(), "s1", &ok).is_ok());
    let empty = card("c2", ParticipantRole::Public, "  ");
    assert!(matches!(
        board.check_card(&doc.transact(), "s1", &empty),
        Err(SchemaError::Invalid(_))
    ));
    let long = card(
        "c2",
        ParticipantRole::Public,
        &"a".repeat(MAX_CARD_CHARS + 1),
    );
    assert!(board.check_card(&doc.transact(), "s1", &long).is_err());
    assert_eq!(
        board.check_card(&doc.transact(), "zz", &ok),
        Err(SchemaError::NoSuchRound("zz".into()))
    );
    // Once public members' cards are out, they write no more; others still may.
    board
        .reveal_cards(&mut doc.transact_mut(), "s1", &[], true, NOW)
        .unwrap();
    assert_eq!(
        board.check_card(&doc.transact(), "s1", &ok),
        Err(SchemaError::RoundClosed)
    );
    let pro = card("c9", ParticipantRole::Professional, "Late letters");
    assert!(board.check_card(&doc.transact(), "s1", &pro).is_ok());
    // An id that is already an item cannot be taken by a card.
    board.add_item(&mut doc.transact_mut(), "x1", &NewItem::default());
    let taken = card("x1", ParticipantRole::Professional, "again");
    assert!(matches!(
        board.check_card(&doc.transact(), "s1", &taken),
        Err(SchemaError::Invalid(_))
    ));
    board
        .reveal_cards(
            &mut doc.transact_mut(),
            "s1",
            std::slice::from_ref(&pro),
            false,
            NOW,
        )
        .unwrap();
    assert_eq!(
        board.check_card(
            &doc.transact(),
            "s1",
            &card("c8", ParticipantRole::Professional, "x")
        ),
        Err(SchemaError::RoundClosed)
    );
}

#[test]
fn anonymous_writers_stay_anonymous_when_revealed() {
    let (doc, board) = board();
    let mut c = card("c1", ParticipantRole::Public, "Bus times");
    c.author.anonymous = true;
    board
        .reveal_cards(&mut doc.transact_mut(), "s1", &[c], false, NOW)
        .unwrap();
    let item = board.read_item(&doc.transact(), "c1").unwrap();
    assert!(item.author.anonymous && item.author.name.is_empty());
    assert_eq!(item.author.role, ParticipantRole::Public);
}
