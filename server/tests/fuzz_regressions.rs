//! Fuzzing the server's frame pipeline (see `fuzz/mod.rs`).
//!
//! - `regressions_replay`: every file in `server/fuzz/regressions/` (inputs that once
//!   crashed, and hand-written nasty ones) must run through the pipeline without a finding.
//!   A `.bin` is one frame; a `.session` is several run in order on one board.
//! - `bounded_fuzz`: a fixed-seed mutation run, a few seconds in a debug build, on every
//!   `cargo test`.
//! - `long_fuzz` (ignored): `COBOARD_FUZZ_SECS=600 COBOARD_FUZZ_SEED=1 cargo test --release
//!   -p coboard-server --test fuzz_regressions -- --ignored --nocapture long_fuzz`. Findings
//!   are written to the regressions directory as `found-<hash>.bin`.

mod fuzz;

use std::time::{Duration, Instant};

use coboard_shared::protocol::{self, Msg};
use fuzz::{Pipeline, Stats};
use rand::SeedableRng;
use rand::rngs::StdRng;
use yrs::{ClientID, Doc, Map, MapPrelim, Options, ReadTxn, StateVector, Transact};

/// Fuzz inputs per `cargo test` run.
const BOUNDED_ITERATIONS: u64 = 20_000;

#[test]
fn regressions_replay() {
    fuzz::quiet_panics();
    let mut files: Vec<_> = std::fs::read_dir(fuzz::regressions_dir())
        .expect("server/fuzz/regressions exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin" || e == "session"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "the hand-written inputs are there");
    let mut failures = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let inputs = if path.extension().is_some_and(|e| e == "session") {
            read_session(&bytes)
        } else {
            vec![bytes]
        };
        // A fresh board per file, so each replays as recorded.
        let mut pipeline = Pipeline::new();
        for input in inputs {
            if let Err(e) = pipeline.run(&input) {
                failures.push(format!("{}: {e}", path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Triage: `COBOARD_FUZZ_FILE=path cargo test -p coboard-server --test fuzz_regressions --
/// --ignored --nocapture replay_file` runs one input and prints what happened.
#[test]
#[ignore = "triage: set COBOARD_FUZZ_FILE"]
fn replay_file() {
    fuzz::quiet_panics();
    let path = std::env::var("COBOARD_FUZZ_FILE").expect("COBOARD_FUZZ_FILE");
    let bytes = std::fs::read(&path).unwrap();
    let mut pipeline = Pipeline::new();
    let inputs = if path.ends_with(".session") {
        read_session(&bytes)
    } else {
        vec![bytes]
    };
    for input in inputs {
        println!("{path}: {:?}", pipeline.run(&input));
    }
}

/// A `.session` file: inputs run in order on one board, each as a little-endian `u32`
/// length and the bytes.
fn read_session(mut bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while bytes.len() >= 4 {
        let n = u32::from_le_bytes(bytes[..4].try_into().unwrap()) as usize;
        out.push(bytes[4..4 + n].to_vec());
        bytes = &bytes[4 + n..];
    }
    out
}

/// `nested-type-chain-delete.bin` with the chain grown 20 levels per update, each well within
/// the scan's per-update limit: only the board's cross-update depth tracking (kept by the
/// harness as by the actor) stops it, at the second update. The rest of the chain then
/// lacks its parent, and deleting the (short) chain is harmless.
#[test]
fn type_chain_across_updates_is_refused() {
    let doc = Doc::with_options(Options {
        client_id: ClientID::new(99),
        ..Options::default()
    });
    let root = doc.get_or_insert_map("chain");
    let mut inner = root.clone();
    let (mut sv, mut frame) = (StateVector::default(), Vec::new());
    let mut send = |doc: &Doc| {
        let txn = doc.transact();
        frame.extend(protocol::encode(&Msg::Update(
            txn.encode_state_as_update_v1(&sv),
        )));
        sv = txn.state_vector();
    };
    for _ in 0..10 {
        let mut txn = doc.transact_mut();
        for _ in 0..20 {
            inner = inner.insert(&mut txn, "m", MapPrelim::default());
        }
        drop(txn);
        send(&doc);
    }
    root.remove(&mut doc.transact_mut(), "m");
    send(&doc);
    let stats = Pipeline::new().run(&frame).unwrap();
    // Only the first 20 levels get in. The removal is refused too: its delete set covers
    // every level the client built, most of which the board never accepted, and the board
    // takes no deletions of what it has not seen (see `validate::apply_live`).
    assert_eq!(
        (stats.updates_accepted, stats.updates_rejected),
        (1, 10),
        "{stats:?}"
    );
}

#[test]
fn corpus_is_accepted() {
    // The mutator starts from valid frames: if these were rejected, it would fuzz nothing.
    let mut pipeline = Pipeline::new();
    let mut total = Stats::default();
    for frame in fuzz::corpus::frames() {
        total.add(pipeline.run(&frame).unwrap());
    }
    assert_eq!(total.bad_frames, 0);
    assert_eq!(total.updates_rejected + total.poisoned, 0, "{total:?}");
    assert!(total.updates_accepted >= 10, "{total:?}");
}

#[test]
fn bounded_fuzz() {
    let report = run(0xC0B0A2D, Limit::Iterations(BOUNDED_ITERATIONS));
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    // The mutations must reach the CRDT, not just the framing.
    assert!(report.stats.updates_accepted > 100, "{:?}", report.stats);
}

#[test]
#[ignore = "long run: set COBOARD_FUZZ_SECS"]
fn long_fuzz() {
    let secs: u64 = env_or("COBOARD_FUZZ_SECS", 60);
    let seed: u64 = env_or("COBOARD_FUZZ_SEED", 1);
    let report = run(seed, Limit::Time(Duration::from_secs(secs)));
    let ext = if std::env::var_os("COBOARD_FUZZ_LAST").is_some() {
        "session"
    } else {
        "bin"
    };
    for (input, what) in &report.findings {
        let name = format!("found-{:016x}.{ext}", fnv(input));
        std::fs::write(fuzz::regressions_dir().join(&name), input).unwrap();
        println!("FINDING {name}: {what}");
    }
    assert!(
        report.findings.is_empty(),
        "{} findings",
        report.findings.len()
    );
}

enum Limit {
    Iterations(u64),
    Time(Duration),
}

struct Report {
    stats: Stats,
    findings: Vec<(Vec<u8>, String)>,
}

fn run(seed: u64, limit: Limit) -> Report {
    fuzz::quiet_panics();
    let corpus = fuzz::corpus::frames();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut pipeline = Pipeline::new();
    let mut report = Report {
        stats: Stats::default(),
        findings: Vec::new(),
    };
    let start = Instant::now();
    let mut last_print = start;
    let mut n = 0u64;
    // Crashes that no guard can catch (stack overflow, memory faults) kill the process: with
    // COBOARD_FUZZ_LAST set, every input since the board was last rebuilt is written there
    // first (as a session, see `read_session`), so what killed it is on disk.
    // Appended to, one input at a time, and emptied when the board is rebuilt: rewriting
    // the whole session for every input made a recorded run about 30 times slower.
    let last_path = std::env::var_os("COBOARD_FUZZ_LAST");
    let mut last = last_path
        .as_ref()
        .map(|path| std::fs::File::create(path).expect("COBOARD_FUZZ_LAST is writable"));
    let mut resets = pipeline.resets();
    loop {
        match limit {
            Limit::Iterations(max) if n >= max => break,
            Limit::Time(max) if start.elapsed() >= max => break,
            _ => {}
        }
        let input = fuzz::mutate::input(&mut rng, &corpus);
        if let Some(file) = &mut last {
            use std::io::{Seek, Write};
            if pipeline.resets() != resets {
                resets = pipeline.resets();
                file.set_len(0).unwrap();
                file.rewind().unwrap();
            }
            file.write_all(&(input.len() as u32).to_le_bytes()).unwrap();
            file.write_all(&input).unwrap();
        }
        match pipeline.run(&input) {
            Ok(s) => report.stats.add(s),
            // With a session recorded, keep it: the finding may need the earlier inputs.
            Err(e) if let Some(path) = &last_path => report
                .findings
                .push((std::fs::read(path).unwrap_or_default(), e)),
            Err(e) => report.findings.push((input, e)),
        }
        n += 1;
        if matches!(limit, Limit::Time(_)) && last_print.elapsed() > Duration::from_secs(30) {
            last_print = Instant::now();
            progress(n, start, &report);
        }
    }
    progress(n, start, &report);
    report
}

fn progress(n: u64, start: Instant, report: &Report) {
    let secs = start.elapsed().as_secs_f64();
    println!(
        "fuzz: {n} inputs in {secs:.0} s ({:.0}/s), findings {}, {:?}",
        n as f64 / secs.max(1e-9),
        report.findings.len(),
        report.stats
    );
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}
