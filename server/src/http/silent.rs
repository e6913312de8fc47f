//! Silent rounds (`crate::service::silent`).

use axum::Json;
use axum::extract::{Path, State};
use coboard_shared::api::silent::{CardCount, CardRequest, RevealRequest};
use coboard_shared::schema::Revealed;
use serde::Deserialize;

use super::{AppState, Body, ClientIp, Contributor, Facilitator, Link, Viewer};
use crate::error::AppError;

#[derive(Deserialize)]
pub(super) struct RoundPath {
    round: String,
}

pub(super) async fn put_card(
    State(state): State<AppState>,
    link: Link<Contributor>,
    Path(RoundPath { round }): Path<RoundPath>,
    ClientIp(ip): ClientIp,
    Body(req): Body<CardRequest>,
) -> Result<Json<CardCount>, AppError> {
    let count = (state.features.silent)
        .put_card(&link.board, &round, req, ip)
        .await?;
    Ok(Json(count))
}

pub(super) async fn count_cards(
    State(state): State<AppState>,
    link: Link<Viewer>,
    Path(RoundPath { round }): Path<RoundPath>,
) -> Result<Json<CardCount>, AppError> {
    Ok(Json(
        state.features.silent.count(&link.board, &round).await?,
    ))
}

pub(super) async fn reveal(
    State(state): State<AppState>,
    link: Link<Facilitator>,
    Path(RoundPath { round }): Path<RoundPath>,
    Body(req): Body<RevealRequest>,
) -> Result<Json<Revealed>, AppError> {
    let revealed = (state.features.silent)
        .reveal(&link.board, &round, req.public_only)
        .await?;
    Ok(Json(revealed))
}
