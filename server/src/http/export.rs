//! Downloads: `GET /api/boards/{id}/export?format=pdf|html|md|json|csv&scope=agreed|all`
//! (optionally `&snapshot=`), the impact log (`/impact?format=csv|md|gripp2`), and the
//! UK Standards evidence (`/standards?format=json|md`).

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use coboard_shared::export::Scope;
use serde::Deserialize;

use super::{AppState, Link, Viewer};
use crate::error::AppError;
use crate::export::Format;
use crate::service::exports::{Download, ImpactFormat};

/// A file as an attachment that no cache keeps.
pub(super) fn download(d: Download) -> Response {
    let mut response = d.bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(d.content_type),
    );
    let disposition = format!("attachment; filename=\"{}\"", d.file_name);
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[derive(Debug, Deserialize)]
pub(super) struct ExportQuery {
    format: Option<String>,
    scope: Option<String>,
    /// Export a snapshot instead of the live board.
    snapshot: Option<String>,
}

pub(super) async fn export_board(
    State(state): State<AppState>,
    link: Link<Viewer>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let format_name = q.format.as_deref().unwrap_or("pdf");
    let format = Format::parse(format_name).ok_or_else(|| {
        AppError::BadRequest(format!(
            "Unknown format \"{format_name}\". Valid formats: pdf, html, md, json, csv."
        ))
    })?;
    let scope_name = q.scope.as_deref().unwrap_or("agreed");
    let scope = Scope::parse(scope_name).ok_or_else(|| {
        AppError::BadRequest(format!(
            "Unknown scope \"{scope_name}\". Valid scopes: agreed, all."
        ))
    })?;
    let file = (state.features.exports)
        .plan(&link.board, format, scope, q.snapshot.as_deref())
        .await?;
    Ok(download(file))
}

#[derive(Debug, Deserialize)]
pub(super) struct FormatQuery {
    format: Option<String>,
}

pub(super) async fn impact(
    State(state): State<AppState>,
    link: Link<Viewer>,
    Query(q): Query<FormatQuery>,
) -> Result<Response, AppError> {
    let name = q.format.as_deref().unwrap_or("md");
    let format = ImpactFormat::parse(name).ok_or_else(|| {
        AppError::BadRequest(format!(
            "Unknown format \"{name}\". Valid formats: csv, md, gripp2."
        ))
    })?;
    Ok(download(
        state.features.exports.impact(&link.board, format).await?,
    ))
}

/// Evidence for each of the six standards. Amounts paid are shown to facilitators only.
pub(super) async fn standards(
    State(state): State<AppState>,
    link: Link<Viewer>,
    Query(q): Query<FormatQuery>,
) -> Result<Response, AppError> {
    let amounts = link.grant.role.can_manage();
    let exports = &state.features.exports;
    match q.format.as_deref().unwrap_or("json") {
        "json" => {
            let (_, evidence) = exports.standards(&link.board, amounts).await?;
            Ok(Json(evidence).into_response())
        }
        "md" => Ok(download(
            exports.standards_markdown(&link.board, amounts).await?,
        )),
        other => Err(AppError::BadRequest(format!(
            "Unknown format \"{other}\". Valid formats: json, md."
        ))),
    }
}
