//! Durable storage of boards: metadata, an append-only log of updates, and a compacted
//! snapshot per board.
//!
//! The [`Store`] trait is the only thing the rest of the server sees, so the embedded
//! SQLite store and (later) PostgreSQL are interchangeable.

mod sqlite;

pub use sqlite::SqliteStore;

use async_trait::async_trait;
use coboard_shared::api::{BoardInfo, Invite, SnapshotInfo};

/// A board's stored state: the latest snapshot (if any) and every update after it, in
/// the order they were appended.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct StoredBoard {
    pub snapshot: Option<Vec<u8>>,
    pub updates: Vec<Vec<u8>>,
    /// Position of the last update read; a later compaction covers everything up to here.
    pub last_seq: i64,
}

/// An invite as stored: its token only as a SHA-256 hash.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredInvite {
    pub invite: Invite,
    pub board_id: String,
    pub token_hash: [u8; 32],
}

/// Errors from a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("board {0} not found")]
    NotFound(String),
    #[error("store error: {0}")]
    Backend(String),
    #[error("store data for board {board} is unreadable: {detail}")]
    Corrupt { board: String, detail: String },
    #[error("the store has shut down")]
    Closed,
    /// A sealed-round ballot exists for this voter under a different ballot key.
    #[error("that ballot belongs to someone else")]
    NotYours,
    /// The round already has as many ballots as it keeps.
    #[error("too many ballots")]
    TooMany,
}

/// A sealed-round ballot as stored: the ballot's JSON and a hash of the voter's key.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredBallot {
    pub board_id: String,
    pub round: String,
    pub voter: String,
    /// SHA-256 of the voter's ballot key; only the holder of the key may replace it.
    pub key_hash: [u8; 32],
    /// The ballot (`coboard_shared::schema::Ballot`) as JSON.
    pub ballot: String,
}

/// Durable board storage. Every method returns only once its effect is durable.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Records a new board together with its initial update (the seeded content) and
    /// its creator's facilitator invite, all or nothing.
    async fn create_board(
        &self,
        info: &BoardInfo,
        initial_update: Vec<u8>,
        creator: &StoredInvite,
    ) -> Result<(), StoreError>;

    /// Records a new invite.
    async fn create_invite(&self, invite: &StoredInvite) -> Result<(), StoreError>;

    /// Every invite of a board, oldest first.
    async fn list_invites(&self, board: &str) -> Result<Vec<Invite>, StoreError>;

    /// Marks an invite revoked; `NotFound` if the board has no such invite.
    async fn revoke_invite(&self, board: &str, invite: &str, at: i64) -> Result<(), StoreError>;

    /// The invite whose token hashes to `token_hash`, if any.
    async fn find_invite(&self, token_hash: [u8; 32]) -> Result<Option<StoredInvite>, StoreError>;

    /// Board metadata.
    async fn board_info(&self, id: &str) -> Result<BoardInfo, StoreError>;

    /// The snapshot and update log of a board.
    async fn load(&self, id: &str) -> Result<StoredBoard, StoreError>;

    /// Appends one update and returns its sequence number once it is durable.
    async fn append(&self, id: &str, update: Vec<u8>) -> Result<i64, StoreError>;

    /// Replaces the snapshot with `state` and drops the updates it covers
    /// (sequence numbers up to and including `upto_seq`).
    async fn compact(&self, id: &str, state: Vec<u8>, upto_seq: i64) -> Result<(), StoreError>;

    /// Stores (or replaces) a sealed-round ballot and returns how many ballots the round
    /// now has. `NotYours` if the voter already has a ballot under another key.
    /// `TooMany` if the voter is new and the round already has `max` ballots.
    async fn put_ballot(&self, ballot: &StoredBallot, max: u64) -> Result<u64, StoreError>;

    /// Every sealed ballot of a round (JSON), by voter.
    async fn ballots(&self, board: &str, round: &str) -> Result<Vec<String>, StoreError>;

    /// How many sealed ballots a round has.
    async fn ballot_count(&self, board: &str, round: &str) -> Result<u64, StoreError>;

    /// Forgets a round's sealed ballots (once they are published into the board).
    async fn delete_ballots(&self, board: &str, round: &str) -> Result<(), StoreError>;

    /// Keeps a named copy of a board's whole state. `NotFound` if the board does not exist.
    async fn create_snapshot(
        &self,
        board: &str,
        info: &SnapshotInfo,
        state: Vec<u8>,
    ) -> Result<(), StoreError>;

    /// A board's named snapshots, oldest first.
    async fn list_snapshots(&self, board: &str) -> Result<Vec<SnapshotInfo>, StoreError>;

    /// One snapshot and its state; `NotFound` if the board has no such snapshot.
    async fn snapshot(&self, board: &str, id: &str) -> Result<(SnapshotInfo, Vec<u8>), StoreError>;
}
