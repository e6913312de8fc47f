//! What an item's author, or a facilitator, asks the server to do to an item
//! (`crate::service::items`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use coboard_shared::api::items::{ConsentRequest, RemoveRequest};
use serde::Deserialize;

use super::{AppState, Body, BodyOrDefault, Contributor, Link};
use crate::error::AppError;

#[derive(Deserialize)]
pub(super) struct ItemPath {
    item: String,
}

pub(super) async fn set_consent(
    State(state): State<AppState>,
    link: Link<Contributor>,
    Path(ItemPath { item }): Path<ItemPath>,
    Body(req): Body<ConsentRequest>,
) -> Result<StatusCode, AppError> {
    (state.features.items)
        .set_consent(&link.board, &item, &req.key, req.consent)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn remove(
    State(state): State<AppState>,
    link: Link<Contributor>,
    Path(ItemPath { item }): Path<ItemPath>,
    BodyOrDefault(req): BodyOrDefault<RemoveRequest>,
) -> Result<StatusCode, AppError> {
    (state.features.items)
        .remove(&link.board, &item, link.grant.role, req.key.as_deref())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn restore(
    State(state): State<AppState>,
    link: Link<Contributor>,
    Path(ItemPath { item }): Path<ItemPath>,
    BodyOrDefault(req): BodyOrDefault<RemoveRequest>,
) -> Result<StatusCode, AppError> {
    (state.features.items)
        .restore(&link.board, &item, link.grant.role, req.key.as_deref())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
