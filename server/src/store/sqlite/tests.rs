use super::*;
use crate::store::contract::{info, invite};
use crate::store::kind;

/// A store in `dir` holding empty boards with these ids (each with its creator's invite).
async fn with_boards(dir: &std::path::Path, boards: &[&str]) -> SqliteStore {
    let store = SqliteStore::open(dir).unwrap();
    for (n, b) in boards.iter().enumerate() {
        let hash = u8::try_from(n + 1).unwrap();
        store
            .create_board(&info(b), vec![0], &invite(b, &format!("i-{b}"), hash))
            .await
            .unwrap();
    }
    store
}

#[tokio::test]
async fn appends_compacts_and_reloads_after_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = SqliteStore::open(dir.path()).unwrap();
        store
            .create_board(&info("b1"), vec![0], &invite("b1", "i-b1", 14))
            .await
            .unwrap();
        store
            .create_board(&info("b2"), vec![9], &invite("b2", "i-b2", 23))
            .await
            .unwrap();
        let s1 = store.append("b1", vec![1]).await.unwrap();
        let s2 = store.append("b1", vec![2]).await.unwrap();
        assert!(s2 > s1);
        store.compact("b1", vec![7, 7], s1).await.unwrap();
        store.append("b1", vec![3]).await.unwrap();
        assert_eq!(store.board_info("b1").await.unwrap(), info("b1"));
    }
    // A fresh process sees the same thing.
    let store = SqliteStore::open(dir.path()).unwrap();
    let b1 = store.load("b1").await.unwrap();
    assert_eq!(b1.snapshot, Some(vec![7, 7]));
    assert_eq!(b1.updates, vec![vec![2], vec![3]]);
    let b2 = store.load("b2").await.unwrap();
    assert_eq!((b2.snapshot, b2.updates), (None, vec![vec![9]]));
}

#[tokio::test]
async fn an_older_compaction_never_replaces_a_newer_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    store
        .create_board(&info("b"), vec![0], &invite("b", "i-b", 7))
        .await
        .unwrap();
    let s = store.append("b", vec![1]).await.unwrap();
    store.compact("b", vec![2], s).await.unwrap();
    store.compact("b", vec![1], s - 1).await.unwrap();
    assert_eq!(store.load("b").await.unwrap().snapshot, Some(vec![2]));
}

#[tokio::test]
async fn unknown_boards_are_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    assert!(matches!(
        store.board_info("nope").await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.load("nope").await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.append("nope", vec![1]).await,
        Err(StoreError::NotFound(_))
    ));
    // A failed write in a batch leaves the store usable.
    store
        .create_board(&info("ok"), vec![0], &invite("ok", "i-ok", 14))
        .await
        .unwrap();
    store.append("ok", vec![1]).await.unwrap();
}

#[test]
fn a_damaged_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(FILE_NAME),
        b"this is not a database at all, sorry",
    )
    .unwrap();
    let err = SqliteStore::open(dir.path()).err().expect("must refuse");
    let msg = err.to_string();
    assert!(msg.contains("coboard.db"), "{msg}");
    assert!(msg.contains("cannot be used"), "{msg}");
}

#[tokio::test]
async fn follows_the_store_contract() {
    let dir = tempfile::tempdir().unwrap();
    let store = with_boards(dir.path(), &["i1", "s1", "s2", "n1", "n2"]).await;
    crate::store::contract::document_log(&store, "log", 200).await;
    crate::store::contract::invites(&store, "i1").await;
    crate::store::contract::sealed(&store, "s1", "s2").await;
    crate::store::contract::offers(&store, "s1", "s2").await;
    crate::store::contract::snapshots(&store, "n1", "n2").await;
}

#[tokio::test]
async fn records_follow_the_store_contract() {
    let dir = tempfile::tempdir().unwrap();
    let store = with_boards(dir.path(), &["b1", "b2", "b3", "b4"]).await;
    crate::store::contract::records(&store, "b1", "b2").await;
    crate::store::contract::delete_records_before(&store, "b3", "b4").await;
    crate::store::contract::delete_auto_snapshots(&store, "b1", "b2").await;
}

/// A withdrawal's truncating checkpoint waits while the background checkpoint runs,
/// instead of failing: SQLite answers "busy" at once to a checkpoint that meets another.
/// Here the test holds the shared lock, as the background thread does while it works.
#[tokio::test]
async fn the_truncating_checkpoint_waits_for_the_background_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = with_boards(dir.path(), &["b1"]).await;
    let (held_tx, held_rx) = std::sync::mpsc::channel();
    let lock = store.checkpoint_lock.clone();
    let holder = std::thread::spawn(move || {
        let _held = lock.hold();
        held_tx.send(()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(400));
    });
    held_rx.recv().unwrap();
    let started = std::time::Instant::now();
    store.scrub().await.unwrap();
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(300),
        "the checkpoint did not wait: {:?}",
        started.elapsed()
    );
    holder.join().unwrap();
}

/// The attendance sweep deletes past a single batch, and keeps what is within its time.
#[tokio::test]
async fn the_attendance_sweep_takes_as_many_batches_as_it_needs() {
    let dir = tempfile::tempdir().unwrap();
    let store = with_boards(dir.path(), &["b1"]).await;
    for n in 0..1_100 {
        let id = format!("2026-01-01-{n:013}-00000000");
        store
            .put_record("b1", kind::ATTENDANCE, &id, "{}", false)
            .await
            .unwrap();
    }
    store
        .put_record("b1", kind::ATTENDANCE, "2026-11-28-0-00000000", "{}", false)
        .await
        .unwrap();
    // 2026-11-29 13:00 UTC, keeping 30 days.
    let gone = crate::retention::sweep(&store, 1_795_957_200_000, 30)
        .await
        .unwrap();
    assert_eq!(gone, 1_100);
    let left = store.records("b1", kind::ATTENDANCE, "").await.unwrap();
    assert_eq!(left.len(), 1);
}
