//! The embedded store: one SQLite file (`coboard.db`) under the data directory.
//!
//! SQLite in WAL mode with `synchronous = FULL` makes each commit durable (the WAL is
//! fsync'd) while readers carry on. All writes go through one writer thread that commits
//! whatever has queued up in a single transaction ("group commit"), so a busy board pays
//! one fsync per batch, not one per keystroke. Reads use a second connection on tokio's
//! blocking pool; neither ever runs on an async worker thread.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use coboard_shared::api::{BoardInfo, Invite, SnapshotInfo};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use tokio::sync::{mpsc, oneshot};

use super::{Store, StoreError, StoredBallot, StoredBoard, StoredInvite};

mod checkpoint;
mod rows;

use rows::{INVITE_COLUMNS, insert_invite, invite_row, load_in_txn};

const FILE_NAME: &str = "coboard.db";
/// Most operations committed in one transaction.
const MAX_BATCH: usize = 512;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS boards (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    template TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    board_id TEXT NOT NULL REFERENCES boards(id),
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS updates_by_board ON updates(board_id, seq);
CREATE TABLE IF NOT EXISTS invites (
    id TEXT PRIMARY KEY,
    board_id TEXT NOT NULL REFERENCES boards(id),
    role TEXT NOT NULL,
    label TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS invites_by_board ON invites(board_id, created_at);
CREATE TABLE IF NOT EXISTS ballots (
    board_id TEXT NOT NULL REFERENCES boards(id),
    round TEXT NOT NULL,
    voter TEXT NOT NULL,
    key_hash BLOB NOT NULL,
    ballot TEXT NOT NULL,
    PRIMARY KEY (board_id, round, voter)
);
CREATE TABLE IF NOT EXISTS named_snapshots (
    id TEXT PRIMARY KEY,
    board_id TEXT NOT NULL REFERENCES boards(id),
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    auto INTEGER NOT NULL,
    state BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS named_snapshots_by_board ON named_snapshots(board_id, created_at);
CREATE TABLE IF NOT EXISTS snapshots (
    board_id TEXT PRIMARY KEY REFERENCES boards(id),
    data BLOB NOT NULL,
    upto_seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    board_id TEXT NOT NULL REFERENCES boards(id),
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (board_id, kind, id)
);
";

enum Write {
    Create(
        BoardInfo,
        Vec<u8>,
        Box<StoredInvite>,
        oneshot::Sender<Result<(), StoreError>>,
    ),
    Invite(Box<StoredInvite>, oneshot::Sender<Result<(), StoreError>>),
    Revoke(String, String, i64, oneshot::Sender<Result<(), StoreError>>),
    Append(String, Vec<u8>, oneshot::Sender<Result<i64, StoreError>>),
    Compact(
        String,
        Vec<u8>,
        i64,
        oneshot::Sender<Result<(), StoreError>>,
    ),
    Ballot(
        Box<StoredBallot>,
        u64,
        oneshot::Sender<Result<i64, StoreError>>,
    ),
    DeleteBallots(String, String, oneshot::Sender<Result<(), StoreError>>),
    /// (board, round, voter)
    DeleteBallot(Box<[String; 3]>, oneshot::Sender<Result<(), StoreError>>),
    /// (board, kind, id, body), and whether an existing record may be replaced.
    Record(
        Box<[String; 4]>,
        bool,
        oneshot::Sender<Result<(), StoreError>>,
    ),
    /// (kind, bound), limit: records of that kind whose ids sort before the bound.
    DeleteRecords(
        Box<[String; 2]>,
        u64,
        oneshot::Sender<Result<i64, StoreError>>,
    ),
    /// (board, ids): automatic snapshots to forget.
    DeleteAutoSnapshots(
        Box<(String, Vec<String>)>,
        oneshot::Sender<Result<(), StoreError>>,
    ),
    ReplaceSnapshot(
        Box<(String, String, String)>,
        Vec<u8>,
        oneshot::Sender<Result<(), StoreError>>,
    ),
    /// Folds the write-ahead log into the database file and empties it (after the
    /// batch it is in commits), so old page images of deleted rows are gone.
    Checkpoint(oneshot::Sender<Result<(), StoreError>>),
    Snapshot(
        String,
        Box<SnapshotInfo>,
        Vec<u8>,
        oneshot::Sender<Result<(), StoreError>>,
    ),
}

/// The embedded SQLite store.
pub struct SqliteStore {
    /// The database file, measured for `--max-store-bytes`.
    path: PathBuf,
    writer: mpsc::Sender<Write>,
    reader: Arc<Mutex<Connection>>,
    /// Dropped with the store, which tells the checkpoint thread to stop.
    _checkpoints: std::sync::mpsc::Sender<()>,
    /// The lock the checkpoint thread and the writer share, for tests to hold.
    #[cfg(test)]
    checkpoint_lock: checkpoint::CheckpointLock,
}

impl SqliteStore {
    /// Opens (creating if needed) the store in `data_dir`, checks the file's integrity,
    /// and starts the writer thread. A damaged file is reported by path, never panicked on.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            StoreError::Backend(format!("cannot create {}: {e}", data_dir.display()))
        })?;
        let path = data_dir.join(FILE_NAME);
        keep_private(data_dir, &path);
        let writer_conn = open_checked(&path)?;
        // Checkpoints run on a thread of their own (see `checkpoint`).
        writer_conn
            .pragma_update(
                None,
                "wal_autocheckpoint",
                checkpoint::WRITER_CHECKPOINT_PAGES,
            )
            .map_err(|e| damaged(&path, e))?;
        writer_conn
            .pragma_update(None, "journal_size_limit", checkpoint::LOG_SIZE_LIMIT)
            .map_err(|e| damaged(&path, e))?;
        let lock = checkpoint::CheckpointLock::default();
        let checkpoints = checkpoint::start(&path, lock.clone())?;
        let reader = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| damaged(&path, e))?;
        let (tx, rx) = mpsc::channel(4096);
        std::thread::Builder::new()
            .name("coboard-store-writer".into())
            .spawn({
                let lock = lock.clone();
                move || writer_loop(writer_conn, rx, lock)
            })
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        Ok(Self {
            path,
            writer: tx,
            reader: Arc::new(Mutex::new(reader)),
            _checkpoints: checkpoints,
            #[cfg(test)]
            checkpoint_lock: lock,
        })
    }

    async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let reader = self.reader.clone();
        tokio::task::spawn_blocking(move || {
            let conn = reader.lock().map_err(|_| StoreError::Closed)?;
            f(&conn)
        })
        .await
        .map_err(|e| StoreError::Backend(e.to_string()))?
    }

    async fn write<T>(
        &self,
        make: impl FnOnce(oneshot::Sender<Result<T, StoreError>>) -> Write,
    ) -> Result<T, StoreError> {
        let (tx, rx) = oneshot::channel();
        self.writer
            .send(make(tx))
            .await
            .map_err(|_| StoreError::Closed)?;
        rx.await.map_err(|_| StoreError::Closed)?
    }
}

