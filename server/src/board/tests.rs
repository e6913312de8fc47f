//! The actor and registry with the real embedded store, without sockets.

use std::sync::Arc;
use std::time::Duration;

use coboard_shared::api::{AccessRole, BoardInfo, Invite};
use coboard_shared::protocol::{self, Msg};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use yrs::updates::decoder::Decode;
use yrs::{Doc, GetString, ReadTxn, StateVector, Text, Transact, Update};

use super::{BoardConfig, Registry};
use crate::store::{DocumentLog, SqliteStore, Store, StoredInvite};

async fn setup(idle: Duration) -> (tempfile::TempDir, Registry, TaskTracker, CancellationToken) {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(dir.path()).unwrap());
    let info = BoardInfo {
        id: "b".into(),
        title: "t".into(),
        template: "blank".into(),
        created_at: 0,
        url: "/b/b".into(),
    };
    let empty = Doc::new()
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    let creator = StoredInvite {
        invite: Invite {
            id: "i".into(),
            role: AccessRole::Facilitator,
            label: String::new(),
            created_at: 0,
            expires_at: None,
            revoked: false,
        },
        board_id: "b".into(),
        token_hash: [1; 32],
    };
    store.create_board(&info, empty, &creator).await.unwrap();
    let config = BoardConfig {
        idle_unload: idle,
        ..BoardConfig::default()
    };
    let (cancel, tasks) = (CancellationToken::new(), TaskTracker::new());
    let registry = Registry::new(
        store,
        config,
        crate::cluster::Cluster::single("test"),
        cancel.clone(),
        tasks.clone(),
    );
    (dir, registry, tasks, cancel)
}

/// The board's text "t" as a new client would receive it.
async fn text_seen_by_newcomer(registry: &Registry, conn: u64) -> String {
    let handle = registry.get_or_start("b");
    let (kick, _kick_rx) = tokio::sync::oneshot::channel();
    handle.join(contributor(conn), kick).await.unwrap();
    let reply = handle.sync_step1(StateVector::default()).await.unwrap();
    handle.leave(conn);
    let [Msg::SyncStep2(update)] = &protocol::decode_frame(&reply).unwrap()[..] else {
        panic!("expected one sync step 2");
    };
    let doc = Doc::new();
    let text = doc.get_or_insert_text("t");
    doc.transact_mut()
        .apply_update(Update::decode_v1(update).unwrap())
        .unwrap();
    text.get_string(&doc.transact())
}

fn typed(s: &str) -> Vec<u8> {
    let doc = Doc::new();
    let text = doc.get_or_insert_text("t");
    text.push(&mut doc.transact_mut(), s);
    doc.transact()
        .encode_state_as_update_v1(&StateVector::default())
}

#[tokio::test]
async fn idle_boards_unload_and_reload_with_their_state() {
    let (_dir, registry, _tasks, _cancel) = setup(Duration::from_millis(200)).await;
    let handle = registry.get_or_start("b");
    let (kick, _k) = tokio::sync::oneshot::channel();
    handle.join(contributor(1), kick).await.unwrap();
    handle.update(1, typed("kept")).await.unwrap();
    assert_eq!(text_seen_by_newcomer(&registry, 2).await, "kept");
    assert_eq!(registry.loaded(), 1);
    handle.leave(1);

    let unloaded = async {
        while registry.loaded() > 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(5), unloaded)
        .await
        .expect("board unloads once idle");
    // A stale handle fails cleanly; the registry starts a fresh actor from the store.
    assert!(handle.sync_step1(StateVector::default()).await.is_err());
    assert_eq!(text_seen_by_newcomer(&registry, 3).await, "kept");
}

#[tokio::test]
async fn a_bad_update_is_rejected_and_the_board_carries_on() {
    let (_dir, registry, _tasks, _cancel) = setup(Duration::from_secs(60)).await;
    let handle = registry.get_or_start("b");
    let (kick, kick_rx) = tokio::sync::oneshot::channel();
    handle.join(contributor(1), kick).await.unwrap();
    handle.update(1, vec![0xff, 0xff, 0xff]).await.unwrap();
    let k = tokio::time::timeout(Duration::from_secs(5), kick_rx)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(k.code, coboard_shared::close::MALFORMED);
    handle.update(1, typed("fine")).await.unwrap();
    assert_eq!(text_seen_by_newcomer(&registry, 2).await, "fine");
}

#[tokio::test]
async fn shutdown_flushes_a_snapshot() {
    let (dir, registry, tasks, cancel) = setup(Duration::from_secs(60)).await;
    let handle = registry.get_or_start("b");
    let (kick, _k) = tokio::sync::oneshot::channel();
    handle.join(contributor(1), kick).await.unwrap();
    handle.update(1, typed("flushed")).await.unwrap();
    assert_eq!(text_seen_by_newcomer(&registry, 2).await, "flushed");
    cancel.cancel();
    tasks.close();
    tokio::time::timeout(Duration::from_secs(5), tasks.wait())
        .await
        .unwrap();
    drop(registry);
    let store = SqliteStore::open(dir.path()).unwrap();
    let stored = store.load("b").await.unwrap();
    assert!(stored.snapshot.is_some(), "final snapshot written");
    assert!(stored.updates.is_empty(), "log compacted into it");
}

/// A contributor joining from one address.
fn contributor(conn: super::ConnId) -> super::Joiner {
    super::Joiner {
        conn,
        invite: "i".into(),
        role: AccessRole::Contributor,
        addr: std::net::Ipv4Addr::LOCALHOST.into(),
    }
}

/// A client's ping is answered once what it sent before is stored: the barrier returns
/// only when the store holds the update (the pong's promise, `docs/protocol.md`).
#[tokio::test]
async fn the_barrier_returns_once_earlier_updates_are_stored() {
    let (dir, registry, _tasks, _cancel) = setup(Duration::from_secs(60)).await;
    let handle = registry.get_or_start("b");
    let (kick, _k) = tokio::sync::oneshot::channel();
    handle.join(contributor(1), kick).await.unwrap();
    let reader = SqliteStore::open(dir.path()).unwrap();
    let before = reader.load("b").await.unwrap().updates.len();
    for i in 0..20 {
        handle.update(1, typed(&format!("edit {i}"))).await.unwrap();
        assert!(handle.barrier(1).await.unwrap(), "in good standing");
        let stored = reader.load("b").await.unwrap();
        assert_eq!(
            stored.updates.len(),
            before + i + 1,
            "update {i} stored before the barrier returned"
        );
    }
}

/// A connection whose update was dropped (here, a malformed one) is being closed: its
/// barrier says so, so its ping is never answered as if that update were stored.
#[tokio::test]
async fn the_barrier_of_a_connection_being_closed_says_so() {
    let (_dir, registry, _tasks, _cancel) = setup(Duration::from_secs(60)).await;
    let handle = registry.get_or_start("b");
    let (kick, kick_rx) = tokio::sync::oneshot::channel();
    handle.join(contributor(1), kick).await.unwrap();
    let (kick2, _k2) = tokio::sync::oneshot::channel();
    handle.join(contributor(2), kick2).await.unwrap();
    handle.update(1, vec![1, 2, 3, 255]).await.unwrap();
    assert!(!handle.barrier(1).await.unwrap());
    assert!(kick_rx.await.is_ok(), "the connection was asked to close");
    handle.update(2, typed("fine")).await.unwrap();
    assert!(handle.barrier(2).await.unwrap(), "others carry on");
}
