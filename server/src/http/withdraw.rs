//! "Withdraw my contribution": the words of one item are replaced by "[withdrawn]" on the
//! live board, the board's stored history is compacted so no stored update holds them,
//! and every named snapshot that held them is rewritten. The answer is a plain receipt of
//! what was removed and what cannot be.
//!
//! Facilitators may withdraw any item (someone may ask them to, in a meeting). Others
//! withdraw their own, proving it with the secret whose hash their client stored in the
//! item as `author_key` when they wrote it.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use coboard_shared::api::AccessRole;
use coboard_shared::schema::{Board, SchemaError, WITHDRAWN, Withdrawn, author_key_hash};
use serde::{Deserialize, Serialize};
use yrs::{Any, Map, Out, ReadTxn, StateVector, Transact};

use super::{AppState, grant};
use crate::board::{BoardError, EditError};
use crate::error::AppError;
use crate::now_ms;

/// The request: the author's secret, unless a facilitator asks.
#[derive(Debug, Default, Deserialize)]
pub struct WithdrawRequest {
    pub key: Option<String>,
}

/// What the contributor is told.
#[derive(Debug, Serialize)]
pub struct Receipt {
    pub item: String,
    pub withdrawn_at: i64,
    /// Plain sentences: what no longer holds the words.
    pub removed: Vec<String>,
    /// Plain sentences: what Coboard cannot reach.
    pub not_removed: Vec<String>,
}

pub(super) async fn withdraw(
    State(state): State<AppState>,
    Path((board, item)): Path<(String, String)>,
    headers: HeaderMap,
    body: Result<Json<WithdrawRequest>, JsonRejection>,
) -> Result<Json<Receipt>, AppError> {
    let request = match body {
        Ok(Json(r)) => r,
        Err(JsonRejection::MissingJsonContentType(_)) => WithdrawRequest::default(),
        Err(e) => return Err(e.into()),
    };
    let g = grant(&state, &board, &headers, |r| {
        matches!(r, AccessRole::Facilitator | AccessRole::Contributor)
    })
    .await?;
    if g.role != AccessRole::Facilitator {
        let key = request.key.as_deref().ok_or_else(|| {
            AppError::Forbidden(
                "Only the person who wrote this, or a facilitator, can withdraw it.".into(),
            )
        })?;
        let want = author_key_hash(key);
        let id = item.clone();
        let check: crate::board::ReadCheck = Arc::new(move |b: &Board, txn: &yrs::Transaction| {
            let stored = match b.item(txn, &id)?.get(txn, "author_key") {
                Some(Out::Any(Any::String(s))) => s.to_string(),
                _ => String::new(),
            };
            if stored.is_empty() || stored != want {
                return Err(SchemaError::Invalid("not yours".into()));
            }
            Ok(())
        });
        match state.registry.check(&board, check).await {
            Ok(()) => {}
            Err(EditError::Refused(SchemaError::NoSuchItem(_))) => {
                return Err(AppError::NotFound("No item with that id."));
            }
            Err(EditError::Refused(_)) => {
                return Err(AppError::Forbidden(
                    "Only the person who wrote this, or a facilitator, can withdraw it.".into(),
                ));
            }
            Err(e) => return Err(edit_error(e)),
        }
    }
    let at = now_ms();
    let done = Arc::new(Mutex::new(Withdrawn::default()));
    let (id, out) = (item.clone(), done.clone());
    let edit: crate::board::ServerEdit = Arc::new(move |b, txn| {
        let d = b.withdraw(txn, &id, at as f64)?;
        if !d.item {
            return Err(SchemaError::NoSuchItem(id.clone()));
        }
        *out.lock().expect("withdraw lock") = d;
        Ok(())
    });
    state
        .registry
        .edit(&board, edit)
        .await
        .map_err(edit_error)?;
    // The words are gone from the live board; now from everything stored.
    state
        .registry
        .purge(&board)
        .await
        .map_err(|e| edit_error(e.into()))?;
    let mut snapshots = 0;
    for info in state.store.list_snapshots(&board).await? {
        let (_, bytes) = state.store.snapshot(&board, &info.id).await?;
        let id = item.clone();
        let rewritten = tokio::task::spawn_blocking(move || rewrite(&bytes, &id, at as f64))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(AppError::Internal)?;
        if let Some((text, bytes)) = rewritten {
            let name = rename(&info.name, &text);
            state
                .store
                .replace_snapshot(&board, &info.id, &name, bytes)
                .await?;
            snapshots += 1;
        }
    }
    state.store.scrub().await?;
    let d = *done.lock().expect("withdraw lock");
    tracing::info!(board, item, snapshots, "contribution withdrawn");
    Ok(Json(receipt(&item, at, d, snapshots)))
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
fn rewrite(bytes: &[u8], item: &str, at: f64) -> Result<Option<(String, Vec<u8>)>, String> {
    let doc = super::snapshots::doc_of(bytes).map_err(|e| e.to_string())?;
    let board = Board::new(&doc);
    let text = board
        .read_item(&doc.transact(), item)
        .map(|i| i.text)
        .unwrap_or_default();
    let done = board
        .withdraw(&mut doc.transact_mut(), item, at)
        .map_err(|e| e.to_string())?;
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

fn edit_error(e: EditError) -> AppError {
    match e {
        EditError::Refused(SchemaError::NoSuchItem(_)) => {
            AppError::NotFound("No item with that id.")
        }
        EditError::Refused(e) => AppError::BadRequest(e.to_string()),
        EditError::Board(BoardError::NotFound) => AppError::NotFound("No board with that id."),
        EditError::Board(e) => AppError::Internal(e.to_string()),
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
