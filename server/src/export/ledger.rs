//! The contribution ledger as CSV: the finance team's sheet for a period, and one
//! person's own statement. Both end with a totals row, so nobody has to add up a column
//! by hand to check it.

use coboard_shared::ledger::{Row, Totals, pounds};

use super::csv::cell;

const HEADER: [&str; 19] = [
    "date",
    "person",
    "task",
    "preparation minutes",
    "session minutes",
    "minutes from",
    "rate table version",
    "rate",
    "rate per hour (GBP)",
    "offered (GBP)",
    "choice",
    "payable (GBP)",
    "of which voucher (GBP)",
    "expenses (GBP)",
    "receipt",
    "status",
    "paid on",
    "row id",
    "recorded",
];

/// The rows (already chosen and ordered) and their totals.
pub fn csv(rows: &[&Row]) -> Result<Vec<u8>, super::ExportError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let err = |e: ::csv::Error| super::ExportError::csv(e.to_string());
    w.write_record(HEADER).map_err(err)?;
    for r in rows {
        w.write_record([
            r.date.clone(),
            cell(&r.person),
            cell(&r.task),
            r.prep_minutes.to_string(),
            r.session_minutes.to_string(),
            if r.minutes_from_presence {
                "presence"
            } else {
                "entered"
            }
            .to_owned(),
            r.rate_version.to_string(),
            cell(&r.rate_label),
            pounds(r.pence_per_hour),
            pounds(r.offered_pence()),
            r.choice.as_str().to_owned(),
            pounds(r.payable_pence()),
            pounds(r.voucher_pence()),
            pounds(r.expenses_pence),
            if r.receipt { "yes" } else { "no" }.to_owned(),
            r.status.as_str().to_owned(),
            r.paid_on.clone().unwrap_or_default(),
            r.id.clone(),
            super::date(r.created_at as f64),
        ])
        .map_err(err)?;
    }
    let t = Totals::of(rows.iter().copied());
    let mut total = vec![String::new(); HEADER.len()];
    total[0] = "TOTAL".to_owned();
    total[1] = format!("{} rows", t.rows);
    total[3] = t.prep_minutes.to_string();
    total[4] = t.session_minutes.to_string();
    total[9] = pounds(t.offered_pence);
    total[11] = pounds(t.payable_pence);
    total[12] = pounds(t.voucher_pence);
    total[13] = pounds(t.expenses_pence);
    total[15] = format!("paid {}", pounds(t.paid_pence));
    w.write_record(&total).map_err(err)?;
    w.into_inner()
        .map_err(|e| super::ExportError::csv(e.to_string()))
}

#[cfg(test)]
mod tests {
    use coboard_shared::ledger::{Choice, PayStatus};

    use super::*;

    #[test]
    fn rows_then_totals_with_formulas_guarded() {
        let row = |id: &str, person: &str, choice: Choice| Row {
            id: id.into(),
            person: person.into(),
            person_id: String::new(),
            date: "2026-11-02".into(),
            task: "Workshop".into(),
            prep_minutes: 30,
            session_minutes: 90,
            minutes_from_presence: true,
            rate_version: 2,
            rate_id: "meeting".into(),
            rate_label: "Meetings".into(),
            pence_per_hour: 2500,
            choice,
            reduced_pence: 0,
            expenses_pence: 350,
            receipt: true,
            status: PayStatus::Recorded,
            paid_on: None,
            created_at: 1_793_577_600_000,
            updated_at: 0,
        };
        let a = row("a", "Asha", Choice::Full);
        let b = row("b", "=HYPERLINK(\"x\")", Choice::Declined);
        let out = String::from_utf8(csv(&[&a, &b]).unwrap()).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[1].starts_with("2026-11-02,Asha,Workshop,30,90,presence,2,Meetings,25.00,50.00,full,50.00,0.00,3.50,yes,recorded,,a,"));
        assert!(lines[2].contains("'=HYPERLINK"), "{}", lines[2]);
        assert!(
            lines[3].starts_with("TOTAL,2 rows,,60,180,,,,,100.00,,50.00,0.00,7.00,,paid 0.00"),
            "{}",
            lines[3]
        );
    }
}
