//! A store as a given version of Coboard left it, kept as files under
//! `server/tests/data/`, so that every later version is tested against real data of an
//! older one: it must open the files and find everything in them.
//!
//! [`check`] finds their content in a store. The files of 2026-12-07 were written by
//! that day's stores through the `Store` trait, from commit 425501d (its ignored test
//! `store::fixture::tests::make`, with `COBOARD_WRITE_FIXTURE=1`).

use super::contract::{info, keys};
use super::{Sealed, SealedEntry, Store, kind};
use coboard_shared::api::SnapshotInfo;

/// The boards in the fixture.
pub const BOARDS: [&str; 2] = ["fixture-plan", "fixture-blank"];

fn snapshot(id: &str, auto: bool, at: i64) -> SnapshotInfo {
    SnapshotInfo {
        id: id.into(),
        name: format!("{id} name"),
        created_at: at,
        auto,
        bytes: 2,
    }
}

/// Finds everything the fixture holds: two boards (one with a compacted history and later
/// appends), invites (one revoked), a sealed ballot, silent cards, a handover offer, named
/// and automatic snapshots, and records of every kind.
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
        store.sealed(Sealed::Ballot, plan, "round-1").await.unwrap(),
        [r#"{"ballot":"a"}"#]
    );
    // Cards and the offer were kept with ballots, under round keys "silent:<round>" and
    // "handover:offer"; they are in their own places now, and only there.
    assert_eq!(
        store.sealed(Sealed::Card, plan, "quiet-1").await.unwrap(),
        [r#"{"card":"a"}"#, r#"{"card":"b"}"#]
    );
    assert_eq!(
        store.offer(plan).await.unwrap().as_deref(),
        Some(r#"{"offer":"x"}"#)
    );
    for old in ["silent:quiet-1", "handover:offer"] {
        assert_eq!(
            store.sealed_count(Sealed::Ballot, plan, old).await.unwrap(),
            0
        );
    }
    // Keys still guard what they guarded.
    let stolen = SealedEntry {
        board_id: plan.into(),
        round: "quiet-1".into(),
        id: "card-a".into(),
        key_hash: [99; 32],
        body: "{}".into(),
    };
    assert!(matches!(
        store.put_sealed(Sealed::Card, &stolen, 1000).await,
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

    use super::check;
    use crate::store::SqliteStore;

    /// The schema's name in the PostgreSQL dump.
    const SCHEMA: &str = "coboard_fixture_schema";

    /// Where the files of the store as the version of 7 December 2026 left it are.
    fn folder() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/store-2026-12-07")
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
