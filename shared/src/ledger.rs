//! The contribution ledger: recognising and paying people for their time.
//!
//! Paying public members for their time and expenses is part of treating them as equals
//! (NIHR's payment guidance; INVOLVE 2018 on reciprocity). Finance teams need a record
//! they can trust, so:
//! - rates live in a versioned [`RateTable`]; a new version never changes an old one, and
//!   each [`Row`] copies the rate it was offered at, so editing the table never changes
//!   a past row;
//! - money is whole pence, never floating point;
//! - only what is needed is kept: no benefit types, no bank details, no addresses.
//!
//! The ledger is kept by the server outside the board's document (it is nobody else's
//! business what a person was paid), and is seen by facilitators; each contributor can
//! download their own statement.

use serde::{Deserialize, Serialize};

/// Longest free text (a task, a label, a name) kept, in characters.
pub const MAX_TEXT: usize = 200;
/// Most minutes one row may record (a long day).
pub const MAX_MINUTES: u32 = 24 * 60;
/// Highest hourly rate accepted, in pence (a bound against typing errors).
pub const MAX_PENCE_PER_HOUR: u64 = 100_000;
/// Most expenses one row may claim, in pence.
pub const MAX_EXPENSES: u64 = 1_000_000;

/// One rate of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    /// Short id, such as `"meeting"`.
    pub id: String,
    /// What it is for, in plain words.
    pub label: String,
    pub pence_per_hour: u64,
}

/// A version of the board's rate table. Versions are only ever added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateTable {
    /// 1, 2, 3, ...
    pub version: u32,
    /// Where the rates come from, such as "NIHR payment guidance, 2024".
    pub basis: String,
    pub rates: Vec<Rate>,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
}

/// What the person chose to receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    /// The whole amount offered.
    #[default]
    Full,
    /// Less than offered (for example to stay under an earnings limit); the amount is in
    /// [`Row::reduced_pence`].
    Reduced,
    /// Nothing.
    Declined,
    /// A voucher for the amount offered.
    Voucher,
}

impl Choice {
    pub const ALL: [Choice; 4] = [Self::Full, Self::Reduced, Self::Declined, Self::Voucher];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Reduced => "reduced",
            Self::Declined => "declined",
            Self::Voucher => "voucher",
        }
    }
}

/// Where a row is in being paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PayStatus {
    #[default]
    Recorded,
    Approved,
    Paid,
}

impl PayStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Recorded => "recorded",
            Self::Approved => "approved",
            Self::Paid => "paid",
        }
    }
}

