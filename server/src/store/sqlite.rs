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

use super::{
    DocumentLog, InviteStore, Sealed, SealedEntry, SideRecords, SnapshotStore, StoreError,
    StoreUpkeep, StoredBoard, StoredInvite,
};

mod checkpoint;
mod migrate;
mod rows;

use rows::{INVITE_COLUMNS, insert_invite, invite_row, load_in_txn};

const FILE_NAME: &str = "coboard.db";
/// Most operations committed in one transaction.
const MAX_BATCH: usize = 512;

/// One change the writer thread makes. Each is committed in its own savepoint of the
/// batch it lands in, so one that fails undoes nothing else.
enum Op {
    Create {
        info: BoardInfo,
        initial: Vec<u8>,
        creator: Box<StoredInvite>,
    },
    Invite(Box<StoredInvite>),
    Revoke {
        board: String,
        invite: String,
        at: i64,
    },
    /// Answers the update's sequence number.
    Append {
        board: String,
        data: Vec<u8>,
    },
    Compact {
        board: String,
        state: Vec<u8>,
        upto: i64,
    },
    /// Answers how many entries the round now has.
    PutSealed {
        kind: Sealed,
        entry: Box<SealedEntry>,
        max: u64,
    },
    /// One entry (`id`), or the whole round.
    DeleteSealed {
        kind: Sealed,
        board: String,
        round: String,
        id: Option<String>,
    },
    /// Sets (or, with no body, forgets) the board's waiting handover offer.
    Offer {
        board: String,
        body: Option<String>,
    },
    /// An existing record is replaced only when `replace`.
    Record {
        board: String,
        kind: String,
        id: String,
        body: String,
        replace: bool,
    },
    /// Answers how many records of `kind` whose ids sort before `before` went.
    DeleteRecords {
        kind: String,
        before: String,
        limit: u64,
    },
    /// Automatic snapshots to forget.
    DeleteAutoSnapshots {
        board: String,
        ids: Vec<String>,
    },
    Snapshot {
        board: String,
        info: Box<SnapshotInfo>,
        state: Vec<u8>,
    },
    ReplaceSnapshot {
        board: String,
        id: String,
        name: String,
        state: Vec<u8>,
    },
    /// Folds the write-ahead log into the database file and empties it (after the
    /// batch it is in commits), so old page images of deleted rows are gone.
    Checkpoint,
}

/// An operation and who waits for its outcome.
struct Write {
    op: Op,
    reply: oneshot::Sender<WriteResult>,
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
        .map_err(StoreError::Task)?
    }

    /// Queues `op` for the writer thread and waits until it is committed (its number:
    /// a sequence number or a count, 0 when it has none).
    async fn write(&self, op: Op) -> WriteResult {
        let (reply, rx) = oneshot::channel();
        self.writer
            .send(Write { op, reply })
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
    let mut conn = Connection::open(path).map_err(|e| damaged(path, e))?;
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
    migrate::run(&mut conn).map_err(|e| damaged(path, e))?;
    Ok(conn)
}

