use super::*;
use crate::schema::{Attribution, Author, Consent, NewItem, Outcome, ParticipantRole, SchemaError};
use yrs::{Doc, Transact};

fn item(board: &Board, txn: &mut yrs::TransactionMut, id: &str, kind: &str, who: Author, at: f64) {
    let new = NewItem {
        kind: kind.into(),
        text: format!("{kind} {id}"),
        author: who,
        created_at: at,
        ..NewItem::default()
    };
    board.add_item(txn, id, &new);
}

#[test]
fn the_impact_log_lists_public_contributions_with_outcomes_as_consent_allows() {
    let doc = Doc::new();
    let board = Board::new(&doc);
    let asha = Author::named("Asha Begum", ParticipantRole::Public, "asha");
    let pro = Author::named("Dr Lee", ParticipantRole::Professional, "lee");
    let mut txn = doc.transact_mut();
    board.init(&mut txn, "Clinic plan");
    item(&board, &mut txn, "i1", "idea", asha.clone(), 1.0);
    item(&board, &mut txn, "i2", "idea", asha.clone(), 2.0);
    item(&board, &mut txn, "i3", "idea", asha.clone(), 3.0);
    item(&board, &mut txn, "i4", "idea", pro.clone(), 4.0);
    item(&board, &mut txn, "i5", "idea", asha.clone(), 5.0);
    item(&board, &mut txn, "r1", "review", pro.clone(), 6.0);
    let decided = |state, reason: &str| Outcome {
        state,
        reason: reason.into(),
        by: pro.clone(),
        at: 86_400_000.0,
    };
    board
        .set_outcome(&mut txn, "i1", &decided(OutcomeState::Adopted, ""))
        .unwrap();
    board
        .set_outcome(
            &mut txn,
            "i2",
            &decided(OutcomeState::Adapted, "Evening clinics, not weekend"),
        )
        .unwrap();
    assert!(matches!(
        board.set_outcome(&mut txn, "i3", &decided(OutcomeState::NotAdopted, "  ")),
        Err(SchemaError::Invalid(_))
    ));
    board
        .set_outcome(
            &mut txn,
            "i3",
            &decided(OutcomeState::NotAdopted, "No budget this year"),
        )
        .unwrap();
    let initials = Consent {
        attribution: Attribution::Initials,
        purposes: vec![],
        until: None,
    };
    board.set_consent(&mut txn, "i2", &initials).unwrap();
    let hidden = Consent {
        attribution: Attribution::NotQuoted,
        ..initials.clone()
    };
    board.set_consent(&mut txn, "i5", &hidden).unwrap();

    let log = impact_log(&board, &txn, 10.0);
    let got: Vec<(&str, &str, OutcomeState)> = log
        .iter()
        .map(|e| (e.item.as_str(), e.who.as_str(), e.outcome))
        .collect();
    assert_eq!(
        got,
        [
            ("i1", "Asha Begum", OutcomeState::Adopted),
            ("i2", "A. B.", OutcomeState::Adapted),
            ("i3", "Asha Begum", OutcomeState::NotAdopted),
        ]
    );
    assert_eq!(log[2].reason, "No budget this year");
    assert_eq!(log[2].decided_by, "Dr Lee");

    let g = Gripp2::build(&board, &txn, 10.0);
    assert_eq!(g.title, "Clinic plan");
    assert_eq!(g.contributions, [3, 2, 0]);
    assert_eq!(g.outcomes, [1, 1, 1, 0]);
    assert_eq!(g.influence.len(), 2);
    assert_eq!(g.reflections, ["review r1"]);
}