/// One person's contribution on one day, and what they are paid for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub id: String,
    /// The person, as they want to be named to the finance team.
    pub person: String,
    /// Their per-board person id, so they can download their own statement ("" if none).
    #[serde(default)]
    pub person_id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub task: String,
    pub prep_minutes: u32,
    pub session_minutes: u32,
    /// The session minutes came from presence and have not been corrected by hand.
    pub minutes_from_presence: bool,
    /// The rate table version and the rate as it was when the row was made.
    pub rate_version: u32,
    pub rate_id: String,
    pub rate_label: String,
    pub pence_per_hour: u64,
    pub choice: Choice,
    /// With [`Choice::Reduced`]: the amount the person chose to receive.
    #[serde(default)]
    pub reduced_pence: u64,
    pub expenses_pence: u64,
    /// A receipt was handed in for the expenses.
    pub receipt: bool,
    pub status: PayStatus,
    /// `YYYY-MM-DD`, once paid.
    #[serde(default)]
    pub paid_on: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Row {
    /// The amount offered for the time: minutes × the row's own rate, to the nearest penny.
    pub fn offered_pence(&self) -> u64 {
        let minutes = u64::from(self.prep_minutes) + u64::from(self.session_minutes);
        (minutes * self.pence_per_hour + 30) / 60
    }

    /// Money the person receives for their time, as they chose (a voucher counts here
    /// too; [`Row::voucher_pence`] says how much of it is a voucher).
    pub fn payable_pence(&self) -> u64 {
        match self.choice {
            Choice::Full | Choice::Voucher => self.offered_pence(),
            Choice::Reduced => self.reduced_pence.min(self.offered_pence()),
            Choice::Declined => 0,
        }
    }

    /// The part of [`Row::payable_pence`] given as a voucher.
    pub fn voucher_pence(&self) -> u64 {
        if self.choice == Choice::Voucher {
            self.offered_pence()
        } else {
            0
        }
    }

    /// Checks the parts a person typed.
    pub fn check(&self) -> Result<(), LedgerError> {
        if !is_date(&self.date) {
            return Err(LedgerError::Invalid("The date must be YYYY-MM-DD.".into()));
        }
        if let Some(d) = &self.paid_on
            && !is_date(d)
        {
            return Err(LedgerError::Invalid(
                "The date paid must be YYYY-MM-DD.".into(),
            ));
        }
        if self.status == PayStatus::Paid && self.paid_on.is_none() {
            return Err(LedgerError::Invalid("Say when it was paid.".into()));
        }
        for (what, text) in [("name", &self.person), ("task", &self.task)] {
            if text.trim().is_empty() || text.chars().count() > MAX_TEXT {
                return Err(LedgerError::Invalid(format!(
                    "The {what} must be 1 to {MAX_TEXT} characters."
                )));
            }
        }
        if self.prep_minutes > MAX_MINUTES || self.session_minutes > MAX_MINUTES {
            return Err(LedgerError::Invalid(format!(
                "Minutes must be between 0 and {MAX_MINUTES}."
            )));
        }
        if self.expenses_pence > MAX_EXPENSES {
            return Err(LedgerError::Invalid("Those expenses are too large.".into()));
        }
        Ok(())
    }
}

impl RateTable {
    /// Checks a new version: at least one rate, unique ids, sensible amounts.
    pub fn check(&self) -> Result<(), LedgerError> {
        if self.rates.is_empty() {
            return Err(LedgerError::Invalid("A rate table needs a rate.".into()));
        }
        let mut ids: Vec<&str> = self.rates.iter().map(|r| r.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() != self.rates.len() {
            return Err(LedgerError::Invalid("Each rate needs its own id.".into()));
        }
        for r in &self.rates {
            let id_ok = !r.id.is_empty()
                && r.id.len() <= 32
                && r.id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !id_ok {
                return Err(LedgerError::Invalid(
                    "A rate id is 1 to 32 letters, digits, '-' or '_'.".into(),
                ));
            }
            if r.label.trim().is_empty() || r.label.chars().count() > MAX_TEXT {
                return Err(LedgerError::Invalid(format!(
                    "A rate's label must be 1 to {MAX_TEXT} characters."
                )));
            }
            if r.pence_per_hour > MAX_PENCE_PER_HOUR {
                return Err(LedgerError::Invalid("That rate is too high.".into()));
            }
        }
        if self.basis.chars().count() > MAX_TEXT {
            return Err(LedgerError::Invalid("The basis is too long.".into()));
        }
        Ok(())
    }

    pub fn rate(&self, id: &str) -> Option<&Rate> {
        self.rates.iter().find(|r| r.id == id)
    }
}

/// Sums over a set of rows, for a finance team or a personal statement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub rows: usize,
    pub prep_minutes: u64,
    pub session_minutes: u64,
    pub offered_pence: u64,
    pub payable_pence: u64,
    pub voucher_pence: u64,
    pub expenses_pence: u64,
    /// Payable plus expenses, for rows marked paid.
    pub paid_pence: u64,
}

impl Totals {
    pub fn of<'a>(rows: impl IntoIterator<Item = &'a Row>) -> Self {
        rows.into_iter().fold(Self::default(), |mut t, r| {
            t.rows += 1;
            t.prep_minutes += u64::from(r.prep_minutes);
            t.session_minutes += u64::from(r.session_minutes);
            t.offered_pence += r.offered_pence();
            t.payable_pence += r.payable_pence();
            t.voucher_pence += r.voucher_pence();
            t.expenses_pence += r.expenses_pence;
            if r.status == PayStatus::Paid {
                t.paid_pence += r.payable_pence() + r.expenses_pence;
            }
            t
        })
    }
}

