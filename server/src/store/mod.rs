//! Durable storage of boards, by kind of data: the document log ([`DocumentLog`]),
//! invites ([`InviteStore`]), snapshots ([`SnapshotStore`]), what a board keeps outside
//! its document ([`SideRecords`]) and the store's own upkeep ([`StoreUpkeep`]). Each has
//! its own tables, all made by one set of migrations (`server/migrations`) that both
//! backends run.
//!
//! [`Store`] (all five) is the only thing the rest of the server sees, so the embedded
//! SQLite store (one instance) and PostgreSQL (several instances) are interchangeable;
//! `contract` (in tests) holds the behaviour both must show, kind by kind.

#[cfg(test)]
mod fixture;
mod postgres;
mod sqlite;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

use std::path::Path;
use std::sync::Arc;

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
    /// The embedded store's database answered with an error.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL answered with an error, or could not be reached.
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] sqlx::Error),
    /// Work handed to a blocking thread or a task did not finish.
    #[error("store task: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// Anything else, said for the logs (a file that cannot be used, a failed batch).
    #[error("store error: {0}")]
    Backend(String),
    #[error("store data for board {board} is unreadable: {detail}")]
    Corrupt { board: String, detail: String },
    #[error("the store has shut down")]
    Closed,
    /// A sealed entry exists under a different key.
    #[error("that entry belongs to someone else")]
    NotYours,
    /// The round already has as many entries as it keeps.
    #[error("too many entries")]
    TooMany,
    /// A record that is never rewritten exists already.
    #[error("that record exists already")]
    Exists,
}

/// Entries kept sealed, away from the board's document, until a facilitator publishes
/// them, each guarded by a hash of its writer's key. Each kind has a table of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sealed {
    /// A sealed voting round's ballots, one per voter (`ballots`).
    Ballot,
    /// A silent round's cards, one per card (`silent_cards`).
    Card,
}

impl Sealed {
    /// The kind's table, the column naming an entry, and the column holding it.
    pub(crate) fn columns(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Sealed::Ballot => ("ballots", "voter", "ballot"),
            Sealed::Card => ("silent_cards", "card", "body"),
        }
    }
}

/// A sealed entry as stored: its JSON and a hash of its writer's key.
#[derive(Debug, Clone, PartialEq)]
pub struct SealedEntry {
    pub board_id: String,
    pub round: String,
    /// The voter (ballots) or the card (cards).
    pub id: String,
    /// SHA-256 of the writer's key; only the holder of the key may replace it.
    pub key_hash: [u8; 32],
    /// The ballot (`coboard_shared::schema::Ballot`) or card (`SilentCard`) as JSON.
    pub body: String,
}

/// The kinds of [`Store::put_record`] records.
pub mod kind {
    /// How long a named person was connected (`coboard_shared::ledger::Attendance`).
    pub const ATTENDANCE: &str = "attendance";
    /// A contribution ledger row (`coboard_shared::ledger::Row`).
    pub const LEDGER_ROW: &str = "ledger-row";
    /// A version of the ledger's rate table (`coboard_shared::ledger::RateTable`).
    pub const RATES: &str = "rates";
}

/// Durable board storage, by kind of data; every method returns only once its effect is
/// durable. The rest of the server holds an `Arc<dyn Store>`; each backend implements
/// the five parts.
pub trait Store:
    DocumentLog + InviteStore + SnapshotStore + SideRecords + StoreUpkeep + 'static
{
}

impl<T: DocumentLog + InviteStore + SnapshotStore + SideRecords + StoreUpkeep + 'static> Store
    for T
{
}

/// A board's document, stored as an append-only log of updates folded now and then into
/// a snapshot, with the board's details (tables `boards`, `updates`, `snapshots`).
#[async_trait]
pub trait DocumentLog: Send + Sync {
    /// Records a new board together with its initial update (the seeded content) and
    /// its creator's facilitator invite, all or nothing.
    async fn create_board(
        &self,
        info: &BoardInfo,
        initial_update: Vec<u8>,
        creator: &StoredInvite,
    ) -> Result<(), StoreError>;

    /// Board metadata.
    async fn board_info(&self, id: &str) -> Result<BoardInfo, StoreError>;

