//! Extra spoken news for people who said they use a screen reader: who arrives and who
//! leaves, and what others add, change the status of, comment on or delete.
//!
//! Sighted people notice a new card or a new name at a glance; a screen reader user only
//! hears about it if the page says so. A polite live region does, without moving focus.
//! Typing and votes are left out (they would be too chatty, and sealed votes are secret).
//! Nothing is said about what was already there when the board opened, nor about my own
//! changes. Only people who declared the need get the region at all.

use coboard_shared::schema::{Action, ActivityEntry};
use leptos::prelude::*;

use crate::activity::describe;
use crate::identity::Identity;
use crate::needs::{self, Need};
use crate::sync::Signals;

/// Whether to say something about an activity line.
fn worth_saying(e: &ActivityEntry, me: Option<&Identity>) -> bool {
    let mine = me.is_some_and(|m| {
        (!m.id.is_empty() && e.who.id == m.id)
            || (m.anonymous && e.who.anonymous && e.who.role == m.role)
    });
    !mine && !matches!(e.action, Action::Edited | Action::Voted)
}

/// People present besides me, by presence id.
fn others(signals: Signals) -> Vec<(u64, String)> {
    signals.peers.with(|peers| {
        peers
            .iter()
            .filter(|p| !p.me)
            .map(|p| (p.client_id, p.name.clone()))
            .collect()
    })
}

#[component]
pub fn NeedsAnnouncer(signals: Signals) -> impl IntoView {
    let on = needs::wants(Need::ScreenReader);
    let me = crate::activity::record::me();
    let message = RwSignal::new(String::new());
    let say = move |lines: Vec<String>| {
        if on.get_untracked() && !lines.is_empty() {
            message.set(lines.join(". "));
        }
    };

    // Arrivals and departures, once the board has first loaded.
    Effect::new(move |before: Option<Option<Vec<(u64, String)>>>| {
        let now = others(signals);
        if !signals.synced.get() {
            return None;
        }
        if let Some(before) = before.flatten() {
            let gone = |a: &[(u64, String)], b: &[(u64, String)]| {
                a.iter()
                    .filter(|p| !b.iter().any(|q| q.0 == p.0))
                    .map(|p| p.1.clone())
                    .collect::<Vec<_>>()
            };
            let mut lines: Vec<String> = gone(&now, &before)
                .into_iter()
                .map(|n| format!("{n} is now on the board"))
                .collect();
            lines.extend(gone(&before, &now).into_iter().map(|n| format!("{n} left")));
            say(lines);
        }
        Some(now)
    });

    // Others' changes: activity lines newer than the newest one already seen.
    Effect::new(move |seen: Option<Option<f64>>| {
        let latest = signals
            .activity
            .with(|a| a.first().map(|e| e.at))
            .unwrap_or(0.0);
        if !signals.synced.get() {
            return None;
        }
        if let Some(since) = seen.flatten() {
            let who = me.get_untracked();
            let mut lines: Vec<String> = signals.activity.with_untracked(|a| {
                a.iter()
                    .take_while(|e| e.at > since)
                    .filter(|e| worth_saying(e, who.as_ref()))
                    .map(|e| format!("{} {}", e.who.display(), describe(e)))
                    .collect()
            });
            // The list is newest first; say things in the order they happened.
            lines.reverse();
            say(lines);
            return Some(latest.max(since));
        }
        Some(latest)
    });

    view! {
        <Show when=move || on.get()>
            <p id="needs-announce" class="visually-hidden" aria-live="polite" aria-atomic="true">
                {move || message.get()}
            </p>
        </Show>
    }
}
