use super::*;

fn row(id: &str, date: &str, minutes: u32, pph: u64, choice: Choice) -> Row {
    Row {
        id: id.into(),
        person: "Asha".into(),
        person_id: String::new(),
        date: date.into(),
        task: "Workshop".into(),
        prep_minutes: 30,
        session_minutes: minutes,
        minutes_from_presence: true,
        rate_version: 1,
        rate_id: "meeting".into(),
        rate_label: "Meetings".into(),
        pence_per_hour: pph,
        choice,
        reduced_pence: 0,
        expenses_pence: 0,
        receipt: false,
        status: PayStatus::Recorded,
        paid_on: None,
        created_at: 0,
        updated_at: 0,
    }
}

#[test]
fn amounts_follow_the_rows_own_rate_and_the_persons_choice() {
    // 30 min preparation + 90 min session at £25/h = £50.00.
    let full = row("a", "2026-11-02", 90, 2500, Choice::Full);
    assert_eq!(full.offered_pence(), 5000);
    assert_eq!(full.payable_pence(), 5000);
    let mut reduced = row("b", "2026-11-02", 90, 2500, Choice::Reduced);
    reduced.reduced_pence = 2000;
    assert_eq!(reduced.payable_pence(), 2000);
    // Never more than offered, whatever is typed.
    reduced.reduced_pence = 9999;
    assert_eq!(reduced.payable_pence(), 5000);
    assert_eq!(
        row("c", "2026-11-02", 90, 2500, Choice::Declined).payable_pence(),
        0
    );
    let voucher = row("d", "2026-11-02", 90, 2500, Choice::Voucher);
    assert_eq!(
        (voucher.payable_pence(), voucher.voucher_pence()),
        (5000, 5000)
    );
    // Rounded to the nearest penny: 31 minutes at £10.01/h = 517.2p.
    let odd = Row {
        prep_minutes: 0,
        ..row("e", "2026-11-02", 31, 1001, Choice::Full)
    };
    assert_eq!(odd.offered_pence(), 517);
}

#[test]
fn totals_and_periods() {
    let mut a = row("a", "2026-10-30", 90, 2500, Choice::Full);
    a.expenses_pence = 640;
    a.status = PayStatus::Paid;
    a.paid_on = Some("2026-11-05".into());
    let b = row("b", "2026-11-02", 30, 2500, Choice::Voucher);
    let c = row("c", "2026-12-01", 60, 2500, Choice::Declined);
    let rows = [c.clone(), a.clone(), b.clone()];
    let november = in_period(&rows, Some("2026-11-01"), Some("2026-11-30"));
    assert_eq!(
        november.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["b"]
    );
    let all = in_period(&rows, None, None);
    assert_eq!(
        all.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["a", "b", "c"]
    );
    let t = Totals::of(all);
    assert_eq!(t.rows, 3);
    assert_eq!(t.prep_minutes, 90);
    assert_eq!(t.session_minutes, 180);
    assert_eq!(t.offered_pence, 5000 + 2500 + 3750);
    assert_eq!(t.payable_pence, 5000 + 2500);
    assert_eq!(t.voucher_pence, 2500);
    assert_eq!(t.expenses_pence, 640);
    assert_eq!(t.paid_pence, 5640);
    assert_eq!(pounds(5640), "56.40");
    assert_eq!(pounds(7), "0.07");
}

#[test]
fn bad_input_is_refused() {
    assert!(
        row("a", "2026-11-02", 90, 2500, Choice::Full)
            .check()
            .is_ok()
    );
    for date in [
        "2026-13-01",
        "2026-02-29",
        "26-11-02",
        "2026-11-2x",
        "2026-+1-05",
        "",
    ] {
        assert!(
            row("a", date, 90, 2500, Choice::Full).check().is_err(),
            "{date}"
        );
    }
    assert!(is_date("2028-02-29"));
    let mut paid = row("a", "2026-11-02", 90, 2500, Choice::Full);
    paid.status = PayStatus::Paid;
    assert!(paid.check().is_err(), "paid needs a date");
    let long = row("a", "2026-11-02", MAX_MINUTES + 1, 2500, Choice::Full);
    assert!(long.check().is_err());
    let table = |rates: Vec<Rate>| RateTable {
        version: 1,
        basis: "NIHR".into(),
        rates,
        created_at: 0,
    };
    let rate = |id: &str, p: u64| Rate {
        id: id.into(),
        label: "Meetings".into(),
        pence_per_hour: p,
    };
    assert!(table(vec![rate("meeting", 2500)]).check().is_ok());
    assert!(table(vec![]).check().is_err());
    assert!(table(vec![rate("m", 1), rate("m", 2)]).check().is_err());
    assert!(table(vec![rate("no spaces", 1)]).check().is_err());
    assert!(
        table(vec![rate("m", MAX_PENCE_PER_HOUR + 1)])
            .check()
            .is_err()
    );
}

#[test]
fn minutes_come_from_presence_counting_overlaps_once() {
    let day = day_start_ms("2026-11-02").unwrap();
    assert_eq!(day, 1_793_577_600_000);
    assert_eq!(date_of(day), "2026-11-02");
    assert_eq!(date_of(day - 1), "2026-11-01");
    assert_eq!(
        date_of(day_start_ms("2028-02-29").unwrap() + 86_399_999),
        "2028-02-29"
    );
    assert_eq!(date_of(0), "1970-01-01");
    let min = 60_000;
    let a = |person: &str, name: &str, from: i64, to: i64| Attendance {
        name: name.into(),
        person: person.into(),
        since: day + from * min,
        until: day + to * min,
        invite: String::new(),
        role: None,
    };
    let records = [
        a("p1", "Asha", 600, 660),
        // A second tab, overlapping the first.
        a("p1", "Asha", 630, 690),
        // A reconnect later in the day.
        a("p1", "Asha", 700, 710),
        // Someone else.
        a("p2", "Ben", 600, 700),
        // The day before, running past midnight: 30 minutes fall on the 2nd.
        a("p1", "Asha", -30, 30),
    ];
    assert_eq!(
        minutes_on(&records, "2026-11-02", "p1", "Asha"),
        90 + 10 + 30
    );
    assert_eq!(minutes_on(&records, "2026-11-02", "", "asha "), 130);
    assert_eq!(minutes_on(&records, "2026-11-02", "p2", "Ben"), 100);
    assert_eq!(minutes_on(&records, "2026-11-03", "p1", "Asha"), 0);
    assert_eq!(minutes_on(&records, "not a date", "p1", "Asha"), 0);
}
