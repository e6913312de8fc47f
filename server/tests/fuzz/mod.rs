//! A structured mutation fuzzer for the server's frame pipeline, on stable Rust.
//!
//! cargo-fuzz needs nightly, so this is a small, seeded, reproducible fuzzer instead: it
//! mutates a corpus of real y-websocket frames ([`corpus`], [`mutate`]) and runs each one
//! through [`Pipeline::run`], which does what the server does with a frame: `decode_frame`
//! (in the connection task, with `carries_change` for a view-only connection's updates),
//! then in the board actor `check_update` + `apply_live` for
//! updates, the awareness apply and encode, and sync step 2 answers; and the same bytes as
//! a message from Redis (`cluster::Message::decode`), forged and signed.
//!
//! The property: nothing panics outside the guards that the server itself has (a panic
//! caught inside `check_update` or `apply_live` is fine: the server rejects the update or
//! reloads the board), and after every accepted update the whole board still encodes and
//! a fresh client can load that encoding. The full encode here is deliberately what the
//! server no longer does per update; it is how we check that the cheap checks suffice.

pub mod corpus;
pub mod mutate;

use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Once;

use coboard_server::board::validate::depth::TypeDepths;
use coboard_server::board::validate::{self, LiveError};
use coboard_server::cluster::{Key, Kind, Message};
use coboard_shared::protocol::{self, Msg};
use yrs::sync::Awareness;
use yrs::updates::decoder::Decode;
use yrs::{Doc, ReadTxn, StateVector, Transact, Update};

/// Accepted updates after which the live board is rebuilt from the seed (between inputs,
/// never within one), so that each full-state check stays cheap and inputs are judged
/// against a known board.
const RESET_EVERY: usize = 64;

/// What happened to one input.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub frames: u64,
    pub bad_frames: u64,
    pub updates_accepted: u64,
    pub updates_rejected: u64,
    /// Updates that made the live board untrusted (the server would reload it).
    pub poisoned: u64,
    pub awareness: u64,
}

impl Stats {
    pub fn add(&mut self, o: Stats) {
        self.frames += o.frames;
        self.bad_frames += o.bad_frames;
        self.updates_accepted += o.updates_accepted;
        self.updates_rejected += o.updates_rejected;
        self.poisoned += o.poisoned;
        self.awareness += o.awareness;
    }
}

/// `frame` as the payload of a signed cluster message, of a kind chosen by its first byte.
fn signed_frame(key: &Key, frame: &[u8]) -> Option<Vec<u8>> {
    let kind = match frame.first()? % 4 {
        0 => Kind::Frame,
        1 => Kind::Hello,
        2 => Kind::Resync,
        _ => Kind::Revoke,
    };
    Some(Message::encode(key, kind, "fuzz", 1, frame).to_vec())
}

/// The live board as an actor holds it.
pub struct Pipeline {
    seed: Vec<u8>,
    awareness: Awareness,
    /// Kept by `apply_live` exactly as the actor keeps it, so inputs that build a type chain
    /// over several updates meet the same cross-update depth limit.
    depths: TypeDepths,
    accepted_since_reset: usize,
    resets: u64,
}

impl Pipeline {
    pub fn new() -> Self {
        let seed = corpus::seed_state();
        let (awareness, depths) = board_from(&seed);
        Self {
            awareness,
            depths,
            seed,
            accepted_since_reset: 0,
            resets: 0,
        }
    }

    /// How many times the board has been rebuilt from the seed.
    pub fn resets(&self) -> u64 {
        self.resets
    }

    fn reset(&mut self) {
        self.resets += 1;
        (self.awareness, self.depths) = board_from(&self.seed);
        self.accepted_since_reset = 0;
    }

    /// Runs one frame. `Err` is a finding: a panic outside the server's guards, or a
    /// board that no longer encodes or loads.
    pub fn run(&mut self, frame: &[u8]) -> Result<Stats, String> {
        let mut stats = Stats {
            frames: 1,
            ..Stats::default()
        };
        QUIET.with(|q| q.set(true));
        let outcome = catch_unwind(AssertUnwindSafe(|| self.run_unguarded(frame, &mut stats)));
        QUIET.with(|q| q.set(false));
        match outcome {
            Ok(Ok(())) => {
                if self.accepted_since_reset >= RESET_EVERY {
                    self.reset();
                }
                Ok(stats)
            }
            Ok(Err(e)) => {
                self.reset();
                Err(e)
            }
            Err(_) => {
                self.reset();
                Err(format!("escaped panic: {}", last_panic()))
            }
        }
    }

