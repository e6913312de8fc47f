//! The speaking queue, talk time, the timer and handing over.

use yrs::{Doc, Transact};

use super::*;

fn waiting(person: &str, role: ParticipantRole, asked_at: f64) -> Waiting {
    Waiting {
        person: person.into(),
        name: format!("{person} name"),
        role,
        asked_at,
    }
}

#[test]
fn people_not_yet_heard_speak_first_and_talk_time_is_counted_by_role() {
    let doc = Doc::new();
    let board = Board::new(&doc);
    let mut txn = doc.transact_mut();
    board.ask_to_speak(
        &mut txn,
        &waiting("pro", ParticipantRole::Professional, 1.0),
    );
    board.ask_to_speak(&mut txn, &waiting("pub", ParticipantRole::Public, 2.0));
    // Asking twice keeps the first place.
    board.ask_to_speak(
        &mut txn,
        &waiting("pro", ParticipantRole::Professional, 9.0),
    );
    let s = board.next_speaker(&mut txn, 10.0).unwrap();
    assert_eq!(s.person, "pro");
    // The professional speaks for 60 s, then asks again; the public member, not yet
    // heard, goes before them even though they asked later.
    board.ask_to_speak(
        &mut txn,
        &waiting("pro", ParticipantRole::Professional, 20.0),
    );
    let s = board.next_speaker(&mut txn, 60_010.0).unwrap();
    assert_eq!(s.person, "pub");
    board.ask_to_speak(&mut txn, &waiting("new", ParticipantRole::Public, 30.0));
    let order: Vec<String> = board
        .speaking_queue(&txn)
        .into_iter()
        .map(|w| w.person)
        .collect();
    assert_eq!(order, ["new", "pro"]);
    board.end_turn(&mut txn, 90_010.0);
    assert!(board.speaking(&txn).is_none());
    let talk = board.talk_ms(&txn);
    assert_eq!(talk.get("professional"), Some(&60_000.0));
    assert_eq!(talk.get("public"), Some(&30_000.0));
    assert_eq!(board.heard(&txn).get("pub"), Some(&1));
    board.leave_queue(&mut txn, "new");
    assert_eq!(board.speaking_queue(&txn).len(), 1);
}

#[test]
fn the_timer_extends_for_more_time_and_pauses_for_breaks() {
    let min = 60_000.0;
    let t = Timer {
        label: "Ideas".into(),
        started_at: 0.0,
        duration_ms: 30.0 * min,
        more_time_ms: 10.0 * min,
        break_every_ms: 20.0 * min,
        break_ms: 5.0 * min,
        extended: false,
    };
    assert_eq!(
        t.phase(10.0 * min, false),
        TimerPhase::Running {
            left_ms: 20.0 * min
        }
    );
    assert_eq!(
        t.phase(22.0 * min, false),
        TimerPhase::Break { left_ms: 3.0 * min }
    );
    assert_eq!(
        t.phase(30.0 * min, false),
        TimerPhase::Running { left_ms: 5.0 * min }
    );
    assert_eq!(t.phase(35.0 * min, false), TimerPhase::Over);
    // Someone asked for more time: ten more minutes of work, and a second break falls
    // due after 40 minutes of work, which is the end.
    assert_eq!(
        t.phase(35.0 * min, true),
        TimerPhase::Running {
            left_ms: 10.0 * min
        }
    );
    assert_eq!(t.phase(45.0 * min, true), TimerPhase::Over);
    let plain = Timer {
        break_every_ms: 0.0,
        ..t
    };
    assert_eq!(
        plain.phase(29.0 * min, false),
        TimerPhase::Running { left_ms: min }
    );
    assert_eq!(plain.phase(31.0 * min, false), TimerPhase::Over);
}

