//! The "Voting" tab: dot voting in rounds.
//!
//! A facilitator starts a round on a section (or on every idea and priority), giving
//! everyone the same number of votes. People spread their votes over the candidates with
//! "+" and "−". In an open round the results show live; in a sealed round each person's
//! votes go to the server, not into the board, and stay hidden until a facilitator closes
//! the round. Who voted is only ever shown as a count.

mod api;

mod ballot;
mod results;
mod round_card;
mod round_form;

use ballot::BallotBox;
use results::Results;
use round_card::RoundCard;
use round_form::RoundForm;

use std::collections::HashMap;
use std::time::Duration;

use coboard_shared::schema::{RoundState, Tally, kind_label};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::identity::Identity;
use crate::sync::{SessionHandle, Signals};
use crate::ui::access_role::my_role;
use crate::ui::text::first_words;

/// Most votes a facilitator may give each person in a round.
pub(super) const MAX_VOTES: u32 = 20;
/// Votes each person gets unless the facilitator chooses otherwise.
pub(super) const DEFAULT_VOTES: u32 = 5;
/// How often the number of sealed ballots is checked while the tab is showing.
pub(super) const POLL: Duration = Duration::from_secs(5);
/// A new "voted" line goes into the activity list at most this often per round.
pub(super) const VOTED_LOG_GAP_MS: f64 = 120_000.0;
/// Section kinds a round can be held on.
pub(super) const VOTABLE: [&str; 4] = ["ideas", "priorities", "aims", "voting"];
/// Characters of an item's text shown in lists of candidates and results.
pub(super) const SHORT: usize = 90;

pub(super) fn votes(n: u32) -> String {
    if n == 1 {
        "1 vote".to_owned()
    } else {
        format!("{n} votes")
    }
}

/// "1 person has voted", "3 people have voted".
pub(super) fn people_voted(n: u64) -> String {
    match n {
        0 => "Nobody has voted yet.".to_owned(),
        1 => "1 person has voted.".to_owned(),
        n => format!("{n} people have voted."),
    }
}

/// The words for an item in a list: "Idea: More evening sessions".
pub(super) fn item_words(signals: Signals, id: &str) -> String {
    signals.items.item(id).map_or_else(
        || "An item that has been deleted".to_owned(),
        |i| {
            let text = first_words(&i.text, SHORT);
            let text = if text.is_empty() {
                "(no text yet)".to_owned()
            } else {
                text
            };
            format!("{}: {text}", kind_label(&i.kind))
        },
    )
}

/// Open rounds first, then closed ones; newest first within each.
pub(super) fn ordered(rounds: &[Tally]) -> Vec<String> {
    let mut list: Vec<&Tally> = rounds.iter().collect();
    list.sort_by(|a, b| {
        let closed = |t: &Tally| t.round.state == RoundState::Closed;
        closed(a)
            .cmp(&closed(b))
            .then(b.round.created_at.total_cmp(&a.round.created_at))
    });
    list.into_iter().map(|t| t.round.id.clone()).collect()
}

#[component]
pub fn VotingTab(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    /// Whether the Voting tab is the one showing (sealed counts are only polled then).
    active: Signal<bool>,
    now: RwSignal<f64>,
) -> impl IntoView {
    let signals = session.signals();
    let counts = RwSignal::new(HashMap::<String, u64>::new());
    let open_sealed = Memo::new(move |_| {
        signals.rounds.with(|rounds| {
            rounds
                .iter()
                .filter(|t| t.round.sealed && t.round.state == RoundState::Open)
                .map(|t| t.round.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let fetch_counts = move |ids: Vec<String>| {
        let s = session.get();
        for round in ids {
            let (board, token) = (s.board_id().to_owned(), s.token().to_owned());
            spawn_local(async move {
                if let Ok(n) = api::count(&board, &token, &round).await {
                    let _ = counts.try_update(|c| c.insert(round, n));
                }
            });
        }
    };
    Effect::new(move |_| {
        let ids = open_sealed.get();
        if active.get() && !ids.is_empty() {
            fetch_counts(ids);
        }
    });
    let poll = set_interval_with_handle(
        move || {
            let hidden = document().hidden();
            if !hidden && active.try_get_untracked() == Some(true) {
                let ids = open_sealed.try_get_untracked().unwrap_or_default();
                if !ids.is_empty() {
                    fetch_counts(ids);
                }
            }
        },
        POLL,
    )
    .ok();
    on_cleanup(move || {
        if let Some(p) = poll {
            p.clear();
        }
    });

    let order = Memo::new(move |_| signals.rounds.with(|r| ordered(r)));

    view! {
        <h2 class="panel-heading">"Voting"</h2>
        <p class="panel-help">
            "Everyone gets the same number of votes to spread over the ideas. "
            "Put several on one idea if it matters a lot to you."
        </p>
        {my_role().can_manage().then(|| view! { <RoundForm session=session me=me/> })}
        {move || {
            order
                .with(Vec::is_empty)
                .then(|| view! { <p class="panel-empty">"No voting rounds yet."</p> })
        }}
        <div class="rounds">
            <For each=move || order.get() key=|id| id.clone() let:round_id>
                <RoundCard session=session me=me round_id=round_id counts=counts now=now/>
            </For>
        </div>
    }
}
