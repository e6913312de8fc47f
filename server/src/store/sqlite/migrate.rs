//! The embedded store's schema, from the same migration files as PostgreSQL's
//! (`server/migrations`): one schema, written once.
//!
//! The files are PostgreSQL; four of its type names mean something else to SQLite and
//! are read as SQLite's own here: `BIGSERIAL PRIMARY KEY` as `INTEGER PRIMARY KEY
//! AUTOINCREMENT` (an ever-growing sequence), `BYTEA` as `BLOB`, `BIGINT` as `INTEGER`
//! (64 bits in SQLite) and `BOOLEAN` as `INTEGER`. Everything else in the files is SQL
//! both understand, and must stay so.
//!
//! The version reached is kept in `PRAGMA user_version`. Files made before the
//! migrations were shared (version 0, tables present) hold the schema of the first two
//! migrations, so they carry on from there.

use rusqlite::{Connection, params};

/// Every migration, in order: (version, SQL).
const MIGRATIONS: [(i64, &str); 3] = [
    (1, include_str!("../../../migrations/0001_boards.sql")),
    (2, include_str!("../../../migrations/0002_records.sql")),
    (3, include_str!("../../../migrations/0003_side_records.sql")),
];

/// The SQL of a migration file, as SQLite reads it.
fn for_sqlite(sql: &str) -> String {
    sql.replace("BIGSERIAL PRIMARY KEY", "INTEGER PRIMARY KEY AUTOINCREMENT")
        .replace("BYTEA", "BLOB")
        .replace("BIGINT", "INTEGER")
        .replace("BOOLEAN", "INTEGER")
}

fn has_table(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
        params![name],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

/// Brings the file's schema up to date, each migration in a transaction of its own.
pub(super) fn run(conn: &mut Connection) -> rusqlite::Result<()> {
    let mut version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version == 0 && has_table(conn, "boards")? {
        version = if has_table(conn, "records")? { 2 } else { 1 };
    }
    for (v, sql) in MIGRATIONS.into_iter().filter(|(v, _)| *v > version) {
        let tx = conn.transaction()?;
        tx.execute_batch(&for_sqlite(sql))?;
        tx.pragma_update(None, "user_version", v)?;
        tx.commit()?;
        tracing::info!(version = v, "store schema migrated");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file the version before shared migrations made: its schema, as it wrote it.
    const OLD_SCHEMA: &str = "
        CREATE TABLE boards (id TEXT PRIMARY KEY, title TEXT NOT NULL,
            template TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE TABLE ballots (board_id TEXT NOT NULL REFERENCES boards(id),
            round TEXT NOT NULL, voter TEXT NOT NULL, key_hash BLOB NOT NULL,
            ballot TEXT NOT NULL, PRIMARY KEY (board_id, round, voter));
        CREATE TABLE records (board_id TEXT NOT NULL REFERENCES boards(id),
            kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
            PRIMARY KEY (board_id, kind, id));";

    #[test]
    fn a_new_file_gets_every_migration_and_a_second_run_changes_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        run(&mut conn).unwrap();
        run(&mut conn).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        for table in [
            "boards",
            "updates",
            "records",
            "silent_cards",
            "handover_offers",
        ] {
            assert!(has_table(&conn, table).unwrap(), "{table}");
        }
        // The log's sequence grows as SQLite's own, not as a column of numbers.
        let sql: String = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'updates'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(sql.contains("INTEGER PRIMARY KEY AUTOINCREMENT"), "{sql}");
    }

    #[test]
    fn an_older_file_carries_on_and_its_cards_and_offer_move_to_their_tables() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(OLD_SCHEMA).unwrap();
        conn.execute_batch(
            "INSERT INTO boards VALUES ('b', 'Plan', 'blank', 1);
             INSERT INTO ballots VALUES ('b', 'r1', 'v1', x'01', 'ballot');
             INSERT INTO ballots VALUES ('b', 'silent:s1', 'c1', x'02', 'card');
             INSERT INTO ballots VALUES ('b', 'handover:offer', 'offer', x'03', 'offer');",
        )
        .unwrap();
        run(&mut conn).unwrap();
        let rows = |sql: &str| -> Vec<String> {
            let mut stmt = conn.prepare(sql).unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        assert_eq!(
            rows("SELECT round || '/' || voter || '/' || ballot FROM ballots"),
            ["r1/v1/ballot"]
        );
        assert_eq!(
            rows("SELECT round || '/' || card || '/' || body FROM silent_cards"),
            ["s1/c1/card"]
        );
        assert_eq!(
            rows("SELECT board_id || '/' || body FROM handover_offers"),
            ["b/offer"]
        );
    }
}
