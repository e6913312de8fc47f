//! The contribution ledger (`coboard_shared::ledger` holds its rules) and the attendance
//! it takes minutes from.
//!
//! Facilitators keep the ledger: rate table versions, one row per person per piece of
//! work, a CSV for a finance team. A contributor downloads their own statement by
//! proving they hold the secret behind their per-board person id. Rows, rates and
//! attendance are records outside the board's document, so no client ever receives them
//! by syncing.

use coboard_shared::api::AccessRole;
use coboard_shared::api::ledger::{
    self as wire, Attended, NewRates, NewRow, Period, RowChange, RowView,
};
use coboard_shared::ledger::{self, Attendance, LedgerError, PayStatus, RateTable, Row, Totals};
use coboard_shared::schema::{author_key_hash, is_key_hash};
use serde::de::DeserializeOwned;

use super::{Core, ServiceError, check_key};
use crate::store::kind;
use crate::{ids, now_ms};

fn invalid(e: LedgerError) -> ServiceError {
    ServiceError::Invalid(e.to_string())
}

fn check_period(p: &Period) -> Result<(), ServiceError> {
    for d in [&p.from, &p.to].into_iter().flatten() {
        if !ledger::is_date(d) {
            return Err(ServiceError::Invalid(
                "Dates in from and to must be YYYY-MM-DD.".into(),
            ));
        }
    }
    Ok(())
}

/// The ledger's rows, rate tables and attendance.
#[derive(Clone)]
pub struct Ledger {
    core: Core,
}

impl Ledger {
    pub fn new(core: Core) -> Self {
        Self { core }
    }

    /// Records of one kind whose ids start with `prefix` ("" for all).
    async fn read<T: DeserializeOwned>(
        &self,
        board: &str,
        kind: &str,
        prefix: &str,
    ) -> Result<Vec<T>, ServiceError> {
        let records = self.core.store.records(board, kind, prefix).await?;
        records
            .iter()
            .map(|(_, body)| Ok(serde_json::from_str(body)?))
            .collect()
    }

    /// Every row of the board's ledger.
    pub async fn rows(&self, board: &str) -> Result<Vec<Row>, ServiceError> {
        self.read(board, kind::LEDGER_ROW, "").await
    }

    /// Every version of the rate table, oldest first.
    pub async fn rate_tables(&self, board: &str) -> Result<Vec<RateTable>, ServiceError> {
        let mut tables: Vec<RateTable> = self.read(board, kind::RATES, "").await?;
        tables.sort_by_key(|t| t.version);
        Ok(tables)
    }

    async fn latest_rates(&self, board: &str) -> Result<Option<RateTable>, ServiceError> {
        Ok(self.rate_tables(board).await?.pop())
    }

    async fn save_row(&self, board: &str, row: &Row) -> Result<(), ServiceError> {
        let body = serde_json::to_string(row)?;
        self.core
            .store
            .put_record(board, kind::LEDGER_ROW, &row.id, &body, true)
            .await?;
        Ok(())
    }

    /// Adds a version of the rate table. Versions are only ever added: a version, once
    /// made, is what past rows were offered at.
    pub async fn add_rates(&self, board: &str, req: NewRates) -> Result<RateTable, ServiceError> {
        let _guard = self.core.locks.lock(board).await?;
        let version = self.latest_rates(board).await?.map_or(1, |t| t.version + 1);
        let table = RateTable {
            version,
            basis: req.basis.trim().to_owned(),
            rates: req.rates,
            created_at: now_ms(),
        };
        table.check().map_err(invalid)?;
        let body = serde_json::to_string(&table)?;
        self.core
            .store
            .put_record(board, kind::RATES, &format!("{version:06}"), &body, false)
            .await?;
        tracing::info!(board, version, "rate table version added");
        Ok(table)
    }

    /// The rows dated within `period`, their totals, and the rate table new rows use.
    pub async fn ledger(&self, board: &str, period: Period) -> Result<wire::Ledger, ServiceError> {
        check_period(&period)?;
        let rows = self.rows(board).await?;
        let chosen = ledger::in_period(&rows, period.from.as_deref(), period.to.as_deref());
        Ok(wire::Ledger {
            totals: Totals::of(chosen.iter().copied()),
            rows: chosen.into_iter().cloned().map(RowView::from).collect(),
            rates: self.latest_rates(board).await?,
        })
    }

