//! Silent rounds: cards the board's document must not see until the facilitator reveals
//! them (`coboard_shared::schema::silent` explains why).
//!
//! Cards wait in the same store table as sealed ballots, under the round key
//! `silent:<round id>` (voting round ids cannot contain ':'), one entry per card, each
//! guarded by a hash of its writer's key so only they can change or take it back before
//! the reveal. The round's lock orders cards against a reveal, as it does ballots against
//! a close.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use coboard_shared::api::AccessRole;
use coboard_shared::schema::{
    Author, ParticipantRole, Revealed, SchemaError, SilentCard, SilentState, author_key_hash,
};
use serde::{Deserialize, Serialize};

use super::rounds::{MAX_BALLOTS_PER_ROUND, check_id, edit_error};
use super::{AppState, ClientIp, grant, now_ms};
use crate::auth;
use crate::error::AppError;
use crate::store::{StoreError, StoredBallot};

/// Most cards one silent round keeps (the same bound as a sealed round's ballots).
pub const MAX_CARDS_PER_ROUND: u64 = MAX_BALLOTS_PER_ROUND;

/// `POST /api/boards/{id}/silent/{round}/cards`
#[derive(Debug, Deserialize)]
pub struct CardRequest {
    /// Random id chosen by the client; the card's item id once revealed.
    pub card: String,
    /// The writer's secret for this card: needed to change or withdraw it, and (hashed)
    /// the key that lets them withdraw the item once it is on the board.
    pub key: String,
    /// The card's words. Empty takes the card back before the reveal.
    pub text: String,
    #[serde(default)]
    pub name: String,
    pub role: ParticipantRole,
    #[serde(default)]
    pub anonymous: bool,
}

/// How many cards a round holds (never whose, nor what they say).
#[derive(Debug, Serialize, Deserialize)]
pub struct CardCount {
    pub cards: u64,
}

/// `POST /api/boards/{id}/silent/{round}/reveal`
#[derive(Debug, Default, Deserialize)]
pub struct RevealRequest {
    /// Reveal only public members' cards, leaving the others for a second reveal.
    #[serde(default)]
    pub public_only: bool,
}

fn store_round(round: &str) -> String {
    format!("silent:{round}")
}

pub async fn put_card(
    State(state): State<AppState>,
    Path((id, round)): Path<(String, String)>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Result<Json<CardRequest>, JsonRejection>,
) -> Result<Json<CardCount>, AppError> {
    grant(&state, &id, &headers, AccessRole::can_edit).await?;
    if !state.ballot_rate.allow(ip) {
        return Err(AppError::TooManyRequests(
            "Too many cards from this address; please wait a moment.",
        ));
    }
    let Json(req) = body?;
    check_id("round id", &round)?;
    check_id("card id", &req.card)?;
    super::check_key("card key", &req.key)?;
    let withdrawing = req.text.trim().is_empty();
    let author = Author {
        name: req.name.chars().take(100).collect(),
        role: req.role,
        anonymous: req.anonymous,
        id: String::new(),
    };
    let card = SilentCard {
        id: req.card.clone(),
        // A card taken back is first overwritten with no words (which proves the key is
        // its writer's), then deleted.
        text: if withdrawing {
            String::new()
        } else {
            req.text.clone()
        },
        author: author.stored(),
        author_key: author_key_hash(&req.key),
        at: now_ms() as f64,
    };
    let _guard = state.board_lock(&id).await?;
    let check = card.clone();
    let round_id = round.clone();
    state
        .registry
        .check(
            &id,
            Arc::new(move |board, txn| {
                if withdrawing {
                    let r = board.silent_round(txn, &round_id)?;
                    if r.state == SilentState::Revealed {
                        return Err(SchemaError::RoundClosed);
                    }
                    return Ok(());
                }
                board.check_card(txn, &round_id, &check).map(|_| ())
            }),
        )
        .await
        .map_err(edit_error)?;
    // Only a card that was written can be taken back (a take-back of anything else would
    // only fill the round's places).
    if withdrawing {
        let known = state
            .store
            .ballots(&id, &store_round(&round))
            .await?
            .iter()
            .filter_map(|json| serde_json::from_str::<SilentCard>(json).ok())
            .any(|c| c.id == card.id);
        if !known {
            return Err(AppError::NotFound("No card with that id in this round."));
        }
    }
    let stored = StoredBallot {
        board_id: id.clone(),
        round: store_round(&round),
        voter: card.id.clone(),
        key_hash: auth::hash_token(&req.key),
        ballot: serde_json::to_string(&card).map_err(|e| AppError::Internal(e.to_string()))?,
    };
    match state.store.put_ballot(&stored, MAX_CARDS_PER_ROUND).await {
        Ok(_) => {}
        Err(StoreError::TooMany) => {
            return Err(AppError::Conflict(format!(
                "This round already has {MAX_CARDS_PER_ROUND} cards, as many as it can take."
            )));
        }
        Err(StoreError::NotYours) => {
            return Err(AppError::Forbidden(
                "That card was written by someone else.".into(),
            ));
        }
        Err(e) => return Err(e.into()),
    }
    if withdrawing {
        state
            .store
            .delete_ballot(&id, &store_round(&round), &card.id)
            .await?;
    }
    let cards = live_cards(&state, &id, &round).await?;
    tracing::info!(board = %id, round = %round, cards, withdrawing, "silent card stored");
    Ok(Json(CardCount { cards }))
}

