//! The bin: removed items stay on the board, out of every view and export, until someone
//! allowed to puts them back. Removing never silences anyone for good: only the author's
//! withdrawal erases words (see `withdraw`).
//!
//! An item is in the bin while its map holds `removed: { by: Author, at }`. Facilitators
//! move any item there and back; an author moves their own through the server, proving it
//! with the item's key (`coboard_shared::rules`).

use serde::{Deserialize, Serialize};
use yrs::{Any, Map, Out, ReadTxn, TransactionMut};

use super::item::{REMOVED, read_item};
use super::{Author, Board, ItemView, SchemaError, as_f64};

/// Who put an item in the bin, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Removal {
    pub by: Author,
    /// ms since the Unix epoch.
    pub at: f64,
}

impl Removal {
    pub(crate) fn from_any(any: &Any) -> Option<Self> {
        let Any::Map(m) = any else { return None };
        Some(Self {
            by: m.get("by").map(Author::from_any).unwrap_or_default(),
            at: as_f64(m.get("at"))?,
        })
    }

    fn to_any(&self) -> Any {
        Any::from(std::collections::HashMap::from([
            ("by".to_owned(), self.by.to_any()),
            ("at".to_owned(), Any::from(self.at)),
        ]))
    }
}

impl Board {
    /// Puts item `id` in the bin.
    pub fn remove_item(
        &self,
        txn: &mut TransactionMut,
        id: &str,
        by: &Author,
        at: f64,
    ) -> Result<(), SchemaError> {
        let item = self.item(txn, id)?;
        let removal = Removal {
            by: by.stored(),
            at,
        };
        item.insert(txn, REMOVED, removal.to_any());
        Ok(())
    }

    /// Takes item `id` out of the bin.
    pub fn restore_item(&self, txn: &mut TransactionMut, id: &str) -> Result<(), SchemaError> {
        let item = self.item(txn, id)?;
        item.remove(txn, REMOVED);
        Ok(())
    }

    /// Who put item `id` in the bin, if it is there.
    pub fn removal<T: ReadTxn>(&self, txn: &T, id: &str) -> Option<Removal> {
        match self.item(txn, id).ok()?.get(txn, REMOVED) {
            Some(Out::Any(a)) => Removal::from_any(&a),
            _ => None,
        }
    }

    /// Every item in the bin with its removal, most recently removed first.
    pub fn read_bin<T: ReadTxn>(&self, txn: &T) -> Vec<(ItemView, Removal)> {
        let mut out: Vec<(ItemView, Removal)> = self
            .items
            .iter(txn)
            .filter_map(|(id, value)| {
                let Out::YMap(m) = value else { return None };
                let removal = match m.get(txn, REMOVED) {
                    Some(Out::Any(a)) => Removal::from_any(&a)?,
                    _ => return None,
                };
                Some((read_item(txn, id, &m)?, removal))
            })
            .collect();
        out.sort_by(|a, b| b.1.at.total_cmp(&a.1.at).then(a.0.id.cmp(&b.0.id)));
        out
    }
}
