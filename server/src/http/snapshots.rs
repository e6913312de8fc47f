//! Named snapshots of a board (`crate::service::snapshots`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use coboard_shared::api::{CreateSnapshot, CreatedBoard, RestoreSnapshot, SnapshotInfo};
use coboard_shared::history::Changes;
use serde::Deserialize;

use super::{AppState, Body, BodyOrDefault, ClientIp, Contributor, Facilitator, Link, Viewer};
use crate::error::AppError;

#[derive(Deserialize)]
pub(super) struct SnapshotPath {
    snapshot: String,
}

pub(super) async fn create(
    State(state): State<AppState>,
    link: Link<Contributor>,
    ClientIp(ip): ClientIp,
    Body(req): Body<CreateSnapshot>,
) -> Result<(StatusCode, Json<SnapshotInfo>), AppError> {
    let info = (state.features.snapshots)
        .create(&link.board, &req.name, ip)
        .await?;
    Ok((StatusCode::CREATED, Json(info)))
}

pub(super) async fn list(
    State(state): State<AppState>,
    link: Link<Viewer>,
) -> Result<Json<Vec<SnapshotInfo>>, AppError> {
    Ok(Json(state.features.snapshots.list(&link.board).await?))
}

/// The snapshot's whole state, as one Yjs (v1) update.
pub(super) async fn read(
    State(state): State<AppState>,
    link: Link<Viewer>,
    Path(SnapshotPath { snapshot }): Path<SnapshotPath>,
) -> Result<Response, AppError> {
    let (_, bytes) = state
        .features
        .snapshots
        .read(&link.board, &snapshot)
        .await?;
    let mut response = bytes.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    Ok(response)
}

pub(super) async fn changes(
    State(state): State<AppState>,
    link: Link<Viewer>,
    Path(SnapshotPath { snapshot }): Path<SnapshotPath>,
    ClientIp(ip): ClientIp,
) -> Result<Json<Changes>, AppError> {
    let changes = (state.features.snapshots)
        .changes(&link.board, &snapshot, ip)
        .await?;
    Ok(Json(changes))
}

pub(super) async fn restore(
    State(state): State<AppState>,
    link: Link<Facilitator>,
    Path(SnapshotPath { snapshot }): Path<SnapshotPath>,
    ClientIp(ip): ClientIp,
    BodyOrDefault(req): BodyOrDefault<RestoreSnapshot>,
) -> Result<(StatusCode, Json<CreatedBoard>), AppError> {
    let created = (state.features.snapshots)
        .restore(&link.board, &snapshot, req.title, ip)
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}
