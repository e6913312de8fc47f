//! Automatic snapshots: whenever something on the board is marked agreed, the board is
//! saved as a named snapshot ("Agreed: ..."), so the group can always go back to what it
//! agreed, whoever's client made the change.

use std::sync::{Arc, Mutex};

use coboard_shared::api::SnapshotInfo;
use yrs::types::{EntryChange, Event};
use yrs::{Any, DeepObservable, Doc, GetString, Map, MapRef, Out, ReadTxn, StateVector, Transact};

use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::BoardActor;
use crate::store::Store;

/// Texts of items marked agreed since the last automatic snapshot.
type Agreed = Arc<Mutex<Vec<String>>>;

/// Shortest time between two automatic snapshots of one board.
const MIN_GAP: std::time::Duration = std::time::Duration::from_secs(60);

/// Automatic snapshots stop when a board keeps this many snapshots of any kind.
const MAX_KEPT: usize = 1000;

/// The newest automatic snapshots, all kept.
const KEEP_RECENT: usize = 50;
/// Older automatic snapshots: the newest of each day is kept for this many days, then the
/// newest of each week.
const DAILY_FOR_DAYS: i64 = 30;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Longest snapshot name made automatically, in characters.
const MAX_NAME: usize = 80;

/// "Agreed: <first item>" (and how many more), short enough for a list.
fn name(texts: &[String]) -> String {
    let first = texts.first().map(|t| t.trim()).filter(|t| !t.is_empty());
    let mut name = match first {
        Some(t) => format!(
            "Agreed: {}",
            t.split_whitespace().collect::<Vec<_>>().join(" ")
        ),
        None => "Agreed".to_owned(),
    };
    if name.chars().count() > MAX_NAME {
        name = name.chars().take(MAX_NAME - 1).collect::<String>() + "…";
    }
    match texts.len() {
        0 | 1 => name,
        n => format!("{name} (and {} more)", n - 1),
    }
}

/// A board's automatic snapshots: what was agreed since the last one, when that was, and
/// the one being written.
pub(super) struct AutoSnapshots {
    store: Arc<dyn Store>,
    board: Arc<str>,
    quota: Arc<crate::quota::StoreQuota>,
    /// Texts of items marked agreed since the last automatic snapshot; `None` until the
    /// board has loaded.
    agreed: Option<Agreed>,
    /// The automatic snapshot being written, if any.
    writing: Option<JoinHandle<()>>,
    /// When the last automatic snapshot was taken.
    last: Option<Instant>,
}

impl AutoSnapshots {
    pub(super) fn new(
        store: Arc<dyn Store>,
        board: Arc<str>,
        quota: Arc<crate::quota::StoreQuota>,
    ) -> Self {
        Self {
            store,
            board,
            quota,
            agreed: None,
            writing: None,
            last: None,
        }
    }

    /// Starts watching the loaded document; replaying stored updates takes no snapshots.
    /// Called again for a document rebuilt after a refused change: what was gathered so
    /// far is kept.
    pub(super) fn watch(&mut self, doc: &Doc) {
        let agreed = self.agreed.take().unwrap_or_default();
        watch(doc, agreed.clone());
        self.agreed = Some(agreed);
    }

    /// How many agreed texts are gathered, to [`AutoSnapshots::forget_since`] those a
    /// refused change added.
    pub(super) fn gathered(&self) -> usize {
        (self.agreed.as_ref()).map_or(0, |a| a.lock().map_or(0, |l| l.len()))
    }

    /// Forgets the texts gathered after the first `kept`.
    pub(super) fn forget_since(&mut self, kept: usize) {
        if let Some(Ok(mut list)) = self.agreed.as_ref().map(|a| a.lock()) {
            list.truncate(kept);
        }
    }

    /// The texts agreed since the last automatic snapshot, if one is due now (and taken
    /// from the list, as the snapshot about to be made holds them).
    ///
    /// At most one every [`MIN_GAP`]: agreements in between are gathered into the next
    /// snapshot (or the one taken when the board unloads, `force`), so toggling an item
    /// back and forth cannot fill the store with copies of the board. Nothing is due while
    /// the store is full; the texts stay gathered for when there is room again.
    pub(super) fn due(&mut self, force: bool) -> Option<Vec<String>> {
        if !force && self.last.is_some_and(|t| t.elapsed() < MIN_GAP) {
            return None;
        }
        if self.quota.is_full() {
            return None;
        }
        let texts = match self.agreed.as_ref().and_then(|a| a.lock().ok()) {
            Some(mut list) if !list.is_empty() => std::mem::take(&mut *list),
            _ => return None,
        };
        self.last = Some(Instant::now());
        Some(texts)
    }