fn damaged(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!(
        "the store file {} cannot be used: {e}. Restore it from a backup or move it aside.",
        path.display()
    ))
}

/// The data directory holds boards, people's access needs and the ledger: only the
/// server's own user may read it. The directory becomes 0700 and the database 0600
/// (created so if new; SQLite gives its `-wal` and `-shm` files the database's mode), also
/// for a directory an older version made with the default 0755/0644. A mode it may not
/// change (a directory owned by another user) is logged, not fatal: the store still works.
fn keep_private(data_dir: &Path, db: &Path) {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let warn = |what: &Path, e: std::io::Error| {
        tracing::warn!(path = %what.display(), error = %e, "could not make this private");
    };
    let mode = |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m));
    if let Err(e) = mode(data_dir, 0o700) {
        warn(data_dir, e);
    }
    // Created 0600 if new, so it is never readable by others, even for a moment.
    if let Err(e) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(db)
    {
        warn(db, e);
    }
    for suffix in ["", "-wal", "-shm"] {
        let file = PathBuf::from(format!("{}{suffix}", db.display()));
        if file.exists()
            && let Err(e) = mode(&file, 0o600)
        {
            warn(&file, e);
        }
    }
}

fn open_checked(path: &PathBuf) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(|e| damaged(path, e))?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(|e| damaged(path, e))?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(|e| damaged(path, e))?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(|e| damaged(path, e))?;
    // Deleted rows are overwritten with zeros, so a withdrawn contribution compacted
    // away does not linger in free pages of the file.
    conn.pragma_update(None, "secure_delete", "ON")
        .map_err(|e| damaged(path, e))?;
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| damaged(path, e))?;
    if check != "ok" {
        return Err(damaged(path, check));
    }
    conn.execute_batch(SCHEMA).map_err(|e| damaged(path, e))?;
    Ok(conn)
}

