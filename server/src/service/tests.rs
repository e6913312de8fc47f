//! The feature services with the real embedded store and real board actors, no HTTP.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use coboard_shared::api::handover::{AcceptRequest, OfferRequest};
use coboard_shared::api::ledger::{NewRates, NewRow, RowChange};
use coboard_shared::api::rounds::BallotRequest;
use coboard_shared::api::silent::CardRequest;
use coboard_shared::api::{AccessRole, CreateBoard};
use coboard_shared::ledger::{PayStatus, Rate};
use coboard_shared::schema::{
    Author, Board, NewItem, ParticipantRole, Round, RoundState, SilentRound, SilentState,
    author_key_hash,
};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use yrs::Transact;

use super::snapshots::doc_of;
use super::{Core, Features, Rates, ServiceError};
use crate::board::{BoardConfig, Registry};
use crate::store::Sealed;
use crate::store::{SqliteStore, Store};

const HERE: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

struct World {
    features: Features,
    store: Arc<dyn Store>,
    registry: Registry,
    _dir: tempfile::TempDir,
}

fn world_with(rates: Rates) -> World {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).unwrap());
    let registry = Registry::new(
        store.clone(),
        BoardConfig::default(),
        crate::cluster::Cluster::single("test"),
        CancellationToken::new(),
        TaskTracker::new(),
    );
    World {
        features: Features::new(Core::new(store.clone(), registry.clone(), rates)),
        store,
        registry,
        _dir: dir,
    }
}

fn world() -> World {
    world_with(Rates::new(1000))
}

impl World {
    /// A blank board, with whatever `build` writes into it as the server.
    async fn board(
        &self,
        build: impl Fn(&Board, &mut yrs::TransactionMut) + Send + Sync + 'static,
    ) -> String {
        let created = (self.features.boards)
            .create(
                CreateBoard {
                    title: "Test".into(),
                    template: "blank".into(),
                },
                HERE,
            )
            .await
            .unwrap();
        let id = created.board.id;
        self.registry
            .edit(
                &id,
                Arc::new(move |b, txn| {
                    build(b, txn);
                    Ok(())
                }),
            )
            .await
            .unwrap();
        id
    }

    /// Reads the live board.
    async fn read<T>(&self, board: &str, f: impl FnOnce(&Board, &yrs::Transaction) -> T) -> T {
        let doc = doc_of(&self.registry.state(board).await.unwrap()).unwrap();
        let b = Board::new(&doc);
        f(&b, &doc.transact())
    }
}

fn idea(b: &Board, txn: &mut yrs::TransactionMut, id: &str, author_key: &str) {
    b.add_item(
        txn,
        id,
        &NewItem {
            kind: "idea".into(),
            text: format!("words of {id}"),
            author: Author {
                name: "Sam".into(),
                role: ParticipantRole::Public,
                anonymous: false,
                id: "sam".into(),
            },
            author_key: author_key.into(),
            ..NewItem::default()
        },
    );
}

fn sealed_round(b: &Board, txn: &mut yrs::TransactionMut) {
    idea(b, txn, "i1", "");
    idea(b, txn, "i2", "");
    b.add_round(
        txn,
        &Round {
            id: "r1".into(),
            title: "Which first?".into(),
            section: String::new(),
            budget: 3,
            sealed: true,
            state: RoundState::Open,
            created_at: 1.0,
            closed_at: None,
        },
    )
    .unwrap();
}

fn ballot(key: &str, dots: &[(&str, u32)]) -> BallotRequest {
    BallotRequest {
        key: key.into(),
        name: String::new(),
        role: ParticipantRole::Public,
        dots: dots.iter().map(|(i, n)| (i.to_string(), *n)).collect(),
    }
}

fn key(n: usize) -> String {
    format!("voter-key-{n:08}")
}