    /// Saves `state` (the whole board, once everything applied is durable) as the
    /// automatic snapshot of `texts`, after the one being written, then prunes older ones.
    pub(super) fn save(&mut self, texts: &[String], state: Vec<u8>) {
        let info = SnapshotInfo {
            id: crate::ids::snapshot(),
            name: name(texts),
            created_at: crate::now_ms(),
            auto: true,
            bytes: state.len() as u64,
        };
        let (store, board) = (self.store.clone(), self.board.clone());
        let previous = self.writing.take();
        self.writing = Some(tokio::spawn(async move {
            if let Some(p) = previous {
                let _ = p.await;
            }
            let kept = store
                .list_snapshots(&board)
                .await
                .map(|l| l.len())
                .unwrap_or(0);
            if kept >= MAX_KEPT {
                tracing::warn!(board = %board, kept, "automatic snapshot skipped: the board keeps as many as it can");
                return;
            }
            match store.create_snapshot(&board, &info, state).await {
                Ok(()) => {
                    tracing::info!(board = %board, name = %info.name, "automatic snapshot taken")
                }
                Err(e) => {
                    tracing::warn!(board = %board, error = %e, "automatic snapshot failed");
                    return;
                }
            }
            let Ok(all) = store.list_snapshots(&board).await else {
                return;
            };
            let old = to_prune(&all, info.created_at);
            if !old.is_empty() {
                match store.delete_auto_snapshots(&board, &old).await {
                    Ok(()) => {
                        tracing::info!(board = %board, pruned = old.len(), "older automatic snapshots pruned")
                    }
                    Err(e) => {
                        tracing::warn!(board = %board, error = %e, "pruning snapshots failed")
                    }
                }
            }
        }));
    }

    /// Waits for the snapshot being written, if any.
    pub(super) async fn written(&mut self) {
        if let Some(h) = self.writing.take() {
            let _ = h.await;
        }
    }
}

impl BoardActor {
    /// Takes the automatic snapshot if something was agreed and one is due. Called once
    /// every applied update is durable, so the snapshot never holds an edit the store
    /// could lose.
    pub(super) fn auto_snapshot(&mut self, force: bool) {
        let Some(texts) = self.snapshots.due(force) else {
            return;
        };
        let state = self
            .doc()
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        self.snapshots.save(&texts, state);
    }
}

/// Watches the document for items whose `status` becomes `agreed`. Call after loading, so
/// replaying stored updates takes no snapshots.
fn watch(doc: &Doc, sink: Agreed) {
    let items = doc.get_or_insert_map(coboard_shared::schema::ITEMS);
    items.observe_deep("auto-snapshot", move |txn, events| {
        let agreed = |v: &Out| matches!(v, Out::Any(Any::String(s)) if &**s == "agreed");
        let text = |item: &MapRef| match item.get(txn, "text") {
            Some(Out::YText(t)) => t.get_string(txn),
            _ => String::new(),
        };
        // yrs can panic working out a malformed event's keys; the rules refuse such an
        // update (and the board is rebuilt), so nothing is gathered from it here.
        let gathered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut found = Vec::new();
            for event in events.iter() {
                let Event::Map(e) = event else { continue };
                for (key, change) in e.keys(txn) {
                    match change {
                        // An existing item's status became "agreed".
                        EntryChange::Inserted(v) | EntryChange::Updated(_, v)
                            if &**key == "status" && agreed(v) =>
                        {
                            found.push(text(e.target()));
                        }
                        // An item added already agreed (made and agreed in one transaction).
                        EntryChange::Inserted(Out::YMap(item))
                            if item.get(txn, "status").is_some_and(|v| agreed(&v)) =>
                        {
                            found.push(text(item));
                        }
                        _ => {}
                    }
                }
            }
            found
        }));
        let found = gathered.unwrap_or_default();
        if !found.is_empty()
            && let Ok(mut list) = sink.lock()
        {
            list.extend(found);
        }
    });
}

