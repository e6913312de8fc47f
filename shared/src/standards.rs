//! Evidence for the UK Standards for Public Involvement (NIHR and partners, 2019), read
//! from a board.
//!
//! The six standards ask whether involvement was inclusive, collaborative, supported,
//! governed with public members among the decision-makers, well communicated, and made a
//! difference. A board records much of that as it is used: who took part, what was
//! agreed and by whom, what became of what people said and how quickly they heard. This
//! module gathers it, standard by standard, and says plainly where the board holds no
//! evidence yet, so a group sees its gaps rather than a score.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use yrs::ReadTxn;

use crate::impact::impact_log;
use crate::schema::{Board, OutcomeState, ParticipantRole, SilentState, Status};

/// Facts from the contribution ledger, which the server keeps outside the document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerFacts {
    pub rows: usize,
    /// Different people with a row.
    pub people: usize,
    /// Totals paid for time and expenses, in pence. Only for facilitators: with one
    /// person paid, a total is that person's payment.
    pub amounts: Option<(u64, u64)>,
}

/// The evidence for one standard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// `inclusive-opportunities`, `working-together`, `support-and-learning`,
    /// `governance`, `communications`, `impact`.
    pub id: String,
    pub title: String,
    /// What the standard asks, in a sentence of our own.
    pub asks: String,
    /// What the board shows.
    pub found: Vec<String>,
    /// What the board holds no evidence of yet.
    pub gaps: Vec<String>,
}

