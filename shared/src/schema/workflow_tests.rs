//! Seeding, statuses and decisions, voting, comments and participation.

use std::collections::{BTreeMap, HashMap};

use yrs::{Any, Doc, Map, Transact};

use super::splice_text;

use super::*;
use crate::templates::{self, SectionKind, Stage};

const NOW: f64 = 1_800_000_000_000.0;

fn seeded(template: &str) -> (Doc, Board) {
    let doc = Doc::new();
    let board = Board::new(&doc);
    let mut n = 0;
    board.seed(
        &mut doc.transact_mut(),
        templates::get(template).unwrap(),
        NOW,
        || {
            n += 1;
            format!("seed-{n:03}")
        },
    );
    (doc, board)
}

fn person(name: &str, role: ParticipantRole) -> Author {
    Author::named(name, role, &format!("{name}-id"))
}

fn add(board: &Board, doc: &Doc, id: &str, kind: &str, section: &str, by: &Author) {
    let new = NewItem {
        kind: kind.into(),
        section: section.into(),
        text: format!("text of {id}"),
        author: by.clone(),
        created_at: NOW,
        ..NewItem::default()
    };
    board.add_item(&mut doc.transact_mut(), id, &new);
}

#[test]
fn every_template_seeds_every_section_in_order() {
    for t in templates::all() {
        let (doc, board) = seeded(t.id);
        let txn = doc.transact();
        let sections = board.read_sections(&txn);
        let ids: Vec<&str> = sections.iter().map(|s| s.id.as_str()).collect();
        let want: Vec<&str> = t.sections.iter().map(|s| s.id).collect();
        assert_eq!(ids, want, "{}", t.id);
        assert_eq!(board.template(&txn), t.id);
        let items = board.read_items(&txn);
        for s in t.sections {
            let here: Vec<&ItemView> = items.iter().filter(|i| i.section == s.id).collect();
            let expected = match s.kind {
                SectionKind::StagePlan | SectionKind::Ladder => 1,
                SectionKind::Checklist => s.checks.len(),
                SectionKind::Principles => s.principles.len(),
                _ => 0,
            };
            assert_eq!(here.len(), expected, "{} / {}", t.id, s.id);
            for item in here {
                assert!(item.seeded);
                let frame = sections.iter().find(|f| f.id == s.id).unwrap();
                assert!(item.x >= frame.x && item.x + item.w <= frame.x + frame.w);
                assert!(item.y >= frame.y && item.y + item.h <= frame.y + frame.h);
                let fields: Vec<&str> = s.fields.iter().map(|f| f.id).collect();
                assert_eq!(
                    item.fields
                        .keys()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .len(),
                    fields.len()
                );
            }
        }
        // Frames never overlap.
        for (i, a) in sections.iter().enumerate() {
            for b in &sections[i + 1..] {
                let apart =
                    a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
                assert!(apart, "{}: {} overlaps {}", t.id, a.id, b.id);
            }
        }
    }
}

#[test]
fn the_plan_has_a_stage_plan_for_each_of_the_five_stages_in_order() {
    let (doc, board) = seeded("coproduction-plan");
    let txn = doc.transact();
    let stages: Vec<String> = board
        .read_sections(&txn)
        .into_iter()
        .filter_map(|s| s.stage)
        .collect();
    let want: Vec<&str> = Stage::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(stages, want);
    let plans: Vec<ItemView> = board
        .read_items(&txn)
        .into_iter()
        .filter(|i| i.kind == "stageplan")
        .collect();
    assert_eq!(plans.len(), 5);
    for p in &plans {
        assert_eq!(p.fields["approach"], "not-decided");
        for f in ["who-involved", "who-decides", "how", "when", "support"] {
            assert_eq!(p.fields[f], "", "{f}");
        }
    }
}

