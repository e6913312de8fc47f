//! Automatic snapshots: whenever something on the board is marked agreed, the board is
//! saved as a named snapshot ("Agreed: ..."), so the group can always go back to what it
//! agreed, whoever's client made the change.

use std::sync::{Arc, Mutex};

use coboard_shared::api::SnapshotInfo;
use yrs::types::{EntryChange, Event};
use yrs::{Any, DeepObservable, Doc, GetString, Map, MapRef, Out, ReadTxn, StateVector, Transact};

use super::BoardActor;

/// Texts of items marked agreed since the last automatic snapshot.
pub(super) type Agreed = Arc<Mutex<Vec<String>>>;

/// Shortest time between two automatic snapshots of one board.
const MIN_GAP: std::time::Duration = std::time::Duration::from_secs(60);

/// Automatic snapshots stop when a board keeps this many snapshots of any kind.
const MAX_KEPT: usize = 1000;

/// Longest snapshot name made automatically, in characters.
const MAX_NAME: usize = 80;

/// Watches the document for items whose `status` becomes `agreed`. Call after loading, so
/// replaying stored updates takes no snapshots.
pub(super) fn watch(doc: &Doc) -> Agreed {
    let agreed: Agreed = Arc::default();
    let sink = agreed.clone();
    let items = doc.get_or_insert_map(coboard_shared::schema::ITEMS);
    items.observe_deep("auto-snapshot", move |txn, events| {
        let agreed = |v: &Out| matches!(v, Out::Any(Any::String(s)) if &**s == "agreed");
        let text = |item: &MapRef| match item.get(txn, "text") {
            Some(Out::YText(t)) => t.get_string(txn),
            _ => String::new(),
        };
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
        if !found.is_empty()
            && let Ok(mut list) = sink.lock()
        {
            list.extend(found);
        }
    });
    agreed
}

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

impl BoardActor {
    /// Takes the automatic snapshot if something was agreed. Called once every applied
    /// update is durable, so the snapshot never holds an edit the store could lose.
    ///
    /// At most one every [`MIN_GAP`]: agreements in between are gathered into the next
    /// snapshot (or the one taken when the board unloads, `force`), so toggling an item
    /// back and forth cannot fill the store with copies of the board.
    pub(super) fn auto_snapshot(&mut self, force: bool) {
        if !force && self.last_auto.is_some_and(|t| t.elapsed() < MIN_GAP) {
            return;
        }
        let texts: Vec<String> = match self.agreed.as_ref().and_then(|a| a.lock().ok()) {
            Some(mut list) if !list.is_empty() => std::mem::take(&mut *list),
            _ => return,
        };
        self.last_auto = Some(tokio::time::Instant::now());
        let state = self
            .doc()
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let info = SnapshotInfo {
            id: crate::auth::new_invite_id(),
            name: name(&texts),
            created_at: crate::now_ms(),
            auto: true,
            bytes: state.len() as u64,
        };
        let (store, board) = (self.store.clone(), self.id.clone());
        let previous = self.snapshotting.take();
        self.snapshotting = Some(tokio::spawn(async move {
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
                Err(e) => tracing::warn!(board = %board, error = %e, "automatic snapshot failed"),
            }
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::name;

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
