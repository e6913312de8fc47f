//! "Facilitating: Pat (Public member)": who leads the session now, for everyone, so the
//! role is visible and can be seen to move.

use leptos::prelude::*;

use super::Facts;

/// Who leads the session now, for everyone.
#[component]
pub(super) fn LeadLine(facts: Memo<Facts>) -> impl IntoView {
    view! {
        <p class="lead-line">
            {move || match facts.with(|f| f.lead.clone()) {
                Some(l) => view! {
                    <span id="lead-name">
                        {format!("Facilitating: {} ({})", l.name, l.role.label())}
                    </span>
                }
                    .into_any(),
                None => view! {
                    <span>"Facilitating: people with a facilitator link."</span>
                }
                    .into_any(),
            }}
        </p>
    }
}