#[test]
fn stage_plan_fields_are_collaborative_text() {
    let (doc, board) = seeded("coproduction-plan");
    let id = board
        .read_items(&doc.transact())
        .into_iter()
        .find(|i| i.kind == "stageplan")
        .unwrap()
        .id;
    let copy = Doc::new();
    let copy_board = Board::new(&copy);
    let state = doc
        .transact()
        .encode_state_as_update_v1(&Default::default());
    copy.transact_mut()
        .apply_update(yrs::Update::decode_v1(&state).unwrap())
        .unwrap();
    {
        let mut txn = doc.transact_mut();
        let t = board.field_text(&txn, &id, "how").unwrap();
        t.insert(&mut txn, 0, "monthly meetings");
        board
            .set_choice(&mut txn, &id, "approach", "co-production")
            .unwrap();
    }
    {
        let mut txn = copy.transact_mut();
        let t = copy_board.field_text(&txn, &id, "how").unwrap();
        t.insert(&mut txn, 0, "online and ");
    }
    let a = doc
        .transact()
        .encode_state_as_update_v1(&copy.transact().state_vector());
    let b = copy
        .transact()
        .encode_state_as_update_v1(&doc.transact().state_vector());
    doc.transact_mut()
        .apply_update(yrs::Update::decode_v1(&b).unwrap())
        .unwrap();
    copy.transact_mut()
        .apply_update(yrs::Update::decode_v1(&a).unwrap())
        .unwrap();
    let one = board.read_item(&doc.transact(), &id).unwrap();
    let two = copy_board.read_item(&copy.transact(), &id).unwrap();
    assert_eq!(one, two);
    assert!(
        one.fields["how"].contains("monthly meetings") && one.fields["how"].contains("online and ")
    );
    assert_eq!(one.fields["approach"], "co-production");
    assert!(
        board
            .set_choice(&mut doc.transact_mut(), &id, "how", "x")
            .is_err(),
        "a text field is not a choice"
    );
}

use yrs::updates::decoder::Decode;
use yrs::{ReadTxn, Text};

#[test]
fn agreeing_records_a_decision_and_unagreeing_removes_it() {
    let (doc, board) = seeded("blank");
    let asha = person("Asha", ParticipantRole::Public);
    let ben = person("Ben", ParticipantRole::Professional);
    add(&board, &doc, "a1", "aim", "", &asha);
    board
        .set_status(
            &mut doc.transact_mut(),
            "a1",
            Status::Proposed,
            &asha,
            &[],
            NOW + 1.0,
        )
        .unwrap();
    assert_eq!(
        board.read_item(&doc.transact(), "a1").unwrap().decision,
        None
    );
    board
        .set_status(
            &mut doc.transact_mut(),
            "a1",
            Status::Agreed,
            &ben,
            &[asha.clone(), ben.clone()],
            NOW + 2.0,
        )
        .unwrap();
    let item = board.read_item(&doc.transact(), "a1").unwrap();
    assert_eq!(item.status, Status::Agreed);
    let d = item.decision.unwrap();
    assert_eq!(d.what, "text of a1");
    assert_eq!(d.at, NOW + 2.0);
    assert_eq!(d.by, ben);
    assert_eq!(d.present, vec![asha.clone(), ben.clone()]);
    board
        .set_status(
            &mut doc.transact_mut(),
            "a1",
            Status::Proposed,
            &asha,
            &[],
            NOW + 3.0,
        )
        .unwrap();
    let item = board.read_item(&doc.transact(), "a1").unwrap();
    assert_eq!((item.status, item.decision), (Status::Proposed, None));
}

#[test]
fn anonymous_authors_are_stored_without_name_or_id() {
    let (doc, board) = seeded("blank");
    let mut anon = person("Chris", ParticipantRole::Public);
    anon.anonymous = true;
    add(&board, &doc, "n1", "idea", "", &anon);
    let json = format!(
        "{:?}",
        doc.transact()
            .encode_state_as_update_v1(&Default::default())
    );
    let item = board.read_item(&doc.transact(), "n1").unwrap();
    assert_eq!(item.author.display(), "Anonymous");
    assert_eq!(item.author.role, ParticipantRole::Public);
    assert!(item.author.name.is_empty() && item.author.id.is_empty());
    let bytes = doc
        .transact()
        .encode_state_as_update_v1(&Default::default());
    assert!(!bytes.windows(5).any(|w| w == b"Chris"), "{json}");
}

