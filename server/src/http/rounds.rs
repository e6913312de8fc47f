//! Sealed voting rounds (`crate::service::rounds`).

use axum::Json;
use axum::extract::{Path, State};
use coboard_shared::api::rounds::{BallotCount, BallotRequest, Closed};
use serde::Deserialize;

use super::{AppState, Body, ClientIp, Contributor, Facilitator, Link, Viewer};
use crate::error::AppError;

#[derive(Deserialize)]
pub(super) struct RoundPath {
    round: String,
}

pub(super) async fn cast_sealed_ballot(
    State(state): State<AppState>,
    link: Link<Contributor>,
    Path(RoundPath { round }): Path<RoundPath>,
    ClientIp(ip): ClientIp,
    Body(req): Body<BallotRequest>,
) -> Result<Json<BallotCount>, AppError> {
    let count = (state.features.rounds)
        .cast(&link.board, &round, req, ip)
        .await?;
    Ok(Json(count))
}

pub(super) async fn count_ballots(
    State(state): State<AppState>,
    link: Link<Viewer>,
    Path(RoundPath { round }): Path<RoundPath>,
) -> Result<Json<BallotCount>, AppError> {
    Ok(Json(
        state.features.rounds.count(&link.board, &round).await?,
    ))
}

pub(super) async fn close_round(
    State(state): State<AppState>,
    link: Link<Facilitator>,
    Path(RoundPath { round }): Path<RoundPath>,
) -> Result<Json<Closed>, AppError> {
    state.features.rounds.close(&link.board, &round).await?;
    Ok(Json(Closed { closed: true }))
}
