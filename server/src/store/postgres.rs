//! The shared store: PostgreSQL, for several instances serving the same boards.
//!
//! Tables mirror the embedded store (`migrations/`, run on start). Two things differ
//! because more than one process writes:
//!
//! - **Loading reads every update row of a board**, not only those after the snapshot's
//!   sequence number. Sequence numbers are handed out when a row is inserted, not when it
//!   commits, so a row with a lower number can become visible after a compaction that
//!   covered higher ones; filtering by number would skip it.
//! - **Compaction merges, it never overwrites.** Under a row lock on the board, it merges
//!   the stored snapshot, the update rows it can see up to `upto_seq`, and the caller's
//!   state into one update, then deletes exactly the rows it merged. Yjs updates merge as
//!   a union, so two instances compacting the same board (each with a state the other has
//!   not seen yet) can only add to each other, never lose anything.

use std::time::Duration;

use async_trait::async_trait;
use coboard_shared::api::{AccessRole, BoardInfo, Invite, SnapshotInfo};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::{PgPool, Row};

use super::{
    DocumentLog, InviteStore, Sealed, SealedEntry, SideRecords, SnapshotStore, StoreError,
    StoreLock, StoreUpkeep, StoredBoard, StoredInvite, merge_updates,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Connections per instance; each board actor holds one only while it writes.
const POOL_SIZE: u32 = 16;

/// Connections kept for board locks: a lock holds its connection while the locked work
/// uses `pool`, so the two must not share one, or a burst of locks could take every
/// connection the work needs.
const LOCK_POOL_SIZE: u32 = 8;

/// Longest wait for a board's lock. The steps it guards take milliseconds; a holder that
/// keeps it this long is stuck, and the waiter gets an error rather than waiting forever.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// The PostgreSQL store.
pub struct PgStore {
    pool: PgPool,
    locks: PgPool,
    /// The schema in use, so boards in different schemas of one database (tests) have
    /// different lock keys: advisory locks are database-wide.
    schema: String,
}

/// A board's advisory lock, with the connection holding it; released when dropped.
struct PgBoardLock {
    conn: Option<sqlx::pool::PoolConnection<sqlx::Postgres>>,
    key: i64,
}

impl Drop for PgBoardLock {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else {
            return;
        };
        let key = self.key;
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn(async move {
                    let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
                        .bind(key)
                        .execute(&mut *conn)
                        .await;
                    if unlocked.is_err() {
                        // Closing the session releases every lock it holds.
                        drop(conn.detach());
                    }
                });
            }
            // No runtime to unlock on: close the session instead of pooling it locked.
            Err(_) => drop(conn.detach()),
        }
    }
}

impl PgStore {
    /// Connects to `url` (`postgres://…`) and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options: PgConnectOptions = url
            .parse()
            .map_err(|e| StoreError::Backend(format!("bad database URL: {e}")))?;
        Self::connect_with(options).await
    }

    /// Connects with explicit options (tests use this to pick a schema).
    pub async fn connect_with(options: PgConnectOptions) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            // A request waits this long for a connection while PostgreSQL is down, then
            // fails with a clear error instead of hanging.
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options.clone())
            .await
            .map_err(|e| StoreError::Backend(format!("cannot connect to PostgreSQL: {e}")))?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(format!("database migration failed: {e}")))?;
        let locks = PgPoolOptions::new()
            .max_connections(LOCK_POOL_SIZE)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Backend(format!("cannot connect to PostgreSQL: {e}")))?;
        let schema: String = sqlx::query_scalar("SELECT current_schema()::text")
            .fetch_one(&pool)
            .await
            .map_err(backend)?;
        Ok(Self {
            pool,
            locks,
            schema,
        })
    }
}

fn backend(e: sqlx::Error) -> StoreError {
    StoreError::Postgres(e)
}

/// A foreign-key violation means the board does not exist.
fn missing_board(board: &str) -> impl FnOnce(sqlx::Error) -> StoreError + '_ {
    move |e| match &e {
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
            StoreError::NotFound(board.to_owned())
        }
        _ => backend(e),
    }
}

fn invite_row(r: &PgRow) -> Result<StoredInvite, sqlx::Error> {
    let role: String = r.try_get("role")?;
    let hash: Vec<u8> = r.try_get("token_hash")?;
    let revoked_at: Option<i64> = r.try_get("revoked_at")?;
    Ok(StoredInvite {
        invite: Invite {
            id: r.try_get("id")?,
            // An unknown role can only be damage; treat it as the least power.
            role: AccessRole::parse(&role).unwrap_or(AccessRole::Viewer),
            label: r.try_get("label")?,
            created_at: r.try_get("created_at")?,
            expires_at: r.try_get("expires_at")?,
            revoked: revoked_at.is_some(),
        },
        board_id: r.try_get("board_id")?,
        token_hash: hash.try_into().unwrap_or([0; 32]),
    })
}