#[test]
fn naming_a_lead_clears_the_offer_and_the_rest_round_trips() {
    let doc = Doc::new();
    let board = Board::new(&doc);
    let mut txn = doc.transact_mut();
    board.set_offer(
        &mut txn,
        &Offer {
            person: "p1".into(),
            by: "Sam".into(),
            at: 1.0,
        },
    );
    assert_eq!(board.offer(&txn).unwrap().person, "p1");
    board.set_lead(
        &mut txn,
        &Lead {
            name: "Asha".into(),
            role: ParticipantRole::Public,
            since: 2.0,
        },
    );
    assert!(board.offer(&txn).is_none());
    assert_eq!(board.lead(&txn).unwrap().name, "Asha");
    board.set_spotlight(&mut txn, Some("item-1"), 3.0);
    assert_eq!(board.spotlight(&txn).as_deref(), Some("item-1"));
    board.set_spotlight(&mut txn, None, 4.0);
    assert!(board.spotlight(&txn).is_none());
    assert!(!board.following(&txn));
    board.set_following(&mut txn, true, 5.0);
    assert!(board.following(&txn));
    assert!(!board.show_talk(&txn));
    board.set_show_talk(&mut txn, true);
    assert!(board.show_talk(&txn));
    board.set_need_met(&mut txn, "captions_bsl", "Live captions booked", 6.0);
    board.set_need_met(&mut txn, "more_time", "Timers give ten extra minutes", 6.0);
    board.set_need_met(&mut txn, "more_time", "", 7.0);
    let met = board.needs_met(&txn);
    assert_eq!(met.len(), 1);
    assert_eq!(met["captions_bsl"].how, "Live captions booked");
}

#[test]
fn ground_rules_are_added_first_once_to_boards_without_them() {
    let seeded = |template: &str| {
        let doc = Doc::new();
        let board = Board::new(&doc);
        let mut n = 0;
        board.seed(
            &mut doc.transact_mut(),
            crate::templates::get(template).unwrap(),
            1.0,
            || {
                n += 1;
                format!("seed-{n:03}")
            },
        );
        (doc, board)
    };
    let (doc, board) = seeded("priority-setting");
    let before = board.read_sections(&doc.transact());
    assert!(board.add_ground_rules(&mut doc.transact_mut()));
    assert!(
        !board.add_ground_rules(&mut doc.transact_mut()),
        "added twice"
    );
    let after = board.read_sections(&doc.transact());
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after[0].id, GROUND_RULES);
    assert_eq!(after[0].kind, "groundrules");
    // The rest keep their order, one place on, and the new frame overlaps none of them.
    let ids = |v: &[SectionView]| v.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&after[1..]), ids(&before));
    for s in &after[1..] {
        assert!(
            s.x + s.w <= after[0].x,
            "{} overlaps the ground rules",
            s.id
        );
    }
    // A template that has ground rules gets no second section.
    let (doc, board) = seeded("coproduction-plan");
    assert!(!board.add_ground_rules(&mut doc.transact_mut()));
}

#[test]
fn a_timer_written_by_a_hostile_client_cannot_stall_anyone() {
    let t = Timer {
        label: "x".into(),
        started_at: 0.0,
        duration_ms: 1e18,
        more_time_ms: 0.0,
        break_every_ms: 1.0,
        break_ms: 1.0,
        extended: false,
    };
    // Breaks a millisecond apart are ignored; the answer comes at once.
    assert_eq!(
        t.phase(1e12, false),
        TimerPhase::Running {
            left_ms: 1e18 - 1e12
        }
    );
    let weird = Timer {
        break_every_ms: 60_000.0,
        break_ms: f64::MIN_POSITIVE,
        duration_ms: f64::NAN,
        ..t.clone()
    };
    assert_eq!(weird.phase(5.0, false), TimerPhase::Over);
    let long = Timer {
        break_every_ms: 60_000.0,
        break_ms: 1.0,
        ..t
    };
    assert!(matches!(
        long.phase(1e15, false),
        TimerPhase::Running { .. } | TimerPhase::Break { .. }
    ));
}