pub async fn count_cards(
    State(state): State<AppState>,
    Path((id, round)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<CardCount>, AppError> {
    grant(&state, &id, &headers, |_| true).await?;
    check_id("round id", &round)?;
    let cards = live_cards(&state, &id, &round).await?;
    Ok(Json(CardCount { cards }))
}

/// Cards waiting in a round (taken-back cards are deleted, so a count is enough: every
/// client asks for it every few seconds while people write).
async fn live_cards(state: &AppState, board: &str, round: &str) -> Result<u64, AppError> {
    Ok(state.store.ballot_count(board, &store_round(round)).await?)
}

pub async fn reveal(
    State(state): State<AppState>,
    Path((id, round)): Path<(String, String)>,
    headers: HeaderMap,
    body: Result<Json<RevealRequest>, JsonRejection>,
) -> Result<Json<Revealed>, AppError> {
    grant(&state, &id, &headers, AccessRole::can_manage).await?;
    check_id("round id", &round)?;
    let Json(req) = body?;
    let _guard = state.board_lock(&id).await?;
    let stored: Vec<SilentCard> = state
        .store
        .ballots(&id, &store_round(&round))
        .await?
        .iter()
        .filter_map(|json| serde_json::from_str::<SilentCard>(json).ok())
        .collect();
    let cards: Vec<SilentCard> = stored
        .iter()
        .filter(|c| !c.text.is_empty())
        .cloned()
        .collect();
    let at = now_ms() as f64;
    let round_id = round.clone();
    let public_only = req.public_only;
    let result = Arc::new(std::sync::Mutex::new(None));
    let out = result.clone();
    state
        .registry
        .edit(
            &id,
            Arc::new(move |board, txn| {
                let r = board.reveal_cards(txn, &round_id, &cards, public_only, at)?;
                *out.lock().expect("reveal result poisoned") = Some(r);
                Ok(())
            }),
        )
        .await
        .map_err(edit_error)?;
    let revealed = result
        .lock()
        .expect("reveal result poisoned")
        .take()
        .ok_or_else(|| AppError::Internal("the reveal did not run".into()))?;
    // Every card is on the board (durably, before the edit returned): the store's copies
    // are no longer needed. After a public-first reveal the others still wait.
    // After a public-first reveal, public members' copies go (their words now live only
    // on the board, where withdrawing reaches them).
    let forget = match revealed.state {
        SilentState::Revealed => state.store.delete_ballots(&id, &store_round(&round)).await,
        _ => {
            let mut result = Ok(());
            for c in stored
                .iter()
                .filter(|c| c.author.role == ParticipantRole::Public)
            {
                result = result.and(
                    state
                        .store
                        .delete_ballot(&id, &store_round(&round), &c.id)
                        .await,
                );
            }
            result
        }
    };
    if let Err(e) = forget {
        tracing::warn!(board = %id, round = %round, error = %e, "revealed cards not deleted");
    }
    tracing::info!(board = %id, round = %round, cards = revealed.cards, "silent cards revealed");
    Ok(Json(revealed))
}
