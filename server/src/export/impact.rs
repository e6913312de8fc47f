//! "You said, we did": the impact log as CSV and Markdown, and the draft GRIPP2 short-form
//! report in Markdown. The models come from `coboard_shared::impact`, which has already
//! applied each contribution's consent.

use std::fmt::Write;

use coboard_shared::impact::{Gripp2, ImpactEntry};

use super::csv::cell;
use super::date;
use super::markdown::esc;

pub fn csv(log: &[ImpactEntry]) -> Result<Vec<u8>, super::ExportError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let err = |e: ::csv::Error| super::ExportError::csv(e.to_string());
    w.write_record([
        "contributed",
        "kind",
        "contribution",
        "who",
        "outcome",
        "reason",
        "decided by",
        "decided",
    ])
    .map_err(err)?;
    for e in log {
        let decided = if e.decided_at > 0.0 {
            date(e.decided_at)
        } else {
            String::new()
        };
        w.write_record([
            date(e.contributed_at),
            e.kind_label.clone(),
            cell(&e.text),
            cell(&e.who),
            e.outcome.label().to_owned(),
            cell(&e.reason),
            cell(&e.decided_by),
            decided,
        ])
        .map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| super::ExportError::csv(e.to_string()))
}

pub fn markdown(title: &str, log: &[ImpactEntry]) -> String {
    let mut out = format!("# You said, we did: {}\n\n", esc(title));
    if log.is_empty() {
        out.push_str("No contributions from public members yet.\n");
    }
    for e in log {
        let _ = write!(
            out,
            "- **{}** from {}, {}: {}\n  \n  *{}*",
            esc(&e.kind_label),
            esc(&e.who),
            date(e.contributed_at),
            esc(&e.text),
            e.outcome.label()
        );
        if !e.decided_by.is_empty() {
            let _ = write!(
                out,
                ", decided by {} on {}",
                esc(&e.decided_by),
                date(e.decided_at)
            );
        }
        if !e.reason.is_empty() {
            let _ = write!(out, ". {}", esc(&e.reason));
        }
        out.push('\n');
    }
    out
}

pub fn gripp2(g: &Gripp2) -> String {
    let mut out = format!("# GRIPP2 short form (draft): {}\n\n", esc(&g.title));
    out.push_str(
        "Made from the board by Coboard. It is a starting point: check every section with the \
         group, and fill in what the board cannot know.\n\n",
    );
    out.push_str("## 1. Aim\n\nWhat involving the public in this work set out to do:\n\n");
    list(
        &mut out,
        &g.aims,
        "No agreed aims on the board yet: write the aim here.",
    );
    let [public, professional, facilitator] = g.contributions;
    let _ = write!(
        out,
        "\n## 2. Methods\n\nThe group planned together on a shared Coboard board (template: {}). \
         Contributions on the board: {public} from public members, {professional} from \
         professionals and {facilitator} from facilitators.\n\n\
         - (Add how people were invited, supported, trained and paid.)\n",
        esc(&g.template)
    );
    let [adopted, adapted, not_adopted, pending] = g.outcomes;
    let _ = write!(
        out,
        "\n## 3. Results\n\nOf {} contributions from public members: {adopted} adopted as \
         suggested, {adapted} adopted with changes, {not_adopted} not adopted, {pending} not \
         decided yet.\n",
        adopted + adapted + not_adopted + pending
    );
    out.push_str("\n## 4. Outcomes: how public involvement influenced the work\n\n");
    let influence: Vec<String> = g
        .influence
        .iter()
        .map(|e| {
            let mut line = format!("{} ({}): {}", esc(&e.text), esc(&e.who), e.outcome.label());
            if !e.reason.is_empty() {
                let _ = write!(line, ". {}", esc(&e.reason));
            }
            line
        })
        .collect();
    list_raw(&mut out, &influence, "Nothing recorded as adopted yet.");
    out.push_str("\n## 5. Critical reflection\n\n");
    list(
        &mut out,
        &g.reflections,
        "No reflections on the board yet: what went well, what did not, and what the group would change.",
    );
    out
}

fn list(out: &mut String, items: &[String], empty: &str) {
    let escaped: Vec<String> = items.iter().map(|s| esc(s)).collect();
    list_raw(out, &escaped, empty);
}

fn list_raw(out: &mut String, items: &[String], empty: &str) {
    if items.is_empty() {
        let _ = writeln!(out, "- ({empty})");
    }
    for item in items {
        let _ = writeln!(out, "- {item}");
    }
}
