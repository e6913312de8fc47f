//! "What changed since" a snapshot: items added, removed, edited and moved between
//! draft, proposed and agreed, each with who did it. Worked out by the server, which
//! holds both the snapshot and the board's full activity list.

use coboard_shared::history::{Change, Changes};
use leptos::prelude::*;

fn line(c: &Change, extra: Option<String>) -> impl IntoView + use<> {
    let who = (!c.who.is_empty()).then(|| format!("By {}.", c.who.join(", ")));
    let text = if c.text.trim().is_empty() {
        "(no text)".to_owned()
    } else {
        crate::ui::text::first_words(&c.text, 120)
    };
    view! {
        <li data-item=c.id.clone()>
            <span class="change-kind">{c.kind_label.clone()}</span>
            ": "
            <span class="change-text">{text}</span>
            {extra.map(|e| view! { " " <span class="change-status">{e}</span> })}
            {who.map(|w| view! { " " <span class="change-who">{w}</span> })}
        </li>
    }
}

/// One group, left out when empty.
fn group(title: &'static str, class: &'static str, lines: Vec<AnyView>) -> impl IntoView {
    (!lines.is_empty()).then(|| {
        view! {
            <h5 class="change-group">{title}</h5>
            <ul class=format!("change-list {class}")>{lines}</ul>
        }
    })
}

#[component]
pub fn SnapshotChanges(changes: Changes) -> impl IntoView {
    if changes.is_empty() {
        return view! { <p class="panel-empty">"No changes since this snapshot."</p> }.into_any();
    }
    let plain = |list: &[Change]| {
        list.iter()
            .map(|c| line(c, None).into_any())
            .collect::<Vec<_>>()
    };
    let status = changes
        .status
        .iter()
        .map(|s| {
            let move_words = format!("({} → {})", s.from.label(), s.to.label());
            line(&s.item, Some(move_words)).into_any()
        })
        .collect::<Vec<_>>();
    view! {
        <div class="change-groups">
            {group("Added", "changes-added", plain(&changes.added))}
            {group("Removed", "changes-removed", plain(&changes.removed))}
            {group("Edited", "changes-edited", plain(&changes.edited))}
            {group("Status changed", "changes-status", status)}
        </div>
    }
    .into_any()
}