fn backend(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// Commits queued writes in batches until every sender is gone, then exits, which is how
/// the store shuts down: dropping the last `SqliteStore` drains and closes it.
fn writer_loop(
    mut conn: Connection,
    mut rx: mpsc::Receiver<Write>,
    checkpoints: checkpoint::CheckpointLock,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = rx.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(w) => batch.push(w),
                Err(_) => break,
            }
        }
        let results = commit_batch(&mut conn, &batch).map(|mut results| {
            if batch.iter().any(|w| matches!(w, Write::Checkpoint(_))) {
                let _held = checkpoints.hold();
                let done = conn
                    .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                        r.get::<_, i64>(0)
                    })
                    .map_err(|e| e.to_string())
                    .and_then(|busy| match busy {
                        0 => Ok(0),
                        _ => Err("the log is in use; try again".to_owned()),
                    });
                for (w, r) in batch.iter().zip(results.iter_mut()) {
                    if matches!(w, Write::Checkpoint(_)) {
                        *r = done.clone().map_err(StoreError::Backend);
                    }
                }
            }
            results
        });
        match results {
            Ok(results) => {
                for (w, r) in batch.drain(..).zip(results) {
                    reply(w, r);
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "store commit failed");
                for w in batch.drain(..) {
                    reply(w, Err(StoreError::Backend(e.to_string())));
                }
            }
        }
    }
}

/// Outcome of one write inside a batch: a sequence number for appends, 0 otherwise.
type WriteResult = Result<i64, StoreError>;

fn commit_batch(conn: &mut Connection, batch: &[Write]) -> rusqlite::Result<Vec<WriteResult>> {
    let mut txn = conn.transaction()?;
    let mut results = Vec::with_capacity(batch.len());
    for w in batch {
        // Each write gets a savepoint, so one failing write does not undo the others.
        let sp = txn.savepoint()?;
        let r = apply_write(&sp, w);
        if r.is_ok() {
            sp.commit()?;
        }
        results.push(r);
    }
    txn.set_drop_behavior(rusqlite::DropBehavior::Commit);
    txn.commit()?;
    Ok(results)
}

