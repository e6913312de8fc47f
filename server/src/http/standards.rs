//! `GET /api/boards/{id}/standards?format=json|md`: evidence for the UK Standards for
//! Public Involvement, gathered from the board and its ledger
//! (`coboard_shared::standards`). Anyone on the board may read it: it holds counts and
//! the group's own records. Money from the ledger is shown to facilitators only (with
//! one person paid, a total is that person's payment).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use coboard_shared::ledger::{Row, Totals};
use coboard_shared::standards::{self, LedgerFacts};
use serde::Deserialize;

use super::{AppState, grant};
use crate::error::AppError;
use crate::store::kind;

#[derive(Debug, Default, Deserialize)]
pub struct StandardsQuery {
    pub format: Option<String>,
}

pub async fn standards(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<StandardsQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let who = grant(&state, &id, &headers, |_| true).await?;
    let format = q.format.unwrap_or_else(|| "json".into());
    if !matches!(format.as_str(), "json" | "md") {
        return Err(AppError::BadRequest(format!(
            "Unknown format \"{format}\". Valid formats: json, md."
        )));
    }
    let rows: Vec<Row> = super::ledger::read(&state, &id, kind::LEDGER_ROW).await?;
    let totals = Totals::of(&rows);
    let mut people: Vec<&str> = rows.iter().map(|r| r.person.as_str()).collect();
    people.sort_unstable();
    people.dedup();
    let facts = LedgerFacts {
        rows: rows.len(),
        people: people.len(),
        amounts: who
            .role
            .can_manage()
            .then_some((totals.payable_pence, totals.expenses_pence)),
    };
    let bytes = super::snapshots::live_state(&state, &id).await?;
    let now = crate::now_ms() as f64;
    let (title, evidence) = tokio::task::spawn_blocking(move || {
        use yrs::Transact;
        let doc = super::snapshots::doc_of(&bytes).map_err(|e| e.to_string())?;
        let board = coboard_shared::schema::Board::new(&doc);
        let txn = doc.transact();
        Ok::<_, String>((
            board.title(&txn).unwrap_or_default(),
            standards::gather(&board, &txn, now, &facts),
        ))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(AppError::Internal)?;
    if format == "json" {
        return Ok(Json(evidence).into_response());
    }
    let mut response = crate::export::standards::markdown(&title, &evidence).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/markdown; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"standards-evidence.md\""),
    );
    Ok(response)
}
