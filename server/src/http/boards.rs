//! Boards: creating one from a template, its details and who is on it, and the
//! templates and glossary a client offers.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use coboard_shared::api::{BoardAccess, CreateBoard, CreatedBoard, Presence};
use coboard_shared::templates;

use super::{AppState, Body, ClientIp, Link, Viewer};
use crate::error::AppError;

pub(super) async fn list_templates() -> Json<&'static [templates::Template]> {
    Json(templates::all())
}

pub(super) async fn glossary() -> Json<&'static [templates::Term]> {
    Json(templates::GLOSSARY)
}

/// `POST /api/boards`: anyone may create a board.
pub(super) async fn create_board(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Body(req): Body<CreateBoard>,
) -> Result<(StatusCode, Json<CreatedBoard>), AppError> {
    let created = state.features.boards.create(req, ip).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

pub(super) async fn presence(
    State(state): State<AppState>,
    link: Link<Viewer>,
) -> Result<Json<Presence>, AppError> {
    Ok(Json(state.features.boards.presence(&link.board).await?))
}

pub(super) async fn board_info(
    State(state): State<AppState>,
    link: Link<Viewer>,
) -> Result<Json<BoardAccess>, AppError> {
    Ok(Json(BoardAccess {
        board: state.features.boards.info(&link.board).await?,
        role: link.grant.role,
    }))
}
