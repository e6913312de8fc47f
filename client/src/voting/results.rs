//! A round's results: the ranking, with ties shown as ties, and who voted as counts.

use std::collections::HashMap;

use coboard_shared::schema::{ParticipantRole, Ranked, RoundState, Tally};
use leptos::prelude::*;

use crate::sync::Signals;

use super::*;

/// The ranking: live for open rounds, final for closed ones, hidden for open sealed ones.
/// The counts sit in live regions that stay in place, so changes to them are announced.
#[component]
pub(super) fn Results(
    signals: Signals,
    tally: Memo<Option<Tally>>,
    counts: RwSignal<HashMap<String, u64>>,
) -> impl IntoView {
    let hidden = Memo::new(move |_| tally.with(|t| t.as_ref().is_none_or(|t| t.hidden)));
    let open = Memo::new(move |_| {
        tally.with(|t| {
            t.as_ref()
                .is_some_and(|t| t.round.state == RoundState::Open)
        })
    });
    let round_id = Memo::new(move |_| {
        tally.with(|t| t.as_ref().map(|t| t.round.id.clone()).unwrap_or_default())
    });
    let sealed_count = move || {
        let id = round_id.get();
        counts.with(|c| match c.get(&id) {
            Some(&n) => people_voted(n),
            None => "Checking how many people have voted…".to_owned(),
        })
    };
    let voters = move || tally.with(|t| t.as_ref().map(|t| people_voted(u64::from(t.voters))));
    let by_role = move || {
        tally.with(|t| {
            let t = t.as_ref()?;
            let parts = ParticipantRole::ALL
                .into_iter()
                .filter_map(|r| {
                    let n = t.dots_by_role.get(r.as_str()).copied().unwrap_or(0);
                    (n > 0).then(|| format!("{}: {}", r.label(), votes(n)))
                })
                .collect::<Vec<_>>();
            (!parts.is_empty()).then(|| format!("Votes by role: {}.", parts.join(", ")))
        })
    };
    let ranking = move || {
        tally.get().map(|t| {
            t.ranking
                .into_iter()
                .map(|r| ranked_view(signals, r))
                .collect_view()
        })
    };
    move || {
        if hidden.get() {
            view! {
                <div class="results sealed">
                    <p class="sealed-note">"Votes stay hidden until the round closes."</p>
                    <p class="ballot-count" aria-live="polite">{sealed_count}</p>
                </div>
            }
            .into_any()
        } else {
            view! {
                <div class="results">
                    <h4 class="results-heading">
                        {move || if open.get() { "Results so far" } else { "Results" }}
                    </h4>
                    <p class="voter-count" aria-live="polite">{voters}</p>
                    <p class="by-role">{by_role}</p>
                    <ol class="ranking">{ranking}</ol>
                </div>
            }
            .into_any()
        }
    }
}

pub(super) fn ranked_view(signals: Signals, r: Ranked) -> impl IntoView {
    let words = item_words(signals, &r.item);
    view! {
        <li
            data-item=r.item.clone()
            data-rank=r.rank.to_string()
            data-votes=r.votes.to_string()
            data-tied=r.tied.to_string()
        >
            <span class="rank">{format!("{}.", r.rank)}</span>
            " "
            <span class="ranked-text">{words}</span>
            " "
            <span class="ranked-votes">{votes(r.votes)}</span>
            {r.tied.then(|| view! { " " <span class="tied">"Tied"</span> })}
        </li>
    }
}