fn apply_write(conn: &Connection, w: &Write) -> WriteResult {
    match w {
        Write::Create(info, initial, creator, _) => {
            conn.execute(
                "INSERT INTO boards (id, title, template, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![info.id, info.title, info.template, info.created_at],
            )
            .map_err(backend)?;
            conn.execute(
                "INSERT INTO updates (board_id, data) VALUES (?1, ?2)",
                params![info.id, initial],
            )
            .map_err(backend)?;
            insert_invite(conn, creator)?;
            Ok(0)
        }
        Write::Invite(invite, _) => {
            insert_invite(conn, invite)?;
            Ok(0)
        }
        Write::Revoke(board, invite, at, _) => {
            let n = conn
                .execute(
                    "UPDATE invites SET revoked_at = COALESCE(revoked_at, ?3)
                     WHERE board_id = ?1 AND id = ?2",
                    params![board, invite, at],
                )
                .map_err(backend)?;
            if n == 0 {
                return Err(StoreError::NotFound(invite.clone()));
            }
            Ok(0)
        }
        Write::Append(board, data, _) => {
            conn.prepare_cached("INSERT INTO updates (board_id, data) VALUES (?1, ?2)")
                .and_then(|mut s| s.execute(params![board, data]))
                .map_err(|e| match e {
                    rusqlite::Error::SqliteFailure(f, _)
                        if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                    {
                        StoreError::NotFound(board.clone())
                    }
                    e => backend(e),
                })?;
            Ok(conn.last_insert_rowid())
        }
        Write::Ballot(b, max, _) => rows::put_ballot(conn, b, *max),
        Write::DeleteAutoSnapshots(ids, _) => {
            let (board, ids) = &**ids;
            for id in ids {
                conn.execute(
                    "DELETE FROM named_snapshots WHERE board_id = ?1 AND id = ?2 AND auto",
                    params![board, id],
                )
                .map_err(backend)?;
            }
            Ok(0)
        }
        Write::DeleteBallot(key, _) => {
            let [board, round, voter] = &**key;
            conn.execute(
                "DELETE FROM ballots WHERE board_id = ?1 AND round = ?2 AND voter = ?3",
                params![board, round, voter],
            )
            .map_err(backend)?;
            Ok(0)
        }
        Write::DeleteBallots(board, round, _) => {
            conn.execute(
                "DELETE FROM ballots WHERE board_id = ?1 AND round = ?2",
                params![board, round],
            )
            .map_err(backend)?;
            Ok(0)
        }
        Write::Snapshot(board, info, state, _) => rows::insert_snapshot(conn, board, info, state),
        Write::Record(fields, replace, _) => rows::put_record(conn, fields, *replace),
        Write::Checkpoint(_) => Ok(0),
        Write::DeleteRecords(f, limit, _) => conn
            .execute(
                "DELETE FROM records WHERE (board_id, kind, id) IN
                 (SELECT board_id, kind, id FROM records WHERE kind = ?1 AND id < ?2 LIMIT ?3)",
                params![f[0], f[1], i64::try_from(*limit).unwrap_or(i64::MAX)],
            )
            .map(|n| n as i64)
            .map_err(backend),
        Write::ReplaceSnapshot(names, state, _) => {
            let (board, id, name) = &**names;
            let n = conn
                .execute(
                    "UPDATE named_snapshots SET name = ?3, state = ?4 WHERE board_id = ?1 AND id = ?2",
                    params![board, id, name, state],
                )
                .map_err(backend)?;
            if n == 0 {
                return Err(StoreError::NotFound(id.clone()));
            }
            Ok(0)
        }
        Write::Compact(board, state, upto, _) => {
            conn.execute(
                "INSERT INTO snapshots (board_id, data, upto_seq) VALUES (?1, ?2, ?3)
                 ON CONFLICT (board_id) DO UPDATE SET data = excluded.data, upto_seq = excluded.upto_seq
                 WHERE excluded.upto_seq >= snapshots.upto_seq",
                params![board, state, upto],
            )
            .map_err(backend)?;
            conn.execute(
                "DELETE FROM updates WHERE board_id = ?1 AND seq <= ?2",
                params![board, upto],
            )
            .map_err(backend)?;
            Ok(0)
        }
    }
}

fn reply(w: Write, r: WriteResult) {
    // A caller that stopped waiting is fine to ignore: the write itself is committed.
    match w {
        Write::Create(_, _, _, tx)
        | Write::Invite(_, tx)
        | Write::Revoke(_, _, _, tx)
        | Write::Compact(_, _, _, tx)
        | Write::DeleteBallots(_, _, tx)
        | Write::DeleteBallot(_, tx)
        | Write::Record(_, _, tx)
        | Write::ReplaceSnapshot(_, _, tx)
        | Write::DeleteAutoSnapshots(_, tx)
        | Write::Checkpoint(tx)
        | Write::Snapshot(_, _, _, tx) => {
            let _ = tx.send(r.map(|_| ()));
        }
        Write::Append(_, _, tx) | Write::Ballot(_, _, tx) | Write::DeleteRecords(_, _, tx) => {
            let _ = tx.send(r);
        }
    }
}

fn board_url(id: &str) -> String {
    format!("/b/{id}")
}

