//! What an item's author, or a facilitator, asks the server to do to an item
//! (`crate::service::items`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use coboard_shared::api::items::{ConsentRequest, RemoveRequest};
use serde::Deserialize;

use super::{AppState, Body, BodyOrDefault, Contributor, Link};
use crate::error::AppError;

/// An item's place in a path: `/api/boards/{id}/items/{item}/...`.
#[derive(Deserialize)]
pub(super) struct ItemPath {
    pub(super) item: String,
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
    state: State<AppState>,
    link: Link<Contributor>,
    item: Path<ItemPath>,
    body: BodyOrDefault<RemoveRequest>,
) -> Result<StatusCode, AppError> {
    bin(state, link, item, body, true).await
}

pub(super) async fn restore(
    state: State<AppState>,
    link: Link<Contributor>,
    item: Path<ItemPath>,
    body: BodyOrDefault<RemoveRequest>,
) -> Result<StatusCode, AppError> {
    bin(state, link, item, body, false).await
}

/// Into the bin (`into`) or out of it.
async fn bin(
    State(state): State<AppState>,
    link: Link<Contributor>,
    Path(ItemPath { item }): Path<ItemPath>,
    BodyOrDefault(req): BodyOrDefault<RemoveRequest>,
    into: bool,
) -> Result<StatusCode, AppError> {
    let (items, key) = (&state.features.items, req.key.as_deref());
    match into {
        true => {
            items
                .remove(&link.board, &item, link.grant.role, key)
                .await?
        }
        false => {
            items
                .restore(&link.board, &item, link.grant.role, key)
                .await?
        }
    }
    Ok(StatusCode::NO_CONTENT)
}
