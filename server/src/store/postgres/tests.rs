//! The PostgreSQL store against the real server on 127.0.0.1:5432 (database `test`),
//! each test in a schema of its own that it drops at the end.

use super::*;
use crate::store::contract::{info, invite, keys, set};

use yrs::{Doc, Map, ReadTxn, Transact};

/// The database the tests use; `COBOARD_TEST_DATABASE_URL` overrides it.
pub(crate) fn test_url() -> String {
    std::env::var("COBOARD_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A fresh schema, and a store (one "instance") in it.
pub(crate) struct Scratch {
    pub(crate) schema: String,
    admin: PgPool,
}

impl Scratch {
    pub(crate) async fn new() -> Self {
        let schema = format!("coboard_t_{}", hex::encode(rand::random::<[u8; 6]>()));
        let admin = PgPool::connect(&test_url())
            .await
            .expect("PostgreSQL at 127.0.0.1:5432");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&admin)
            .await
            .unwrap();
        Self { schema, admin }
    }

    /// Runs SQL (a `pg_dump --inserts` of a schema, renamed to this one) in this schema.
    pub(crate) async fn restore(&self, sql: &str) {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&self.admin)
            .await
            .unwrap();
    }

    /// Another store on the same schema, as a second instance would have.
    pub(crate) async fn store(&self) -> PgStore {
        let options: PgConnectOptions = test_url().parse().unwrap();
        PgStore::connect_with(options.options([("search_path", self.schema.as_str())]))
            .await
            .unwrap()
    }

    pub(crate) async fn drop(self) {
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA {} CASCADE",
            self.schema
        )))
        .execute(&self.admin)
        .await;
    }
}

#[tokio::test]
async fn follows_the_store_contract() {
    let scratch = Scratch::new().await;
    let store = scratch.store().await;
    for (n, b) in ["i1", "s1", "s2", "n1", "n2"].into_iter().enumerate() {
        let hash = u8::try_from(n + 1).unwrap();
        store
            .create_board(&info(b), set("seed"), &invite(b, &format!("i-{b}"), hash))
            .await
            .unwrap();
    }
    crate::store::contract::document_log(&store, "log", 200).await;
    crate::store::contract::invites(&store, "i1").await;
    crate::store::contract::sealed(&store, "s1", "s2").await;
    crate::store::contract::offers(&store, "s1", "s2").await;
    crate::store::contract::snapshots(&store, "n1", "n2").await;
    // What one instance stored, another (a new connection) reads.
    let again = scratch.store().await;
    assert_eq!(keys(&again, "log").await, ["one", "seed", "two"]);
    assert_eq!(again.list_invites("i1").await.unwrap().len(), 2);
    scratch.drop().await;
}

#[tokio::test]
async fn two_instances_compacting_one_board_lose_nothing() {
    let scratch = Scratch::new().await;
    let (a, b) = (scratch.store().await, scratch.store().await);
    a.create_board(&info("b"), set("seed"), &invite("b", "c", 1))
        .await
        .unwrap();
    // Each instance appends and then compacts with only what it has seen itself, as an
    // actor that has not yet received the other's updates would.
    let mut seq_a = 0;
    let mut seq_b = 0;
    for n in 0..5 {
        seq_a = a.append("b", set(&format!("a{n}"))).await.unwrap();
        seq_b = b.append("b", set(&format!("b{n}"))).await.unwrap();
    }
    a.compact("b", set("a4"), seq_a).await.unwrap();
    b.compact("b", set("b4"), seq_b).await.unwrap();
    // An older compaction arriving late adds nothing and removes nothing.
    a.compact("b", set("a0"), seq_a - 2).await.unwrap();
    let mut want: Vec<String> = (0..5)
        .flat_map(|n| [format!("a{n}"), format!("b{n}")])
        .collect();
    want.push("seed".into());
    want.sort();
    assert_eq!(keys(&a, "b").await, want);
    assert_eq!(keys(&b, "b").await, want);
    scratch.drop().await;
}