fn backend(e: rusqlite::Error) -> StoreError {
    StoreError::Sqlite(e)
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
            if batch.iter().any(|w| matches!(w.op, Op::Checkpoint)) {
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
                    if matches!(w.op, Op::Checkpoint) {
                        *r = done.clone().map_err(StoreError::Backend);
                    }
                }
            }
            results
        });
        match results {
            Ok(results) => {
                for (w, r) in batch.drain(..).zip(results) {
                    // A caller that stopped waiting is fine to ignore: the write is committed.
                    let _ = w.reply.send(r);
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "store commit failed");
                for w in batch.drain(..) {
                    let _ = w.reply.send(Err(StoreError::Backend(e.to_string())));
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
        let r = apply(&sp, &w.op);
        if r.is_ok() {
            sp.commit()?;
        }
        results.push(r);
    }
    txn.set_drop_behavior(rusqlite::DropBehavior::Commit);
    txn.commit()?;
    Ok(results)
}

fn apply(conn: &Connection, op: &Op) -> WriteResult {
    match op {
        Op::Create {
            info,
            initial,
            creator,
        } => {
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
        Op::Invite(invite) => {
            insert_invite(conn, invite)?;
            Ok(0)
        }
        Op::Revoke { board, invite, at } => {
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
        Op::Append { board, data } => {
            conn.prepare_cached("INSERT INTO updates (board_id, data) VALUES (?1, ?2)")
                .and_then(|mut s| s.execute(params![board, data]))
                .map_err(|e| missing_board(e, board))?;
            Ok(conn.last_insert_rowid())
        }
        Op::PutSealed { kind, entry, max } => rows::put_sealed(conn, *kind, entry, *max),
        Op::DeleteSealed {
            kind,
            board,
            round,
            id,
        } => rows::delete_sealed(conn, *kind, board, round, id.as_deref()),
        Op::Offer { board, body } => {
            match body {
                Some(body) => conn.execute(
                    "INSERT INTO handover_offers (board_id, body) VALUES (?1, ?2)
                     ON CONFLICT (board_id) DO UPDATE SET body = excluded.body",
                    params![board, body],
                ),
                None => conn.execute(
                    "DELETE FROM handover_offers WHERE board_id = ?1",
                    params![board],
                ),
            }
            .map_err(|e| missing_board(e, board))?;
            Ok(0)
        }
        Op::DeleteAutoSnapshots { board, ids } => {
            for id in ids {
                conn.execute(
                    "DELETE FROM named_snapshots WHERE board_id = ?1 AND id = ?2 AND auto",
                    params![board, id],
                )
                .map_err(backend)?;
            }
            Ok(0)
        }
        Op::Snapshot { board, info, state } => rows::insert_snapshot(conn, board, info, state),
        Op::Record {
            board,
            kind,
            id,
            body,
            replace,
        } => rows::put_record(conn, [board, kind, id, body], *replace),
        Op::Checkpoint => Ok(0),
        Op::DeleteRecords {
            kind,
            before,
            limit,
        } => conn
            .execute(
                "DELETE FROM records WHERE (board_id, kind, id) IN
                 (SELECT board_id, kind, id FROM records WHERE kind = ?1 AND id < ?2 LIMIT ?3)",
                params![kind, before, i64::try_from(*limit).unwrap_or(i64::MAX)],
            )
            .map(|n| n as i64)
            .map_err(backend),
        Op::ReplaceSnapshot {
            board,
            id,
            name,
            state,
        } => {
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
        Op::Compact { board, state, upto } => {
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

/// A write refused by a foreign key names a board that does not exist.
fn missing_board(e: rusqlite::Error, board: &str) -> StoreError {
    match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::NotFound(board.to_owned())
        }
        e => backend(e),
    }
}

fn board_url(id: &str) -> String {
    format!("/b/{id}")
}

#[async_trait]
impl DocumentLog for SqliteStore {
    async fn create_board(
        &self,
        info: &BoardInfo,
        initial: Vec<u8>,
        creator: &StoredInvite,
    ) -> Result<(), StoreError> {
        let (info, creator) = (info.clone(), Box::new(creator.clone()));
        self.write(Op::Create {
            info,
            initial,
            creator,
        })
        .await?;
        Ok(())
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
        let board = id.to_owned();
        self.write(Op::Append {
            board,
            data: update,
        })
        .await
    }

    async fn compact(&self, id: &str, state: Vec<u8>, upto_seq: i64) -> Result<(), StoreError> {
        let board = id.to_owned();
        let upto = upto_seq;
        self.write(Op::Compact { board, state, upto }).await?;
        Ok(())
    }
}

#[async_trait]
impl InviteStore for SqliteStore {
    async fn create_invite(&self, invite: &StoredInvite) -> Result<(), StoreError> {
        self.write(Op::Invite(Box::new(invite.clone()))).await?;
        Ok(())
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
        self.write(Op::Revoke { board, invite, at }).await?;
        Ok(())
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
}

#[async_trait]
impl SnapshotStore for SqliteStore {
    async fn create_snapshot(
        &self,
        board: &str,
        info: &SnapshotInfo,
        state: Vec<u8>,
    ) -> Result<(), StoreError> {
        let (board, info) = (board.to_owned(), Box::new(info.clone()));
        self.write(Op::Snapshot { board, info, state }).await?;
        Ok(())
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

    async fn replace_snapshot(
        &self,
        board: &str,
        id: &str,
        name: &str,
        state: Vec<u8>,
    ) -> Result<(), StoreError> {
        let (board, id, name) = (board.to_owned(), id.to_owned(), name.to_owned());
        self.write(Op::ReplaceSnapshot {
            board,
            id,
            name,
            state,
        })
        .await?;
        Ok(())
    }

    async fn delete_auto_snapshots(&self, board: &str, ids: &[String]) -> Result<(), StoreError> {
        let (board, ids) = (board.to_owned(), ids.to_vec());
        self.write(Op::DeleteAutoSnapshots { board, ids }).await?;
        Ok(())
    }
}

#[async_trait]
impl SideRecords for SqliteStore {
    async fn put_sealed(
        &self,
        kind: Sealed,
        entry: &SealedEntry,
        max: u64,
    ) -> Result<u64, StoreError> {
        let entry = Box::new(entry.clone());
        let n = self.write(Op::PutSealed { kind, entry, max }).await?;
        Ok(n as u64)
    }

    async fn sealed(
        &self,
        kind: Sealed,
        board: &str,
        round: &str,
    ) -> Result<Vec<String>, StoreError> {
        let (board, round) = (board.to_owned(), round.to_owned());
        self.read(move |conn| rows::sealed(conn, kind, &board, &round))
            .await
    }

    async fn sealed_count(
        &self,
        kind: Sealed,
        board: &str,
        round: &str,
    ) -> Result<u64, StoreError> {
        let (board, round) = (board.to_owned(), round.to_owned());
        self.read(move |conn| rows::count_sealed(conn, kind, &board, &round).map(|n| n as u64))
            .await
    }

    async fn delete_sealed(
        &self,
        kind: Sealed,
        board: &str,
        round: &str,
        id: Option<&str>,
    ) -> Result<(), StoreError> {
        let (board, round, id) = (board.to_owned(), round.to_owned(), id.map(str::to_owned));
        self.write(Op::DeleteSealed {
            kind,
            board,
            round,
            id,
        })
        .await?;
        Ok(())
    }

    async fn put_offer(&self, board: &str, body: &str) -> Result<(), StoreError> {
        let (board, body) = (board.to_owned(), Some(body.to_owned()));
        self.write(Op::Offer { board, body }).await?;
        Ok(())
    }

    async fn offer(&self, board: &str) -> Result<Option<String>, StoreError> {
        let board = board.to_owned();
        self.read(move |conn| {
            conn.query_row(
                "SELECT body FROM handover_offers WHERE board_id = ?1",
                params![board],
                |r| r.get(0),
            )
            .optional()
            .map_err(backend)
        })
        .await
    }

    async fn delete_offer(&self, board: &str) -> Result<(), StoreError> {
        let board = board.to_owned();
        self.write(Op::Offer { board, body: None }).await?;
        Ok(())
    }

    async fn put_record(
        &self,
        board: &str,
        kind: &str,
        id: &str,
        body: &str,
        replace: bool,
    ) -> Result<(), StoreError> {
        let [board, kind, id, body] = [board, kind, id, body].map(str::to_owned);
        self.write(Op::Record {
            board,
            kind,
            id,
            body,
            replace,
        })
        .await?;
        Ok(())
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

    async fn delete_records_before(
        &self,
        kind: &str,
        before: &str,
        limit: u64,
    ) -> Result<u64, StoreError> {
        let (kind, before) = (kind.to_owned(), before.to_owned());
        let n = self
            .write(Op::DeleteRecords {
                kind,
                before,
                limit,
            })
            .await?;
        Ok(n as u64)
    }
}

#[async_trait]
impl StoreUpkeep for SqliteStore {
    async fn size_bytes(&self) -> Result<u64, StoreError> {
        let db = self.path.clone();
        Ok(["", "-wal", "-shm"]
            .iter()
            .filter_map(|s| std::fs::metadata(format!("{}{s}", db.display())).ok())
            .map(|m| m.len())
            .sum())
    }

    async fn scrub(&self) -> Result<(), StoreError> {
        self.write(Op::Checkpoint).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