/// Rows whose date falls in `from..=to` (either end open when `None`), by date.
pub fn in_period<'a>(rows: &'a [Row], from: Option<&str>, to: Option<&str>) -> Vec<&'a Row> {
    let mut out: Vec<&Row> = rows
        .iter()
        .filter(|r| from.is_none_or(|f| r.date.as_str() >= f))
        .filter(|r| to.is_none_or(|t| r.date.as_str() <= t))
        .collect();
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    out
}

/// Pence as pounds: `1250` → `"12.50"`.
pub fn pounds(pence: u64) -> String {
    format!("{}.{:02}", pence / 100, pence % 100)
}

/// Whether `s` is a real calendar date written `YYYY-MM-DD`.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = [0, 1, 2, 3, 5, 6, 8, 9]
        .iter()
        .all(|&i| b.get(i).is_some_and(u8::is_ascii_digit));
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (2000..=2200).contains(&y) && (1..=days).contains(&d)
}

/// One stretch of time a named person was connected to the board, taken from presence
/// when their connection closed. Anonymous visitors leave no record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub name: String,
    /// Their per-board person id ("" if their client did not publish one).
    #[serde(default)]
    pub person: String,
    /// Milliseconds since the Unix epoch.
    pub since: i64,
    pub until: i64,
    /// The invite the connection really used, and its role: unlike the name and person
    /// id, which the person's client chooses, these come from the server's own check of
    /// the link. Empty / `None` in records written before they were kept.
    #[serde(default)]
    pub invite: String,
    #[serde(default)]
    pub role: Option<crate::api::AccessRole>,
}

/// Minutes (to the nearest) a person was connected on `date` (UTC), from attendance records: matched
/// by person id when there is one, otherwise by name (ignoring case). Overlapping
/// stretches (two tabs, a reconnect) count once.
pub fn minutes_on(records: &[Attendance], date: &str, person: &str, name: &str) -> u32 {
    ((ms_on(records, date, person, name) + 30_000) / 60_000) as u32
}

/// Milliseconds a person was connected on `date` (UTC); see [`minutes_on`].
pub fn ms_on(records: &[Attendance], date: &str, person: &str, name: &str) -> i64 {
    let Some(day_start) = day_start_ms(date) else {
        return 0;
    };
    let day_end = day_start + 86_400_000;
    let mut spans: Vec<(i64, i64)> = records
        .iter()
        .filter(|a| {
            if person.is_empty() {
                a.name.trim().eq_ignore_ascii_case(name.trim())
            } else {
                a.person == person
            }
        })
        .map(|a| (a.since.max(day_start), a.until.min(day_end)))
        .filter(|(s, u)| u > s)
        .collect();
    spans.sort_unstable();
    let mut total = 0i64;
    let mut current: Option<(i64, i64)> = None;
    for (s, u) in spans {
        match current {
            Some((cs, cu)) if s <= cu => current = Some((cs, cu.max(u))),
            Some((cs, cu)) => {
                total += cu - cs;
                current = Some((s, u));
            }
            None => current = Some((s, u)),
        }
    }
    if let Some((cs, cu)) = current {
        total += cu - cs;
    }
    total
}

/// Milliseconds since the Unix epoch at the start (UTC) of a `YYYY-MM-DD` date.
pub fn day_start_ms(date: &str) -> Option<i64> {
    if !is_date(date) {
        return None;
    }
    let y: i64 = date[0..4].parse().ok()?;
    let m: i64 = date[5..7].parse().ok()?;
    let d: i64 = date[8..10].parse().ok()?;
    // Days from the civil date (Howard Hinnant's algorithm, written out here).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400_000)
}

/// The UTC date (`YYYY-MM-DD`) of a moment in milliseconds since the Unix epoch.
pub fn date_of(ms: i64) -> String {
    // The civil date from a day count (Howard Hinnant's algorithm, written out here).
    let z = ms.div_euclid(86_400_000) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Why a ledger change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("{0}")]
    Invalid(String),
}

#[cfg(test)]
mod tests;
