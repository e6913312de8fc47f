//! Handing the facilitator role over (`crate::service::handover`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use coboard_shared::api::CreatedInvite;
use coboard_shared::api::handover::{AcceptRequest, OfferRequest};

use super::{AppState, Body, Facilitator, Link, Viewer};
use crate::error::AppError;

pub(super) async fn offer(
    State(state): State<AppState>,
    link: Link<Facilitator>,
    Body(req): Body<OfferRequest>,
) -> Result<StatusCode, AppError> {
    state.features.handover.offer(&link.board, req).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Any link may accept: the offer names a person, who proves it is them with their key.
pub(super) async fn accept(
    State(state): State<AppState>,
    link: Link<Viewer>,
    Body(req): Body<AcceptRequest>,
) -> Result<(StatusCode, Json<CreatedInvite>), AppError> {
    let created = state.features.handover.accept(&link.board, req).await?;
    Ok((StatusCode::CREATED, Json(created)))
}
