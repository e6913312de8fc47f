//! Sealed voting rounds: ballots the board's document must not see until the round closes.
//!
//! In an open round people write their dots straight into the board. In a sealed round
//! that would show everyone's votes to every client (anyone can read the document), so
//! ballots come here instead and wait in the store. When a facilitator closes the round,
//! the server writes every ballot into the board in one edit and marks the round closed
//! (`Board::publish_ballots`); from then on everyone's tally includes them.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use coboard_shared::api::AccessRole;
use coboard_shared::schema::{Ballot, ParticipantRole, SchemaError};
use serde::{Deserialize, Serialize};

use super::{AppState, ClientIp, grant, now_ms};
use crate::auth;
use crate::board::{BoardError, EditError};
use crate::error::AppError;
use crate::store::StoredBallot;

/// Sealed ballots accepted per IP address per minute: plenty for a room of people behind
/// one address moving their dots, and a bound on the board copies a flood could cause.
pub const BALLOTS_PER_MINUTE_PER_IP: u32 = 600;

/// Most sealed ballots one round keeps: a bound on the store, and on the one update that
/// publishes them when the round closes.
pub const MAX_BALLOTS_PER_ROUND: u64 = 1000;

/// Most items one ballot may name.
const MAX_BALLOT_ITEMS: usize = 200;
/// Longest id (voter, item, round) accepted.
const MAX_ID_CHARS: usize = 64;

/// `POST /api/boards/{id}/rounds/{round}/ballot`
/// (A `voter` field, which older clients send, is ignored: the server names the voter
/// by their key.)
#[derive(Debug, Deserialize)]
pub struct BallotRequest {
    /// A secret only the voter's browser knows; needed to change the ballot later.
    pub key: String,
    #[serde(default)]
    pub name: String,
    pub role: ParticipantRole,
    pub dots: BTreeMap<String, u32>,
}

/// How many ballots a sealed round has (never whose, nor what they say).
#[derive(Debug, Serialize, Deserialize)]
pub struct BallotCount {
    pub ballots: u64,
    /// After casting: the voter id the ballot is kept under (derived from the key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voter: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Closed {
    pub closed: bool,
}

pub(super) fn check_id(what: &str, id: &str) -> Result<(), AppError> {
    // ':' is kept for the store's own keys ("silent:<round>").
    if id.is_empty() || id.chars().count() > MAX_ID_CHARS || id.contains(['/', ':']) {
        return Err(AppError::BadRequest(format!(
            "The {what} must be 1 to {MAX_ID_CHARS} characters, without '/' or ':'."
        )));
    }
    Ok(())
}

pub(super) fn edit_error(e: EditError) -> AppError {
    match e {
        EditError::Refused(SchemaError::NoSuchRound(_)) => {
            AppError::NotFound("No round with that id.")
        }
        EditError::Refused(SchemaError::RoundClosed) => {
            AppError::Conflict("This round has closed.".into())
        }
        EditError::Refused(e) => AppError::BadRequest(e.to_string()),
        EditError::Board(BoardError::NotFound) => AppError::NotFound("No board with that id."),
        EditError::Board(e) => AppError::Internal(e.to_string()),
    }
}

pub async fn cast_sealed_ballot(
    State(state): State<AppState>,
    Path((id, round)): Path<(String, String)>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Result<Json<BallotRequest>, JsonRejection>,
) -> Result<Json<BallotCount>, AppError> {
    grant(&state, &id, &headers, AccessRole::can_edit).await?;
    if !state.ballot_rate.allow(ip) {
        return Err(AppError::TooManyRequests(
            "Too many votes from this address; please wait a moment.",
        ));
    }
    let Json(req) = body?;
    check_id("round id", &round)?;
    super::check_key("ballot key", &req.key)?;
    if req.dots.len() > MAX_BALLOT_ITEMS {
        return Err(AppError::BadRequest(format!(
            "A ballot can name at most {MAX_BALLOT_ITEMS} items."
        )));
    }
    for item in req.dots.keys() {
        check_id("item id", item)?;
    }
    // The voter is named by their secret key, not by anything public: nobody can cast
    // (or block) a sealed ballot in someone else's name, and an anonymous voter's
    // ballot cannot be linked to their named contributions.
    let key_hash = auth::hash_token(&req.key);
    let ballot = Ballot {
        round: round.clone(),
        voter: hex::encode(&key_hash[..8]),
        name: req.name.chars().take(100).collect(),
        role: req.role,
        at: now_ms() as f64,
        dots: req.dots.into_iter().filter(|(_, n)| *n > 0).collect(),
    };
    let _guard = state.board_lock(&id).await?;
    // Checked against the live board (read-only, no copy): the round exists, is sealed
    // and open, and the ballot is within its budget.
    let check = ballot.clone();
    state
        .registry
        .check(
            &id,
            Arc::new(move |board, txn| {
                let round = board.check_ballot(txn, &check)?;
                if !round.sealed {
                    return Err(SchemaError::Invalid(
                        "This round is not sealed: votes go straight onto the board.".into(),
                    ));
                }
                Ok(())
            }),
        )
        .await
        .map_err(edit_error)?;
    let stored = StoredBallot {
        board_id: id.clone(),
        round: round.clone(),
        voter: ballot.voter.clone(),
        key_hash,
        ballot: serde_json::to_string(&ballot).map_err(|e| AppError::Internal(e.to_string()))?,
    };
    let ballots = state
        .store
        .put_ballot(&stored, MAX_BALLOTS_PER_ROUND)
        .await
        .map_err(|e| match e {
            crate::store::StoreError::TooMany => AppError::Conflict(format!(
                "This round already has {MAX_BALLOTS_PER_ROUND} ballots, as many as it can take."
            )),
            e => e.into(),
        })?;
    tracing::info!(board = %id, round = %round, ballots, "sealed ballot stored");
    Ok(Json(BallotCount {
        ballots,
        voter: Some(stored.voter),
    }))
}

pub async fn count_ballots(
    State(state): State<AppState>,
    Path((id, round)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<BallotCount>, AppError> {
    grant(&state, &id, &headers, |_| true).await?;
    check_id("round id", &round)?;
    let ballots = state.store.ballot_count(&id, &round).await?;
    Ok(Json(BallotCount {
        ballots,
        voter: None,
    }))
}

pub async fn close_round(
    State(state): State<AppState>,
    Path((id, round)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<Closed>, AppError> {
    grant(&state, &id, &headers, AccessRole::can_manage).await?;
    check_id("round id", &round)?;
    let _guard = state.board_lock(&id).await?;
    let ballots: Vec<Ballot> = state
        .store
        .ballots(&id, &round)
        .await?
        .iter()
        .filter_map(|json| serde_json::from_str(json).ok())
        .collect();
    let at = now_ms() as f64;
    let round_id = round.clone();
    state
        .registry
        .edit(
            &id,
            Arc::new(move |board, txn| {
                let r = board.round(txn, &round_id)?;
                if r.state == coboard_shared::schema::RoundState::Closed {
                    return Err(SchemaError::RoundClosed);
                }
                if r.sealed {
                    board.publish_ballots(txn, &round_id, &ballots, at)
                } else {
                    board.close_round(txn, &round_id, at)
                }
            }),
        )
        .await
        .map_err(edit_error)?;
    // Published into the board (durably, before the edit returned): the store's copies
    // are no longer needed.
    if let Err(e) = state.store.delete_ballots(&id, &round).await {
        tracing::warn!(board = %id, round = %round, error = %e, "published ballots not deleted");
    }
    tracing::info!(board = %id, round = %round, "round closed");
    Ok(Json(Closed { closed: true }))
}
