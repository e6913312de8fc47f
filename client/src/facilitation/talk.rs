//! The talk-time meter: how long each role has spoken, shown when the group chooses to
//! see it, so that a session dominated by one role is noticed while it happens.

use leptos::prelude::*;

use super::{duration_words, role_words};

/// Bars of time spoken per role, with the time in words beside each.
#[component]
pub(super) fn TalkMeter(talk: Memo<Vec<(&'static str, f64)>>) -> impl IntoView {
    view! {
        <ul id="talk-time" class="silent-done" aria-label="Time spoken per role">
            {move || {
                let rows = talk.get();
                let total: f64 = rows.iter().map(|r| r.1).sum();
                rows.into_iter()
                    .map(|(role, ms)| {
                        let share = if total > 0.0 { ms / total * 100.0 } else { 0.0 };
                        view! {
                            <li class="talk-row" data-role=role>
                                <span>{role_words(role)}</span>
                                <span class="talk-bar" aria-hidden="true">
                                    <span class="talk-fill" style:width=format!("{share:.0}%")></span>
                                </span>
                                <span>{duration_words(ms)}</span>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}