#[tokio::test]
async fn sealed_ballots_wait_off_the_board_until_the_round_closes() {
    let w = world();
    let board = w.board(sealed_round).await;
    let rounds = &w.features.rounds;
    rounds
        .cast(&board, "r1", ballot(&key(1), &[("i1", 2)]), HERE)
        .await
        .unwrap();
    // The same key replaces its ballot rather than adding one.
    rounds
        .cast(&board, "r1", ballot(&key(1), &[("i1", 3)]), HERE)
        .await
        .unwrap();
    let count = rounds
        .cast(&board, "r1", ballot(&key(2), &[("i2", 1)]), HERE)
        .await
        .unwrap();
    assert_eq!(count.ballots, 2);
    let over = rounds
        .cast(&board, "r1", ballot(&key(3), &[("i2", 4)]), HERE)
        .await;
    assert!(matches!(over, Err(ServiceError::Invalid(_))), "{over:?}");
    assert_eq!(w.read(&board, |b, t| b.ballots(t, "r1").len()).await, 0);

    rounds.close(&board, "r1").await.unwrap();
    let tally = w.read(&board, |b, t| b.tally(t, "r1").unwrap()).await;
    assert_eq!(tally.voters, 2);
    let dots: BTreeMap<_, _> = tally
        .ranking
        .iter()
        .map(|r| (r.item.clone(), r.votes))
        .collect();
    assert_eq!(dots.get("i1"), Some(&3));
    assert_eq!(dots.get("i2"), Some(&1));
    let left = w.store.sealed(Sealed::Ballot, &board, "r1").await.unwrap();
    assert!(left.is_empty());
    let late = rounds
        .cast(&board, "r1", ballot(&key(4), &[("i1", 1)]), HERE)
        .await;
    assert!(matches!(late, Err(ServiceError::Conflict(_))), "{late:?}");
    let again = rounds.close(&board, "r1").await;
    assert!(matches!(again, Err(ServiceError::Conflict(_))), "{again:?}");
}

/// The board lock at work: ballots cast while the round closes are either published or
/// refused, never accepted and then lost.
#[tokio::test]
async fn a_ballot_racing_the_close_is_published_or_refused_never_lost() {
    let w = Arc::new(world());
    let board = w.board(sealed_round).await;
    let mut casts = Vec::new();
    let mut close = None;
    for n in 0..40 {
        let (w2, board2) = (w.clone(), board.clone());
        casts.push(tokio::spawn(async move {
            let r = (w2.features.rounds)
                .cast(&board2, "r1", ballot(&key(n), &[("i1", 1)]), HERE)
                .await;
            (n, r)
        }));
        if n == 20 {
            let (w, board) = (w.clone(), board.clone());
            close = Some(tokio::spawn(async move {
                w.features.rounds.close(&board, "r1").await.unwrap();
            }));
        }
    }
    let mut accepted = 0;
    for cast in casts {
        match cast.await.unwrap() {
            (_, Ok(_)) => accepted += 1,
            (_, Err(ServiceError::Conflict(_))) => {}
            (n, Err(e)) => panic!("ballot {n}: {e:?}"),
        }
    }
    close.unwrap().await.unwrap();
    let tally = w.read(&board, |b, t| b.tally(t, "r1").unwrap()).await;
    assert_eq!(
        tally.voters, accepted,
        "every accepted ballot is on the board"
    );
    let left = w.store.sealed(Sealed::Ballot, &board, "r1").await.unwrap();
    assert!(left.is_empty());
}

fn card(id: &str, key: &str, text: &str, role: ParticipantRole) -> CardRequest {
    CardRequest {
        card: id.into(),
        key: key.into(),
        text: text.into(),
        name: "Ali".into(),
        role,
        anonymous: false,
    }
}

