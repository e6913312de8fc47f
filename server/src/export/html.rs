//! HTML: one self-contained file (inline CSS with a print stylesheet, no scripts, no
//! external resources) that opens in a browser, in Word and in LibreOffice. The template
//! is `server/templates/plan.html`; askama escapes every value put into it.

use askama::Template;
use coboard_shared::export::{Plan, Scope};

use super::{date, when};

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage<'a> {
    plan: &'a Plan,
    all: bool,
    taken: String,
}

impl PlanPage<'_> {
    fn when(&self, ms: &f64) -> String {
        when(*ms)
    }

    fn listed(&self, kind: &str) -> bool {
        super::markdown::listed(kind)
    }
}

pub fn render(plan: &Plan) -> Result<String, String> {
    PlanPage {
        plan,
        all: plan.scope == Scope::All,
        taken: date(plan.source.taken_at),
    }
    .render()
    .map_err(|e| e.to_string())
}