fn snapshot_row(r: &PgRow) -> Result<SnapshotInfo, sqlx::Error> {
    Ok(SnapshotInfo {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        created_at: r.try_get("created_at")?,
        auto: r.try_get("auto")?,
        bytes: r.try_get::<i32, _>("bytes")? as u64,
    })
}

async fn insert_invite<'c>(
    conn: impl sqlx::PgExecutor<'c>,
    i: &StoredInvite,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO invites (id, board_id, role, label, token_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&i.invite.id)
    .bind(&i.board_id)
    .bind(i.invite.role.as_str())
    .bind(&i.invite.label)
    .bind(&i.token_hash[..])
    .bind(i.invite.created_at)
    .bind(i.invite.expires_at)
    .execute(conn)
    .await
    .map_err(missing_board(&i.board_id))?;
    Ok(())
}

#[async_trait]
impl DocumentLog for PgStore {
    async fn create_board(
        &self,
        info: &BoardInfo,
        initial: Vec<u8>,
        creator: &StoredInvite,
    ) -> Result<(), StoreError> {
        let mut txn = self.pool.begin().await.map_err(backend)?;
        sqlx::query("INSERT INTO boards (id, title, template, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&info.id)
            .bind(&info.title)
            .bind(&info.template)
            .bind(info.created_at)
            .execute(&mut *txn)
            .await
            .map_err(backend)?;
        sqlx::query("INSERT INTO updates (board_id, data) VALUES ($1, $2)")
            .bind(&info.id)
            .bind(initial)
            .execute(&mut *txn)
            .await
            .map_err(backend)?;
        insert_invite(&mut *txn, creator).await?;
        txn.commit().await.map_err(backend)
    }

    async fn board_info(&self, id: &str) -> Result<BoardInfo, StoreError> {
        let row = sqlx::query("SELECT title, template, created_at FROM boards WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?
            .ok_or_else(|| StoreError::NotFound(id.to_owned()))?;
        Ok(BoardInfo {
            url: format!("/b/{id}"),
            id: id.to_owned(),
            title: row.try_get("title").map_err(backend)?,
            template: row.try_get("template").map_err(backend)?,
            created_at: row.try_get("created_at").map_err(backend)?,
        })
    }

    async fn load(&self, id: &str) -> Result<StoredBoard, StoreError> {
        // One repeatable-read transaction, so a compaction committing meanwhile is seen
        // whole or not at all.
        let mut txn = self.pool.begin().await.map_err(backend)?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .execute(&mut *txn)
            .await
            .map_err(backend)?;
        let exists = sqlx::query("SELECT 1 FROM boards WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *txn)
            .await
            .map_err(backend)?;
        if exists.is_none() {
            return Err(StoreError::NotFound(id.to_owned()));
        }
        let snapshot: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT data FROM snapshots WHERE board_id = $1")
                .bind(id)
                .fetch_optional(&mut *txn)
                .await
                .map_err(backend)?;
        let rows = sqlx::query("SELECT seq, data FROM updates WHERE board_id = $1 ORDER BY seq")
            .bind(id)
            .fetch_all(&mut *txn)
            .await
            .map_err(backend)?;
        txn.commit().await.map_err(backend)?;
        let mut last_seq = 0;
        let mut updates = Vec::with_capacity(rows.len());
        for row in rows {
            let corrupt = |e: sqlx::Error| StoreError::Corrupt {
                board: id.to_owned(),
                detail: e.to_string(),
            };
            last_seq = row.try_get::<i64, _>("seq").map_err(corrupt)?;
            updates.push(row.try_get::<Vec<u8>, _>("data").map_err(corrupt)?);
        }
        Ok(StoredBoard {
            snapshot,
            updates,
            last_seq,
        })
    }

    async fn append(&self, id: &str, update: Vec<u8>) -> Result<i64, StoreError> {
        sqlx::query_scalar("INSERT INTO updates (board_id, data) VALUES ($1, $2) RETURNING seq")
            .bind(id)
            .bind(update)
            .fetch_one(&self.pool)
            .await
            .map_err(missing_board(id))
    }

    async fn compact(&self, id: &str, state: Vec<u8>, upto_seq: i64) -> Result<(), StoreError> {
        let mut txn = self.pool.begin().await.map_err(backend)?;
        // Compactions of one board take turns. Appends carry on meanwhile: this lock does
        // not conflict with the key-share lock an insert's foreign key takes.
        let locked = sqlx::query("SELECT 1 FROM boards WHERE id = $1 FOR NO KEY UPDATE")
            .bind(id)
            .fetch_optional(&mut *txn)
            .await
            .map_err(backend)?;
        if locked.is_none() {
            return Err(StoreError::NotFound(id.to_owned()));
        }
        let old: Option<(Vec<u8>, i64)> =
            sqlx::query_as("SELECT data, upto_seq FROM snapshots WHERE board_id = $1")
                .bind(id)
                .fetch_optional(&mut *txn)
                .await
                .map_err(backend)?;
        let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
            "SELECT seq, data FROM updates WHERE board_id = $1 AND seq <= $2 ORDER BY seq",
        )
        .bind(id)
        .bind(upto_seq)
        .fetch_all(&mut *txn)
        .await
        .map_err(backend)?;
        let seqs: Vec<i64> = rows.iter().map(|(s, _)| *s).collect();
        let old_upto = old.as_ref().map_or(0, |o| o.1);
        let mut parts: Vec<Vec<u8>> = old.map(|o| o.0).into_iter().collect();
        parts.extend(rows.into_iter().map(|(_, d)| d));
        parts.push(state);
        let board = id.to_owned();
        let merged = tokio::task::spawn_blocking(move || merge_updates(&board, &parts)).await??;
        sqlx::query(
            "INSERT INTO snapshots (board_id, data, upto_seq) VALUES ($1, $2, $3)
             ON CONFLICT (board_id) DO UPDATE SET data = excluded.data, upto_seq = excluded.upto_seq",
        )
        .bind(id)
        .bind(merged)
        .bind(upto_seq.max(old_upto))
        .execute(&mut *txn)
        .await
        .map_err(backend)?;
        sqlx::query("DELETE FROM updates WHERE board_id = $1 AND seq = ANY($2)")
            .bind(id)
            .bind(&seqs)
            .execute(&mut *txn)
            .await
            .map_err(backend)?;
        txn.commit().await.map_err(backend)
    }
}

#[async_trait]
impl InviteStore for PgStore {
    async fn create_invite(&self, invite: &StoredInvite) -> Result<(), StoreError> {
        insert_invite(&self.pool, invite).await
    }

    async fn list_invites(&self, board: &str) -> Result<Vec<Invite>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, board_id, role, label, token_hash, created_at, expires_at, revoked_at
             FROM invites WHERE board_id = $1 ORDER BY created_at, id",
        )
        .bind(board)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| invite_row(r).map(|i| i.invite).map_err(backend))
            .collect()
    }

    async fn revoke_invite(&self, board: &str, invite: &str, at: i64) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE invites SET revoked_at = COALESCE(revoked_at, $3)
             WHERE board_id = $1 AND id = $2",
        )
        .bind(board)
        .bind(invite)
        .bind(at)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(invite.to_owned()));
        }
        Ok(())
    }

    async fn find_invite(&self, token_hash: [u8; 32]) -> Result<Option<StoredInvite>, StoreError> {
        let row = sqlx::query(
            "SELECT id, board_id, role, label, token_hash, created_at, expires_at, revoked_at
             FROM invites WHERE token_hash = $1",
        )
        .bind(&token_hash[..])
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.as_ref().map(invite_row).transpose().map_err(backend)
    }
}

