//! Reading and writing rows: invites, and a board's snapshot and update log.

use coboard_shared::api::{AccessRole, Invite, SnapshotInfo};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Sealed, SealedEntry, StoreError, StoredBoard, StoredInvite, WriteResult, backend};

pub(super) fn insert_invite(conn: &Connection, i: &StoredInvite) -> WriteResult {
    conn.execute(
        "INSERT INTO invites (id, board_id, role, label, token_hash, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            i.invite.id,
            i.board_id,
            i.invite.role.as_str(),
            i.invite.label,
            &i.token_hash[..],
            i.invite.created_at,
            i.invite.expires_at
        ],
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::NotFound(i.board_id.clone())
        }
        e => backend(e),
    })?;
    Ok(0)
}

/// Reads an invite row selected as (id, board_id, role, label, token_hash, created_at,
/// expires_at, revoked_at).
pub(super) fn invite_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredInvite> {
    let role: String = r.get(2)?;
    let hash: Vec<u8> = r.get(4)?;
    let revoked_at: Option<i64> = r.get(7)?;
    Ok(StoredInvite {
        invite: Invite {
            id: r.get(0)?,
            // An unknown role in the file can only be damage; treat it as the least power.
            role: AccessRole::parse(&role).unwrap_or(AccessRole::Viewer),
            label: r.get(3)?,
            created_at: r.get(5)?,
            expires_at: r.get(6)?,
            revoked: revoked_at.is_some(),
        },
        board_id: r.get(1)?,
        token_hash: hash.try_into().unwrap_or([0; 32]),
    })
}

pub(super) const INVITE_COLUMNS: &str =
    "id, board_id, role, label, token_hash, created_at, expires_at, revoked_at";

pub(super) fn load_in_txn(conn: &Connection, id: &str) -> Result<StoredBoard, StoreError> {
    let exists: Option<i64> = conn
        .query_row("SELECT 1 FROM boards WHERE id = ?1", params![id], |r| {
            r.get(0)
        })
        .optional()
        .map_err(backend)?;
    if exists.is_none() {
        return Err(StoreError::NotFound(id.to_owned()));
    }
    let snapshot: Option<(Vec<u8>, i64)> = conn
        .query_row(
            "SELECT data, upto_seq FROM snapshots WHERE board_id = ?1",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(backend)?;
    let from = snapshot.as_ref().map_or(0, |s| s.1);
    let mut stmt = conn
        .prepare_cached(
            "SELECT seq, data FROM updates WHERE board_id = ?1 AND seq > ?2 ORDER BY seq",
        )
        .map_err(backend)?;
    let mut last_seq = from;
    let mut updates = Vec::new();
    let rows = stmt
        .query_map(params![id, from], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?)))
        .map_err(backend)?;
    for row in rows {
        let (seq, data) = row.map_err(|e| StoreError::Corrupt {
            board: id.to_owned(),
            detail: e.to_string(),
        })?;
        last_seq = seq;
        updates.push(data);
    }
    Ok(StoredBoard {
        snapshot: snapshot.map(|s| s.0),
        updates,
        last_seq,
    })
}

/// Inserts or replaces a sealed entry, unless it exists under another key; returns how
/// many entries of its kind the round has.
pub(super) fn put_sealed(
    conn: &Connection,
    kind: Sealed,
    e: &SealedEntry,
    max: u64,
) -> WriteResult {
    let (table, id, body) = kind.columns();
    let existing: Option<Vec<u8>> = conn
        .query_row(
            &format!(
                "SELECT key_hash FROM {table} WHERE board_id = ?1 AND round = ?2 AND {id} = ?3"
            ),
            params![e.board_id, e.round, e.id],
            |r| r.get(0),
        )
        .optional()
        .map_err(backend)?;
    match existing {
        Some(k) if k != e.key_hash => return Err(StoreError::NotYours),
        None if count_sealed(conn, kind, &e.board_id, &e.round)? as u64 >= max => {
            return Err(StoreError::TooMany);
        }
        _ => {}
    }
    conn.execute(
        &format!(
            "INSERT INTO {table} (board_id, round, {id}, key_hash, {body}) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (board_id, round, {id}) DO UPDATE SET {body} = excluded.{body}"
        ),
        params![e.board_id, e.round, e.id, &e.key_hash[..], e.body],
    )
    .map_err(|err| super::missing_board(err, &e.board_id))?;
    count_sealed(conn, kind, &e.board_id, &e.round)
}

