//! Evidence for the UK Standards for Public Involvement as Markdown, for a report or a
//! funder. The model comes from `coboard_shared::standards`.

use std::fmt::Write;

use coboard_shared::standards::Evidence;

use super::markdown::esc;

pub fn markdown(title: &str, evidence: &[Evidence]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}: evidence for the UK Standards for Public Involvement\n",
        esc(title)
    );
    for e in evidence {
        let _ = writeln!(out, "## {}\n\n_{}_\n", esc(&e.title), esc(&e.asks));
        for f in &e.found {
            let _ = writeln!(out, "- {}", esc(f));
        }
        if !e.gaps.is_empty() {
            let _ = writeln!(out, "\nNot yet shown by the board:\n");
            for g in &e.gaps {
                let _ = writeln!(out, "- {}", esc(g));
            }
        }
        out.push('\n');
    }
    out
}
