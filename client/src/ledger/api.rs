//! Calls about the contribution ledger: read it, add a rate table version or a row, change
//! a row's status, ask presence how long someone was on the board, and download the
//! finance CSV or a person's own statement.
//!
//! The ledger lives on the server outside the board's document (nobody else's business
//! what a person was paid), so it is fetched here rather than synced.

use coboard_shared::api::ledger::{
    Attended, Ledger, NewRates, NewRow, Period, RowChange, RowView, StatementRequest,
};
use coboard_shared::ledger::RateTable;

use crate::api::{Failure, NO_BODY, call, exchange, segment};
use crate::download;

fn base(board: &str) -> String {
    format!("/api/boards/{board}/ledger")
}

/// The ledger, all dates.
pub async fn ledger(board: &str, token: &str) -> Result<Ledger, Failure> {
    let what = "The ledger could not be opened";
    call("GET", &base(board), Some(token), NO_BODY, what).await
}

/// Saves a new rate table version; earlier versions and the rows made with them stay.
pub async fn add_rates(board: &str, token: &str, rates: &NewRates) -> Result<RateTable, Failure> {
    let path = format!("{}/rates", base(board));
    let what = "The rate table could not be saved";
    call("POST", &path, Some(token), Some(rates), what).await
}

/// Adds a row at the latest rate table's rate.
pub async fn add_row(board: &str, token: &str, row: &NewRow) -> Result<RowView, Failure> {
    let what = "The row could not be added";
    call("POST", &base(board), Some(token), Some(row), what).await
}

/// Changes a row (its status, say).
pub async fn change_row(
    board: &str,
    token: &str,
    row: &str,
    change: &RowChange,
) -> Result<RowView, Failure> {
    let path = format!("{}/{row}", base(board));
    let what = "The status could not be changed";
    call("PATCH", &path, Some(token), Some(change), what).await
}

/// Everyone with a name who was on the board on `date` (UTC), and for how long.
pub async fn attendance(board: &str, token: &str, date: &str) -> Result<Vec<Attended>, Failure> {
    let path = format!("{}/attendance?date={}", base(board), segment(date));
    let what = "The time on the board could not be looked up";
    call("GET", &path, Some(token), NO_BODY, what).await
}

/// Downloads the CSV for a finance team, for rows dated within `period`.
pub async fn export(board: &str, token: &str, period: &Period) -> Result<String, Failure> {
    let query: Vec<String> = [("from", &period.from), ("to", &period.to)]
        .into_iter()
        .filter_map(|(key, value)| value.as_ref().map(|v| format!("{key}={}", segment(v))))
        .collect();
    let mut path = format!("{}/export", base(board));
    if !query.is_empty() {
        path = format!("{path}?{}", query.join("&"));
    }
    let what = "The spreadsheet could not be made";
    let resp = exchange("GET", &path, Some(token), NO_BODY, what).await?;
    download::save(resp, "ledger.csv", what).await
}

/// Downloads my own statement, proving who I am with my per-board person key.
pub async fn statement(board: &str, token: &str, key: &str) -> Result<String, Failure> {
    let path = format!("{}/statement", base(board));
    let what = "Your statement could not be made";
    let req = StatementRequest {
        key: key.to_owned(),
    };
    let resp = exchange("POST", &path, Some(token), Some(&req), what).await?;
    download::save(resp, "my-contributions.csv", what).await
}