#[tokio::test]
async fn silent_cards_are_revealed_public_members_first() {
    let w = world();
    let board = w
        .board(|b, txn| {
            b.add_silent_round(
                txn,
                &SilentRound {
                    id: "s1".into(),
                    prompt: "What matters?".into(),
                    section: String::new(),
                    public_first: true,
                    state: SilentState::Writing,
                    created_at: 1.0,
                    revealed_at: None,
                },
            )
            .unwrap();
        })
        .await;
    let silent = &w.features.silent;
    let public = ParticipantRole::Public;
    let pro = ParticipantRole::Professional;
    silent
        .put_card(&board, "s1", card("c1", &key(1), "Buses", public), HERE)
        .await
        .unwrap();
    silent
        .put_card(&board, "s1", card("c2", &key(2), "Clinics", pro), HERE)
        .await
        .unwrap();
    silent
        .put_card(&board, "s1", card("c3", &key(3), "Gone soon", public), HERE)
        .await
        .unwrap();
    // Only its writer may change a card, and taking it back removes it.
    let theirs = silent
        .put_card(&board, "s1", card("c1", &key(9), "Mine now", public), HERE)
        .await;
    assert!(
        matches!(theirs, Err(ServiceError::Forbidden(_))),
        "{theirs:?}"
    );
    let count = silent
        .put_card(&board, "s1", card("c3", &key(3), "", public), HERE)
        .await
        .unwrap();
    assert_eq!(count.cards, 2);
    let unknown = silent
        .put_card(&board, "s1", card("c7", &key(7), "", public), HERE)
        .await;
    assert!(
        matches!(unknown, Err(ServiceError::NotFound(_))),
        "{unknown:?}"
    );

    let first = silent.reveal(&board, "s1", true).await.unwrap();
    assert_eq!((first.cards, first.state), (1, SilentState::Public));
    let texts = |b: &Board, t: &yrs::Transaction| {
        let mut v: Vec<String> = b.read_items(t).into_iter().map(|i| i.text).collect();
        v.sort();
        v
    };
    assert_eq!(w.read(&board, texts).await, ["Buses"]);
    assert_eq!(silent.count(&board, "s1").await.unwrap().cards, 1);
    let rest = silent.reveal(&board, "s1", false).await.unwrap();
    assert_eq!((rest.cards, rest.state), (1, SilentState::Revealed));
    assert_eq!(w.read(&board, texts).await, ["Buses", "Clinics"]);
    assert_eq!(silent.count(&board, "s1").await.unwrap().cards, 0);
}

#[tokio::test]
async fn the_facilitator_role_goes_only_to_the_person_offered_it() {
    let w = world();
    let board = w.board(|_, _| {}).await;
    let secret = key(5);
    let person = author_key_hash(&secret);
    let handover = &w.features.handover;
    let bad = handover
        .offer(
            &board,
            OfferRequest {
                person: "someone".into(),
                by: "Jo".into(),
            },
        )
        .await;
    assert!(matches!(bad, Err(ServiceError::Invalid(_))), "{bad:?}");
    handover
        .offer(
            &board,
            OfferRequest {
                person,
                by: "Jo".into(),
            },
        )
        .await
        .unwrap();
    let accept = |key: String| AcceptRequest {
        key,
        name: "Priya".into(),
        role: ParticipantRole::Public,
    };
    let other = handover.accept(&board, accept(key(6))).await;
    assert!(matches!(other, Err(ServiceError::NotFound(_))), "{other:?}");
    let created = handover
        .accept(&board, accept(secret.clone()))
        .await
        .unwrap();
    assert_eq!(created.invite.role, AccessRole::Facilitator);
    assert_eq!(created.invite.label, "Handed over to Priya");
    let lead = w.read(&board, |b, t| b.lead(t)).await;
    assert_eq!(lead.map(|l| l.name).as_deref(), Some("Priya"));
    // The offer is used up.
    let twice = handover.accept(&board, accept(secret)).await;
    assert!(matches!(twice, Err(ServiceError::NotFound(_))), "{twice:?}");
}

