//! What only an item's author, or a facilitator, may do to an item, done by the server
//! for them (the rules, `coboard_shared::rules`, let no contributor's client do it in the
//! document): changing the author's consent, and moving an item to the bin and back.
//!
//! An author proves an item is theirs with the secret whose hash their client stored in
//! the item as `author_key` when they wrote it; the secret is sent here, never put in the
//! document.

use std::sync::Arc;

use coboard_shared::api::AccessRole;
use coboard_shared::schema::{
    Author, Board, Consent, ParticipantRole, SchemaError, author_key_hash,
};

use super::{Core, ServiceError};
use crate::board::{EditError, ReadCheck, ServerEdit};

const NOT_YOURS_CONSENT: &str = "Only the person who wrote this can change how it may be used.";
const NOT_YOURS_REMOVE: &str = "Only the person who wrote this, or a facilitator, can remove it.";
const NOT_YOURS_RESTORE: &str =
    "Only the person who wrote this, or a facilitator, can take it out of the bin.";

/// Acting on items for their authors.
#[derive(Clone)]
pub struct Items {
    core: Core,
}

impl Items {
    pub fn new(core: Core) -> Self {
        Self { core }
    }

    /// Sets the consent on `item` for its author, who proves it with `key`. A facilitator
    /// cannot change someone else's consent either: it is the author's alone.
    pub async fn set_consent(
        &self,
        board: &str,
        item: &str,
        key: &str,
        consent: Consent,
    ) -> Result<(), ServiceError> {
        prove_author(&self.core, board, item, Some(key), NOT_YOURS_CONSENT).await?;
        let id = item.to_owned();
        let edit: ServerEdit = Arc::new(move |b, txn| b.set_consent(txn, &id, &consent));
        self.core.registry.edit(board, edit).await?;
        Ok(())
    }

    /// Moves `item` to the bin: a facilitator any item, anyone else their own. Its
    /// comments stay with it, out of sight until it is restored.
    pub async fn remove(
        &self,
        board: &str,
        item: &str,
        role: AccessRole,
        key: Option<&str>,
    ) -> Result<(), ServiceError> {
        let by_author = role != AccessRole::Facilitator;
        if by_author {
            prove_author(&self.core, board, item, key, NOT_YOURS_REMOVE).await?;
        }
        let (id, at) = (item.to_owned(), crate::now_ms() as f64);
        let edit: ServerEdit = Arc::new(move |b, txn| {
            let author = b.read_item(txn, &id).map(|i| i.author);
            let Some(author) = author else {
                return Err(SchemaError::NoSuchItem(id.clone()));
            };
            let by = match by_author {
                true => author,
                false => Author::named("A facilitator", ParticipantRole::Facilitator, ""),
            };
            b.remove_item(txn, &id, &by, at)
        });
        self.core.registry.edit(board, edit).await?;
        tracing::info!(board, item, "item moved to the bin");
        Ok(())
    }

    /// Takes `item` out of the bin: a facilitator any item, anyone else their own.
    pub async fn restore(
        &self,
        board: &str,
        item: &str,
        role: AccessRole,
        key: Option<&str>,
    ) -> Result<(), ServiceError> {
        if role != AccessRole::Facilitator {
            prove_author(&self.core, board, item, key, NOT_YOURS_RESTORE).await?;
        }
        let id = item.to_owned();
        let edit: ServerEdit = Arc::new(move |b, txn| {
            if b.removal(txn, &id).is_none() {
                return Err(SchemaError::Invalid("This item is not in the bin.".into()));
            }
            b.restore_item(txn, &id)
        });
        self.core.registry.edit(board, edit).await?;
        Ok(())
    }
}

/// Refuses (with `not_yours`) unless `key` is the secret behind the item's `author_key`.
pub(super) async fn prove_author(
    core: &Core,
    board: &str,
    item: &str,
    key: Option<&str>,
    not_yours: &'static str,
) -> Result<(), ServiceError> {
    let key = key.ok_or_else(|| ServiceError::Forbidden(not_yours.into()))?;
    let want = author_key_hash(key);
    let id = item.to_owned();
    let check: ReadCheck = Arc::new(move |b: &Board, txn: &yrs::Transaction| {
        let stored = b.author_key(txn, &id)?;
        if stored.is_empty() || stored != want {
            return Err(SchemaError::Invalid("not yours".into()));
        }
        Ok(())
    });
    match core.registry.check(board, check).await {
        Ok(()) => Ok(()),
        Err(e @ EditError::Refused(SchemaError::NoSuchItem(_))) => Err(e.into()),
        Err(EditError::Refused(_)) => Err(ServiceError::Forbidden(not_yours.into())),
        Err(e) => Err(e.into()),
    }
}
