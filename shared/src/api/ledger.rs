//! The contribution ledger and attendance (`crate::ledger` holds the rules).

use serde::{Deserialize, Serialize};

use super::AccessRole;
use crate::ledger::{Choice, PayStatus, Rate, RateTable, Row, Totals};

/// `POST /api/boards/{id}/ledger/rates`: a new version of the rate table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRates {
    #[serde(default)]
    pub basis: String,
    pub rates: Vec<Rate>,
}

/// `POST /api/boards/{id}/ledger`: a new row. Without `session_minutes`, the minutes
/// come from presence: how long the person was connected on that date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
/// Absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prep_minutes: Option<u32>,
    /// A correction by hand: the row no longer says its minutes came from presence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice: Option<Choice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reduced_pence: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expenses_pence: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<PayStatus>,
    /// `Some("")` clears the date when a row goes back from paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_on: Option<String>,
}

/// A row with its amounts worked out: the answer to adding or changing a row, and each
/// row of [`Ledger`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    pub rows: Vec<RowView>,
    pub totals: Totals,
    /// The rate table new rows use (the latest version), if there is one.
    pub rates: Option<RateTable>,
}

/// The `from` and `to` query of `GET /api/boards/{id}/ledger` and its CSV export:
/// YYYY-MM-DD dates, both included; either may be absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// `POST /api/boards/{id}/ledger/statement`: my own rows, as a CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementRequest {
    /// The secret behind the person id rows are recorded under.
    pub key: String,
}

/// The query of `GET /api/boards/{id}/ledger/attendance`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceQuery {
    /// YYYY-MM-DD (UTC).
    pub date: String,
}

/// One person's time on the board on a date, from presence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attended {
    /// The name their browser gave.
    pub name: String,
    /// Their per-board person id ("" if their browser did not publish one).
    pub person: String,
    pub minutes: u32,
    pub ms: i64,
    /// The invites their connections came in with, as the server checked them.
    #[serde(default)]
    pub invites: Vec<String>,
    /// The roles of those invites.
    #[serde(default)]
    pub roles: Vec<AccessRole>,
}