#[tokio::test]
async fn an_update_committed_after_a_compaction_that_passed_its_number_is_kept() {
    let scratch = Scratch::new().await;
    let (a, b) = (scratch.store().await, scratch.store().await);
    a.create_board(&info("b"), set("seed"), &invite("b", "c", 1))
        .await
        .unwrap();
    // B's insert takes a sequence number, then commits only after A has appended a later
    // number and compacted up to it.
    let mut slow = b.pool.begin().await.unwrap();
    sqlx::query("INSERT INTO updates (board_id, data) VALUES ($1, $2)")
        .bind("b")
        .bind(set("late"))
        .execute(&mut *slow)
        .await
        .unwrap();
    let seq = a.append("b", set("quick")).await.unwrap();
    a.compact("b", set("quick"), seq).await.unwrap();
    slow.commit().await.unwrap();
    assert_eq!(keys(&b, "b").await, ["late", "quick", "seed"]);
    scratch.drop().await;
}

#[tokio::test]
async fn concurrent_ballots_respect_the_round_limit() {
    let scratch = Scratch::new().await;
    let store = std::sync::Arc::new(scratch.store().await);
    store
        .create_board(&info("b"), set("seed"), &invite("b", "c", 1))
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for n in 0..20u8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let ballot = SealedEntry {
                board_id: "b".into(),
                round: "r".into(),
                id: format!("v{n}"),
                key_hash: [n; 32],
                body: "{}".into(),
            };
            store.put_sealed(Sealed::Ballot, &ballot, 5).await
        }));
    }
    let mut accepted = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => accepted += 1,
            Err(StoreError::TooMany) => {}
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(accepted, 5);
    let count = store.sealed_count(Sealed::Ballot, "b", "r").await.unwrap();
    assert_eq!(count, 5);
    scratch.drop().await;
}

#[test]
fn merging_refuses_an_update_whose_base_is_missing() {
    // Two updates from one client: the second alone builds on the first.
    let doc = Doc::new();
    let map = doc.get_or_insert_map("m");
    map.insert(&mut doc.transact_mut(), "x", 1);
    let sv = doc.transact().state_vector();
    map.insert(&mut doc.transact_mut(), "y", 2);
    let second = doc.transact().encode_state_as_update_v1(&sv);
    assert!(merge_updates("b", &[set("a"), second]).is_err());
    assert!(merge_updates("b", &[vec![0xff, 0xff, 0xff]]).is_err());
}

#[tokio::test]
async fn records_follow_the_store_contract() {
    let scratch = Scratch::new().await;
    let store = scratch.store().await;
    for (b, n) in [("b1", 1), ("b2", 2), ("b3", 3), ("b4", 4)] {
        store
            .create_board(&info(b), set("seed"), &invite(b, &format!("i-{b}"), n))
            .await
            .unwrap();
    }
    crate::store::contract::records(&store, "b1", "b2").await;
    crate::store::contract::delete_records_before(&store, "b3", "b4").await;
    crate::store::contract::delete_auto_snapshots(&store, "b1", "b2").await;
    scratch.drop().await;
}

#[tokio::test]
async fn a_board_lock_holds_across_instances_until_dropped() {
    let scratch = Scratch::new().await;
    let (a, b) = (scratch.store().await, scratch.store().await);
    let held = a.lock_board("b1").await.unwrap();
    // Another board is not held up.
    let other = tokio::time::timeout(Duration::from_secs(2), b.lock_board("b2"))
        .await
        .expect("another board's lock waited")
        .unwrap();
    drop(other);
    // The same board waits on the other instance while the lock is held...
    let waiting = tokio::spawn(async move { b.lock_board("b1").await.map(|_| ()) });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !waiting.is_finished(),
        "the second instance took a held lock"
    );
    // ...and gets it once the first lets go.
    drop(held);
    tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("the lock was never released")
        .unwrap()
        .unwrap();
    scratch.drop().await;
}

#[tokio::test]
async fn a_board_lock_given_up_while_waiting_is_not_left_held() {
    let scratch = Scratch::new().await;
    let (a, b) = (scratch.store().await, scratch.store().await);
    let held = a.lock_board("b1").await.unwrap();
    // B's request goes away while it waits for the lock.
    let gave_up = tokio::time::timeout(Duration::from_millis(200), b.lock_board("b1")).await;
    assert!(gave_up.is_err(), "B got a held lock");
    drop(held);
    // Nobody is left holding it: A can take it again.
    let again = tokio::time::timeout(Duration::from_secs(5), a.lock_board("b1"))
        .await
        .expect("the lock was left held by a request that went away")
        .unwrap();
    drop(again);
    scratch.drop().await;
}