    fn run_unguarded(&mut self, frame: &[u8], stats: &mut Stats) -> Result<(), String> {
        // The same bytes as a message from Redis: forged (refused by its tag), and signed
        // with the cluster's key (read past the tag), as another instance's would be.
        let key = Key::new(b"fuzz cluster secret");
        let _ = Message::decode(&key, frame);
        if let Some(signed) = signed_frame(&key, frame)
            && let Ok(m) = Message::decode(&key, &signed)
        {
            let _ = protocol::decode_frame(&m.payload);
        }
        let Ok(msgs) = protocol::decode_frame(frame) else {
            stats.bad_frames += 1;
            return Ok(());
        };
        for msg in msgs {
            match msg {
                Msg::SyncStep1(sv) => {
                    // The actor's sync step 2 answer.
                    let diff = self
                        .awareness
                        .doc()
                        .transact()
                        .encode_state_as_update_v1(&sv);
                    protocol::encode(&Msg::SyncStep2(diff));
                }
                Msg::SyncStep2(bytes) | Msg::Update(bytes) => {
                    // The same bytes as a view-only connection's: judged, never decoded.
                    validate::carries_change(&bytes);
                    self.update(&bytes, stats)?
                }
                Msg::Awareness(update) => {
                    stats.awareness += 1;
                    if self.awareness.apply_update_summary(update).is_ok() {
                        let state = self.awareness.update().map_err(|e| e.to_string())?;
                        let frame = protocol::encode(&Msg::Awareness(state));
                        protocol::decode_frame(&frame)
                            .map_err(|e| format!("awareness re-encoding does not decode: {e}"))?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn update(&mut self, bytes: &[u8], stats: &mut Stats) -> Result<(), String> {
        let checked = match validate::check_update(bytes) {
            Ok(c) => c,
            Err(_) => {
                stats.updates_rejected += 1;
                return Ok(());
            }
        };
        match validate::apply_live(self.awareness.doc(), &mut self.depths, checked) {
            Ok(()) => stats.updates_accepted += 1,
            Err(LiveError::Rejected(_) | LiveError::MissingDependencies) => {
                stats.updates_rejected += 1;
                return Ok(());
            }
            Err(LiveError::Poisoned(why)) => {
                // The actor would fail and reload from the store (which lacks this update).
                if std::env::var_os("COBOARD_FUZZ_VERBOSE").is_some() {
                    eprintln!("poisoned: {why}");
                }
                stats.poisoned += 1;
                self.reset();
                return Ok(());
            }
        }
        // What every newcomer's sync and every compaction does, unguarded as in the server.
        let full = self
            .awareness
            .doc()
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let fresh = Doc::new();
        let decoded =
            Update::decode_v1(&full).map_err(|e| format!("full state does not decode: {e}"))?;
        fresh
            .transact_mut()
            .apply_update(decoded)
            .map_err(|e| format!("full state does not load: {e}"))?;
        self.accepted_since_reset += 1;
        Ok(())
    }
}

/// Loads a board as the actor does (`validate::apply_stored`).
fn board_from(state: &[u8]) -> (Awareness, TypeDepths) {
    let doc = Doc::new();
    let mut depths = TypeDepths::default();
    validate::apply_stored(&mut doc.transact_mut(), &mut depths, state).expect("seed loads");
    (Awareness::new(doc), depths)
}

thread_local! {
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Keeps panics inside [`Pipeline::run`] (most are expected, caught by the guards) off
/// stderr, remembering the last one for the report; other panics print as usual.
pub fn quiet_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                return default(info);
            }
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let msg = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            LAST_PANIC.with(|p| *p.borrow_mut() = format!("{msg}{at}"));
        }));
    });
}

fn last_panic() -> String {
    LAST_PANIC.with(|p| p.borrow().clone())
}

/// Where crashing inputs are kept, one binary file each, replayed by every `cargo test`.
pub fn regressions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions")
}