pub(super) fn count_sealed(
    conn: &Connection,
    kind: Sealed,
    board: &str,
    round: &str,
) -> Result<i64, StoreError> {
    let (table, _, _) = kind.columns();
    conn.query_row(
        &format!("SELECT COUNT(*) FROM {table} WHERE board_id = ?1 AND round = ?2"),
        params![board, round],
        |r| r.get(0),
    )
    .map_err(backend)
}

/// A round's sealed entries of one kind, by entry id.
pub(super) fn sealed(
    conn: &Connection,
    kind: Sealed,
    board: &str,
    round: &str,
) -> Result<Vec<String>, StoreError> {
    let (table, id, body) = kind.columns();
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {body} FROM {table} WHERE board_id = ?1 AND round = ?2 ORDER BY {id}"
        ))
        .map_err(backend)?;
    let rows = stmt
        .query_map(params![board, round], |r| r.get::<_, String>(0))
        .map_err(backend)?;
    rows.map(|r| r.map_err(backend)).collect()
}

pub(super) fn delete_sealed(
    conn: &Connection,
    kind: Sealed,
    board: &str,
    round: &str,
    entry: Option<&str>,
) -> WriteResult {
    let (table, id, _) = kind.columns();
    match entry {
        Some(entry) => conn.execute(
            &format!("DELETE FROM {table} WHERE board_id = ?1 AND round = ?2 AND {id} = ?3"),
            params![board, round, entry],
        ),
        None => conn.execute(
            &format!("DELETE FROM {table} WHERE board_id = ?1 AND round = ?2"),
            params![board, round],
        ),
    }
    .map_err(backend)?;
    Ok(0)
}

pub(super) fn insert_snapshot(
    conn: &Connection,
    board: &str,
    info: &SnapshotInfo,
    state: &[u8],
) -> WriteResult {
    conn.execute(
        "INSERT INTO named_snapshots (id, board_id, name, created_at, auto, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![info.id, board, info.name, info.created_at, info.auto, state],
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::NotFound(board.to_owned())
        }
        e => backend(e),
    })?;
    Ok(0)
}

fn snapshot_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SnapshotInfo> {
    Ok(SnapshotInfo {
        id: r.get(0)?,
        name: r.get(1)?,
        created_at: r.get(2)?,
        auto: r.get(3)?,
        bytes: r.get::<_, i64>(4)? as u64,
    })
}

pub(super) fn list_snapshots(
    conn: &Connection,
    board: &str,
) -> Result<Vec<SnapshotInfo>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT id, name, created_at, auto, length(state) FROM named_snapshots
             WHERE board_id = ?1 ORDER BY created_at, id",
        )
        .map_err(backend)?;
    let rows = stmt
        .query_map(params![board], snapshot_row)
        .map_err(backend)?;
    rows.map(|r| r.map_err(backend)).collect()
}

pub(super) fn snapshot(
    conn: &Connection,
    board: &str,
    id: &str,
) -> Result<(SnapshotInfo, Vec<u8>), StoreError> {
    conn.query_row(
        "SELECT id, name, created_at, auto, length(state), state FROM named_snapshots
         WHERE board_id = ?1 AND id = ?2",
        params![board, id],
        |r| Ok((snapshot_row(r)?, r.get(5)?)),
    )
    .optional()
    .map_err(backend)?
    .ok_or_else(|| StoreError::NotFound(id.to_owned()))
}

/// Inserts (or, with `replace`, replaces) one record: `[board, kind, id, body]`.
pub(super) fn put_record(conn: &Connection, f: [&String; 4], replace: bool) -> WriteResult {
    let sql = if replace {
        "INSERT INTO records (board_id, kind, id, body) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (board_id, kind, id) DO UPDATE SET body = excluded.body"
    } else {
        "INSERT INTO records (board_id, kind, id, body) VALUES (?1, ?2, ?3, ?4)"
    };
    let exists = conn
        .query_row(
            "SELECT 1 FROM records WHERE board_id = ?1 AND kind = ?2 AND id = ?3",
            params![f[0], f[1], f[2]],
            |_| Ok(()),
        )
        .optional()
        .map_err(backend)?
        .is_some();
    if exists && !replace {
        return Err(StoreError::Exists);
    }
    conn.execute(sql, params![f[0], f[1], f[2], f[3]])
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(c, _)
                if c.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                StoreError::NotFound(f[0].clone())
            }
            e => backend(e),
        })?;
    Ok(0)
}