    /// The snapshot and update log of a board.
    async fn load(&self, id: &str) -> Result<StoredBoard, StoreError>;

    /// Appends one update and returns its sequence number once it is durable.
    async fn append(&self, id: &str, update: Vec<u8>) -> Result<i64, StoreError>;

    /// Folds `state` and the updates up to and including `upto_seq` into the board's
    /// snapshot and drops those updates. Nothing stored is ever lost by it: an update
    /// that `state` lacks stays, either merged into the snapshot or as a row.
    async fn compact(&self, id: &str, state: Vec<u8>, upto_seq: i64) -> Result<(), StoreError>;
}

/// Invite links, their tokens kept only as hashes (table `invites`).
#[async_trait]
pub trait InviteStore: Send + Sync {
    /// Records a new invite.
    async fn create_invite(&self, invite: &StoredInvite) -> Result<(), StoreError>;

    /// Every invite of a board, oldest first.
    async fn list_invites(&self, board: &str) -> Result<Vec<Invite>, StoreError>;

    /// Marks an invite revoked; `NotFound` if the board has no such invite.
    async fn revoke_invite(&self, board: &str, invite: &str, at: i64) -> Result<(), StoreError>;

    /// The invite whose token hashes to `token_hash`, if any.
    async fn find_invite(&self, token_hash: [u8; 32]) -> Result<Option<StoredInvite>, StoreError>;
}

/// Named and automatic snapshots: whole copies of a board's state (table
/// `named_snapshots`).
#[async_trait]
pub trait SnapshotStore: Send + Sync {
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

    /// Replaces a named snapshot's name and state (withdrawing a contribution rewrites
    /// every snapshot that holds it). `NotFound` if the board has no such snapshot.
    async fn replace_snapshot(
        &self,
        board: &str,
        id: &str,
        name: &str,
        state: Vec<u8>,
    ) -> Result<(), StoreError>;

    /// Forgets automatic snapshots of a board (pruning). Ids it does not have, and named
    /// snapshots (`auto` false), are left alone: only automatic ones are ever pruned.
    async fn delete_auto_snapshots(&self, board: &str, ids: &[String]) -> Result<(), StoreError>;
}

/// What a board keeps outside its document, so no client receives it by syncing: sealed
/// ballots and silent cards until they are published (`ballots`, `silent_cards`), a
/// waiting handover offer (`handover_offers`), and records such as ledger rows, rate
/// tables and attendance (`records`).
#[async_trait]
pub trait SideRecords: Send + Sync {
    /// Stores (or replaces) a sealed entry and returns how many entries of its kind the
    /// round now has. `NotYours` if the entry exists under another key. `TooMany` if it
    /// is new and the round already has `max`. `NotFound` if the board does not exist.
    async fn put_sealed(
        &self,
        kind: Sealed,
        entry: &SealedEntry,
        max: u64,
    ) -> Result<u64, StoreError>;

    /// Every sealed entry of a kind in a round (JSON), by entry id.
    async fn sealed(
        &self,
        kind: Sealed,
        board: &str,
        round: &str,
    ) -> Result<Vec<String>, StoreError>;

    /// How many sealed entries of a kind a round has.
    async fn sealed_count(&self, kind: Sealed, board: &str, round: &str)
    -> Result<u64, StoreError>;

    /// Forgets one sealed entry (`id`), or the whole round's (once they are published).
    async fn delete_sealed(
        &self,
        kind: Sealed,
        board: &str,
        round: &str,
        id: Option<&str>,
    ) -> Result<(), StoreError>;

    /// Keeps the board's one waiting handover offer (JSON), replacing any other.
    /// `NotFound` if the board does not exist.
    async fn put_offer(&self, board: &str, body: &str) -> Result<(), StoreError>;

    /// The board's waiting handover offer, if any.
    async fn offer(&self, board: &str) -> Result<Option<String>, StoreError>;

    /// Forgets the board's waiting handover offer.
    async fn delete_offer(&self, board: &str) -> Result<(), StoreError>;

