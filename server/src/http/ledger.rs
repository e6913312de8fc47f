//! The contribution ledger over HTTP (`coboard_shared::ledger` holds its rules).
//!
//! Facilitators keep the ledger: rate table versions, one row per person per piece of
//! work, a CSV for a finance team. A contributor downloads their own statement by
//! proving they hold the secret behind their per-board person id. Rows and rates are
//! records outside the board's document, so no client ever receives them by syncing.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use coboard_shared::api::AccessRole;
use coboard_shared::ledger::{self, Choice, LedgerError, PayStatus, Rate, RateTable, Row, Totals};
use coboard_shared::schema::{author_key_hash, is_key_hash};
use serde::{Deserialize, Serialize};

use super::{AppState, grant, now_ms};
use crate::error::AppError;
use crate::store::kind;

/// `POST /api/boards/{id}/ledger/rates`: a new version of the rate table.
#[derive(Debug, Deserialize)]
pub struct NewRates {
    #[serde(default)]
    pub basis: String,
    pub rates: Vec<Rate>,
}

/// `POST /api/boards/{id}/ledger`: a new row. Without `session_minutes`, the minutes
/// come from presence: how long the person was connected on that date.
#[derive(Debug, Deserialize)]
pub struct NewRow {
    pub person: String,
    #[serde(default)]
    pub person_id: String,
    pub date: String,
    pub task: String,
    #[serde(default)]
    pub prep_minutes: u32,
    #[serde(default)]
    pub session_minutes: Option<u32>,
    pub rate_id: String,
    #[serde(default)]
    pub choice: Choice,
    #[serde(default)]
    pub reduced_pence: u64,
    #[serde(default)]
    pub expenses_pence: u64,
    #[serde(default)]
    pub receipt: bool,
}

/// `PATCH /api/boards/{id}/ledger/{row}`: what may change on a row. Its rate never does.
#[derive(Debug, Default, Deserialize)]
pub struct RowChange {
    pub task: Option<String>,
    pub prep_minutes: Option<u32>,
    /// A correction by hand: the row no longer says its minutes came from presence.
    pub session_minutes: Option<u32>,
    pub choice: Option<Choice>,
    pub reduced_pence: Option<u64>,
    pub expenses_pence: Option<u64>,
    pub receipt: Option<bool>,
    pub status: Option<PayStatus>,
    pub paid_on: Option<String>,
}

/// A row with its amounts worked out.
#[derive(Debug, Serialize)]
pub struct RowView {
    #[serde(flatten)]
    pub row: Row,
    pub offered_pence: u64,
    pub payable_pence: u64,
    pub voucher_pence: u64,
}

impl From<Row> for RowView {
    fn from(row: Row) -> Self {
        Self {
            offered_pence: row.offered_pence(),
            payable_pence: row.payable_pence(),
            voucher_pence: row.voucher_pence(),
            row,
        }
    }
}

