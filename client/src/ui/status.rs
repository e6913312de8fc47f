//! The connection indicator: words and a colour, never colour alone.

use leptos::prelude::*;

use crate::sync::{Kept, Link, Signals};

/// Machine-readable state (the `data-state` attribute) and the words people see.
///
/// "Sent" means the server said it has stored the change, not that it left this page;
/// "saved on this device" means it is in this browser's storage and survives a reload.
fn describe(link: &Link, pending: u32, kept: Kept) -> (&'static str, String) {
    let changes = |n: u32| match n {
        1 => "1 change".to_owned(),
        n => format!("{n} changes"),
    };
    let waiting = match kept {
        Kept::Unavailable => format!(
            "{} not sent yet: keep this page open until it is back",
            changes(pending)
        ),
        Kept::Saving => format!("saving {} on this device…", changes(pending)),
        Kept::Opening | Kept::Saved => {
            format!("{} saved on this device, not sent yet", changes(pending))
        }
    };
    match (link, pending) {
        (Link::Refused(_), _) => ("refused", "Not connected".to_owned()),
        (Link::Connected, 0) => ("connected", "Connected · all changes sent".to_owned()),
        (Link::Connected, n) => ("sending", format!("Connected · sending {}…", changes(n))),
        (Link::Connecting, 0) => ("reconnecting", "Connecting…".to_owned()),
        (Link::Reconnecting, 0) => ("reconnecting", "Connection lost · trying again…".to_owned()),
        (Link::Offline, 0) => ("offline", "Offline · nothing waiting to send".to_owned()),
        (Link::Offline, _) => ("offline", format!("Offline · {waiting}")),
        (Link::Connecting | Link::Reconnecting, _) => {
            ("offline", format!("Not connected · {waiting}"))
        }
    }
}

#[component]
pub fn Status(signals: Signals) -> impl IntoView {
    let described = Memo::new(move |_| {
        let pending = signals.pending.get();
        let kept = signals.kept.get();
        signals.link.with(|l| describe(l, pending, kept))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_say_sent_only_when_stored_and_count_edits() {
        let (state, words) = describe(&Link::Connected, 0, Kept::Saved);
        assert_eq!(
            (state, words.as_str()),
            ("connected", "Connected · all changes sent")
        );
        let (state, words) = describe(&Link::Connected, 1, Kept::Saved);
        assert_eq!(state, "sending");
        assert!(words.contains("sending 1 change…"), "{words}");
        let (state, words) = describe(&Link::Offline, 2, Kept::Saved);
        assert_eq!(state, "offline");
        assert_eq!(
            words,
            "Offline · 2 changes saved on this device, not sent yet"
        );
        let (_, words) = describe(&Link::Reconnecting, 3, Kept::Unavailable);
        assert!(words.contains("keep this page open"), "{words}");
    }
}