    /// Stores a record the board keeps outside its document (JSON): a ledger row, a rate
    /// table, an attendance entry. With `replace` false an existing record is left alone
    /// and `Exists` returned (rate tables are never rewritten). `NotFound` if the board
    /// does not exist.
    async fn put_record(
        &self,
        board: &str,
        kind: &str,
        id: &str,
        body: &str,
        replace: bool,
    ) -> Result<(), StoreError>;

    /// The records of one kind of a board whose ids start with `prefix` ("" for all), as
    /// (id, JSON), by id. Ids are ASCII.
    async fn records(
        &self,
        board: &str,
        kind: &str,
        prefix: &str,
    ) -> Result<Vec<(String, String)>, StoreError>;

    /// Deletes up to `limit` records of one kind, on any board, whose ids sort (bytewise)
    /// before `before`, and returns how many went. Attendance ids begin with their date,
    /// so this is how attendance past its keeping time is let go (see `crate::retention`).
    async fn delete_records_before(
        &self,
        kind: &str,
        before: &str,
        limit: u64,
    ) -> Result<u64, StoreError>;
}

/// Looking after the store itself: its size, scrubbing deleted data, and the board lock
/// shared by instances.
#[async_trait]
pub trait StoreUpkeep: Send + Sync {
    /// Bytes the store takes on disk (for `--max-store-bytes`).
    async fn size_bytes(&self) -> Result<u64, StoreError>;

    /// Makes what was deleted unrecoverable from the store's own files, where the store
    /// can: after a withdrawal, no file may still hold the withdrawn words.
    async fn scrub(&self) -> Result<(), StoreError>;

    /// Locks one board for every instance sharing this store, until the returned guard
    /// is dropped. It orders sealed ballots, silent cards, handovers and ledger changes
    /// against the steps that read them all (closing a round, a reveal). The embedded
    /// store serves a single instance, whose in-process lock is enough: it returns at once.
    async fn lock_board(&self, _board: &str) -> Result<StoreLock, StoreError> {
        Ok(StoreLock::default())
    }
}

/// A board lock held in the store (see [`Store::lock_board`]); released when dropped.
#[derive(Default)]
pub struct StoreLock {
    _held: Option<Box<dyn Send + Sync>>,
}

impl StoreLock {
    pub(crate) fn held(guard: impl Send + Sync + 'static) -> Self {
        Self {
            _held: Some(Box::new(guard)),
        }
    }
}

/// Opens the store the configuration names: PostgreSQL when `database_url` is given,
/// otherwise the embedded store in `data_dir`.
pub async fn open(
    database_url: Option<&str>,
    data_dir: &Path,
) -> Result<Arc<dyn Store>, StoreError> {
    Ok(match database_url {
        Some(url) => Arc::new(PgStore::connect(url).await?),
        None => Arc::new(SqliteStore::open(data_dir)?),
    })
}

/// Merges stored Yjs updates (v1) into one, as a union: what any part holds, the result
/// holds. Refuses rather than drop anything: a part that does not decode, or one that
/// builds on changes none of the parts contain, is an error.
pub(crate) fn merge_updates(board: &str, parts: &[Vec<u8>]) -> Result<Vec<u8>, StoreError> {
    use yrs::updates::decoder::Decode;
    use yrs::{Doc, ReadTxn, StateVector, Transact, Update};
    let corrupt = |detail: String| StoreError::Corrupt {
        board: board.to_owned(),
        detail,
    };
    let doc = Doc::new();
    let mut txn = doc.transact_mut();
    // Where each part's blocks start, client by client. A block that integrated moves
    // the document's clock for its client past its start; one left pending does not.
    let mut starts = Vec::new();
    for (n, part) in parts.iter().enumerate() {
        let update = std::panic::catch_unwind(|| Update::decode_v1(part))
            .map_err(|_| corrupt(format!("part {n} broke the decoder")))?
            .map_err(|e| corrupt(format!("part {n} does not decode: {e}")))?;
        starts.push(update.state_vector_lower());
        txn.apply_update(update)
            .map_err(|e| corrupt(format!("part {n} does not apply: {e}")))?;
    }
    let have = txn.state_vector();
    let missing = txn.has_missing_updates();
    // Encode after the commit: deleted content is garbage-collected as a transaction
    // commits, and a withdrawn contribution must not survive a compaction.
    drop(txn);
    let pending = starts
        .iter()
        .any(|sv| sv.iter().any(|(c, start)| have.get(c) <= *start));
    if missing || pending {
        return Err(StoreError::Backend(
            "compaction put off: some updates build on changes not stored yet".into(),
        ));
    }
    Ok(doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default()))
}

