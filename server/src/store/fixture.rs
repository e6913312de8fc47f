//! A store as a given version of Coboard left it, kept as files under
//! `server/tests/data/`, so that every later version is tested against real data of an
//! older one: it must open the files and find everything in them.
//!
//! [`write`] puts the same content into any store; [`check`] finds it again. The files
//! were made by running the ignored test `store::fixture::tests::make` with
//! `COBOARD_WRITE_FIXTURE=1` (see there) on the version named in their folder.

use super::contract::{info, invite, keys, set};
use super::{Store, StoredBallot, kind};
use coboard_shared::api::{AccessRole, SnapshotInfo};

/// The boards in the fixture.
pub const BOARDS: [&str; 2] = ["fixture-plan", "fixture-blank"];

fn entry(board: &str, round: &str, voter: &str, key: u8, json: &str) -> StoredBallot {
    StoredBallot {
        board_id: board.into(),
        round: round.into(),
        voter: voter.into(),
        key_hash: [key; 32],
        ballot: json.into(),
    }
}

fn snapshot(id: &str, auto: bool, at: i64) -> SnapshotInfo {
    SnapshotInfo {
        id: id.into(),
        name: format!("{id} name"),
        created_at: at,
        auto,
        bytes: 2,
    }
}

/// Writes the fixture's content: two boards (one with a compacted history and later
/// appends), invites (one revoked), a sealed ballot, silent cards, a handover offer,
/// named and automatic snapshots, and beside records of every kind.
pub async fn write(store: &dyn Store) {
    let [plan, blank] = BOARDS;
    let (seed, one) = (set("seed"), set("one"));
    (store.create_board(&info(plan), seed.clone(), &invite(plan, "plan-creator", 1)))
        .await
        .unwrap();
    (store.create_board(
        &info(blank),
        set("blank"),
        &invite(blank, "blank-creator", 2),
    ))
    .await
    .unwrap();
    let first = store.append(plan, one.clone()).await.unwrap();
    let state = super::merge_updates(plan, &[seed, one]).unwrap();
    store.compact(plan, state, first).await.unwrap();
    store.append(plan, set("two")).await.unwrap();
    let mut viewer = invite(plan, "plan-viewer", 3);
    viewer.invite.role = AccessRole::Viewer;
    viewer.invite.created_at = 6;
    store.create_invite(&viewer).await.unwrap();
    store.revoke_invite(plan, "plan-viewer", 60).await.unwrap();
    for e in [
        entry(plan, "round-1", "voter-a", 11, r#"{"ballot":"a"}"#),
        entry(plan, "silent:quiet-1", "card-a", 12, r#"{"card":"a"}"#),
        entry(plan, "silent:quiet-1", "card-b", 13, r#"{"card":"b"}"#),
        entry(plan, "handover:offer", "offer", 14, r#"{"offer":"x"}"#),
    ] {
        store.put_ballot(&e, 1000).await.unwrap();
    }
    (store.create_snapshot(plan, &snapshot("snap-named", false, 7), vec![1, 1]))
        .await
        .unwrap();
    (store.create_snapshot(plan, &snapshot("snap-auto", true, 8), vec![2, 2]))
        .await
        .unwrap();
    for (kind, id, body) in [
        (kind::RATES, "000001", r#"{"rates":1}"#),
        (kind::LEDGER_ROW, "row-1", r#"{"row":1}"#),
        (kind::ATTENDANCE, "2026-12-07-a", r#"{"att":1}"#),
    ] {
        store.put_record(plan, kind, id, body, false).await.unwrap();
    }
}

/// Finds everything [`write`] wrote.
pub async fn check(store: &dyn Store) {
    let [plan, blank] = BOARDS;
    for board in BOARDS {
        assert_eq!(store.board_info(board).await.unwrap(), info(board));
    }
    assert_eq!(keys(store, plan).await, ["one", "seed", "two"]);
    assert_eq!(keys(store, blank).await, ["blank"]);
    let invites = store.list_invites(plan).await.unwrap();
    let ids: Vec<(&str, bool)> = invites.iter().map(|i| (i.id.as_str(), i.revoked)).collect();
    assert_eq!(ids, [("plan-creator", false), ("plan-viewer", true)]);
    for (hash, board) in [(1, plan), (2, blank), (3, plan)] {
        let found = store.find_invite([hash; 32]).await.unwrap().unwrap();
        assert_eq!(found.board_id, board);
    }
    assert_eq!(
        store.ballots(plan, "round-1").await.unwrap(),
        [r#"{"ballot":"a"}"#]
    );
    assert_eq!(
        store.ballots(plan, "silent:quiet-1").await.unwrap(),
        [r#"{"card":"a"}"#, r#"{"card":"b"}"#]
    );
    assert_eq!(
        store.ballots(plan, "handover:offer").await.unwrap(),
        [r#"{"offer":"x"}"#]
    );
    // Keys still guard what they guarded.
    let stolen = entry(plan, "silent:quiet-1", "card-a", 99, "{}");
    assert!(matches!(
        store.put_ballot(&stolen, 1000).await,
        Err(super::StoreError::NotYours)
    ));
    let snaps = store.list_snapshots(plan).await.unwrap();
    assert_eq!(
        snaps,
        [
            snapshot("snap-named", false, 7),
            snapshot("snap-auto", true, 8)
        ]
    );
    assert_eq!(
        store.snapshot(plan, "snap-auto").await.unwrap().1,
        vec![2, 2]
    );
    for (kind, id, body) in [
        (kind::RATES, "000001", r#"{"rates":1}"#),
        (kind::LEDGER_ROW, "row-1", r#"{"row":1}"#),
        (kind::ATTENDANCE, "2026-12-07-a", r#"{"att":1}"#),
    ] {
        let records = store.records(plan, kind, "").await.unwrap();
        assert_eq!(records, [(id.to_owned(), body.to_owned())]);
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::{check, write};
    use crate::store::{SqliteStore, Store};

    /// The schema's name in the PostgreSQL dump.
    const SCHEMA: &str = "coboard_fixture_schema";

    /// Where the files of the store as the version of 7 December 2026 left it are.
    fn folder() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/store-2026-12-07")
    }

    /// Writes the fixture files from this version's stores:
    /// `COBOARD_WRITE_FIXTURE=1 cargo test -p coboard-server --lib store::fixture -- --ignored`
    /// (PostgreSQL as in `postgres/tests.rs`, and `pg_dump` on the PATH).
    #[tokio::test]
    #[ignore = "writes the fixture files; run by hand on the version they record"]
    async fn make() {
        if std::env::var_os("COBOARD_WRITE_FIXTURE").is_none() {
            return;
        }
        let dir = folder();
        std::fs::create_dir_all(&dir).unwrap();
        let _ = std::fs::remove_file(dir.join("coboard.db"));
        {
            let store = SqliteStore::open(&dir).unwrap();
            write(&store).await;
            store.scrub().await.unwrap();
        }
        for extra in ["coboard.db-wal", "coboard.db-shm"] {
            let _ = std::fs::remove_file(dir.join(extra));
        }
        let schema = crate::store::postgres::tests::Scratch::new().await;
        write(&schema.store().await).await;
        let dump = std::process::Command::new("pg_dump")
            .args(["--inserts", "--no-owner", "--no-privileges", "--schema"])
            .arg(&schema.schema)
            .arg(crate::store::postgres::tests::test_url())
            .output()
            .unwrap();
        assert!(
            dump.status.success(),
            "{}",
            String::from_utf8_lossy(&dump.stderr)
        );
        // The schema is created by the test that restores it, under a name of its own;
        // psql's own commands (`\restrict`) are not SQL.
        let sql: String = String::from_utf8(dump.stdout)
            .unwrap()
            .replace(&schema.schema, SCHEMA)
            .lines()
            .filter(|l| !l.starts_with("CREATE SCHEMA") && !l.starts_with('\\'))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(dir.join("postgres.sql"), sql).unwrap();
        schema.drop().await;
    }

    #[tokio::test]
    async fn the_embedded_store_of_2026_12_07_opens_with_everything_in_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(folder().join("coboard.db"), dir.path().join("coboard.db")).unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        check(&store).await;
    }

    #[tokio::test]
    async fn the_postgres_store_of_2026_12_07_opens_with_everything_in_it() {
        let sql = std::fs::read_to_string(folder().join("postgres.sql")).unwrap();
        let schema = crate::store::postgres::tests::Scratch::new().await;
        schema.restore(&sql.replace(SCHEMA, &schema.schema)).await;
        check(&schema.store().await).await;
        schema.drop().await;
    }
}