/// The automatic snapshots to forget, so that a board's history stays dense where it is
/// recent and sparse where it is old: the newest [`KEEP_RECENT`] are all kept; of the
/// rest, the newest of each day for [`DAILY_FOR_DAYS`] days back from `now_ms`, and before
/// that the newest of each week. Snapshots people named themselves are never pruned.
fn to_prune(all: &[SnapshotInfo], now_ms: i64) -> Vec<String> {
    let mut autos: Vec<&SnapshotInfo> = all.iter().filter(|s| s.auto).collect();
    autos.sort_by_key(|s| std::cmp::Reverse(s.created_at));
    let mut kept_buckets = std::collections::HashSet::new();
    let mut prune = Vec::new();
    for s in autos.into_iter().skip(KEEP_RECENT) {
        let age_days = (now_ms - s.created_at).max(0) / DAY_MS;
        let bucket = match age_days < DAILY_FOR_DAYS {
            true => ("day", s.created_at.div_euclid(DAY_MS)),
            false => ("week", s.created_at.div_euclid(7 * DAY_MS)),
        };
        // Newest first, so the first of each bucket is its newest.
        if !kept_buckets.insert(bucket) {
            prune.push(s.id.clone());
        }
    }
    prune
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use coboard_shared::schema::{Board, NewItem};
    use yrs::{Doc, Map, Transact};

    use super::{AutoSnapshots, DAY_MS, KEEP_RECENT, SnapshotInfo, name, to_prune};
    use crate::quota::StoreQuota;
    use crate::store::SqliteStore;

    fn agree(doc: &Doc, id: &str) {
        let board = Board::new(doc);
        let mut txn = doc.transact_mut();
        let item = NewItem {
            kind: "idea".into(),
            text: format!("{id} words"),
            ..NewItem::default()
        };
        board.add_item(&mut txn, id, &item);
        board
            .item(&txn, id)
            .unwrap()
            .insert(&mut txn, "status", "agreed");
    }

    #[tokio::test]
    async fn one_snapshot_a_minute_unless_unloading_and_none_while_the_store_is_full() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SqliteStore::open(dir.path()).unwrap());
        let quota = Arc::new(StoreQuota::new(100));
        let mut snapshots = AutoSnapshots::new(store, Arc::from("b"), quota.clone());
        let doc = Doc::new();
        agree(&doc, "before");
        snapshots.watch(&doc);
        assert_eq!(
            snapshots.due(true),
            None,
            "what was agreed before loading is not new"
        );
        agree(&doc, "a");
        assert_eq!(snapshots.due(false), Some(vec!["a words".to_owned()]));
        agree(&doc, "b");
        assert_eq!(snapshots.due(false), None, "within a minute of the last");
        assert_eq!(snapshots.due(true), Some(vec!["b words".to_owned()]));
        agree(&doc, "c");
        quota.measured(100);
        assert_eq!(snapshots.due(true), None, "the store is full");
        quota.measured(10);
        assert_eq!(
            snapshots.due(true),
            Some(vec!["c words".to_owned()]),
            "kept for later"
        );
    }

    fn snap(id: usize, at: i64, auto: bool) -> SnapshotInfo {
        SnapshotInfo {
            id: format!("s{id}"),
            name: String::new(),
            created_at: at,
            auto,
            bytes: 1,
        }
    }

    #[test]
    fn history_is_kept_dense_when_recent_and_sparse_when_old() {
        let now = 1_000 * DAY_MS;
        let hour = DAY_MS / 24;
        // One automatic snapshot an hour for 100 days, and one named snapshot a day.
        let mut all = Vec::new();
        for h in 0..(100 * 24) {
            all.push(snap(h, now - h as i64 * hour, true));
        }
        for d in 0..100 {
            all.push(snap(10_000 + d, now - d as i64 * DAY_MS, false));
        }
        let prune: std::collections::HashSet<String> = to_prune(&all, now).into_iter().collect();
        let kept: Vec<&SnapshotInfo> = all.iter().filter(|s| !prune.contains(&s.id)).collect();
        assert!(
            kept.iter().filter(|s| !s.auto).count() == 100,
            "named ones all kept"
        );
        let autos: Vec<i64> = kept
            .iter()
            .filter(|s| s.auto)
            .map(|s| s.created_at)
            .collect();
        // The newest 50 all stay.
        for h in 0..KEEP_RECENT {
            assert!(autos.contains(&(now - h as i64 * hour)), "hour {h}");
        }
        // Older: at most one a day for 30 days, then one a week.
        let days = |from: i64, to: i64| {
            autos
                .iter()
                .filter(|&&t| t < now - from * DAY_MS && t >= now - to * DAY_MS)
                .count()
        };
        assert!(days(3, 29) <= 27, "{}", days(3, 29));
        assert!(days(3, 29) >= 25);
        assert!(days(31, 100) <= 11, "{}", days(31, 100));
        assert!(days(31, 100) >= 9);
        assert!(autos.len() < 100, "{} kept of 2,400", autos.len());
        // A board with few snapshots loses none.
        assert!(to_prune(&all[..KEEP_RECENT], now).is_empty());
    }

    #[test]
    fn names_are_short_and_count_the_rest() {
        assert_eq!(
            name(&["Buses  that\nmatch".into()]),
            "Agreed: Buses that match"
        );
        assert_eq!(
            name(&["A".into(), "B".into(), "C".into()]),
            "Agreed: A (and 2 more)"
        );
        assert_eq!(name(&[String::new()]), "Agreed");
        let long = name(&["word ".repeat(40)]);
        assert_eq!(long.chars().count(), 80);
        assert!(long.ends_with('…'));
    }
}