/// Behaviour every store must show, one function per kind of data, each run against
/// both backends (`sqlite/tests.rs`, `postgres/tests.rs`). What only one backend does
/// (PostgreSQL's merging compaction and cross-instance lock, SQLite's checkpoints) is
/// tested beside that backend.
#[cfg(test)]
pub(crate) mod contract {
    use super::{Sealed, SealedEntry, Store, StoreError, StoredInvite};
    use coboard_shared::api::{AccessRole, BoardInfo, Invite, SnapshotInfo};
    use yrs::updates::decoder::Decode;
    use yrs::{Doc, Map, ReadTxn, StateVector, Transact, Update};

    pub fn info(id: &str) -> BoardInfo {
        BoardInfo::new(id.to_owned(), "Plan".to_owned(), "blank".to_owned(), 1)
    }

    /// A facilitator's invite to `board` whose token hash is 32 bytes of `hash`.
    pub fn invite(board: &str, id: &str, hash: u8) -> StoredInvite {
        StoredInvite {
            invite: Invite {
                id: id.to_owned(),
                role: AccessRole::Facilitator,
                label: "creator".to_owned(),
                created_at: 5,
                expires_at: None,
                revoked: false,
            },
            board_id: board.to_owned(),
            token_hash: [hash; 32],
        }
    }

    /// One Yjs update that sets `key` in the root map `m`, from its own client.
    pub fn set(key: &str) -> Vec<u8> {
        let doc = Doc::new();
        let map = doc.get_or_insert_map("m");
        let mut txn = doc.transact_mut();
        map.insert(&mut txn, key, key);
        txn.encode_state_as_update_v1(&StateVector::default())
    }

    /// The keys of map `m` after loading the board the way an actor does.
    pub async fn keys(store: &dyn Store, board: &str) -> Vec<String> {
        let stored = store.load(board).await.unwrap();
        let doc = Doc::new();
        let map = doc.get_or_insert_map("m");
        let mut txn = doc.transact_mut();
        for part in stored.snapshot.iter().chain(&stored.updates) {
            txn.apply_update(Update::decode_v1(part).unwrap()).unwrap();
        }
        let mut keys: Vec<String> = map.keys(&txn).map(str::to_owned).collect();
        keys.sort();
        keys
    }

    /// The document log: a board is created with its first state and its creator's
    /// invite, takes appends in order, folds them into its snapshot without losing any,
    /// and a board that does not exist is `NotFound` everywhere. `board` must not exist
    /// yet; `hash` must be unused.
    pub async fn document_log(store: &dyn Store, board: &str, hash: u8) {
        let (seed, one) = (set("seed"), set("one"));
        let creator = invite(board, &format!("i-{board}"), hash);
        (store.create_board(&info(board), seed.clone(), &creator))
            .await
            .unwrap();
        assert_eq!(store.board_info(board).await.unwrap(), info(board));
        assert!(store.find_invite([hash; 32]).await.unwrap().is_some());
        let first = store.append(board, one.clone()).await.unwrap();
        let second = store.append(board, set("two")).await.unwrap();
        assert!(second > first);
        // The state an actor would fold in: everything up to the first append.
        let state = super::merge_updates(board, &[seed, one]).unwrap();
        store.compact(board, state, first).await.unwrap();
        assert_eq!(keys(store, board).await, ["one", "seed", "two"]);
        let stored = store.load(board).await.unwrap();
        assert!(stored.snapshot.is_some());
        assert_eq!(
            stored.updates.len(),
            1,
            "the append after the compaction stays"
        );
        for missing in [
            store.board_info("no-such-board").await.err(),
            store.load("no-such-board").await.err(),
            store.append("no-such-board", set("x")).await.err(),
        ] {
            assert!(
                matches!(missing, Some(StoreError::NotFound(_))),
                "{missing:?}"
            );
        }
    }