fn round(id: &str, budget: u32, sealed: bool) -> Round {
    Round {
        id: id.into(),
        title: "Which matter most?".into(),
        section: "ideas".into(),
        budget,
        sealed,
        state: RoundState::Open,
        created_at: NOW,
        closed_at: None,
    }
}

fn voting_board() -> (Doc, Board) {
    let (doc, board) = seeded("priority-setting");
    let someone = person("Dee", ParticipantRole::Public);
    for id in ["i1", "i2", "i3", "i4"] {
        add(&board, &doc, id, "idea", "ideas", &someone);
    }
    add(&board, &doc, "elsewhere", "idea", "question", &someone);
    (doc, board)
}

fn dots(list: &[(&str, u32)]) -> BTreeMap<String, u32> {
    list.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

#[test]
fn ranking_gives_ties_the_same_rank() {
    let r = rank(
        [("a", 3), ("b", 5), ("c", 3), ("d", 0), ("e", 1)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v)),
    );
    let got: Vec<(&str, u32, u32, bool)> = r
        .iter()
        .map(|x| (x.item.as_str(), x.votes, x.rank, x.tied))
        .collect();
    assert_eq!(
        got,
        vec![
            ("b", 5, 1, false),
            ("a", 3, 2, true),
            ("c", 3, 2, true),
            ("e", 1, 4, false),
            ("d", 0, 5, false)
        ]
    );
}

#[test]
fn tally_counts_ballots_within_budget() {
    let (doc, board) = voting_board();
    board
        .add_round(&mut doc.transact_mut(), &round("r1", 3, false))
        .unwrap();
    let asha = person("Asha", ParticipantRole::Public);
    let ben = person("Ben", ParticipantRole::Professional);
    let over = ballot_for(&asha, "r1", NOW, dots(&[("i1", 4)]));
    assert!(
        board.cast_ballot(&mut doc.transact_mut(), &over).is_err(),
        "over budget is refused"
    );
    board
        .cast_ballot(
            &mut doc.transact_mut(),
            &ballot_for(&asha, "r1", NOW, dots(&[("i1", 2), ("i2", 1)])),
        )
        .unwrap();
    board
        .cast_ballot(
            &mut doc.transact_mut(),
            &ballot_for(&ben, "r1", NOW, dots(&[("i2", 2), ("i1", 1)])),
        )
        .unwrap();
    let t = board.tally(&doc.transact(), "r1").unwrap();
    assert!(!t.hidden);
    assert_eq!(t.voters, 2);
    let got: Vec<(&str, u32, u32)> = t
        .ranking
        .iter()
        .map(|r| (r.item.as_str(), r.votes, r.rank))
        .collect();
    assert_eq!(
        got,
        vec![("i1", 3, 1), ("i2", 3, 1), ("i3", 0, 3), ("i4", 0, 3)]
    );
    assert_eq!(
        t.dots_by_role,
        BTreeMap::from([("professional".into(), 3), ("public".into(), 3)])
    );
    // Changing a ballot replaces it.
    board
        .cast_ballot(
            &mut doc.transact_mut(),
            &ballot_for(&ben, "r1", NOW, dots(&[("i3", 3)])),
        )
        .unwrap();
    let t = board.tally(&doc.transact(), "r1").unwrap();
    assert_eq!(t.ranking[0].item, "i3");
}

