//! CSV of the ranked priorities, for a spreadsheet.

use coboard_shared::export::Plan;

/// Spreadsheets run cells that start with these as formulas; such cells get a leading
/// apostrophe so a note can never become a formula on someone's computer.
pub(super) fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

pub fn render(plan: &Plan) -> Result<Vec<u8>, String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let err = |e: ::csv::Error| e.to_string();
    w.write_record(["rank", "tied", "priority", "votes", "status", "round"])
        .map_err(err)?;
    for p in &plan.priorities {
        let rank = if p.rank == 0 {
            String::new()
        } else {
            p.rank.to_string()
        };
        w.write_record([
            rank,
            p.tied.to_string(),
            cell(&p.text),
            p.votes.to_string(),
            p.status.as_str().to_owned(),
            cell(&p.round),
        ])
        .map_err(err)?;
    }
    w.into_inner().map_err(|e| e.to_string())
}
