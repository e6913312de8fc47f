//! What changed between a snapshot and now: items added, removed, edited, and moved
//! between draft, proposed and agreed, each with who did it (from the activity list).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use yrs::ReadTxn;

use crate::schema::{Action, Board, ItemView, Status, kind_label};

/// One item that changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub id: String,
    pub kind_label: String,
    /// The text now (for removed items: as it was).
    pub text: String,
    /// Who did it, as each chose to be named, with their role ("Asha (Public member)").
    pub who: Vec<String>,
}

/// An item whose status changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    #[serde(flatten)]
    pub item: Change,
    pub from: Status,
    pub to: Status,
}

/// Everything that changed, each list in reading order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Changes {
    pub added: Vec<Change>,
    pub removed: Vec<Change>,
    pub edited: Vec<Change>,
    pub status: Vec<StatusChange>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.edited.is_empty()
            && self.status.is_empty()
    }
}

fn label(a: &crate::schema::Author) -> String {
    format!("{} ({})", a.display(), a.role.label())
}

/// Compares the board `then` (a snapshot, taken at `since`) with the board `now`.
pub fn changes<A: ReadTxn, B: ReadTxn>(
    then: (&Board, &A),
    now: (&Board, &B),
    since: f64,
) -> Changes {
    let before: BTreeMap<String, ItemView> = then
        .0
        .read_items(then.1)
        .into_iter()
        .map(|i| (i.id.clone(), i))
        .collect();
    let after = now.0.read_items(now.1);
    // Who touched each item since the snapshot, by action.
    let mut touched: BTreeMap<(String, Action), BTreeSet<String>> = BTreeMap::new();
    for e in now.0.read_activity(now.1, usize::MAX) {
        if e.at >= since {
            touched
                .entry((e.item.clone(), e.action))
                .or_default()
                .insert(label(&e.who));
        }
    }
    let who = |id: &str, actions: &[Action]| -> Vec<String> {
        let mut names = BTreeSet::new();
        for a in actions {
            if let Some(set) = touched.get(&(id.to_owned(), *a)) {
                names.extend(set.iter().cloned());
            }
        }
        names.into_iter().collect()
    };
    let change = |i: &ItemView, who: Vec<String>| Change {
        id: i.id.clone(),
        kind_label: kind_label(&i.kind).to_owned(),
        text: i.text.clone(),
        who,
    };
    let mut out = Changes::default();
    for i in &after {
        match before.get(&i.id) {
            None => out.added.push(change(i, vec![label(&i.author)])),
            Some(old) => {
                if old.text != i.text || old.fields != i.fields {
                    out.edited.push(change(i, who(&i.id, &[Action::Edited])));
                }
                if old.status != i.status {
                    let mut names = who(&i.id, &[Action::Status]);
                    if let Some(d) = i.decision.as_ref().filter(|_| names.is_empty()) {
                        names.push(label(&d.by));
                    }
                    out.status.push(StatusChange {
                        item: change(i, names),
                        from: old.status,
                        to: i.status,
                    });
                }
            }
        }
    }
    let present: BTreeSet<&str> = after.iter().map(|i| i.id.as_str()).collect();
    for old in before.values().filter(|o| !present.contains(o.id.as_str())) {
        out.removed
            .push(change(old, who(&old.id, &[Action::Deleted])));
    }
    out
}

#[cfg(test)]
mod tests {
    use yrs::updates::decoder::Decode;
    use yrs::{Doc, Text, Transact, Update};

    use super::*;
    use crate::schema::{ActivityEntry, Author, NewItem, ParticipantRole};

    fn copy(doc: &Doc) -> Doc {
        let copy = Doc::new();
        let state = doc
            .transact()
            .encode_state_as_update_v1(&Default::default());
        copy.transact_mut()
            .apply_update(Update::decode_v1(&state).unwrap())
            .unwrap();
        copy
    }

    #[test]
    fn finds_added_removed_edited_and_status_changes_with_who() {
        let doc = Doc::new();
        let board = Board::new(&doc);
        let asha = Author::named("Asha", ParticipantRole::Public, "asha");
        let ben = Author::named("Ben", ParticipantRole::Professional, "ben");
        let add = |id: &str, text: &str, by: &Author| {
            let new = NewItem {
                kind: "aim".into(),
                text: text.into(),
                author: by.clone(),
                ..NewItem::default()
            };
            board.add_item(&mut doc.transact_mut(), id, &new);
        };
        add("keep", "unchanged", &asha);
        add("edit", "first words", &asha);
        add("gone", "to be removed", &asha);
        add("agree", "to be agreed", &asha);
        let snapshot = copy(&doc);
        let since = 100.0;
        add("new", "added later", &ben);
        {
            let mut txn = doc.transact_mut();
            let t = board.item_text(&txn, "edit").unwrap();
            t.push(&mut txn, " and more");
            let log = |txn: &mut yrs::TransactionMut, item: &str, action, who: &Author| {
                board.log(
                    txn,
                    &ActivityEntry {
                        at: since + 1.0,
                        who: who.clone(),
                        action,
                        item: item.into(),
                        kind: "aim".into(),
                        detail: String::new(),
                    },
                );
            };
            log(&mut txn, "edit", Action::Edited, &ben);
            board.delete_item(&mut txn, "gone").unwrap();
            log(&mut txn, "gone", Action::Deleted, &ben);
            board
                .set_status(&mut txn, "agree", Status::Agreed, &asha, &[], since + 2.0)
                .unwrap();
        }
        let then = Board::new(&snapshot);
        let c = changes(
            (&then, &snapshot.transact()),
            (&board, &doc.transact()),
            since,
        );
        let ids = |l: &[Change]| l.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&c.added), ["new"]);
        assert_eq!(c.added[0].who, ["Ben (Professional)"]);
        assert_eq!(ids(&c.removed), ["gone"]);
        assert_eq!(c.removed[0].text, "to be removed");
        assert_eq!(c.removed[0].who, ["Ben (Professional)"]);
        assert_eq!(ids(&c.edited), ["edit"]);
        assert_eq!(c.edited[0].text, "first words and more");
        assert_eq!(c.edited[0].who, ["Ben (Professional)"]);
        assert_eq!(c.status.len(), 1);
        assert_eq!(
            (c.status[0].from, c.status[0].to),
            (Status::Draft, Status::Agreed)
        );
        assert_eq!(
            c.status[0].item.who,
            ["Asha (Public member)"],
            "from the decision record"
        );
        let none = changes((&board, &doc.transact()), (&board, &doc.transact()), since);
        assert!(none.is_empty());
    }
}
