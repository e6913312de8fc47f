//! Markdown: for pasting into wikis, issue trackers and documents. User text is escaped,
//! so a note can never turn into a heading, a link, a table or raw HTML.

use std::fmt::Write;

use coboard_shared::export::{Plan, Scope};

use super::{date, when};

/// Said of an agreed item whose words changed afterwards (the export keeps the agreed words).
const PENDING: &str = "(changed since agreed: the change is not yet agreed)";

/// Escapes what Markdown could read as syntax in user text: inline markup, HTML, links,
/// tables, headings, and list or quote markers at the start of a line. Line breaks stay
/// inside one paragraph. Ordinary punctuation is left alone, so the file stays readable.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.trim().lines() {
        if !out.is_empty() {
            out.push_str("  \n");
        }
        let line = line.trim_end_matches('\r');
        let numbered = line
            .split_once(['.', ')'])
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if numbered || line.starts_with(['-', '+', '=', '>']) {
            out.push('\\');
        }
        for c in line.chars() {
            if matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Sections that have their own chapter below (the stage plan table, the ranking, the
/// decisions), so they are not repeated as lists.
pub(super) fn listed(kind: &str) -> bool {
    !matches!(kind, "stageplan" | "decisions" | "voting")
}

pub fn render(plan: &Plan) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# {}\n", esc(&plan.title));
    let scope = match plan.scope {
        Scope::Agreed => "What the group agreed",
        Scope::All => "Everything on the board, with its status",
    };
    let _ = writeln!(
        md,
        "{} · {} · from {} ({})\n",
        plan.template_name,
        scope,
        esc(&plan.source.snapshot),
        date(plan.source.taken_at)
    );
    for s in plan.sections.iter().filter(|s| listed(&s.kind)) {
        let _ = writeln!(md, "## {}\n", esc(&s.title));
        if s.items.is_empty() {
            md.push_str("_Nothing here yet._\n\n");
        }
        for i in &s.items {
            let text = esc(&i.text);
            let lead = match (i.heading.as_deref(), text.is_empty()) {
                (Some(h), true) => format!("**{h}**"),
                (Some(h), false) => format!("**{h}**: {text}"),
                (None, _) => text,
            };
            let _ = write!(md, "- {lead}");
            if plan.scope == Scope::All {
                let _ = write!(md, " _({})_", i.status.label());
            }
            if !i.author.is_empty() {
                let _ = write!(md, " — {}, {}", esc(&i.author), i.role);
            }
            if i.changed_since_agreed {
                let _ = write!(md, " _{PENDING}_");
            }
            md.push('\n');
            for f in &i.fields {
                let _ = writeln!(md, "  - {}: {}", f.label, esc(&f.value));
            }
        }
        md.push('\n');
    }
    if !plan.stage_plan.is_empty() {
        md.push_str("## Stage plan\n\n");
        md.push_str(
            "| Stage | Approach | Who is involved | Who decides | How | When | Support and resources |\n",
        );
        md.push_str("|---|---|---|---|---|---|---|\n");
        for r in &plan.stage_plan {
            if !r.included {
                let _ = writeln!(md, "| {} | _Not agreed yet_ | | | | | |", r.label);
                continue;
            }
            let cells = [
                &r.approach,
                &r.who_involved,
                &r.who_decides,
                &r.how,
                &r.when,
                &r.support,
            ]
            .map(|c| esc(c).replace("  \n", "<br>"));
            let _ = writeln!(md, "| {} | {} |", r.label, cells.join(" | "));
        }
        md.push('\n');
    }
    if !plan.priorities.is_empty() {
        md.push_str("## Priorities, ranked\n\n| Rank | Priority | Votes |\n|---|---|---|\n");
        for p in &plan.priorities {
            let rank = match (p.rank, p.tied) {
                (0, _) => "–".to_owned(),
                (r, true) => format!("{r} (tied)"),
                (r, false) => r.to_string(),
            };
            let text = esc(&p.text).replace("  \n", "<br>");
            let _ = writeln!(md, "| {rank} | {text} | {} |", p.votes);
        }
        md.push('\n');
    }
    md.push_str("## Decisions\n\n");
    if plan.decisions.is_empty() {
        md.push_str("_No decisions recorded yet._\n\n");
    }
    for d in &plan.decisions {
        let present: Vec<String> = d.present.iter().map(|p| esc(p)).collect();
        let _ = writeln!(
            md,
            "- {} ({}): agreed {}, marked by {}; present: {}{}",
            esc(&d.what),
            d.kind_label,
            when(d.at),
            esc(&d.by),
            if present.is_empty() {
                "not recorded".to_owned()
            } else {
                present.join(", ")
            },
            if d.changed_since_agreed {
                format!(" _{PENDING}_")
            } else {
                String::new()
            }
        );
    }
    md.push_str("\n## Contributors\n\n");
    for c in &plan.contributors {
        let _ = writeln!(md, "- {} ({}): {} item(s)", esc(&c.name), c.role, c.items);
    }
    md
}