/// A modified client skips `cast_ballot` and writes whatever it likes into the document.
#[test]
fn extra_votes_written_straight_into_the_document_gain_nothing() {
    let (doc, board) = voting_board();
    board
        .add_round(&mut doc.transact_mut(), &round("r1", 3, false))
        .unwrap();
    let asha = person("Asha", ParticipantRole::Public);
    board
        .cast_ballot(
            &mut doc.transact_mut(),
            &ballot_for(&asha, "r1", NOW, dots(&[("i1", 3)])),
        )
        .unwrap();
    {
        let mut txn = doc.transact_mut();
        let raw_dots: HashMap<String, Any> = HashMap::from([
            ("i2".to_owned(), Any::from(50.0)),
            ("i3".to_owned(), Any::from(2.5)),
            ("i4".to_owned(), Any::from(-7.0)),
            ("elsewhere".to_owned(), Any::from(9.0)),
        ]);
        let raw = Any::from(HashMap::from([
            ("round".to_owned(), Any::from("r1")),
            ("voter".to_owned(), Any::from("asha-id")),
            ("role".to_owned(), Any::from("professional")),
            ("dots".to_owned(), Any::from(raw_dots)),
        ]));
        board.votes.insert(&mut txn, "r1/cheater", raw);
    }
    let t = board.tally(&doc.transact(), "r1").unwrap();
    let votes: HashMap<&str, u32> = t
        .ranking
        .iter()
        .map(|r| (r.item.as_str(), r.votes))
        .collect();
    assert_eq!(votes["i1"], 3);
    assert_eq!(
        votes["i2"], 3,
        "the cheat's 50 dots count as its budget of 3"
    );
    assert_eq!(
        votes["i3"] + votes["i4"],
        0,
        "fractions and negatives count for nothing"
    );
    assert!(!votes.contains_key("elsewhere"));
    assert_eq!(t.voters, 2);
    assert_eq!(t.ignored, 47 + 9);
}

#[test]
fn sealed_rounds_show_nothing_until_published() {
    let (doc, board) = voting_board();
    board
        .add_round(&mut doc.transact_mut(), &round("s1", 2, true))
        .unwrap();
    let asha = person("Asha", ParticipantRole::Public);
    let ballot = ballot_for(&asha, "s1", NOW, dots(&[("i4", 2)]));
    assert!(
        board.cast_ballot(&mut doc.transact_mut(), &ballot).is_err(),
        "sealed ballots go to the server"
    );
    // A ballot smuggled into the document while the round is open...
    {
        let mut txn = doc.transact_mut();
        let raw = Any::from(HashMap::from([(
            "dots".to_owned(),
            Any::from(HashMap::from([("i1".to_owned(), Any::from(2.0))])),
        )]));
        board.votes.insert(&mut txn, "s1/smuggler", raw);
    }
    let t = board.tally(&doc.transact(), "s1").unwrap();
    assert!(t.hidden);
    assert_eq!(t.voters, 0);
    assert!(t.ranking.iter().all(|r| r.votes == 0));
    // ...is dropped when the server publishes the ballots it received.
    board
        .publish_ballots(&mut doc.transact_mut(), "s1", &[ballot], NOW + 5.0)
        .unwrap();
    let t = board.tally(&doc.transact(), "s1").unwrap();
    assert!(!t.hidden);
    assert_eq!(t.round.state, RoundState::Closed);
    assert_eq!(t.round.closed_at, Some(NOW + 5.0));
    assert_eq!(
        (t.ranking[0].item.as_str(), t.ranking[0].votes, t.voters),
        ("i4", 2, 1)
    );
    assert_eq!(board.ballot(&doc.transact(), "s1", "smuggler"), None);
    let late = ballot_for(
        &person("Ben", ParticipantRole::Public),
        "s1",
        NOW,
        dots(&[("i1", 1)]),
    );
    assert!(
        board.check_ballot(&doc.transact(), &late).is_err(),
        "closed rounds take no votes"
    );
}

#[test]
fn rounds_refuse_silly_budgets() {
    let (doc, board) = voting_board();
    assert!(
        board
            .add_round(&mut doc.transact_mut(), &round("r0", 0, false))
            .is_err()
    );
    assert!(
        board
            .add_round(&mut doc.transact_mut(), &round("r9", MAX_BUDGET + 1, false))
            .is_err()
    );
}

