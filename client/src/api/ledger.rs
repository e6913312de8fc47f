//! Calls about the contribution ledger and the UK Standards evidence: read the ledger, add
//! a rate table version or a row, change a row's status, ask presence how long someone
//! was on the board, and download the finance CSV, a person's own statement or the
//! evidence as Markdown. Failures come back as sentences to show.
//!
//! The ledger lives on the server outside the board's document (nobody else's business
//! what a person was paid), so it is fetched here rather than synced.

use coboard_shared::ledger::{Choice, PayStatus, Rate, RateTable, Row, Totals};
use coboard_shared::standards::Evidence;
use serde::{Deserialize, Serialize};

use super::{garbled, snapshot_call};

/// `GET /ledger`: the rows (each keeps the rate it was offered at), their totals, and
/// the rate table new rows use.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Ledger {
    pub rows: Vec<Row>,
    pub totals: Totals,
    pub rates: Option<RateTable>,
}

/// A new version of the rate table.
#[derive(Debug, Clone, Serialize)]
pub struct NewRates {
    pub basis: String,
    pub rates: Vec<Rate>,
}

/// A new row. `session_minutes: None` lets the server take them from presence.
#[derive(Debug, Clone, Serialize)]
pub struct NewRow {
    pub person: String,
    pub person_id: String,
    pub date: String,
    pub task: String,
    pub prep_minutes: u32,
    pub session_minutes: Option<u32>,
    pub rate_id: String,
    pub choice: Choice,
    pub reduced_pence: u64,
    pub expenses_pence: u64,
    pub receipt: bool,
}

/// A change of a row's status (and, once paid, the date it was paid).
#[derive(Debug, Clone, Serialize)]
pub struct StatusChange {
    pub status: PayStatus,
    /// `Some("")` clears the date when a row goes back from paid.
    pub paid_on: Option<String>,
}

/// Time one named person was connected on a date, from presence.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Attended {
    pub name: String,
    /// Their per-board person id ("" if their browser did not publish one).
    pub person: String,
    pub minutes: u32,
    /// The roles of the links their connections used that day, as the server checked
    /// them (the name is what their browser said).
    #[serde(default)]
    pub roles: Vec<coboard_shared::api::AccessRole>,
}

fn base(board: &str) -> String {
    format!("/api/boards/{board}/ledger")
}

fn body(value: &impl Serialize) -> Result<String, String> {
    serde_json::to_string(value).map_err(|_| garbled().to_owned())
}

/// The ledger, all dates.
pub async fn ledger(board: &str, token: &str) -> Result<Ledger, String> {
    snapshot_call(
        "GET",
        &base(board),
        token,
        None,
        "The ledger could not be opened",
    )
    .await
}

/// Saves a new rate table version; earlier versions and the rows made with them stay.
pub async fn add_rates(board: &str, token: &str, rates: &NewRates) -> Result<RateTable, String> {
    let path = format!("{}/rates", base(board));
    snapshot_call(
        "POST",
        &path,
        token,
        Some(body(rates)?),
        "The rate table could not be saved",
    )
    .await
}

/// Adds a row at the latest rate table's rate.
pub async fn add_row(board: &str, token: &str, row: &NewRow) -> Result<Row, String> {
    snapshot_call(
        "POST",
        &base(board),
        token,
        Some(body(row)?),
        "The row could not be added",
    )
    .await
}

/// Changes a row's status.
pub async fn set_status(
    board: &str,
    token: &str,
    row: &str,
    change: &StatusChange,
) -> Result<Row, String> {
    let path = format!("{}/{row}", base(board));
    snapshot_call(
        "PATCH",
        &path,
        token,
        Some(body(change)?),
        "The status could not be changed",
    )
    .await
}

/// Everyone with a name who was on the board on `date` (UTC), and for how long.
pub async fn attendance(board: &str, token: &str, date: &str) -> Result<Vec<Attended>, String> {
    let date = js_sys::encode_uri_component(date)
        .as_string()
        .unwrap_or_default();
    let path = format!("{}/attendance?date={date}", base(board));
    snapshot_call(
        "GET",
        &path,
        token,
        None,
        "The time on the board could not be looked up",
    )
    .await
}

/// Evidence for each of the six UK Standards for Public Involvement.
pub async fn standards(board: &str, token: &str) -> Result<Vec<Evidence>, String> {
    let path = format!("/api/boards/{board}/standards");
    snapshot_call(
        "GET",
        &path,
        token,
        None,
        "The evidence could not be gathered",
    )
    .await
}

/// Downloads the evidence as Markdown; answers the file name.
pub async fn download_standards(board: &str, token: &str) -> Result<String, String> {
    let path = format!("/api/boards/{board}/standards?format=md");
    let what = "The evidence could not be downloaded";
    let resp = super::get_file(&path, token, what).await?;
    crate::download::save(resp, "standards-evidence.md", what).await
}

/// Downloads the CSV for a finance team, for rows dated `from..=to` (either may be "").
pub async fn export(board: &str, token: &str, from: &str, to: &str) -> Result<String, String> {
    let mut query = Vec::new();
    for (key, value) in [("from", from), ("to", to)] {
        if !value.is_empty() {
            let v = js_sys::encode_uri_component(value)
                .as_string()
                .unwrap_or_default();
            query.push(format!("{key}={v}"));
        }
    }
    let mut path = format!("{}/export", base(board));
    if !query.is_empty() {
        path = format!("{path}?{}", query.join("&"));
    }
    let what = "The spreadsheet could not be made";
    let resp = super::get_file(&path, token, what).await?;
    crate::download::save(resp, "ledger.csv", what).await
}

#[derive(Serialize)]
struct StatementRequest<'a> {
    key: &'a str,
}

/// Downloads my own statement, proving who I am with my per-board person key.
pub async fn statement(board: &str, token: &str, key: &str) -> Result<String, String> {
    let path = format!("{}/statement", base(board));
    let what = "Your statement could not be made";
    let request = body(&StatementRequest { key })?;
    let resp = super::fetch_file("POST", &path, token, Some(request), what).await?;
    crate::download::save(resp, "my-contributions.csv", what).await
}
