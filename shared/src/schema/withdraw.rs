//! Withdrawing a contribution: its words are replaced by a marker everywhere the board
//! keeps them (the item's text and text fields, its decision record, its activity lines).
//!
//! Yjs keeps deleted content only until garbage collection, which runs as each
//! transaction commits; so once the replacing edit is applied and the stored history is
//! compacted (the server does both), no stored byte holds the withdrawn words.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use yrs::{Any, Array, GetString, Map, Out, ReadTxn, Text, TextPrelim, TransactionMut};

use super::{Board, SchemaError};

/// What stands where a withdrawn contribution's words were.
pub const WITHDRAWN: &str = "[withdrawn]";

/// The hash (hex) an item keeps of its author's secret, so the author alone can later
/// withdraw it. The prefix keeps it unlike the voter ids the server derives from ballot
/// keys, so the two cannot be linked even if a client used one secret for both.
pub fn author_key_hash(key: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(format!("coboard-author:{key}")))
}

/// Whether `s` looks like an [`author_key_hash`]: 64 hexadecimal digits. Person ids (the
/// hash of a browser's per-board person key) have this form.
pub fn is_key_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// What a withdrawal changed in one document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawn {
    /// The item was there (false: nothing to do in this document).
    pub item: bool,
    /// Text fields replaced, besides the main text.
    pub fields: u32,
    /// The decision record's copy of the text was replaced.
    pub decision: bool,
    /// Activity lines whose excerpt was replaced.
    pub activity: u32,
}

impl Board {
    /// Replaces the words of item `id` wherever this board keeps them, and marks the item
    /// withdrawn at `at`. An item that is not there is not an error: a snapshot taken
    /// before it was written has nothing to withdraw.
    pub fn withdraw(
        &self,
        txn: &mut TransactionMut,
        id: &str,
        at: f64,
    ) -> Result<Withdrawn, SchemaError> {
        let mut done = Withdrawn::default();
        if let Ok(item) = self.item(txn, id) {
            done.item = true;
            match item.get(txn, "text") {
                Some(Out::YText(text)) => replace(txn, &text),
                _ => {
                    item.insert(txn, "text", TextPrelim::new(WITHDRAWN));
                }
            }
            if let Some(Out::YMap(fields)) = item.get(txn, "fields") {
                let texts: Vec<yrs::TextRef> = fields
                    .iter(txn)
                    .filter_map(|(_, v)| match v {
                        Out::YText(t) => Some(t),
                        _ => None,
                    })
                    .collect();
                for text in texts {
                    if !text.get_string(txn).is_empty() {
                        replace(txn, &text);
                        done.fields += 1;
                    }
                }
            }
            if let Some(Out::Any(Any::Map(decision))) = item.get(txn, "decision") {
                let mut decision: HashMap<String, Any> = (*decision).clone();
                decision.insert("what".into(), Any::from(WITHDRAWN));
                // The agreed field values are the author's words too.
                if let Some(Any::Map(fields)) = decision.get("fields") {
                    let blanked: HashMap<String, Any> = (fields.iter())
                        .map(|(k, v)| {
                            let empty = matches!(v, Any::String(s) if s.is_empty());
                            (k.clone(), Any::from(if empty { "" } else { WITHDRAWN }))
                        })
                        .collect();
                    decision.insert("fields".into(), Any::from(blanked));
                }
                item.insert(txn, "decision", Any::from(decision));
                done.decision = true;
            }
            item.insert(txn, "withdrawn_at", at);
        }
        done.activity = self.withdraw_activity(txn, id);
        Ok(done)
    }

    /// Item `id`'s stored `author_key` (empty when it has none): the hash that proves who
    /// wrote it.
    pub fn author_key<T: ReadTxn>(&self, txn: &T, id: &str) -> Result<String, SchemaError> {
        Ok(match self.item(txn, id)?.get(txn, "author_key") {
            Some(Out::Any(Any::String(s))) => s.to_string(),
            _ => String::new(),
        })
    }

    /// When item `id` was withdrawn, if it was.
    pub fn withdrawn_at<T: ReadTxn>(&self, txn: &T, id: &str) -> Option<f64> {
        match self.item(txn, id).ok()?.get(txn, "withdrawn_at") {
            Some(Out::Any(a)) => super::as_f64(Some(&a)),
            _ => None,
        }
    }

