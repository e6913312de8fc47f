use super::*;
use crate::store::kind;
use coboard_shared::api::AccessRole;

fn invite(board: &str, id: &str, hash: u8) -> StoredInvite {
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

fn info(id: &str) -> BoardInfo {
    BoardInfo {
        id: id.to_owned(),
        title: "Plan".to_owned(),
        template: "blank".to_owned(),
        created_at: 1,
        url: board_url(id),
    }
}

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
async fn invites_are_found_by_hash_listed_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    store
        .create_board(&info("b"), vec![0], &invite("b", "creator", 1))
        .await
        .unwrap();
    let mut viewer = invite("b", "v", 2);
    viewer.invite.role = AccessRole::Viewer;
    viewer.invite.expires_at = Some(99);
    store.create_invite(&viewer).await.unwrap();
    assert_eq!(
        store.find_invite([2; 32]).await.unwrap(),
        Some(viewer.clone())
    );
    assert_eq!(store.find_invite([3; 32]).await.unwrap(), None);
    // Invites for a board that does not exist are refused.
    assert!(store.create_invite(&invite("nope", "x", 4)).await.is_err());

    store.revoke_invite("b", "v", 50).await.unwrap();
    let listed = store.list_invites("b").await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().any(|i| i.id == "v" && i.revoked));
    assert!(listed.iter().any(|i| i.id == "creator" && !i.revoked));
    assert!(
        store
            .find_invite([2; 32])
            .await
            .unwrap()
            .unwrap()
            .invite
            .revoked
    );
    assert!(matches!(
        store.revoke_invite("b", "missing", 1).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.revoke_invite("other", "v", 1).await,
        Err(StoreError::NotFound(_))
    ));
}

#[tokio::test]
async fn sealed_ballots_are_replaced_only_with_their_key() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    store
        .create_board(&info("b1"), vec![0], &invite("b1", "i-b1", 1))
        .await
        .unwrap();
    let ballot = |voter: &str, key: u8, json: &str| StoredBallot {
        board_id: "b1".into(),
        round: "r1".into(),
        voter: voter.into(),
        key_hash: [key; 32],
        ballot: json.into(),
    };
    assert_eq!(
        store.put_ballot(&ballot("asha", 1, "a1"), 2).await.unwrap(),
        1
    );
    assert_eq!(
        store.put_ballot(&ballot("ben", 2, "b1"), 2).await.unwrap(),
        2
    );
    assert_eq!(
        store.put_ballot(&ballot("asha", 1, "a2"), 2).await.unwrap(),
        2
    );
    assert!(matches!(
        store.put_ballot(&ballot("asha", 9, "stolen"), 2).await,
        Err(StoreError::NotYours)
    ));
    assert!(
        matches!(
            store.put_ballot(&ballot("cal", 3, "c1"), 2).await,
            Err(StoreError::TooMany)
        ),
        "a third voter when the round keeps two"
    );
    assert_eq!(store.ballots("b1", "r1").await.unwrap(), ["a2", "b1"]);
    store.delete_ballots("b1", "r1").await.unwrap();
    assert_eq!(store.ballot_count("b1", "r1").await.unwrap(), 0);
    assert_eq!(store.ballot_count("b1", "r2").await.unwrap(), 0);
    let mut orphan = ballot("cal", 3, "c1");
    orphan.board_id = "nope".into();
    assert!(matches!(
        store.put_ballot(&orphan, 2).await,
        Err(StoreError::NotFound(_))
    ));
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