    /// Adds a row at the latest rate table's rate. Without minutes given, they come from
    /// how long the person was on the board that day.
    pub async fn add_row(&self, board: &str, req: NewRow) -> Result<RowView, ServiceError> {
        if !(req.person_id.is_empty() || is_key_hash(&req.person_id)) {
            return Err(ServiceError::Invalid(
                "The person id must be 64 hexadecimal digits.".into(),
            ));
        }
        let Some(table) = self.latest_rates(board).await? else {
            return Err(ServiceError::Conflict(
                "Set up a rate table before recording payments.".into(),
            ));
        };
        let Some(rate) = table.rate(&req.rate_id) else {
            return Err(ServiceError::Invalid(format!(
                "No rate \"{}\" in rate table version {}.",
                req.rate_id, table.version
            )));
        };
        let (session_minutes, from_presence) = match req.session_minutes {
            Some(m) => (m, false),
            None => {
                let records = self.around(board, &req.date).await?;
                (
                    ledger::minutes_on(&records, &req.date, &req.person_id, &req.person),
                    true,
                )
            }
        };
        let now = now_ms();
        let row = Row {
            id: ids::ledger_row(),
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
        self.save_row(board, &row).await?;
        tracing::info!(board, row = %row.id, "ledger row added");
        Ok(row.into())
    }

    /// Changes what may change on a row (never its rate).
    pub async fn change_row(
        &self,
        board: &str,
        row_id: &str,
        c: RowChange,
    ) -> Result<RowView, ServiceError> {
        let _guard = self.core.locks.lock(board).await?;
        let rows = self.rows(board).await?;
        let Some(mut row) = rows.into_iter().find(|r| r.id == row_id) else {
            return Err(ServiceError::NotFound("No ledger row with that id."));
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
        self.save_row(board, &row).await?;
        Ok(row.into())
    }

    /// The CSV for a finance team: rows dated within `period`, and its file name.
    pub async fn csv(
        &self,
        board: &str,
        period: Period,
    ) -> Result<(Vec<u8>, String), ServiceError> {
        check_period(&period)?;
        let rows = self.rows(board).await?;
        let chosen = ledger::in_period(&rows, period.from.as_deref(), period.to.as_deref());
        let body = crate::export::ledger::csv(&chosen)?;
        let name = format!(
            "ledger-{}-to-{}.csv",
            period.from.as_deref().unwrap_or("start"),
            period.to.as_deref().unwrap_or("now")
        );
        Ok((body, name))
    }

    /// A person's own rows as a CSV, for whoever holds the secret behind their person id.
    pub async fn statement(&self, board: &str, key: &str) -> Result<Vec<u8>, ServiceError> {
        check_key("key", key)?;
        let person = author_key_hash(key);
        let mine: Vec<Row> = (self.rows(board).await?)
            .into_iter()
            .filter(|r| r.person_id == person)
            .collect();
        let chosen = ledger::in_period(&mine, None, None);
        Ok(crate::export::ledger::csv(&chosen)?)
    }

    /// Attendance records that may hold time on `date` (UTC): that day's, and the day
    /// before's (a session may run past midnight).
    async fn around(&self, board: &str, date: &str) -> Result<Vec<Attendance>, ServiceError> {
        let Some(start) = ledger::day_start_ms(date) else {
            return Ok(Vec::new());
        };
        let day_before = ledger::date_of(start - 1);
        let mut records: Vec<Attendance> = self.read(board, kind::ATTENDANCE, &day_before).await?;
        records.extend(
            self.read::<Attendance>(board, kind::ATTENDANCE, date)
                .await?,
        );
        Ok(records)
    }

    /// Everyone with a name or person id who was on the board on `date`, for how long,
    /// and with which links.
    pub async fn attendance(&self, board: &str, date: &str) -> Result<Vec<Attended>, ServiceError> {
        if !ledger::is_date(date) {
            return Err(ServiceError::Invalid("The date must be YYYY-MM-DD.".into()));
        }
        let records = self.around(board, date).await?;
        Ok(attended(&records, date))
    }
}

/// One entry per person in `records` with time on `date`.
fn attended(records: &[Attendance], date: &str) -> Vec<Attended> {
    let mut people: Vec<(String, String)> = records
        .iter()
        .map(|a| (a.person.clone(), a.name.clone()))
        .collect();
    people.sort();
    // One entry per person id; records without one are told apart by name.
    people.dedup_by(|a, b| {
        if a.0.is_empty() {
            a.1 == b.1
        } else {
            a.0 == b.0
        }
    });
    people
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
                minutes: ledger::minutes_on(&theirs, date, &person, &name),
                ms: ledger::ms_on(&theirs, date, &person, &name),
                name,
                person,
                invites,
                roles,
            }
        })
        .filter(|a| a.ms > 0)
        .collect()
}
