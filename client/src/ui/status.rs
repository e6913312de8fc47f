//! The connection indicator: words and a colour, never colour alone.

use leptos::prelude::*;

use crate::sync::{Link, Signals};

/// Machine-readable state (the `data-state` attribute) and the words people see.
fn describe(link: &Link, pending: u32) -> (&'static str, String) {
    match link {
        Link::Connected => ("connected", "Connected".to_owned()),
        Link::Refused(_) => ("refused", "Not connected".to_owned()),
        Link::Connecting if pending == 0 => ("reconnecting", "Connecting…".to_owned()),
        Link::Reconnecting if pending == 0 => ("reconnecting", "Reconnecting…".to_owned()),
        Link::Connecting | Link::Reconnecting => {
            let changes = if pending == 1 { "change" } else { "changes" };
            (
                "offline",
                format!("Offline — {pending} {changes} waiting to send"),
            )
        }
    }
}

#[component]
pub fn Status(signals: Signals) -> impl IntoView {
    let described = Memo::new(move |_| {
        let pending = signals.pending.get();
        signals.link.with(|l| describe(l, pending))
    });
    view! {
        <p id="status" class="status" role="status" data-state=move || described.get().0>
            <span class="status-dot" aria-hidden="true"></span>
            {move || described.get().1}
        </p>
        // A view-only connection that tried to change something sees this, and a page
        // whose change broke the board's rules (after it reloaded); the server's reason
        // is already a sentence.
        <Show when=move || signals.denied.with(Option::is_some)>
            <p id="edit-refused" class="error" role="alert">
                {move || signals.denied.get()}
            </p>
        </Show>
    }
}
