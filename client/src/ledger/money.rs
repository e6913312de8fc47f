//! Money, minutes and dates as people type them. Amounts are kept in whole pence (never floating
//! point, so totals add up to the penny) and shown with `coboard_shared::ledger::pounds`.

/// "£12.50" for 1250 pence.
pub fn money(pence: u64) -> String {
    format!("£{}", coboard_shared::ledger::pounds(pence))
}

/// Pence from what someone typed: "25", "25.5", "£25.50", "1,200" (an empty box is 0).
/// `None` when it is not an amount of money, or has more than two decimal places.
pub fn parse_pence(typed: &str) -> Option<u64> {
    let s: String = typed
        .trim()
        .trim_start_matches('£')
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    if s.is_empty() {
        return Some(0);
    }
    let (whole, part) = s.split_once('.').unwrap_or((&s, ""));
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(part) || part.len() > 2 || (whole.is_empty() && part.is_empty()) {
        return None;
    }
    let pounds: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let pence: u64 = format!("{part:0<2}").parse().ok()?;
    pounds.checked_mul(100)?.checked_add(pence)
}

/// Whole minutes from a box: empty is `Some(None)`, a number is `Some(Some(n))`, anything
/// else `None`.
pub fn parse_minutes(typed: &str) -> Option<Option<u32>> {
    let s = typed.trim();
    if s.is_empty() {
        return Some(None);
    }
    s.parse().ok().map(Some)
}

/// Today's date (UTC, as presence counts days), `YYYY-MM-DD`.
pub fn today() -> String {
    coboard_shared::ledger::date_of(js_sys::Date::now() as i64)
}

/// Preparation minutes, session minutes (`None`: from presence), reduced amount and
/// expenses in pence, or the first thing wrong with them.
pub fn read_form(
    prep: &str,
    minutes: &str,
    reduced: &str,
    expenses: &str,
) -> Result<(u32, Option<u32>, u64, u64), String> {
    let prep = parse_minutes(prep)
        .ok_or("Write the preparation time as whole minutes, such as 30.")?
        .unwrap_or(0);
    let session =
        parse_minutes(minutes).ok_or("Write the session time as whole minutes, such as 90.")?;
    let reduced =
        parse_pence(reduced).ok_or("Write the amount they chose in pounds, such as 20.")?;
    let expenses = parse_pence(expenses).ok_or("Write the expenses in pounds, such as 4.50.")?;
    Ok((prep, session, reduced, expenses))
}

#[cfg(test)]
mod tests {
    use super::{parse_minutes, parse_pence};

    #[test]
    fn reads_amounts_as_people_type_them() {
        assert_eq!(parse_pence("25"), Some(2500));
        assert_eq!(parse_pence("£25.5"), Some(2550));
        assert_eq!(parse_pence(" 12.05 "), Some(1205));
        assert_eq!(parse_pence("1,200"), Some(120_000));
        assert_eq!(parse_pence(".5"), Some(50));
        assert_eq!(parse_pence(""), Some(0));
        assert_eq!(parse_pence("12.345"), None);
        assert_eq!(parse_pence("ten"), None);
        assert_eq!(parse_pence("-3"), None);
        assert_eq!(parse_pence("."), None);
    }

    #[test]
    fn reads_minutes() {
        assert_eq!(parse_minutes(""), Some(None));
        assert_eq!(parse_minutes("90"), Some(Some(90)));
        assert_eq!(parse_minutes("1.5"), None);
    }
}