#[async_trait]
impl Store for SqliteStore {
    async fn create_board(
        &self,
        info: &BoardInfo,
        initial: Vec<u8>,
        creator: &StoredInvite,
    ) -> Result<(), StoreError> {
        let (info, creator) = (info.clone(), Box::new(creator.clone()));
        self.write(|tx| Write::Create(info, initial, creator, tx))
            .await
    }

    async fn create_invite(&self, invite: &StoredInvite) -> Result<(), StoreError> {
        let invite = Box::new(invite.clone());
        self.write(|tx| Write::Invite(invite, tx)).await
    }

    async fn list_invites(&self, board: &str) -> Result<Vec<Invite>, StoreError> {
        let board = board.to_owned();
        self.read(move |conn| {
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT {INVITE_COLUMNS} FROM invites WHERE board_id = ?1 ORDER BY created_at, id"
                ))
                .map_err(backend)?;
            let rows = stmt
                .query_map(params![board], invite_row)
                .map_err(backend)?;
            rows.map(|r| r.map(|i| i.invite).map_err(backend)).collect()
        })
        .await
    }

    async fn revoke_invite(&self, board: &str, invite: &str, at: i64) -> Result<(), StoreError> {
        let (board, invite) = (board.to_owned(), invite.to_owned());
        self.write(|tx| Write::Revoke(board, invite, at, tx)).await
    }

    async fn find_invite(&self, token_hash: [u8; 32]) -> Result<Option<StoredInvite>, StoreError> {
        self.read(move |conn| {
            conn.prepare_cached(&format!(
                "SELECT {INVITE_COLUMNS} FROM invites WHERE token_hash = ?1"
            ))
            .and_then(|mut s| s.query_row(params![&token_hash[..]], invite_row).optional())
            .map_err(backend)
        })
        .await
    }

    async fn board_info(&self, id: &str) -> Result<BoardInfo, StoreError> {
        let id = id.to_owned();
        self.read(move |conn| {
            conn.query_row(
                "SELECT title, template, created_at FROM boards WHERE id = ?1",
                params![id],
                |r| {
                    Ok(BoardInfo {
                        url: board_url(&id),
                        id: id.clone(),
                        title: r.get(0)?,
                        template: r.get(1)?,
                        created_at: r.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(backend)?
            .ok_or(StoreError::NotFound(id))
        })
        .await
    }

    async fn load(&self, id: &str) -> Result<StoredBoard, StoreError> {
        let id = id.to_owned();
        self.read(move |conn| {
            // One read transaction, so a compaction running meanwhile is seen whole or not at all.
            conn.execute_batch("BEGIN").map_err(backend)?;
            let result = load_in_txn(conn, &id);
            let _ = conn.execute_batch("COMMIT");
            result
        })
        .await
    }

    async fn append(&self, id: &str, update: Vec<u8>) -> Result<i64, StoreError> {
        let id = id.to_owned();
        self.write(|tx| Write::Append(id, update, tx)).await
    }

    async fn compact(&self, id: &str, state: Vec<u8>, upto_seq: i64) -> Result<(), StoreError> {
        let id = id.to_owned();
        self.write(|tx| Write::Compact(id, state, upto_seq, tx))
            .await
    }

    async fn put_ballot(&self, ballot: &StoredBallot, max: u64) -> Result<u64, StoreError> {
        let ballot = Box::new(ballot.clone());
        let n = self.write(|tx| Write::Ballot(ballot, max, tx)).await?;
        Ok(n as u64)
    }

    async fn ballots(&self, board: &str, round: &str) -> Result<Vec<String>, StoreError> {
        let (board, round) = (board.to_owned(), round.to_owned());
        self.read(move |conn| {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT ballot FROM ballots WHERE board_id = ?1 AND round = ?2 ORDER BY voter",
                )
                .map_err(backend)?;
            let rows = stmt
                .query_map(params![board, round], |r| r.get::<_, String>(0))
                .map_err(backend)?;
            rows.map(|r| r.map_err(backend)).collect()
        })
        .await
    }

    async fn delete_ballot(&self, board: &str, round: &str, voter: &str) -> Result<(), StoreError> {
        let key = Box::new([board, round, voter].map(str::to_owned));
        self.write(|tx| Write::DeleteBallot(key, tx)).await
    }

    async fn delete_ballots(&self, board: &str, round: &str) -> Result<(), StoreError> {
        let (board, round) = (board.to_owned(), round.to_owned());
        self.write(|tx| Write::DeleteBallots(board, round, tx))
            .await
    }

    async fn ballot_count(&self, board: &str, round: &str) -> Result<u64, StoreError> {
        let (board, round) = (board.to_owned(), round.to_owned());
        self.read(move |conn| rows::count_ballots(conn, &board, &round).map(|n| n as u64))
            .await
    }

    async fn create_snapshot(
        &self,
        board: &str,
        info: &SnapshotInfo,
        state: Vec<u8>,
    ) -> Result<(), StoreError> {
        let (board, info) = (board.to_owned(), Box::new(info.clone()));
        self.write(|tx| Write::Snapshot(board, info, state, tx))
            .await
    }

    async fn replace_snapshot(
        &self,
        board: &str,
        id: &str,
        name: &str,
        state: Vec<u8>,
    ) -> Result<(), StoreError> {
        let names = Box::new((board.to_owned(), id.to_owned(), name.to_owned()));
        self.write(|tx| Write::ReplaceSnapshot(names, state, tx))
            .await
    }

    async fn scrub(&self) -> Result<(), StoreError> {
        self.write(Write::Checkpoint).await
    }

    async fn size_bytes(&self) -> Result<u64, StoreError> {
        let db = self.path.clone();
        Ok(["", "-wal", "-shm"]
            .iter()
            .filter_map(|s| std::fs::metadata(format!("{}{s}", db.display())).ok())
            .map(|m| m.len())
            .sum())
    }

    async fn delete_auto_snapshots(&self, board: &str, ids: &[String]) -> Result<(), StoreError> {
        let ids = Box::new((board.to_owned(), ids.to_vec()));
        self.write(|tx| Write::DeleteAutoSnapshots(ids, tx)).await
    }

    async fn list_snapshots(&self, board: &str) -> Result<Vec<SnapshotInfo>, StoreError> {
        let board = board.to_owned();
        self.read(move |conn| rows::list_snapshots(conn, &board))
            .await
    }

    async fn snapshot(&self, board: &str, id: &str) -> Result<(SnapshotInfo, Vec<u8>), StoreError> {
        let (board, id) = (board.to_owned(), id.to_owned());
        self.read(move |conn| rows::snapshot(conn, &board, &id))
            .await
    }

    async fn put_record(
        &self,
        board: &str,
        kind: &str,
        id: &str,
        body: &str,
        replace: bool,
    ) -> Result<(), StoreError> {
        let fields = Box::new([board, kind, id, body].map(str::to_owned));
        self.write(|tx| Write::Record(fields, replace, tx)).await
    }

    async fn delete_records_before(
        &self,
        kind: &str,
        before: &str,
        limit: u64,
    ) -> Result<u64, StoreError> {
        let fields = Box::new([kind, before].map(str::to_owned));
        let n = self
            .write(|tx| Write::DeleteRecords(fields, limit, tx))
            .await?;
        Ok(n as u64)
    }

    async fn records(
        &self,
        board: &str,
        kind: &str,
        prefix: &str,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let (board, kind) = (board.to_owned(), kind.to_owned());
        // Ids are ASCII, so every id starting with the prefix sorts below prefix + DEL.
        let (from, to) = (prefix.to_owned(), format!("{prefix}\u{7f}"));
        self.read(move |conn| {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT id, body FROM records WHERE board_id = ?1 AND kind = ?2
                     AND id >= ?3 AND id < ?4 ORDER BY id",
                )
                .map_err(backend)?;
            let rows = stmt
                .query_map(params![board, kind, from, to], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .map_err(backend)?;
            rows.map(|r| r.map_err(backend)).collect()
        })
        .await
    }
}

#[cfg(test)]
mod tests;
