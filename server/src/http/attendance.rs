//! Attendance from presence, for the contribution ledger's session minutes: how long
//! each named person was connected on a day (`GET /api/boards/{id}/ledger/attendance`),
//! and the records a new ledger row reads. Records are kept under the day a connection
//! began (see `board::actor::presence`), so a day's question reads a day's records.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use coboard_shared::api::AccessRole;
use coboard_shared::ledger::{self, Attendance};
use serde::{Deserialize, Serialize};

use super::ledger::read_prefix;
use super::{AppState, grant};
use crate::error::AppError;
use crate::store::kind;

#[derive(Debug, Deserialize)]
pub struct AttendanceQuery {
    pub date: String,
}

/// Minutes one person was connected on a date.
#[derive(Debug, Serialize)]
pub struct Attended {
    pub name: String,
    pub person: String,
    pub minutes: u32,
    /// The exact time, for checking.
    pub ms: i64,
    /// The invite links (ids) their connections used that day, and those links' roles:
    /// checked by the server, where the name is whatever their client said.
    pub invites: Vec<String>,
    pub roles: Vec<AccessRole>,
}

/// Attendance that may fall on `date`: records are kept under the date a connection
/// began, so that date's and the day before's (a session past midnight).
pub(super) async fn around(
    state: &AppState,
    board: &str,
    date: &str,
) -> Result<Vec<Attendance>, AppError> {
    let Some(start) = ledger::day_start_ms(date) else {
        return Ok(Vec::new());
    };
    let mut records: Vec<Attendance> =
        read_prefix(state, board, kind::ATTENDANCE, &ledger::date_of(start - 1)).await?;
    records.extend(read_prefix::<Attendance>(state, board, kind::ATTENDANCE, date).await?);
    Ok(records)
}

pub async fn attendance(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<AttendanceQuery>,
    headers: HeaderMap,
) -> Result<Json<Vec<Attended>>, AppError> {
    grant(&state, &id, &headers, AccessRole::can_manage).await?;
    if !ledger::is_date(&q.date) {
        return Err(AppError::BadRequest("The date must be YYYY-MM-DD.".into()));
    }
    let records = around(&state, &id, &q.date).await?;
    let mut people: Vec<(String, String)> = records
        .iter()
        .map(|a| (a.person.clone(), a.name.clone()))
        .collect();
    people.sort();
    people.dedup_by(|a, b| {
        if a.0.is_empty() {
            a.1 == b.1
        } else {
            a.0 == b.0
        }
    });
    let out = people
        .into_iter()
        .map(|(person, name)| {
            // Someone listed without a person id: only their records without one, so
            // nobody is counted twice.
            let theirs: Vec<Attendance> = records
                .iter()
                .filter(|a| !person.is_empty() || a.person.is_empty())
                .cloned()
                .collect();
            let mine = |a: &&Attendance| match person.is_empty() {
                true => a.name.eq_ignore_ascii_case(&name),
                false => a.person == person,
            };
            let mut invites: Vec<String> = theirs
                .iter()
                .filter(mine)
                .map(|a| a.invite.clone())
                .filter(|i| !i.is_empty())
                .collect();
            invites.sort();
            invites.dedup();
            let mut roles: Vec<AccessRole> =
                theirs.iter().filter(mine).filter_map(|a| a.role).collect();
            roles.sort_by_key(|r| r.as_str());
            roles.dedup();
            Attended {
                minutes: ledger::minutes_on(&theirs, &q.date, &person, &name),
                ms: ledger::ms_on(&theirs, &q.date, &person, &name),
                name,
                person,
                invites,
                roles,
            }
        })
        .filter(|a| a.ms > 0)
        .collect();
    Ok(Json(out))
}