/// Evidence for all six standards, in their usual order.
pub fn gather<T: ReadTxn>(board: &Board, txn: &T, now: f64, ledger: &LedgerFacts) -> Vec<Evidence> {
    let items: Vec<_> = board
        .read_items(txn)
        .into_iter()
        .filter(|i| !i.seeded)
        .collect();
    let participation = board.participation(txn);
    let mut out = Vec::new();

    // 1. Inclusive opportunities.
    let mut e = evidence(
        "inclusive-opportunities",
        "Inclusive opportunities",
        "Involvement is open to people whose voices are seldom heard, with the support \
         and payment they need to take part.",
    );
    let public = participation.role(ParticipantRole::Public).total();
    let all: u32 = participation.by_role.values().map(|c| c.total()).sum();
    if public > 0 {
        e.found.push(format!(
            "Public members made {public} of {all} contributions (cards, edits, votes, comments)."
        ));
    } else {
        e.gaps
            .push("No contributions from public members yet.".into());
    }
    let met = board.needs_met(txn);
    if met.is_empty() {
        e.gaps
            .push("No arrangements for access needs recorded yet.".into());
    }
    for (code, m) in &met {
        e.found
            .push(format!("Access need \"{}\": {}", need_label(code), m.how));
    }
    if ledger.rows > 0 {
        let amounts = match ledger.amounts {
            Some((time, expenses)) => format!(
                ": £{} for time and £{} expenses",
                crate::ledger::pounds(time),
                crate::ledger::pounds(expenses)
            ),
            None => String::new(),
        };
        e.found.push(format!(
            "Payment recorded for {} ({}){amounts}.",
            count(ledger.people, "person", "people"),
            count(ledger.rows, "row", "rows"),
        ));
    } else {
        e.gaps
            .push("No payment or expenses recorded in the ledger yet.".into());
    }
    out.push(e);

    // 2. Working together.
    let mut e = evidence(
        "working-together",
        "Working together",
        "Public members and professionals work as partners, with agreed ways of working \
         and power shared.",
    );
    let rules: Vec<_> = items.iter().filter(|i| i.kind == "groundrule").collect();
    let agreed_rules = rules.iter().filter(|i| i.status == Status::Agreed).count();
    if agreed_rules > 0 {
        e.found.push(format!(
            "{agreed_rules} ground rule(s) agreed by the group (of {} written).",
            rules.len()
        ));
    } else {
        e.gaps.push("No ground rules agreed yet.".into());
    }
    let silent: Vec<_> = board
        .silent_rounds(txn)
        .into_iter()
        .filter(|r| r.state != SilentState::Writing)
        .collect();
    if !silent.is_empty() {
        let first = silent.iter().filter(|r| r.public_first).count();
        e.found.push(format!(
            "{} silent round(s) held, {first} revealing public members' cards first.",
            silent.len()
        ));
    }
    if let Some(lead) = board.lead(txn) {
        e.found.push(format!(
            "Facilitated by {} ({}).",
            lead.name,
            lead.role.label().to_lowercase()
        ));
    }
    let talk = board.talk_ms(txn);
    let total: f64 = talk.values().sum();
    if total > 0.0 {
        let share = |r: &str| (100.0 * talk.get(r).copied().unwrap_or(0.0) / total).round();
        e.found.push(format!(
            "Talk time: public members {}%, professionals {}%, facilitators {}%.",
            share("public"),
            share("professional"),
            share("facilitator")
        ));
    }
    out.push(e);

    // 3. Support and learning.
    let mut e = evidence(
        "support-and-learning",
        "Support and learning",
        "People get the support and learning they need, and the group reflects on how \
         it works together.",
    );
    let reflections = items.iter().filter(|i| i.kind == "review").count();
    if reflections > 0 {
        e.found
            .push(format!("{reflections} reflection(s) written on the board."));
    } else {
        e.gaps
            .push("No reflections on how the group works yet.".into());
    }
    if !met.is_empty() {
        e.found.push(format!(
            "Support arranged for {} kind(s) of access need.",
            met.len()
        ));
    }
    out.push(e);

    // 4. Governance.
    let mut e = evidence(
        "governance",
        "Governance",
        "Public members have a voice in decisions, and it is recorded who decided what.",
    );
    let decisions: Vec<_> = items.iter().filter_map(|i| i.decision.as_ref()).collect();
    if decisions.is_empty() {
        e.gaps.push("No decisions recorded yet.".into());
    } else {
        let with_public = decisions
            .iter()
            .filter(|d| {
                d.by.role == ParticipantRole::Public
                    || d.present.iter().any(|p| p.role == ParticipantRole::Public)
            })
            .count();
        e.found.push(format!(
            "{with_public} of {} decisions were made with public members present.",
            decisions.len()
        ));
        if with_public < decisions.len() {
            e.gaps.push(format!(
                "{} decision(s) were made with no public member present.",
                decisions.len() - with_public
            ));
        }
    }
    let mut dots: BTreeMap<String, u32> = BTreeMap::new();
    for r in board.read_rounds(txn) {
        if let Ok(t) = board.tally(txn, &r.id)
            && !t.hidden
        {
            for (role, n) in t.dots_by_role {
                *dots.entry(role).or_default() += n;
            }
        }
    }
    let all_dots: u32 = dots.values().sum();
    if all_dots > 0 {
        e.found.push(format!(
            "Public members placed {} of {all_dots} votes.",
            dots.get("public").copied().unwrap_or(0)
        ));
    }
    out.push(e);

    // 5. Communications and 6. Impact, from the impact log.
    let log = impact_log(board, txn, now);
    let answered: Vec<_> = log
        .iter()
        .filter(|l| l.outcome != OutcomeState::Pending && l.decided_at > 0.0)
        .collect();
    let mut e = evidence(
        "communications",
        "Communications",
        "People hear, in plain words and in good time, what became of what they said.",
    );
    if log.is_empty() {
        e.gaps
            .push("No contributions from public members to answer yet.".into());
    } else {
        e.found.push(format!(
            "{} of {} contributions from public members have had an answer.",
            answered.len(),
            log.len()
        ));
        let mut days: Vec<f64> = answered
            .iter()
            .map(|l| ((l.decided_at - l.contributed_at) / 86_400_000.0).max(0.0))
            .collect();
        days.sort_by(f64::total_cmp);
        if let Some(mid) = days.get(days.len() / 2) {
            e.found.push(format!(
                "Half of the answers came within {} day(s).",
                mid.ceil()
            ));
        }
        if answered.len() < log.len() {
            e.gaps.push(format!(
                "{} contribution(s) still wait for an answer.",
                log.len() - answered.len()
            ));
        }
    }
    out.push(e);

    let mut e = evidence(
        "impact",
        "Impact",
        "The difference public involvement made is looked for, recorded and shared.",
    );
    let count = |s: OutcomeState| log.iter().filter(|l| l.outcome == s).count();
    let (adopted, adapted, not) = (
        count(OutcomeState::Adopted),
        count(OutcomeState::Adapted),
        count(OutcomeState::NotAdopted),
    );
    if adopted + adapted + not > 0 {
        e.found.push(format!(
            "{adopted} contribution(s) adopted, {adapted} adopted with changes, {not} not \
             adopted (each with a reason). The impact log lists them."
        ));
    } else {
        e.gaps.push("No outcomes recorded yet.".into());
    }
    out.push(e);
    out
}

/// "1 person", "2 people".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn evidence(id: &str, title: &str, asks: &str) -> Evidence {
    Evidence {
        id: id.to_owned(),
        title: title.to_owned(),
        asks: asks.to_owned(),
        found: Vec::new(),
        gaps: Vec::new(),
    }
}

/// Plain words for an access need code.
pub fn need_label(code: &str) -> &str {
    match code {
        "large_text" => "Large text",
        "easy_read" => "Easy read and plain language",
        "screen_reader" => "Screen reader",
        "more_time" => "More time",
        "captions_bsl" => "Captions or BSL",
        "high_contrast" => "Fewer colours and high contrast",
        "reduced_motion" => "Less movement",
        other => other,
    }
}

#[cfg(test)]
mod tests;