#[async_trait]
impl SnapshotStore for PgStore {
    async fn create_snapshot(
        &self,
        board: &str,
        info: &SnapshotInfo,
        state: Vec<u8>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO named_snapshots (id, board_id, name, created_at, auto, state)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&info.id)
        .bind(board)
        .bind(&info.name)
        .bind(info.created_at)
        .bind(info.auto)
        .bind(state)
        .execute(&self.pool)
        .await
        .map_err(missing_board(board))?;
        Ok(())
    }

    async fn list_snapshots(&self, board: &str) -> Result<Vec<SnapshotInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, created_at, auto, octet_length(state) AS bytes FROM named_snapshots
             WHERE board_id = $1 ORDER BY created_at, id",
        )
        .bind(board)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| snapshot_row(r).map_err(backend))
            .collect()
    }

    async fn snapshot(&self, board: &str, id: &str) -> Result<(SnapshotInfo, Vec<u8>), StoreError> {
        let row = sqlx::query(
            "SELECT id, name, created_at, auto, octet_length(state) AS bytes, state
             FROM named_snapshots WHERE board_id = $1 AND id = $2",
        )
        .bind(board)
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?
        .ok_or_else(|| StoreError::NotFound(id.to_owned()))?;
        let info = snapshot_row(&row).map_err(backend)?;
        let state = row.try_get("state").map_err(backend)?;
        Ok((info, state))
    }

    async fn replace_snapshot(
        &self,
        board: &str,
        id: &str,
        name: &str,
        state: Vec<u8>,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE named_snapshots SET name = $3, state = $4 WHERE board_id = $1 AND id = $2",
        )
        .bind(board)
        .bind(id)
        .bind(name)
        .bind(state)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(id.to_owned()));
        }
        Ok(())
    }

    async fn delete_auto_snapshots(&self, board: &str, ids: &[String]) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM named_snapshots WHERE board_id = $1 AND id = ANY($2) AND auto")
            .bind(board)
            .bind(ids)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl SideRecords for PgStore {
    async fn put_sealed(&self, kind: Sealed, e: &SealedEntry, max: u64) -> Result<u64, StoreError> {
        let (table, id, body) = kind.columns();
        let mut txn = self.pool.begin().await.map_err(backend)?;
        // Entries of one board take turns, so the count limit holds under concurrency.
        let locked = sqlx::query("SELECT 1 FROM boards WHERE id = $1 FOR NO KEY UPDATE")
            .bind(&e.board_id)
            .fetch_optional(&mut *txn)
            .await
            .map_err(backend)?;
        if locked.is_none() {
            return Err(StoreError::NotFound(e.board_id.clone()));
        }
        let existing: Option<Vec<u8>> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT key_hash FROM {table} WHERE board_id = $1 AND round = $2 AND {id} = $3"
        )))
        .bind(&e.board_id)
        .bind(&e.round)
        .bind(&e.id)
        .fetch_optional(&mut *txn)
        .await
        .map_err(backend)?;
        let count = format!("SELECT COUNT(*) FROM {table} WHERE board_id = $1 AND round = $2");
        match existing {
            Some(k) if k != e.key_hash => return Err(StoreError::NotYours),
            None => {
                let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count.clone()))
                    .bind(&e.board_id)
                    .bind(&e.round)
                    .fetch_one(&mut *txn)
                    .await
                    .map_err(backend)?;
                if n as u64 >= max {
                    return Err(StoreError::TooMany);
                }
            }
            _ => {}
        }
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO {table} (board_id, round, {id}, key_hash, {body}) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (board_id, round, {id}) DO UPDATE SET {body} = excluded.{body}"
        )))
        .bind(&e.board_id)
        .bind(&e.round)
        .bind(&e.id)
        .bind(&e.key_hash[..])
        .bind(&e.body)
        .execute(&mut *txn)
        .await
        .map_err(missing_board(&e.board_id))?;
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count))
            .bind(&e.board_id)
            .bind(&e.round)
            .fetch_one(&mut *txn)
            .await
            .map_err(backend)?;
        txn.commit().await.map_err(backend)?;
        Ok(n as u64)
    }

    async fn sealed(
        &self,
        kind: Sealed,
        board: &str,
        round: &str,
    ) -> Result<Vec<String>, StoreError> {
        let (table, id, body) = kind.columns();
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT {body} FROM {table} WHERE board_id = $1 AND round = $2 ORDER BY {id}"
        )))
        .bind(board)
        .bind(round)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)
    }

    async fn sealed_count(
        &self,
        kind: Sealed,
        board: &str,
        round: &str,
    ) -> Result<u64, StoreError> {
        let (table, _, _) = kind.columns();
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {table} WHERE board_id = $1 AND round = $2"
        )))
        .bind(board)
        .bind(round)
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        Ok(n as u64)
    }

    async fn delete_sealed(
        &self,
        kind: Sealed,
        board: &str,
        round: &str,
        entry: Option<&str>,
    ) -> Result<(), StoreError> {
        let (table, id, _) = kind.columns();
        let one = if entry.is_some() {
            format!(" AND {id} = $3")
        } else {
            String::new()
        };
        let sql = format!("DELETE FROM {table} WHERE board_id = $1 AND round = $2{one}");
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(board)
            .bind(round);
        if let Some(entry) = entry {
            query = query.bind(entry);
        }
        query.execute(&self.pool).await.map_err(backend)?;
        Ok(())
    }

    async fn put_offer(&self, board: &str, body: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO handover_offers (board_id, body) VALUES ($1, $2)
             ON CONFLICT (board_id) DO UPDATE SET body = excluded.body",
        )
        .bind(board)
        .bind(body)
        .execute(&self.pool)
        .await
        .map_err(missing_board(board))?;
        Ok(())
    }

    async fn offer(&self, board: &str) -> Result<Option<String>, StoreError> {
        sqlx::query_scalar("SELECT body FROM handover_offers WHERE board_id = $1")
            .bind(board)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)
    }

    async fn delete_offer(&self, board: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM handover_offers WHERE board_id = $1")
            .bind(board)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
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
        let sql = if replace {
            "INSERT INTO records (board_id, kind, id, body) VALUES ($1, $2, $3, $4)
             ON CONFLICT (board_id, kind, id) DO UPDATE SET body = excluded.body"
        } else {
            "INSERT INTO records (board_id, kind, id, body) VALUES ($1, $2, $3, $4)
             ON CONFLICT (board_id, kind, id) DO NOTHING"
        };
        let done = sqlx::query(sql)
            .bind(board)
            .bind(kind)
            .bind(id)
            .bind(body)
            .execute(&self.pool)
            .await
            .map_err(missing_board(board))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Exists);
        }
        Ok(())
    }

    async fn records(
        &self,
        board: &str,
        kind: &str,
        prefix: &str,
    ) -> Result<Vec<(String, String)>, StoreError> {
        // Ids are ASCII, so every id starting with the prefix sorts below prefix + DEL
        // (compared bytewise, whatever the database's collation).
        sqlx::query_as(
            "SELECT id, body FROM records WHERE board_id = $1 AND kind = $2
             AND id COLLATE \"C\" >= $3 AND id COLLATE \"C\" < $4 ORDER BY id COLLATE \"C\"",
        )
        .bind(board)
        .bind(kind)
        .bind(prefix)
        .bind(format!("{prefix}\u{7f}"))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)
    }

    async fn delete_records_before(
        &self,
        kind: &str,
        before: &str,
        limit: u64,
    ) -> Result<u64, StoreError> {
        // No index serves `kind` across boards, so this scans the table: fine for a sweep
        // every few hours.
        let done = sqlx::query(
            "DELETE FROM records WHERE (board_id, kind, id) IN
             (SELECT board_id, kind, id FROM records
              WHERE kind = $1 AND id COLLATE \"C\" < $2 LIMIT $3)",
        )
        .bind(kind)
        .bind(before)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected())
    }
}