    /// Replaces the excerpt of every activity line about item `id`.
    fn withdraw_activity(&self, txn: &mut TransactionMut, id: &str) -> u32 {
        let lines: Vec<(u32, HashMap<String, Any>)> = self
            .activity
            .iter(txn)
            .enumerate()
            .filter_map(|(n, v)| match v {
                Out::Any(Any::Map(m)) => Some((n as u32, (*m).clone())),
                _ => None,
            })
            .filter(|(_, m)| matches!(m.get("item"), Some(Any::String(s)) if &**s == id))
            .filter(|(_, m)| !matches!(m.get("detail"), Some(Any::String(s)) if s.is_empty() || &**s == WITHDRAWN))
            .collect();
        let n = lines.len() as u32;
        for (index, mut line) in lines {
            line.insert("detail".into(), Any::from(WITHDRAWN));
            self.activity.remove(txn, index);
            self.activity.insert(txn, index, Any::from(line));
        }
        n
    }
}

fn replace(txn: &mut TransactionMut, text: &yrs::TextRef) {
    let len = text.len(txn);
    text.remove_range(txn, 0, len);
    text.insert(txn, 0, WITHDRAWN);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Action, ActivityEntry, Author, NewItem, ParticipantRole, Status};
    use crate::templates::FieldInput;
    use yrs::updates::decoder::Decode;
    use yrs::{Doc, StateVector, Transact, Update};

    const SECRET: &str = "my neighbour's diagnosis";

    fn contains(bytes: &[u8], needle: &str) -> bool {
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    }

    #[test]
    fn withdrawn_words_leave_the_document_and_its_merged_history() {
        let doc = Doc::new();
        let board = Board::new(&doc);
        let asha = Author::named("Asha", ParticipantRole::Public, "asha");
        let history = {
            let mut txn = doc.transact_mut();
            board.init(&mut txn, "Plan");
            let item = NewItem {
                kind: "aim".into(),
                text: format!("We should ask about {SECRET}"),
                author: asha.clone(),
                fields: vec![("notes".into(), FieldInput::Text, SECRET.into())],
                ..NewItem::default()
            };
            board.add_item(&mut txn, "a1", &item);
            board.add_item(
                &mut txn,
                "a2",
                &NewItem {
                    text: "Someone else's aim".into(),
                    ..NewItem::default()
                },
            );
            board.log(
                &mut txn,
                &ActivityEntry {
                    at: 1.0,
                    who: asha.clone(),
                    action: Action::Added,
                    item: "a1".into(),
                    kind: "aim".into(),
                    detail: SECRET.into(),
                },
            );
            board
                .set_status(
                    &mut txn,
                    "a1",
                    Status::Agreed,
                    &asha,
                    std::slice::from_ref(&asha),
                    2.0,
                )
                .unwrap();
            txn.encode_state_as_update_v1(&StateVector::default())
        };
        assert!(contains(&history, SECRET));

        let sv = doc.transact().state_vector();
        let done = board.withdraw(&mut doc.transact_mut(), "a1", 3.0).unwrap();
        assert_eq!(
            done,
            Withdrawn {
                item: true,
                fields: 1,
                decision: true,
                activity: 1
            }
        );
        let withdrawal = doc.transact().encode_state_as_update_v1(&sv);

        let txn = doc.transact();
        let item = board.read_item(&txn, "a1").unwrap();
        assert_eq!(item.text, WITHDRAWN);
        assert_eq!(item.fields["notes"], WITHDRAWN);
        assert_eq!(item.decision.unwrap().what, WITHDRAWN);
        assert_eq!(
            board.read_item(&txn, "a2").unwrap().text,
            "Someone else's aim"
        );
        assert!(
            board
                .read_activity(&txn, 10)
                .iter()
                .all(|e| e.detail != SECRET)
        );
        assert_eq!(board.withdrawn_at(&txn, "a1"), Some(3.0));
        assert!(!contains(
            &txn.encode_state_as_update_v1(&StateVector::default()),
            SECRET
        ));
        drop(txn);

        // Replaying the old history and the withdrawal, as a store's compaction does,
        // never brings the words back.
        let replay = Doc::new();
        {
            let mut txn = replay.transact_mut();
            txn.apply_update(Update::decode_v1(&history).unwrap())
                .unwrap();
            txn.apply_update(Update::decode_v1(&withdrawal).unwrap())
                .unwrap();
        }
        let merged = replay
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        assert!(!contains(&merged, SECRET));
        // A snapshot taken before the item existed has nothing to withdraw.
        let empty = Doc::new();
        let nothing = Board::new(&empty)
            .withdraw(&mut empty.transact_mut(), "a1", 3.0)
            .unwrap();
        assert_eq!(nothing, Withdrawn::default());
    }
}