    /// Invites: found by the hash of their token, listed oldest first, revoked on their
    /// own board only, refused for a board that does not exist. `board` must exist with
    /// its creator's invite only; hashes 101 to 103 must be unused.
    pub async fn invites(store: &dyn Store, board: &str) {
        let mut viewer = invite(board, &format!("{board}-v"), 101);
        viewer.invite.role = AccessRole::Viewer;
        viewer.invite.expires_at = Some(99);
        viewer.invite.created_at = 6;
        store.create_invite(&viewer).await.unwrap();
        assert_eq!(
            store.find_invite([101; 32]).await.unwrap(),
            Some(viewer.clone())
        );
        assert_eq!(store.find_invite([102; 32]).await.unwrap(), None);
        assert!(matches!(
            store
                .create_invite(&invite("no-such-board", "x", 103))
                .await,
            Err(StoreError::NotFound(_))
        ));
        let v = viewer.invite.id.as_str();
        assert!(matches!(
            store.revoke_invite("no-such-board", v, 1).await,
            Err(StoreError::NotFound(_))
        ));
        assert!(matches!(
            store.revoke_invite(board, "missing", 1).await,
            Err(StoreError::NotFound(_))
        ));
        store.revoke_invite(board, v, 50).await.unwrap();
        let listed = store.list_invites(board).await.unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[1].id, v, "oldest first");
        assert!(listed[1].revoked && !listed[0].revoked);
        let found = store.find_invite([101; 32]).await.unwrap().unwrap();
        assert!(found.invite.revoked);
    }

    /// Sealed entries of either kind (ballots, silent cards): replaced only with their
    /// key, capped per round, kept apart by kind, board and round, deleted one at a time
    /// or a round at a time, refused for a board that does not exist. `board` and `other`
    /// must exist and hold none.
    pub async fn sealed(store: &dyn Store, board: &str, other: &str) {
        for (kind, unlike) in [
            (Sealed::Ballot, Sealed::Card),
            (Sealed::Card, Sealed::Ballot),
        ] {
            let entry = |board: &str, round: &str, id: &str, key: u8, json: &str| SealedEntry {
                board_id: board.into(),
                round: round.into(),
                id: id.into(),
                key_hash: [key; 32],
                body: json.into(),
            };
            let put =
                |e: SealedEntry, max: u64| async move { store.put_sealed(kind, &e, max).await };
            assert_eq!(
                put(entry(board, "r1", "asha", 1, "a1"), 2).await.unwrap(),
                1
            );
            assert_eq!(put(entry(board, "r1", "ben", 2, "b1"), 2).await.unwrap(), 2);
            assert_eq!(
                put(entry(board, "r1", "asha", 1, "a2"), 2).await.unwrap(),
                2
            );
            assert!(matches!(
                put(entry(board, "r1", "asha", 9, "stolen"), 2).await,
                Err(StoreError::NotYours)
            ));
            assert!(matches!(
                put(entry(board, "r1", "cal", 3, "c1"), 2).await,
                Err(StoreError::TooMany)
            ));
            // Other rounds, boards and kinds are counted on their own.
            assert_eq!(put(entry(board, "r2", "cal", 4, "r2"), 1).await.unwrap(), 1);
            put(entry(other, "r1", "cal", 3, "theirs"), 2)
                .await
                .unwrap();
            assert_eq!(store.sealed(kind, board, "r1").await.unwrap(), ["a2", "b1"]);
            assert_eq!(
                store.sealed(unlike, board, "r1").await.unwrap(),
                Vec::<String>::new()
            );
            assert_eq!(store.sealed(kind, other, "r1").await.unwrap(), ["theirs"]);
            store
                .delete_sealed(kind, board, "r1", Some("asha"))
                .await
                .unwrap();
            assert_eq!(store.sealed(kind, board, "r1").await.unwrap(), ["b1"]);
            store.delete_sealed(kind, board, "r1", None).await.unwrap();
            assert_eq!(store.sealed_count(kind, board, "r1").await.unwrap(), 0);
            assert_eq!(store.sealed_count(kind, board, "r2").await.unwrap(), 1);
            assert_eq!(store.sealed_count(kind, other, "r1").await.unwrap(), 1);
            assert!(matches!(
                put(entry("no-such-board", "r1", "cal", 3, "c1"), 2).await,
                Err(StoreError::NotFound(_))
            ));
            for b in [board, other] {
                for round in ["r1", "r2"] {
                    store.delete_sealed(kind, b, round, None).await.unwrap();
                }
            }
        }
    }

    /// Handover offers: one per board, replaced by the next, forgotten on delete.
    /// `board` and `other` must exist and hold none.
    pub async fn offers(store: &dyn Store, board: &str, other: &str) {
        assert_eq!(store.offer(board).await.unwrap(), None);
        store.put_offer(board, "first").await.unwrap();
        store.put_offer(board, "second").await.unwrap();
        store.put_offer(other, "theirs").await.unwrap();
        assert_eq!(store.offer(board).await.unwrap().as_deref(), Some("second"));
        store.delete_offer(board).await.unwrap();
        assert_eq!(store.offer(board).await.unwrap(), None);
        assert_eq!(store.offer(other).await.unwrap().as_deref(), Some("theirs"));
        assert!(matches!(
            store.put_offer("no-such-board", "x").await,
            Err(StoreError::NotFound(_))
        ));
    }

    /// Named snapshots: kept whole, listed oldest first, read back, renamed and rewritten
    /// (a withdrawal does that), `NotFound` for one the board does not have. `board` and
    /// `other` must exist and hold none.
    pub async fn snapshots(store: &dyn Store, board: &str, other: &str) {
        let snap = |id: &str, at: i64| SnapshotInfo {
            id: id.into(),
            name: format!("Meeting {at}"),
            created_at: at,
            auto: false,
            bytes: 3,
        };
        let (first, second) = (format!("{board}-s1"), format!("{board}-s2"));
        store
            .create_snapshot(board, &snap(&first, 7), vec![1, 2, 3])
            .await
            .unwrap();
        store
            .create_snapshot(board, &snap(&second, 8), vec![4, 5, 6])
            .await
            .unwrap();
        let ids: Vec<String> = (store.list_snapshots(board).await.unwrap())
            .into_iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(ids, [first.clone(), second.clone()]);
        assert_eq!(
            store.snapshot(board, &first).await.unwrap(),
            (snap(&first, 7), vec![1, 2, 3])
        );
        store
            .replace_snapshot(board, &first, "Meeting [withdrawn]", vec![9])
            .await
            .unwrap();
        let (info, state) = store.snapshot(board, &first).await.unwrap();
        assert_eq!(
            (info.name.as_str(), state),
            ("Meeting [withdrawn]", vec![9])
        );
        for missing in [
            store.snapshot(board, "missing").await.err(),
            store.snapshot(other, &first).await.err(),
            store
                .replace_snapshot(other, &first, "x", vec![])
                .await
                .err(),
            store
                .create_snapshot("no-such-board", &snap("x", 1), vec![])
                .await
                .err(),
        ] {
            assert!(
                matches!(missing, Some(StoreError::NotFound(_))),
                "{missing:?}"
            );
        }
        assert!(store.list_snapshots(other).await.unwrap().is_empty());
    }

    /// Old records go by kind and id, on every board, and nothing else goes with them.
    /// `board` and `other` must exist and hold no records yet.
    /// Pruning forgets the automatic snapshots named, on that board only, and never a
    /// snapshot someone named.
    pub async fn delete_auto_snapshots(store: &dyn Store, board: &str, other: &str) {
        let snap = |id: &str, auto: bool| SnapshotInfo {
            id: id.into(),
            name: id.into(),
            created_at: 1,
            auto,
            bytes: 1,
        };
        // Snapshot ids are unique across boards.
        for b in [board, other] {
            for (id, auto) in [("auto-1", true), ("auto-2", true), ("named", false)] {
                let id = format!("{b}-{id}");
                store
                    .create_snapshot(b, &snap(&id, auto), vec![0, 0])
                    .await
                    .unwrap();
            }
        }
        let ids = ["auto-1", "named", "missing"].map(|id| format!("{board}-{id}"));
        let theirs = format!("{other}-auto-1");
        store.delete_auto_snapshots(board, &ids).await.unwrap();
        store.delete_auto_snapshots(board, &[theirs]).await.unwrap();
        let left = |b: &str| {
            let b = b.to_owned();
            async move {
                let mut ids: Vec<String> = (store.list_snapshots(&b).await.unwrap().into_iter())
                    .map(|s| s.id.trim_start_matches(&format!("{b}-")).to_owned())
                    .collect();
                ids.sort();
                ids
            }
        };
        assert_eq!(left(board).await, ["auto-2", "named"]);
        assert_eq!(left(other).await, ["auto-1", "auto-2", "named"]);
    }

    pub async fn delete_records_before(store: &dyn Store, board: &str, other: &str) {
        for (b, id) in [
            (board, "2026-01-31-a"),
            (board, "2026-02-01-b"),
            (other, "2025-12-25-c"),
            (other, "2026-03-01-d"),
        ] {
            store.put_record(b, "att", id, "{}", false).await.unwrap();
        }
        store
            .put_record(board, "row", "2020-01-01-x", "kept", false)
            .await
            .unwrap();
        // A batch at a time: one, then the other, then none.
        for want in [1, 1, 0] {
            let gone = store
                .delete_records_before("att", "2026-02-01", 1)
                .await
                .unwrap();
            assert_eq!(gone, want);
        }
        let ids =
            |rows: Vec<(String, String)>| rows.into_iter().map(|(id, _)| id).collect::<Vec<_>>();
        assert_eq!(
            ids(store.records(board, "att", "").await.unwrap()),
            ["2026-02-01-b"]
        );
        assert_eq!(
            ids(store.records(other, "att", "").await.unwrap()),
            ["2026-03-01-d"]
        );
        assert_eq!(
            ids(store.records(board, "row", "").await.unwrap()),
            ["2020-01-01-x"]
        );
        assert_eq!(
            store
                .delete_records_before("att", "2026-04-01", 10)
                .await
                .unwrap(),
            2
        );
        assert_eq!(store.records(board, "row", "").await.unwrap().len(), 1);
    }

    /// Records: replaced only when asked, never created for a missing board, listed by
    /// id and kept apart by kind and board. `board` must exist; `other` too.
    pub async fn records(store: &dyn Store, board: &str, other: &str) {
        store
            .put_record(board, "rates", "000001", "v1", false)
            .await
            .unwrap();
        assert!(matches!(
            store
                .put_record(board, "rates", "000001", "rewritten", false)
                .await,
            Err(StoreError::Exists)
        ));
        store
            .put_record(board, "rates", "000002", "v2", false)
            .await
            .unwrap();
        store
            .put_record(board, "row", "r1", "first", true)
            .await
            .unwrap();
        store
            .put_record(board, "row", "r1", "second", true)
            .await
            .unwrap();
        store
            .put_record(other, "rates", "000001", "theirs", false)
            .await
            .unwrap();
        assert!(matches!(
            store
                .put_record("no-such-board", "row", "r1", "x", true)
                .await,
            Err(StoreError::NotFound(_))
        ));
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        assert_eq!(
            store.records(board, "rates", "").await.unwrap(),
            pairs(&[("000001", "v1"), ("000002", "v2")])
        );
        assert_eq!(
            store.records(board, "row", "").await.unwrap(),
            pairs(&[("r1", "second")])
        );
        assert_eq!(
            store.records(other, "rates", "").await.unwrap(),
            pairs(&[("000001", "theirs")])
        );
        assert!(
            store
                .records(board, "nothing", "")
                .await
                .unwrap()
                .is_empty()
        );
        // A prefix picks ids that start with it, and no others.
        store
            .put_record(board, "day", "2026-11-01-a", "1a", false)
            .await
            .unwrap();
        store
            .put_record(board, "day", "2026-11-02-a", "2a", false)
            .await
            .unwrap();
        store
            .put_record(board, "day", "2026-11-02-b", "2b", false)
            .await
            .unwrap();
        store
            .put_record(board, "day", "2026-11-03-a", "3a", false)
            .await
            .unwrap();
        assert_eq!(
            store.records(board, "day", "2026-11-02").await.unwrap(),
            pairs(&[("2026-11-02-a", "2a"), ("2026-11-02-b", "2b")])
        );
    }
}
