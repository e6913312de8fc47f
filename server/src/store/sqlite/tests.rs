use super::*;

fn info(id: &str) -> BoardInfo {
    BoardInfo {
        id: id.to_owned(),
        title: "Plan".to_owned(),
        template: "blank".to_owned(),
        created_at: 1,
        url: board_url(id),
    }
}

#[tokio::test]
async fn appends_compacts_and_reloads_after_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = SqliteStore::open(dir.path()).unwrap();
        store.create_board(&info("b1"), vec![0]).await.unwrap();
        store.create_board(&info("b2"), vec![9]).await.unwrap();
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
    store.create_board(&info("b"), vec![0]).await.unwrap();
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
    store.create_board(&info("ok"), vec![0]).await.unwrap();
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
