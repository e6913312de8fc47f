//! `GET /api/boards/{id}/export?format=pdf|html|md|json|csv&scope=agreed|all`, and the
//! impact log: `GET /api/boards/{id}/impact?format=csv|md|gripp2`.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use coboard_shared::export::Scope;

use super::{AppState, grant};
use crate::error::AppError;
use crate::export::{self, Format};

/// Exports typeset at the same time, server-wide.
static PDF_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

#[derive(Debug, serde::Deserialize)]
pub struct ExportQuery {
    format: Option<String>,
    scope: Option<String>,
    /// Export a snapshot instead of the live board.
    snapshot: Option<String>,
}

pub async fn export_board(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<ExportQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    grant(&state, &id, &headers, |_| true).await?;
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
    let (doc, source, taken_at) =
        super::snapshots::export_source(&state, &id, q.snapshot.as_deref()).await?;
    // Typesetting a PDF takes real CPU time (about 0.7 s for 1,000 items): keep it off the
    // async workers, and run at most a few at once so exports cannot starve the machine.
    let _slot = PDF_SLOTS
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let (plan, bytes) = tokio::task::spawn_blocking(move || {
        let plan = export::plan_from_updates(&id, [doc.as_slice()], scope, &source, taken_at)?;
        let bytes = export::render(&plan, format)?;
        Ok::<_, export::ExportError>((plan, bytes))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let disposition = format!(
        "attachment; filename=\"{}\"",
        export::file_name(&plan, format)
    );
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Debug, serde::Deserialize)]
pub struct ImpactQuery {
    format: Option<String>,
}

/// "You said, we did": the impact log (CSV or Markdown) or a draft GRIPP2 short form.
pub async fn impact(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<ImpactQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    grant(&state, &id, &headers, |_| true).await?;
    let format = q.format.unwrap_or_else(|| "md".into());
    if !matches!(format.as_str(), "csv" | "md" | "gripp2") {
        return Err(AppError::BadRequest(format!(
            "Unknown format \"{format}\". Valid formats: csv, md, gripp2."
        )));
    }
    let bytes = super::snapshots::live_state(&state, &id).await?;
    let now = crate::now_ms() as f64;
    let (body, content_type, ext) = tokio::task::spawn_blocking(move || {
        use yrs::Transact;
        let doc = super::snapshots::doc_of(&bytes).map_err(|e| e.to_string())?;
        let board = coboard_shared::schema::Board::new(&doc);
        let txn = doc.transact();
        let title = board.title(&txn).unwrap_or_default();
        let log = coboard_shared::impact::impact_log(&board, &txn, now);
        Ok::<_, String>(match format.as_str() {
            "csv" => (export::impact::csv(&log)?, "text/csv; charset=utf-8", "csv"),
            "gripp2" => {
                let g = coboard_shared::impact::Gripp2::build(&board, &txn, now);
                (
                    export::impact::gripp2(&g).into_bytes(),
                    "text/markdown; charset=utf-8",
                    "md",
                )
            }
            _ => (
                export::impact::markdown(&title, &log).into_bytes(),
                "text/markdown; charset=utf-8",
                "md",
            ),
        })
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(AppError::Internal)?;
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let name = format!("attachment; filename=\"impact.{ext}\"");
    if let Ok(v) = HeaderValue::from_str(&name) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
