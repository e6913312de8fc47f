//! Comment threads on items, for conversations between meetings.
//!
//! A comment is a plain value, written once by its author: threads are read in time
//! order, and a comment is a message, not a shared draft.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use yrs::{Any, Map, ReadTxn, TransactionMut};

use super::{Author, Board, SchemaError, as_f64, as_object, as_string};

/// Longest comment accepted, in characters.
pub const MAX_COMMENT_CHARS: usize = 4000;

/// One comment, read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: String,
    /// The item it is about.
    pub item: String,
    pub text: String,
    pub author: Author,
    pub at: f64,
}

impl Board {
    /// Adds a comment to an item.
    pub fn add_comment(
        &self,
        txn: &mut TransactionMut,
        id: &str,
        item: &str,
        text: &str,
        author: &Author,
        at: f64,
    ) -> Result<(), SchemaError> {
        self.item(txn, item)?;
        let text = text.trim();
        if text.is_empty() {
            return Err(SchemaError::Invalid("a comment needs some text".into()));
        }
        if text.chars().count() > MAX_COMMENT_CHARS {
            return Err(SchemaError::Invalid(format!(
                "a comment can be at most {MAX_COMMENT_CHARS} characters"
            )));
        }
        let value = Any::from(HashMap::from([
            ("id".to_owned(), Any::from(id)),
            ("item".to_owned(), Any::from(item)),
            ("text".to_owned(), Any::from(text)),
            ("author".to_owned(), author.to_any()),
            ("at".to_owned(), Any::from(at)),
        ]));
        self.comments.insert(txn, id, value);
        Ok(())
    }

    /// Every comment, oldest first (ties by id). Malformed entries are skipped.
    pub fn read_comments<T: ReadTxn>(&self, txn: &T) -> Vec<CommentView> {
        let mut out: Vec<CommentView> = self
            .comments
            .iter(txn)
            .filter_map(|(id, v)| {
                let f = as_object(&v, txn)?;
                Some(CommentView {
                    id: id.to_owned(),
                    item: as_string(f.get("item"))?,
                    text: as_string(f.get("text"))?,
                    author: f.get("author").map(Author::from_any).unwrap_or_default(),
                    at: as_f64(f.get("at")).unwrap_or(0.0),
                })
            })
            .collect();
        out.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.id.cmp(&b.id)));
        out
    }
}
