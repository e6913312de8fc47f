//! "Withdraw my contribution": the words of one item are replaced by "[withdrawn]" on the
//! live board, the board's stored history is compacted so no stored update holds them,
//! and every named snapshot that held them is rewritten. The answer is a plain receipt of
//! what was removed and what cannot be.
//!
//! Facilitators may withdraw any item (someone may ask them to, in a meeting). Others
//! withdraw their own, proving it with the secret whose hash their client stored in the
//! item as `author_key` when they wrote it.

use std::sync::{Arc, Mutex};

use coboard_shared::api::AccessRole;
use coboard_shared::api::withdraw::Receipt;
use coboard_shared::schema::{Board, SchemaError, WITHDRAWN, Withdrawn};
use yrs::{ReadTxn, StateVector, Transact};

use super::snapshots::doc_of;
use super::{Core, ServiceError};
use crate::board::ServerEdit;
use crate::now_ms;

const NOT_YOURS: &str = "Only the person who wrote this, or a facilitator, can withdraw it.";

/// Withdrawing contributions, everywhere the server keeps them.
#[derive(Clone)]
pub struct Withdraw {
    core: Core,
}

impl Withdraw {
    pub fn new(core: Core) -> Self {
        Self { core }
    }

    /// Withdraws `item` for someone whose link has `role`: a facilitator any item, anyone
    /// else only an item whose `author_key` is the hash of `key`.
    pub async fn withdraw(
        &self,
        board: &str,
        item: &str,
        role: AccessRole,
        key: Option<&str>,
    ) -> Result<Receipt, ServiceError> {
        if role != AccessRole::Facilitator {
            super::items::prove_author(&self.core, board, item, key, NOT_YOURS).await?;
        }
        let at = now_ms();
        let done = Arc::new(Mutex::new(Withdrawn::default()));
        let (id, out) = (item.to_owned(), done.clone());
        let edit: ServerEdit = Arc::new(move |b, txn| {
            let d = b.withdraw(txn, &id, at as f64)?;
            if !d.item {
                return Err(SchemaError::NoSuchItem(id.clone()));
            }
            *out.lock().expect("withdraw lock") = d;
            Ok(())
        });
        self.core.registry.edit(board, edit).await?;
        // The words are gone from the live board; now from everything stored.
        self.core.registry.purge(board).await?;
        let mut snapshots = 0;
        for info in self.core.store.list_snapshots(board).await? {
            let (_, bytes) = self.core.store.snapshot(board, &info.id).await?;
            let id = item.to_owned();
            let rewritten =
                tokio::task::spawn_blocking(move || rewrite(&bytes, &id, at as f64)).await??;
            if let Some((text, bytes)) = rewritten {
                let name = rename(&info.name, &text);
                self.core
                    .store
                    .replace_snapshot(board, &info.id, &name, bytes)
                    .await?;
                snapshots += 1;
            }
        }
        self.core.store.scrub().await?;
        let d = *done.lock().expect("withdraw lock");
        tracing::info!(board, item, snapshots, "contribution withdrawn");
        Ok(receipt(item, at, d, snapshots))
    }
}

/// A snapshot's name without the withdrawn words: automatic snapshots are named after
/// the first words of what was agreed ("Agreed: …"), and people may name one after an item.
fn rename(name: &str, text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return name.to_owned();
    }
    if name.contains(text) {
        return name.replace(text, WITHDRAWN);
    }
    let Some(body) = name.strip_prefix("Agreed: ") else {
        return name.to_owned();
    };
    let excerpt = body.split(" (and ").next().unwrap_or(body);
    let excerpt = excerpt.trim_end_matches('…').trim();
    if !excerpt.is_empty() && text.starts_with(excerpt) {
        return name.replacen(excerpt, WITHDRAWN, 1).replacen(
            &format!("{WITHDRAWN}…"),
            WITHDRAWN,
            1,
        );
    }
    name.to_owned()
}

/// A snapshot with the item withdrawn, and the item's words in it; `None` if it never
/// held the item.
fn rewrite(bytes: &[u8], item: &str, at: f64) -> Result<Option<(String, Vec<u8>)>, ServiceError> {
    let doc = doc_of(bytes)?;
    let board = Board::new(&doc);
    let text = board
        .read_item(&doc.transact(), item)
        .map(|i| i.text)
        .unwrap_or_default();
    let done = board
        .withdraw(&mut doc.transact_mut(), item, at)
        .map_err(|e| ServiceError::Unreadable(Box::new(e)))?;
    if done == Withdrawn::default() {
        return Ok(None);
    }
    // Encoded after the withdrawing transaction committed, so its deletions are collected.
    let state = doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    Ok(Some((text, state)))
}

fn receipt(item: &str, at: i64, d: Withdrawn, snapshots: u32) -> Receipt {
    let mut removed = vec!["The words on the board: everyone now sees \"[withdrawn]\".".to_owned()];
    if d.fields > 0 {
        removed.push(format!("{} more field(s) of the same card.", d.fields));
    }
    if d.decision {
        removed.push("The copy in the record of the group's decision.".to_owned());
    }
    if d.activity > 0 {
        removed.push("The excerpt in the board's activity list.".to_owned());
    }
    removed.push("The board's stored history of edits.".to_owned());
    if snapshots > 0 {
        removed.push(format!("{snapshots} saved version(s) of the board."));
    }
    Receipt {
        item: item.to_owned(),
        withdrawn_at: at,
        removed,
        not_removed: vec![
            "Exports (PDF, HTML, Markdown, JSON or CSV) that anyone downloaded before now."
                .to_owned(),
            "Anything people copied or wrote down themselves.".to_owned(),
            "Comments and votes others made on it: they are their contributions.".to_owned(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::rename;

    #[test]
    fn snapshot_names_lose_the_withdrawn_words() {
        let text = "Ask the school about the bus times for carers";
        assert_eq!(
            rename("Agreed: Ask the school about the bus…", text),
            "Agreed: [withdrawn]"
        );
        assert_eq!(
            rename("Agreed: Ask the school about the bus… (and 2 more)", text),
            "Agreed: [withdrawn] (and 2 more)"
        );
        assert_eq!(
            rename(&format!("Before we said {text}"), text),
            "Before we said [withdrawn]"
        );
        assert_eq!(rename("Meeting 3", text), "Meeting 3");
        assert_eq!(
            rename("Agreed: Something else", text),
            "Agreed: Something else"
        );
    }
}
