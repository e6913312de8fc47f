//! "Add ground rules": for boards whose template has no place for them, a facilitator
//! adds a "How we work together" section, first on the board. Agreeing how to treat each
//! other, decide and disagree comes before the work (INVOLVE 2018 on building
//! relationships); the Standards evidence looks for agreed ground rules.

use leptos::prelude::*;

use crate::sync::SessionHandle;

#[component]
pub fn GroundRules(session: SessionHandle) -> impl IntoView {
    let signals = session.signals();
    let missing = Memo::new(move |_| {
        signals
            .sections
            .with(|s| !s.iter().any(|s| s.kind == "groundrules"))
    });
    let add = move |_| {
        session.get().edit(|board, txn| {
            board.add_ground_rules(txn);
        });
    };
    view! {
        <Show when=move || missing.get()>
            <section class="facilitate-box" aria-labelledby="ground-rules-heading">
                <h3 id="ground-rules-heading" class="panel-subheading">"Ground rules"</h3>
                <p class="panel-help">
                    "This board has no place yet for the group's ground rules: how you "
                    "treat each other, make choices and handle disagreement. Agree them "
                    "first."
                </p>
                <button id="ground-rules-add" type="button" class="secondary" on:click=add>
                    "Add a ground rules section"
                </button>
            </section>
        </Show>
    }
}
