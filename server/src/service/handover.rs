//! Handing the facilitator role to anyone on the board, in one step.
//!
//! Sharing power means a public member can lead as well as a professional (INVOLVE 2018;
//! SCIE 2013). Access rights come from invite links, so the role cannot simply be written
//! into the document: anyone who can edit could write themselves in. Instead the
//! facilitator offers the role to a person (by their per-board person id, which their
//! client publishes with its presence); the server keeps the offer and writes only a
//! notice into the board. The person's client accepts by proving it holds the secret
//! behind that id; the server then makes a facilitator link for them, hands its token to
//! that client alone, and names them as the board's lead.
//!
//! The previous facilitator keeps the rights of their own link: a link may be shared by
//! several people, so taking it away could lock others out. It can be switched off in the
//! invite list like any other.

use std::sync::Arc;

use coboard_shared::api::handover::{AcceptRequest, OfferRequest};
use coboard_shared::api::{AccessRole, CreatedInvite};
use coboard_shared::schema::{Lead, Offer, author_key_hash, is_key_hash};
use serde::{Deserialize, Serialize};

use super::invites::Invites;
use super::{Core, ServiceError, check_key, short_name};
use crate::now_ms;

/// How long an offer waits for its person to accept it.
pub const OFFER_TTL_MS: i64 = 15 * 60 * 1000;

#[derive(Debug, Serialize, Deserialize)]
struct StoredOffer {
    person: String,
    by: String,
    at: i64,
}

/// Offers of the facilitator role, and their acceptance.
#[derive(Clone)]
pub struct Handover {
    core: Core,
    invites: Invites,
}

impl Handover {
    pub fn new(core: Core) -> Self {
        Self {
            invites: Invites::new(core.clone()),
            core,
        }
    }

    /// Offers the role to a person, replacing any offer that was waiting.
    pub async fn offer(&self, board: &str, req: OfferRequest) -> Result<(), ServiceError> {
        if !is_key_hash(&req.person) {
            return Err(ServiceError::Invalid(
                "The person id must be 64 hexadecimal digits.".into(),
            ));
        }
        let by = short_name(req.by.trim());
        let at = now_ms();
        let stored = serde_json::to_string(&StoredOffer {
            person: req.person.clone(),
            by: by.clone(),
            at,
        })?;
        let _guard = self.core.locks.lock(board).await?;
        // One offer at a time: a new one replaces whatever was waiting.
        self.core.store.put_offer(board, &stored).await?;
        let notice = Offer {
            person: req.person,
            by,
            at: at as f64,
        };
        self.core
            .registry
            .edit(
                board,
                Arc::new(move |b, txn| {
                    b.set_offer(txn, &notice);
                    Ok(())
                }),
            )
            .await?;
        tracing::info!(board, "facilitator role offered");
        Ok(())
    }

    /// Accepts the offer made to the holder of `req.key`: a new facilitator link for them
    /// alone, and their name as the board's lead.
    pub async fn accept(
        &self,
        board: &str,
        req: AcceptRequest,
    ) -> Result<CreatedInvite, ServiceError> {
        check_key("key", &req.key)?;
        let person = author_key_hash(&req.key);
        let _guard = self.core.locks.lock(board).await?;
        let waiting = (self.core.store.offer(board).await?)
            .and_then(|json| serde_json::from_str::<StoredOffer>(&json).ok())
            .filter(|o| o.person == person);
        let Some(waiting) = waiting else {
            return Err(ServiceError::NotFound(
                "No handover is waiting for you on this board.",
            ));
        };
        let now = now_ms();
        if now - waiting.at > OFFER_TTL_MS {
            self.core.store.delete_offer(board).await?;
            return Err(ServiceError::Conflict(
                "That handover has expired; ask the facilitator to offer it again.".into(),
            ));
        }
        let name = short_name(req.name.trim());
        let label = if name.is_empty() {
            "Handed over".to_owned()
        } else {
            format!("Handed over to {name}")
        };
        let created = self
            .invites
            .create_link(board, AccessRole::Facilitator, label, None)
            .await?;
        self.core.store.delete_offer(board).await?;
        let lead = Lead {
            name: if name.is_empty() {
                "Anonymous".to_owned()
            } else {
                name
            },
            role: req.role,
            since: now as f64,
        };
        self.core
            .registry
            .edit(
                board,
                Arc::new(move |b, txn| {
                    b.set_lead(txn, &lead);
                    Ok(())
                }),
            )
            .await?;
        tracing::info!(board, invite = %created.invite.id, "facilitator role handed over");
        Ok(created)
    }
}