/// `GET /api/boards/{id}/ledger`
#[derive(Debug, Serialize)]
pub struct Ledger {
    pub rows: Vec<RowView>,
    pub totals: Totals,
    /// The rate table new rows use (the latest version), if there is one.
    pub rates: Option<RateTable>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Period {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// `POST /api/boards/{id}/ledger/statement`
#[derive(Debug, Deserialize)]
pub struct StatementRequest {
    /// The secret behind the person id rows are recorded under.
    pub key: String,
}

fn invalid(e: LedgerError) -> AppError {
    AppError::BadRequest(e.to_string())
}

fn check_period(p: &Period) -> Result<(), AppError> {
    for d in [&p.from, &p.to].into_iter().flatten() {
        if !ledger::is_date(d) {
            return Err(AppError::BadRequest(
                "Dates in from and to must be YYYY-MM-DD.".into(),
            ));
        }
    }
    Ok(())
}

pub(super) async fn read<T: serde::de::DeserializeOwned>(
    state: &AppState,
    board: &str,
    kind: &str,
) -> Result<Vec<T>, AppError> {
    read_prefix(state, board, kind, "").await
}

/// Records whose ids start with `prefix`.
pub(super) async fn read_prefix<T: serde::de::DeserializeOwned>(
    state: &AppState,
    board: &str,
    kind: &str,
    prefix: &str,
) -> Result<Vec<T>, AppError> {
    let records = state.store.records(board, kind, prefix).await?;
    records
        .iter()
        .map(|(id, body)| {
            serde_json::from_str(body)
                .map_err(|e| AppError::Internal(format!("record {kind}/{id} unreadable: {e}")))
        })
        .collect()
}

async fn latest_rates(state: &AppState, board: &str) -> Result<Option<RateTable>, AppError> {
    let mut tables: Vec<RateTable> = read(state, board, kind::RATES).await?;
    tables.sort_by_key(|t| t.version);
    Ok(tables.pop())
}

async fn save_row(state: &AppState, board: &str, row: &Row) -> Result<(), AppError> {
    let body = serde_json::to_string(row).map_err(|e| AppError::Internal(e.to_string()))?;
    state
        .store
        .put_record(board, kind::LEDGER_ROW, &row.id, &body, true)
        .await?;
    Ok(())
}

pub async fn list_rates(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Vec<RateTable>>, AppError> {
    grant(&state, &id, &headers, AccessRole::can_manage).await?;
    let mut tables: Vec<RateTable> = read(&state, &id, kind::RATES).await?;
    tables.sort_by_key(|t| t.version);
    Ok(Json(tables))
}

pub async fn add_rates(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<NewRates>, JsonRejection>,
) -> Result<(StatusCode, Json<RateTable>), AppError> {
    grant(&state, &id, &headers, AccessRole::can_manage).await?;
    let Json(req) = body?;
    let _guard = state.board_lock(&id).await?;
    let version = latest_rates(&state, &id)
        .await?
        .map_or(1, |t| t.version + 1);
    let table = RateTable {
        version,
        basis: req.basis.trim().to_owned(),
        rates: req.rates,
        created_at: now_ms(),
    };
    table.check().map_err(invalid)?;
    let body = serde_json::to_string(&table).map_err(|e| AppError::Internal(e.to_string()))?;
    // Never `replace`: a version, once made, is what past rows were offered at.
    state
        .store
        .put_record(&id, kind::RATES, &format!("{version:06}"), &body, false)
        .await?;
    tracing::info!(board = %id, version, "rate table version added");
    Ok((StatusCode::CREATED, Json(table)))
}

pub async fn list(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(period): Query<Period>,
    headers: HeaderMap,
) -> Result<Json<Ledger>, AppError> {
    grant(&state, &id, &headers, AccessRole::can_manage).await?;
    check_period(&period)?;
    let rows: Vec<Row> = read(&state, &id, kind::LEDGER_ROW).await?;
    let chosen = ledger::in_period(&rows, period.from.as_deref(), period.to.as_deref());
    Ok(Json(Ledger {
        totals: Totals::of(chosen.iter().copied()),
        rows: chosen.into_iter().cloned().map(RowView::from).collect(),
        rates: latest_rates(&state, &id).await?,
    }))
}

pub async fn add_row(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<NewRow>, JsonRejection>,
) -> Result<(StatusCode, Json<RowView>), AppError> {
    grant(&state, &id, &headers, AccessRole::can_manage).await?;
    let Json(req) = body?;
    if !(req.person_id.is_empty() || is_key_hash(&req.person_id)) {
        return Err(AppError::BadRequest(
            "The person id must be 64 hexadecimal digits.".into(),
        ));
    }
    let Some(table) = latest_rates(&state, &id).await? else {
        return Err(AppError::Conflict(
            "Set up a rate table before recording payments.".into(),
        ));
    };
    let Some(rate) = table.rate(&req.rate_id) else {
        return Err(AppError::BadRequest(format!(
            "No rate \"{}\" in rate table version {}.",
            req.rate_id, table.version
        )));
    };
    let (session_minutes, from_presence) = match req.session_minutes {
        Some(m) => (m, false),
        None => {
            let records = super::attendance::around(&state, &id, &req.date).await?;
            (
                ledger::minutes_on(&records, &req.date, &req.person_id, &req.person),
                true,
            )
        }
    };
    let now = now_ms();
    let row = Row {
        id: hex::encode(rand::random::<[u8; 8]>()),
        person: req.person.trim().to_owned(),
        person_id: req.person_id,
        date: req.date,
        task: req.task.trim().to_owned(),
        prep_minutes: req.prep_minutes,
        session_minutes,
        minutes_from_presence: from_presence,
        rate_version: table.version,
        rate_id: rate.id.clone(),
        rate_label: rate.label.clone(),
        pence_per_hour: rate.pence_per_hour,
        choice: req.choice,
        reduced_pence: req.reduced_pence,
        expenses_pence: req.expenses_pence,
        receipt: req.receipt,
        status: PayStatus::Recorded,
        paid_on: None,
        created_at: now,
        updated_at: now,
    };
    row.check().map_err(invalid)?;
    save_row(&state, &id, &row).await?;
    tracing::info!(board = %id, row = %row.id, "ledger row added");
    Ok((StatusCode::CREATED, Json(row.into())))
}

pub async fn change_row(
    State(state): State<AppState>,
    Path((id, row_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Result<Json<RowChange>, JsonRejection>,
) -> Result<Json<RowView>, AppError> {
    grant(&state, &id, &headers, AccessRole::can_manage).await?;
    let Json(c) = body?;
    let _guard = state.board_lock(&id).await?;
    let rows: Vec<Row> = read(&state, &id, kind::LEDGER_ROW).await?;
    let Some(mut row) = rows.into_iter().find(|r| r.id == row_id) else {
        return Err(AppError::NotFound("No ledger row with that id."));
    };
    if let Some(t) = c.task {
        row.task = t.trim().to_owned();
    }
    if let Some(m) = c.prep_minutes {
        row.prep_minutes = m;
    }
    if let Some(m) = c.session_minutes {
        row.session_minutes = m;
        row.minutes_from_presence = false;
    }
    if let Some(ch) = c.choice {
        row.choice = ch;
    }
    if let Some(p) = c.reduced_pence {
        row.reduced_pence = p;
    }
    if let Some(p) = c.expenses_pence {
        row.expenses_pence = p;
    }
    if let Some(r) = c.receipt {
        row.receipt = r;
    }
    if let Some(s) = c.status {
        row.status = s;
    }
    if c.paid_on.is_some() {
        row.paid_on = c.paid_on.filter(|d| !d.is_empty());
    }
    row.updated_at = now_ms();
    row.check().map_err(invalid)?;
    save_row(&state, &id, &row).await?;
    Ok(Json(row.into()))
}

fn csv_download(body: Vec<u8>, name: &str) -> Response {
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub async fn export(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(period): Query<Period>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    grant(&state, &id, &headers, AccessRole::can_manage).await?;
    check_period(&period)?;
    let rows: Vec<Row> = read(&state, &id, kind::LEDGER_ROW).await?;
    let chosen = ledger::in_period(&rows, period.from.as_deref(), period.to.as_deref());
    let body = crate::export::ledger::csv(&chosen).map_err(AppError::Internal)?;
    let name = format!(
        "ledger-{}-to-{}.csv",
        period.from.as_deref().unwrap_or("start"),
        period.to.as_deref().unwrap_or("now")
    );
    Ok(csv_download(body, &name))
}

pub async fn statement(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<StatementRequest>, JsonRejection>,
) -> Result<Response, AppError> {
    grant(&state, &id, &headers, |_| true).await?;
    let Json(req) = body?;
    super::check_key("key", &req.key)?;
    let person = author_key_hash(&req.key);
    let rows: Vec<Row> = read(&state, &id, kind::LEDGER_ROW).await?;
    let mine: Vec<Row> = rows.into_iter().filter(|r| r.person_id == person).collect();
    let chosen = ledger::in_period(&mine, None, None);
    let body = crate::export::ledger::csv(&chosen).map_err(AppError::Internal)?;
    Ok(csv_download(body, "my-contributions.csv"))
}
