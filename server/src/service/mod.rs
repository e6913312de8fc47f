//! The domain layer: one service per feature, each owning its checks, its locking and
//! its store calls, and each usable (and tested) without HTTP. The HTTP handlers in
//! [`crate::http`] only parse a request, call one service method and map its
//! [`ServiceError`] to a status.
//!
//! Two things order what happens on a board. The board's actor orders every change to
//! its document ([`crate::board`]); a service that must read records kept outside the
//! document and then change the document holds the board's [`BoardLocks`] lock (see
//! [`lock`] for why and how it works across instances).

mod error;
mod lock;

pub mod boards;
pub mod exports;
pub mod handover;
pub mod invites;
pub mod items;
pub mod ledger;
pub mod rounds;
pub mod silent;
pub mod snapshots;
pub mod withdraw;

#[cfg(test)]
mod tests;

use std::net::IpAddr;
use std::sync::Arc;

pub use error::ServiceError;
pub use lock::{BoardGuard, BoardLocks};

use crate::board::Registry;
use crate::limits::PerIp;
use crate::store::Store;

/// What every service works with: the store, the loaded boards, the board locks and
/// the per-address pacing. Cheap to clone.
#[derive(Clone)]
pub struct Core {
    pub store: Arc<dyn Store>,
    pub registry: Registry,
    pub locks: BoardLocks,
    pub rates: Arc<Rates>,
}

impl Core {
    pub fn new(store: Arc<dyn Store>, registry: Registry, rates: Rates) -> Self {
        Self {
            locks: BoardLocks::new(store.clone()),
            store,
            registry,
            rates: Arc::new(rates),
        }
    }

    /// Refuses when the store is at `--max-store-bytes` (new boards and snapshots; edits
    /// are refused by each board's actor).
    fn room_to_store(&self) -> Result<(), ServiceError> {
        if self.registry.store_full() {
            Err(ServiceError::StorageFull(crate::quota::FULL))
        } else {
            Ok(())
        }
    }
}

/// Requests paced per address: those that cost the server a new board, a copy or a
/// decode of a board, or a check against the live board. Creations and named snapshots
/// are counted once the request is known to be valid, so only what is actually made
/// counts; ballots, cards and comparisons are counted first, as each costs a check.
pub struct Rates {
    /// Boards created (or restored from a snapshot).
    pub create: PerIp,
    /// Sealed ballots and silent cards: each is checked against the live board.
    pub ballots: PerIp,
    /// Named snapshots saved: each is a full copy of the board.
    pub snapshots: PerIp,
    /// "What changed since" comparisons: each decodes two whole boards.
    pub history: PerIp,
}

/// Sealed ballots (and silent cards) accepted per address per minute: plenty for a room
/// of people behind one address moving their dots, and a bound on the checks a flood
/// could cause.
const BALLOTS_PER_MINUTE_PER_IP: u32 = 600;
/// Named snapshots one address may save per minute.
const SNAPSHOTS_PER_MINUTE_PER_IP: u32 = 10;
/// Snapshot comparisons one address may ask for per minute.
const COMPARISONS_PER_MINUTE_PER_IP: u32 = 60;

impl Rates {
    /// The server's rates, with `--boards-per-hour-per-ip` for creations.
    pub fn new(boards_per_hour: u32) -> Self {
        Self {
            create: PerIp::per_hour(boards_per_hour),
            ballots: PerIp::per_minute(BALLOTS_PER_MINUTE_PER_IP),
            snapshots: PerIp::per_minute(SNAPSHOTS_PER_MINUTE_PER_IP),
            history: PerIp::per_minute(COMPARISONS_PER_MINUTE_PER_IP),
        }
    }
}

/// Takes one of `from`'s tokens from `rate`, or refuses with `message`.
fn paced(rate: &PerIp, from: IpAddr, message: &'static str) -> Result<(), ServiceError> {
    if rate.allow(from) {
        Ok(())
    } else {
        Err(ServiceError::TooManyRequests(message))
    }
}

/// Every feature service, as the HTTP layer holds them.
#[derive(Clone)]
pub struct Features {
    pub boards: boards::Boards,
    pub invites: invites::Invites,
    pub items: items::Items,
    pub rounds: rounds::Rounds,
    pub silent: silent::Silent,
    pub handover: handover::Handover,
    pub ledger: ledger::Ledger,
    pub withdraw: withdraw::Withdraw,
    pub snapshots: snapshots::Snapshots,
    pub exports: exports::Exports,
}

impl Features {
    pub fn new(core: Core) -> Self {
        Self {
            boards: boards::Boards::new(core.clone()),
            invites: invites::Invites::new(core.clone()),
            items: items::Items::new(core.clone()),
            rounds: rounds::Rounds::new(core.clone()),
            silent: silent::Silent::new(core.clone()),
            handover: handover::Handover::new(core.clone()),
            ledger: ledger::Ledger::new(core.clone()),
            withdraw: withdraw::Withdraw::new(core.clone()),
            snapshots: snapshots::Snapshots::new(core.clone()),
            exports: exports::Exports::new(core),
        }
    }
}

/// Longest id (voter, item, round, card) accepted.
const MAX_ID_CHARS: usize = 64;

/// Checks an id a client chose. ':' is kept for the store's own keys.
fn check_id(what: &str, id: &str) -> Result<(), ServiceError> {
    if id.is_empty() || id.chars().count() > MAX_ID_CHARS || id.contains(['/', ':']) {
        return Err(ServiceError::Invalid(format!(
            "The {what} must be 1 to {MAX_ID_CHARS} characters, without '/' or ':'."
        )));
    }
    Ok(())
}

/// Checks a secret a browser sends to prove who it is (a ballot, card, person or item
/// key): long enough not to be guessed, short enough to be cheap.
fn check_key(what: &str, key: &str) -> Result<(), ServiceError> {
    if (16..=128).contains(&key.len()) {
        Ok(())
    } else {
        Err(ServiceError::Invalid(format!(
            "The {what} must be 16 to 128 characters."
        )))
    }
}

/// A name as a person gave it, cut to the length the board shows.
fn short_name(name: &str) -> String {
    name.chars().take(100).collect()
}
