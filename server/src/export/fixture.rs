//! A fixed board for export tests and benchmarks: a co-production plan with aims agreed
//! and not, a closed voting round with a tie, filled-in stage plans, a decision, an
//! anonymous contributor, and hostile text.

use std::collections::BTreeMap;

use coboard_shared::export::{Plan, Scope, Source};
use coboard_shared::schema::{
    Author, Board, NewItem, ParticipantRole, Round, RoundState, Status, ballot_for,
};
use coboard_shared::templates;
use yrs::{Doc, Text, Transact};

/// Fixed "now" (1 March 2026, 10:00 UTC), so golden files never change with the clock.
pub const NOW: f64 = 1_772_359_200_000.0;

/// Text that must come out inert and readable in every format.
pub const HOSTILE: &str = "<script>alert(1)</script> \"><img src=x onerror=alert(2)> =SUM(A1) Averyveryveryveryveryveryveryveryveryveryveryveryverylongwordwithoutanyspaces שלום مرحبا 🎉";

/// Builds the board; `extra` more priorities (for benchmarks) are added in the
/// priorities section.
pub fn board(extra: usize) -> Doc {
    let doc = Doc::with_client_id(1);
    let board = Board::new(&doc);
    let asha = Author::named("Asha", ParticipantRole::Public, "asha");
    let ben = Author::named("Ben", ParticipantRole::Professional, "ben");
    let mut quiet = Author::named("Quinn", ParticipantRole::Public, "quinn");
    quiet.anonymous = true;
    let mut txn = doc.transact_mut();
    let mut n = 0;
    board.init(&mut txn, "Getting to appointments");
    board.seed(
        &mut txn,
        templates::get("coproduction-plan").unwrap(),
        NOW,
        || {
            n += 1;
            format!("seed-{n:02}")
        },
    );
    let add = |txn: &mut yrs::TransactionMut,
               id: &str,
               kind: &str,
               section: &str,
               text: &str,
               by: &Author| {
        let new = NewItem {
            kind: kind.into(),
            section: section.into(),
            text: text.into(),
            author: by.clone(),
            created_at: NOW,
            ..NewItem::default()
        };
        board.add_item(txn, id, &new);
    };
    add(
        &mut txn,
        "aim-1",
        "aim",
        "aims",
        "Make it easier for carers to get to clinic",
        &asha,
    );
    add(
        &mut txn,
        "aim-2",
        "aim",
        "aims",
        "Draft aim nobody agreed",
        &ben,
    );
    add(&mut txn, "aim-3", "aim", "aims", HOSTILE, &quiet);
    add(
        &mut txn,
        "pri-1",
        "priority",
        "priorities",
        "Buses that match clinic times",
        &asha,
    );
    add(
        &mut txn,
        "pri-2",
        "priority",
        "priorities",
        "Text reminders",
        &ben,
    );
    add(
        &mut txn,
        "pri-3",
        "priority",
        "priorities",
        "Evening appointments",
        &quiet,
    );
    for i in 0..extra {
        add(
            &mut txn,
            &format!("bulk-{i:05}"),
            "priority",
            "priorities",
            &format!("Extra priority number {i} with a few words of text"),
            &asha,
        );
    }
    let present = [asha.clone(), ben.clone()];
    for id in ["aim-1", "aim-3", "pri-1", "pri-2"] {
        board
            .set_status(&mut txn, id, Status::Agreed, &ben, &present, NOW + 60_000.0)
            .unwrap();
    }
    board
        .set_status(&mut txn, "pri-3", Status::Proposed, &asha, &[], NOW)
        .unwrap();
    let round = Round {
        id: "round-1".into(),
        title: "Which matter most?".into(),
        section: "priorities".into(),
        budget: 3,
        sealed: false,
        state: RoundState::Open,
        created_at: NOW,
        closed_at: None,
    };
    board.add_round(&mut txn, &round).unwrap();
    for (who, dots) in [
        (&asha, [("pri-1", 2), ("pri-2", 1)]),
        (&ben, [("pri-2", 2), ("pri-1", 1)]),
    ] {
        let dots: BTreeMap<String, u32> = dots.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect();
        board
            .cast_ballot(&mut txn, &ballot_for(who, "round-1", NOW, dots))
            .unwrap();
    }
    board
        .close_round(&mut txn, "round-1", NOW + 30_000.0)
        .unwrap();
    let plans: Vec<String> = board
        .read_items(&txn)
        .into_iter()
        .filter(|i| i.kind == "stageplan")
        .map(|i| i.id)
        .collect();
    for (k, id) in plans.iter().enumerate() {
        board
            .set_choice(
                &mut txn,
                id,
                "approach",
                if k % 2 == 0 { "co-production" } else { "pcie" },
            )
            .unwrap();
        let how = board.field_text(&txn, id, "how").unwrap();
        how.insert(&mut txn, 0, &format!("Monthly meetings, stage {}", k + 1));
        let who = board.field_text(&txn, id, "who-involved").unwrap();
        who.insert(&mut txn, 0, "Carers, clinic staff and the bus company");
        if k < 3 {
            board
                .set_status(
                    &mut txn,
                    id,
                    Status::Agreed,
                    &asha,
                    &present,
                    NOW + 120_000.0,
                )
                .unwrap();
        }
    }
    drop(txn);
    doc
}

/// The fixed board's plan.
pub fn plan(scope: Scope) -> Plan {
    let doc = board(0);
    let b = Board::new(&doc);
    let txn = doc.transact();
    Plan::build(
        &b,
        &txn,
        scope,
        Source {
            board_id: "0123456789abcdef0123456789abcdef".into(),
            snapshot: "live".into(),
            taken_at: NOW + 300_000.0,
        },
    )
}