#[async_trait]
impl StoreUpkeep for PgStore {
    /// The tables (with their indexes and TOAST) in the store's schema.
    async fn size_bytes(&self) -> Result<u64, StoreError> {
        let bytes: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relkind = 'r'",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        Ok(bytes.max(0) as u64)
    }

    /// Deleted and replaced rows are gone from every query at once; their old versions
    /// (dead tuples) are vacuumed now, in the tables a withdrawal rewrites, rather than
    /// whenever autovacuum comes by. What vacuum cannot reach stays: the bytes of the freed
    /// space until it is reused, the write-ahead log, and backups, for as long as the
    /// operator keeps them (see `docs/operations.md`). Not `VACUUM FULL`, which would lock
    /// every board's tables while it rewrites them.
    async fn scrub(&self) -> Result<(), StoreError> {
        // `VACUUM` may not run in a transaction: sent as a simple query, on its own.
        sqlx::raw_sql("VACUUM updates, snapshots, named_snapshots")
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn lock_board(&self, board: &str) -> Result<StoreLock, StoreError> {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(format!("coboard-board-lock:{}:{board}", self.schema));
        let key = i64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
        let locks = self.locks.clone();
        // Taken in a task of its own: if the request waiting for it goes away, the task
        // still finishes, and dropping its guard unlocks. Tried rather than waited on, so
        // no query ever blocks on the lock and a stuck holder fails the wait in time.
        let task = tokio::spawn(async move {
            let mut conn = locks.acquire().await.map_err(backend)?;
            let deadline = tokio::time::Instant::now() + LOCK_WAIT;
            loop {
                let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                    .bind(key)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(backend)?;
                if got {
                    return Ok(PgBoardLock {
                        conn: Some(conn),
                        key,
                    });
                }
                if tokio::time::Instant::now() >= deadline {
                    return Err(StoreError::Backend(format!(
                        "board {key:x} stayed locked for {} s",
                        LOCK_WAIT.as_secs()
                    )));
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        let guard = task
            .await
            .map_err(|e| StoreError::Backend(format!("board lock task failed: {e}")))??;
        Ok(StoreLock::held(guard))
    }
}

#[cfg(test)]
pub(crate) mod tests;