#[tokio::test]
async fn only_the_author_or_a_facilitator_withdraws_an_item() {
    let w = world();
    let secret = key(1);
    let hash = author_key_hash(&secret);
    let board = w
        .board(move |b, txn| {
            idea(b, txn, "mine", &hash);
            idea(b, txn, "theirs", "");
        })
        .await;
    let withdraw = &w.features.withdraw;
    let contributor = AccessRole::Contributor;
    for (item, key) in [
        ("mine", Some(key(2))),
        ("mine", None),
        ("theirs", Some(secret.clone())),
    ] {
        let r = withdraw
            .withdraw(&board, item, contributor, key.as_deref())
            .await;
        assert!(
            matches!(r, Err(ServiceError::Forbidden(_))),
            "{item}: {r:?}"
        );
    }
    let missing = withdraw
        .withdraw(&board, "nothing", contributor, Some(&secret))
        .await;
    assert!(
        matches!(missing, Err(ServiceError::NotFound(_))),
        "{missing:?}"
    );
    let receipt = withdraw
        .withdraw(&board, "mine", contributor, Some(&secret))
        .await
        .unwrap();
    assert_eq!(receipt.item, "mine");
    let facilitator = AccessRole::Facilitator;
    withdraw
        .withdraw(&board, "theirs", facilitator, None)
        .await
        .unwrap();
    let texts = w
        .read(&board, |b, t| {
            b.read_items(t)
                .into_iter()
                .map(|i| i.text)
                .collect::<Vec<_>>()
        })
        .await;
    assert_eq!(texts, ["[withdrawn]", "[withdrawn]"]);
}

#[tokio::test]
async fn ledger_rows_keep_their_rate_and_statements_hold_only_your_rows() {
    let w = world();
    let board = w.board(|_, _| {}).await;
    let ledger = &w.features.ledger;
    let row = |person_id: &str| NewRow {
        person: "Sam".into(),
        person_id: person_id.into(),
        date: "2026-12-01".into(),
        task: "Meeting".into(),
        prep_minutes: 30,
        session_minutes: Some(90),
        rate_id: "session".into(),
        choice: Default::default(),
        reduced_pence: 0,
        expenses_pence: 0,
        receipt: false,
    };
    let early = ledger.add_row(&board, row("")).await;
    assert!(matches!(early, Err(ServiceError::Conflict(_))), "{early:?}");
    let rates = |pence| NewRates {
        basis: "INVOLVE".into(),
        rates: vec![Rate {
            id: "session".into(),
            label: "Session".into(),
            pence_per_hour: pence,
        }],
    };
    assert_eq!(
        ledger.add_rates(&board, rates(2000)).await.unwrap().version,
        1
    );
    let me = key(1);
    let first = ledger
        .add_row(&board, row(&author_key_hash(&me)))
        .await
        .unwrap();
    assert_eq!(first.offered_pence, 4000);
    assert_eq!(
        ledger.add_rates(&board, rates(3000)).await.unwrap().version,
        2
    );
    ledger.add_row(&board, row("")).await.unwrap();
    let paid = ledger
        .change_row(
            &board,
            &first.row.id,
            RowChange {
                status: Some(PayStatus::Paid),
                paid_on: Some("2026-12-05".into()),
                ..RowChange::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (paid.row.status, paid.row.rate_version),
        (PayStatus::Paid, 1)
    );
    let all = ledger.ledger(&board, Default::default()).await.unwrap();
    assert_eq!(all.rows.len(), 2);
    assert_eq!(all.rates.map(|t| t.version), Some(2));
    let statement = String::from_utf8(ledger.statement(&board, &me).await.unwrap()).unwrap();
    assert_eq!(
        statement
            .lines()
            .filter(|l| l.contains("2026-12-01"))
            .count(),
        1
    );
}

/// Only what is actually done counts against an address: a request refused as invalid
/// does not use up a creation.
#[tokio::test]
async fn board_creations_are_paced_per_address_counting_only_boards_made() {
    let w = world_with(Rates::new(1));
    let boards = &w.features.boards;
    let req = |title: &str| CreateBoard {
        title: title.into(),
        template: "blank".into(),
    };
    let empty = boards.create(req("  "), HERE).await;
    assert!(matches!(empty, Err(ServiceError::Invalid(_))), "{empty:?}");
    boards.create(req("First"), HERE).await.unwrap();
    let second = boards.create(req("Second"), HERE).await;
    assert!(
        matches!(second, Err(ServiceError::TooManyRequests(_))),
        "{second:?}"
    );
    let elsewhere = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
    boards.create(req("Elsewhere"), elsewhere).await.unwrap();
}