#[test]
fn comments_are_threaded_by_item_and_go_with_it() {
    let (doc, board) = seeded("blank");
    let asha = person("Asha", ParticipantRole::Public);
    add(&board, &doc, "n1", "note", "", &asha);
    add(&board, &doc, "n2", "note", "", &asha);
    let mut txn = doc.transact_mut();
    board
        .add_comment(&mut txn, "c2", "n1", "second", &asha, NOW + 2.0)
        .unwrap();
    board
        .add_comment(&mut txn, "c1", "n1", "first", &asha, NOW + 1.0)
        .unwrap();
    board
        .add_comment(&mut txn, "c3", "n2", "other", &asha, NOW + 3.0)
        .unwrap();
    assert!(
        board
            .add_comment(&mut txn, "c4", "nope", "x", &asha, NOW)
            .is_err()
    );
    assert!(
        board
            .add_comment(&mut txn, "c5", "n1", "   ", &asha, NOW)
            .is_err()
    );
    let texts: Vec<String> = board
        .read_comments(&txn)
        .into_iter()
        .map(|c| c.text)
        .collect();
    assert_eq!(texts, ["first", "second", "other"]);
    board.delete_item(&mut txn, "n1").unwrap();
    let left: Vec<String> = board
        .read_comments(&txn)
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(left, ["c3"]);
}

#[test]
fn participation_counts_items_edits_votes_and_comments_by_role() {
    let (doc, board) = voting_board();
    let public = person("Asha", ParticipantRole::Public);
    let pro = person("Ben", ParticipantRole::Professional);
    let fac = person("Cal", ParticipantRole::Facilitator);
    add(&board, &doc, "p1", "idea", "ideas", &pro);
    board
        .add_round(&mut doc.transact_mut(), &round("r1", 3, false))
        .unwrap();
    board
        .cast_ballot(
            &mut doc.transact_mut(),
            &ballot_for(&public, "r1", NOW, dots(&[("i1", 2), ("p1", 1)])),
        )
        .unwrap();
    board
        .cast_ballot(
            &mut doc.transact_mut(),
            &ballot_for(&pro, "r1", NOW, dots(&[("p1", 1)])),
        )
        .unwrap();
    let mut txn = doc.transact_mut();
    board
        .add_comment(&mut txn, "c1", "i1", "why?", &fac, NOW)
        .unwrap();
    board
        .add_comment(&mut txn, "c2", "i1", "because", &public, NOW)
        .unwrap();
    for who in [&public, &public, &pro] {
        board.log(
            &mut txn,
            &ActivityEntry {
                at: NOW,
                who: who.clone(),
                action: Action::Edited,
                item: "i1".into(),
                kind: "idea".into(),
                detail: String::new(),
            },
        );
    }
    let p = board.participation(&txn);
    // voting_board() made i1..i4 and "elsewhere" as the public member Dee.
    assert_eq!(
        p.role(ParticipantRole::Public),
        RoleCounts {
            items: 5,
            edits: 2,
            votes: 3,
            comments: 1
        }
    );
    assert_eq!(
        p.role(ParticipantRole::Professional),
        RoleCounts {
            items: 1,
            edits: 1,
            votes: 1,
            comments: 0
        }
    );
    assert_eq!(
        p.role(ParticipantRole::Facilitator),
        RoleCounts {
            items: 0,
            edits: 0,
            votes: 0,
            comments: 1
        }
    );
    let recent = board.read_activity(&txn, 2);
    assert_eq!(recent.len(), 2);
}

