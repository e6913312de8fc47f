//! The contribution ledger and attendance (`crate::service::ledger`). Facilitators keep
//! the ledger; anyone downloads their own statement with their person key.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use coboard_shared::api::ledger::{
    AttendanceQuery, Attended, Ledger, NewRates, NewRow, Period, RowChange, RowView,
    StatementRequest,
};
use coboard_shared::ledger::RateTable;
use serde::Deserialize;

use super::export::download;
use super::{AppState, Body, Facilitator, Link, Viewer};
use crate::error::AppError;
use crate::service::exports::Download;

#[derive(Deserialize)]
pub(super) struct RowPath {
    row: String,
}

pub(super) async fn list_rates(
    State(state): State<AppState>,
    link: Link<Facilitator>,
) -> Result<Json<Vec<RateTable>>, AppError> {
    Ok(Json(state.features.ledger.rate_tables(&link.board).await?))
}

pub(super) async fn add_rates(
    State(state): State<AppState>,
    link: Link<Facilitator>,
    Body(req): Body<NewRates>,
) -> Result<(StatusCode, Json<RateTable>), AppError> {
    let table = state.features.ledger.add_rates(&link.board, req).await?;
    Ok((StatusCode::CREATED, Json(table)))
}

pub(super) async fn list(
    State(state): State<AppState>,
    link: Link<Facilitator>,
    Query(period): Query<Period>,
) -> Result<Json<Ledger>, AppError> {
    Ok(Json(
        state.features.ledger.ledger(&link.board, period).await?,
    ))
}

pub(super) async fn add_row(
    State(state): State<AppState>,
    link: Link<Facilitator>,
    Body(req): Body<NewRow>,
) -> Result<(StatusCode, Json<RowView>), AppError> {
    let row = state.features.ledger.add_row(&link.board, req).await?;
    Ok((StatusCode::CREATED, Json(row)))
}

pub(super) async fn change_row(
    State(state): State<AppState>,
    link: Link<Facilitator>,
    Path(RowPath { row }): Path<RowPath>,
    Body(change): Body<RowChange>,
) -> Result<Json<RowView>, AppError> {
    let row = (state.features.ledger)
        .change_row(&link.board, &row, change)
        .await?;
    Ok(Json(row))
}

/// The CSV for a finance team.
pub(super) async fn export(
    State(state): State<AppState>,
    link: Link<Facilitator>,
    Query(period): Query<Period>,
) -> Result<Response, AppError> {
    let (bytes, file_name) = state.features.ledger.csv(&link.board, period).await?;
    Ok(download(Download {
        bytes,
        content_type: "text/csv; charset=utf-8",
        file_name,
    }))
}

/// A person's own rows, for whoever proves they hold the person's key.
pub(super) async fn statement(
    State(state): State<AppState>,
    link: Link<Viewer>,
    Body(req): Body<StatementRequest>,
) -> Result<Response, AppError> {
    let bytes = state
        .features
        .ledger
        .statement(&link.board, &req.key)
        .await?;
    Ok(download(Download {
        bytes,
        content_type: "text/csv; charset=utf-8",
        file_name: "my-contributions.csv".into(),
    }))
}

pub(super) async fn attendance(
    State(state): State<AppState>,
    link: Link<Facilitator>,
    Query(q): Query<AttendanceQuery>,
) -> Result<Json<Vec<Attended>>, AppError> {
    Ok(Json(
        state
            .features
            .ledger
            .attendance(&link.board, &q.date)
            .await?,
    ))
}
