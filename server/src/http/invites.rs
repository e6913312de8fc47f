//! Invite links, made, listed and switched off by facilitators.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use coboard_shared::api::{CreateInvite, CreatedInvite, Invite};
use serde::Deserialize;

use super::{AppState, Body, Facilitator, Link};
use crate::error::AppError;

#[derive(Deserialize)]
pub(super) struct InvitePath {
    invite: String,
}

pub(super) async fn create_invite(
    State(state): State<AppState>,
    link: Link<Facilitator>,
    Body(req): Body<CreateInvite>,
) -> Result<(StatusCode, Json<CreatedInvite>), AppError> {
    let created = state.features.invites.create(&link.board, req).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

pub(super) async fn list_invites(
    State(state): State<AppState>,
    link: Link<Facilitator>,
) -> Result<Json<Vec<Invite>>, AppError> {
    Ok(Json(state.features.invites.list(&link.board).await?))
}

pub(super) async fn revoke_invite(
    State(state): State<AppState>,
    link: Link<Facilitator>,
    Path(InvitePath { invite }): Path<InvitePath>,
) -> Result<StatusCode, AppError> {
    state.features.invites.revoke(&link.board, &invite).await?;
    Ok(StatusCode::NO_CONTENT)
}