#[test]
fn hostile_round_ids_and_dot_counts_are_contained() {
    let (doc, board) = voting_board();
    assert!(
        board
            .add_round(&mut doc.transact_mut(), &round("a/b", 3, false))
            .is_err()
    );
    board
        .add_round(&mut doc.transact_mut(), &round("a", 3, false))
        .unwrap();
    {
        let mut txn = doc.transact_mut();
        // A round written straight into the document with an id that would collide with
        // round "a"'s ballot keys is not a round at all.
        let mut raw = HashMap::from([("budget".to_owned(), Any::from(3.0))]);
        raw.insert("title".to_owned(), Any::from("sneaky"));
        board.rounds.insert(&mut txn, "a/b", Any::from(raw));
        let huge = Any::from(HashMap::from([(
            "dots".to_owned(),
            Any::from(HashMap::from([("i1".to_owned(), Any::from(4.0e9))])),
        )]));
        board.votes.insert(&mut txn, "a/someone", huge);
    }
    let txn = doc.transact();
    let ids: Vec<String> = board.read_rounds(&txn).into_iter().map(|r| r.id).collect();
    assert_eq!(ids, ["a"]);
    let ballot = board.ballot(&txn, "a", "someone").unwrap();
    assert_eq!(
        ballot.dots["i1"], MAX_BUDGET,
        "read as at most the largest budget"
    );
    let t = board.tally(&txn, "a").unwrap();
    assert_eq!(t.ranking[0].votes, 3);
}

#[test]
fn agreed_words_stay_agreed_when_the_item_is_edited_later() {
    let doc = Doc::new();
    let board = Board::new(&doc);
    let who = Author::named("Fay", ParticipantRole::Facilitator, "fay");
    {
        let mut t = doc.transact_mut();
        board.init(&mut t, "Plan");
        let aim = NewItem {
            kind: "aim".into(),
            text: "Meet in the library".into(),
            author: who.clone(),
            ..NewItem::default()
        };
        board.add_item(&mut t, "a", &aim);
        board
            .set_status(&mut t, "a", Status::Agreed, &who, &[], 1.0)
            .unwrap();
    }
    let read = || board.read_item(&doc.transact(), "a").unwrap();
    assert!(!read().changed_since_agreed());
    {
        let mut t = doc.transact_mut();
        let text = board.item_text(&t, "a").unwrap();
        splice_text(&mut t, &text, "Meet in the library", "Meet online");
    }
    let item = read();
    assert!(item.changed_since_agreed());
    assert_eq!(item.agreed_words().unwrap().0, "Meet in the library");
    let plan = crate::export::Plan::build_at(
        &board,
        &doc.transact(),
        crate::export::Scope::All,
        crate::export::Source {
            board_id: "b".into(),
            snapshot: "live".into(),
            taken_at: 2.0,
        },
        2.0,
    );
    let out = &plan.decisions[0];
    assert_eq!(out.what, "Meet in the library");
    assert!(out.changed_since_agreed);
    let listed = plan
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .find(|i| i.id == "a")
        .unwrap();
    assert_eq!(
        listed.text, "Meet in the library",
        "never the unagreed words"
    );
    assert!(listed.changed_since_agreed);
    // Agreeing again records the new words.
    board
        .set_status(&mut doc.transact_mut(), "a", Status::Agreed, &who, &[], 3.0)
        .unwrap();
    assert!(!read().changed_since_agreed());
    assert_eq!(read().decision.unwrap().what, "Meet online");
}

#[test]
fn binned_items_leave_every_view_and_come_back() {
    let doc = Doc::new();
    let board = Board::new(&doc);
    let who = Author::named("Fay", ParticipantRole::Facilitator, "fay");
    {
        let mut t = doc.transact_mut();
        let n = NewItem {
            kind: "note".into(),
            text: "Bus times".into(),
            author: who.clone(),
            ..NewItem::default()
        };
        board.add_item(&mut t, "n", &n);
        board.remove_item(&mut t, "n", &who, 5.0).unwrap();
    }
    let t = doc.transact();
    assert!(board.read_items(&t).is_empty());
    assert!(board.read_item(&t, "n").is_none());
    let bin = board.read_bin(&t);
    assert_eq!(bin.len(), 1);
    assert_eq!((bin[0].0.text.as_str(), bin[0].1.at), ("Bus times", 5.0));
    drop(t);
    board.restore_item(&mut doc.transact_mut(), "n").unwrap();
    assert_eq!(board.read_items(&doc.transact()).len(), 1);
}
