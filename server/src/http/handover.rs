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

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use coboard_shared::api::{self, AccessRole, CreatedInvite};
use coboard_shared::schema::{Lead, Offer, ParticipantRole, author_key_hash, is_key_hash};
use serde::{Deserialize, Serialize};

use super::invites::new_invite;
use super::rounds::edit_error;
use super::{AppState, grant, now_ms};
use crate::auth;
use crate::error::AppError;
use crate::store::StoredBallot;

/// How long an offer waits for its person to accept it.
pub const OFFER_TTL_MS: i64 = 15 * 60 * 1000;

/// The store's key for a board's one waiting offer (kept with sealed entries; voting
/// round ids cannot contain ':').
const OFFER_ROUND: &str = "handover:offer";

/// `POST /api/boards/{id}/facilitator/offer`
#[derive(Debug, Deserialize)]
pub struct OfferRequest {
    /// The per-board person id of whoever is offered the role.
    pub person: String,
    /// The offering facilitator's name, for the notice.
    #[serde(default)]
    pub by: String,
}

/// `POST /api/boards/{id}/facilitator/accept`
#[derive(Debug, Deserialize)]
pub struct AcceptRequest {
    /// The secret whose [`author_key_hash`] is the person id the offer names.
    pub key: String,
    #[serde(default)]
    pub name: String,
    pub role: ParticipantRole,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredOffer {
    person: String,
    by: String,
    at: i64,
}

pub async fn offer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<OfferRequest>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    grant(&state, &id, &headers, AccessRole::can_manage).await?;
    let Json(req) = body?;
    if !is_key_hash(&req.person) {
        return Err(AppError::BadRequest(
            "The person id must be 64 hexadecimal digits.".into(),
        ));
    }
    let by: String = req.by.trim().chars().take(100).collect();
    let at = now_ms();
    let stored = StoredBallot {
        board_id: id.clone(),
        round: OFFER_ROUND.to_owned(),
        voter: "offer".to_owned(),
        key_hash: auth::hash_token(&req.person),
        ballot: serde_json::to_string(&StoredOffer {
            person: req.person.clone(),
            by: by.clone(),
            at,
        })
        .map_err(|e| AppError::Internal(e.to_string()))?,
    };
    let _guard = state.board_lock(&id).await?;
    // One offer at a time: a new one replaces whatever was waiting.
    state.store.delete_ballots(&id, OFFER_ROUND).await?;
    state.store.put_ballot(&stored, 1).await?;
    let notice = Offer {
        person: req.person,
        by,
        at: at as f64,
    };
    state
        .registry
        .edit(
            &id,
            Arc::new(move |board, txn| {
                board.set_offer(txn, &notice);
                Ok(())
            }),
        )
        .await
        .map_err(edit_error)?;
    tracing::info!(board = %id, "facilitator role offered");
    Ok(StatusCode::NO_CONTENT)
}

pub async fn accept(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<AcceptRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<CreatedInvite>), AppError> {
    grant(&state, &id, &headers, |_| true).await?;
    let Json(req) = body?;
    super::check_key("key", &req.key)?;
    let person = author_key_hash(&req.key);
    let _guard = state.board_lock(&id).await?;
    let waiting = state
        .store
        .ballots(&id, OFFER_ROUND)
        .await?
        .iter()
        .filter_map(|json| serde_json::from_str::<StoredOffer>(json).ok())
        .find(|o| o.person == person);
    let Some(waiting) = waiting else {
        return Err(AppError::NotFound(
            "No handover is waiting for you on this board.",
        ));
    };
    let now = now_ms();
    if now - waiting.at > OFFER_TTL_MS {
        state.store.delete_ballots(&id, OFFER_ROUND).await?;
        return Err(AppError::Conflict(
            "That handover has expired; ask the facilitator to offer it again.".into(),
        ));
    }
    let name: String = req.name.trim().chars().take(100).collect();
    let label = if name.is_empty() {
        "Handed over".to_owned()
    } else {
        format!("Handed over to {name}")
    };
    let (invite, token) = new_invite(&id, AccessRole::Facilitator, label, None);
    state.store.create_invite(&invite).await?;
    state.store.delete_ballots(&id, OFFER_ROUND).await?;
    let lead = Lead {
        name: if name.is_empty() {
            "Anonymous".to_owned()
        } else {
            name
        },
        role: req.role,
        since: now as f64,
    };
    state
        .registry
        .edit(
            &id,
            Arc::new(move |board, txn| {
                board.set_lead(txn, &lead);
                Ok(())
            }),
        )
        .await
        .map_err(edit_error)?;
    tracing::info!(board = %id, invite = %invite.invite.id, "facilitator role handed over");
    Ok((
        StatusCode::CREATED,
        Json(CreatedInvite {
            url: api::invite_url(&id, &token),
            invite: invite.invite,
            token,
        }),
    ))
}
