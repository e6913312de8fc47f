//! What enforcing the board's rules costs per update: the live-board path every client
//! update takes (`validate::check_update` then `validate::apply_live`), with and without
//! the rules' [`Guard`] watching the board, on the fixture board with 1,000 priorities.
//!
//! Run: `cargo run --release -p coboard-rules-bench`. Prints, for each
//! kind of update, the median and 90th percentile time per update over many rounds, for
//! both, and the difference. The figures go in `docs/performance.md`.

use std::time::{Duration, Instant};

use coboard_server::board::validate::{self, depth::TypeDepths};
use coboard_shared::rules::{Guard, Writer};
use coboard_shared::schema::{Author, Board, NewItem, ParticipantRole, Status};
use yrs::updates::decoder::Decode;
use yrs::{Doc, ReadTxn, StateVector, Text, Transact, Update};

/// Updates of each kind timed per round.
const UPDATES: usize = 400;
/// Rounds; the first is a warm-up and is not counted.
const ROUNDS: usize = 11;

/// The kinds of update a session sends most, each made by a client holding the board.
fn make_updates(base: &[u8], kind: &str) -> Vec<Vec<u8>> {
    let client = Doc::with_client_id(7);
    client
        .transact_mut()
        .apply_update(Update::decode_v1(base).unwrap())
        .unwrap();
    let board = Board::new(&client);
    let ids: Vec<String> = board
        .read_items(&client.transact())
        .into_iter()
        .map(|i| i.id)
        .collect();
    let me = Author::named("Sam", ParticipantRole::Public, "sam");
    (0..UPDATES)
        .map(|n| {
            let before = client.transact().state_vector();
            {
                let mut t = client.transact_mut();
                let id = &ids[(n * 37) % ids.len()];
                match kind {
                    "keystroke" => {
                        let text = board.item_text(&t, id).unwrap();
                        text.insert(&mut t, 0, "a");
                    }
                    "move" => board.set_position(&mut t, id, n as f64, 10.0).unwrap(),
                    "status" => board
                        .set_status(&mut t, id, Status::Proposed, &me, &[], n as f64)
                        .unwrap(),
                    _ => board.add_item(
                        &mut t,
                        &format!("new-{n}"),
                        &NewItem {
                            kind: "note".into(),
                            text: "A new thought".into(),
                            author: me.clone(),
                            created_at: n as f64,
                            ..NewItem::default()
                        },
                    ),
                }
            }
            client.transact().encode_state_as_update_v1(&before)
        })
        .collect()
}

/// Time per update, applying `updates` in order to a fresh copy of the board, judged (when
/// `guarded`) as made by `writer`.
fn run(base: &[u8], updates: &[Vec<u8>], guarded: bool, writer: Writer) -> Vec<Duration> {
    let doc = Doc::new();
    let mut depths = TypeDepths::default();
    {
        let mut t = doc.transact_mut();
        validate::apply_stored(&mut t, &mut depths, base).unwrap();
    }
    let guard = guarded.then(|| Guard::watch(&doc));
    updates
        .iter()
        .map(|u| {
            let start = Instant::now();
            let checked = validate::check_update(u).unwrap();
            match &guard {
                Some(g) => {
                    let (applied, verdict) =
                        g.judging(writer, || validate::apply_live(&doc, &mut depths, checked));
                    applied.unwrap();
                    verdict.unwrap();
                }
                None => validate::apply_live(&doc, &mut depths, checked).unwrap(),
            }
            start.elapsed()
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i].as_secs_f64() * 1e6
}

fn main() {
    let doc = coboard_fixture::board(1000);
    let base = doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    let items = Board::new(&doc).read_items(&doc.transact()).len();
    println!("board: {items} items, {} KiB", base.len() / 1024);
    println!("| update | without rules p50 µs | p90 | with rules p50 µs | p90 | p50 change |");
    println!("|---|---|---|---|---|---|");
    for kind in ["keystroke", "move", "status", "new note"] {
        let updates = make_updates(&base, kind);
        // Some of the fixture's items are agreed: moving those is a facilitator's.
        let writer = match kind {
            "status" => Writer::Facilitator,
            _ => Writer::Contributor,
        };
        let (mut without, mut with) = (Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            // Alternate which goes first, so neither gains from a warmer cache.
            let (a, b) = if round % 2 == 0 {
                (
                    run(&base, &updates, false, writer),
                    run(&base, &updates, true, writer),
                )
            } else {
                let b = run(&base, &updates, true, writer);
                (run(&base, &updates, false, writer), b)
            };
            if round > 0 {
                without.extend(a);
                with.extend(b);
            }
        }
        without.sort();
        with.sort();
        let (w50, g50) = (percentile(&without, 0.5), percentile(&with, 0.5));
        println!(
            "| {kind} | {w50:.1} | {:.1} | {g50:.1} | {:.1} | {:+.1}% |",
            percentile(&without, 0.9),
            percentile(&with, 0.9),
            (g50 - w50) / w50 * 100.0
        );
    }
    // What a refused update costs the board on top: rebuilding its document from the
    // stored state (the store's read comes on top of this).
    let mut rebuilds: Vec<Duration> = (0..20)
        .map(|_| {
            let start = Instant::now();
            let doc = Doc::new();
            let mut depths = TypeDepths::default();
            validate::apply_stored(&mut doc.transact_mut(), &mut depths, &base).unwrap();
            let _guard = Guard::watch(&doc);
            start.elapsed()
        })
        .collect();
    rebuilds.sort();
    println!(
        "rebuilding this board after a refused update: p50 {:.1} ms",
        percentile(&rebuilds, 0.5) / 1000.0
    );
}
