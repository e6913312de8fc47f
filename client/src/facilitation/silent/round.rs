//! One silent round that is still open: its question, where it stands, how many cards
//! are written, my own cards, and (for facilitators) the reveal buttons.

use std::time::Duration;

use coboard_shared::schema::{SilentRound, SilentState};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api;
use super::cards_written;
use super::writer::CardWriter;
use crate::facilitation::facts::Facts;
use crate::identity::Identity;
use crate::sync::SessionHandle;
use crate::ui::access_role::my_role;

/// How often the number of cards is checked while a round is open and the tab showing;
/// when the tab is hidden, every [`SLOW_POLL`] (a new card is good news, not urgent).
const POLL: Duration = Duration::from_secs(3);
const SLOW_POLL: u32 = 5;

/// Where the round stands, in words.
fn state_words(r: &SilentRound, section: &str) -> String {
    let place = if section.is_empty() {
        "on the board".to_owned()
    } else {
        format!("in “{section}”")
    };
    match (r.state, r.public_first) {
        (SilentState::Writing, true) => format!(
            "Write your cards now. Public members' cards will go {place} first, then \
             everyone else's."
        ),
        (SilentState::Writing, false) => {
            format!("Write your cards now. All the cards will go {place} together.")
        }
        (SilentState::Public, _) => {
            format!("Public members' cards are {place}. Everyone else's are still hidden.")
        }
        (SilentState::Revealed, _) => format!("All the cards are {place}."),
    }
}

#[component]
pub(super) fn OpenRound(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    facts: Memo<Facts>,
    round_id: String,
    /// The newest open round: its controls carry the ids the page is known by.
    primary: bool,
    active: Signal<bool>,
) -> impl IntoView {
    let manage = my_role().can_manage();
    let signals = session.signals();
    let rid = round_id.clone();
    let round = Memo::new(move |_| facts.with(|f| f.silent.iter().find(|r| r.id == rid).cloned()));
    let section = Memo::new(move |_| {
        let id = round.with(|r| r.as_ref().map(|r| r.section.clone()).unwrap_or_default());
        signals
            .sections
            .with(|s| s.iter().find(|s| s.id == id).map(|s| s.title.clone()))
            .unwrap_or_default()
    });
    let state = move || round.with(|r| r.as_ref().map(|r| r.state).unwrap_or_default());
    let count = RwSignal::new(None::<u64>);
    let (board, token) = {
        let s = session.get();
        (s.board_id().to_owned(), s.token().to_owned())
    };
    let fetch = {
        let (board, token, round_id) = (board.clone(), token.clone(), round_id.clone());
        move || {
            let (board, token, round_id) = (board.clone(), token.clone(), round_id.clone());
            spawn_local(async move {
                if let Ok(n) = api::count(&board, &token, &round_id).await {
                    let _ = count.try_set(Some(n));
                }
            });
        }
    };
    fetch();
    let ticks = StoredValue::new(0u32);
    let poll = set_interval_with_handle(
        {
            let fetch = fetch.clone();
            move || {
                let n = ticks.try_update_value(|t| {
                    *t += 1;
                    *t
                });
                let showing = active.try_get_untracked().unwrap_or(false);
                let due = showing || n.is_some_and(|n| n % SLOW_POLL == 0);
                if due && !document().hidden() {
                    fetch();
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

    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(String::new());
    let reveal = {
        let (board, token, round_id) = (board.clone(), token.clone(), round_id.clone());
        move |public_only: bool| {
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            let (board, token, round_id) = (board.clone(), token.clone(), round_id.clone());
            spawn_local(async move {
                match api::reveal(&board, &token, &round_id, public_only).await {
                    Ok(r) => {
                        let _ = error.try_set(None);
                        let _ = done.try_set(match r.cards {
                            1 => "1 card went on the board.".to_owned(),
                            n => format!("{n} cards went on the board."),
                        });
                    }
                    Err(e) => {
                        let _ = error.try_set(Some(e.message));
                    }
                }
                let _ = busy.try_set(false);
            });
        }
    };
    let reveal_public = reveal.clone();
    let id_if = move |id: &'static str| primary.then_some(id);

    view! {
        <article class="silent-round" data-round=round_id.clone() data-state=move || state().as_str()>
            <h4 class="silent-prompt">
                {move || round.with(|r| r.as_ref().map(|r| r.prompt.clone()).unwrap_or_default())}
            </h4>
            <p class="silent-state">
                {move || round.with(|r| {
                    r.as_ref().map(|r| state_words(r, &section.get())).unwrap_or_default()
                })}
            </p>
            <p id=id_if("silent-count") class="silent-count">
                {move || count.get().map(cards_written).unwrap_or_else(|| "Counting the cards…".to_owned())}
            </p>
            <CardWriter
                session=session
                me=me
                round=round
                round_id=round_id.clone()
                primary=primary
                count=count
            />
            {manage.then(move || view! {
                <div class="round-actions silent-actions">
                    <Show when=move || {
                        round.with(|r| r.as_ref().is_some_and(|r| {
                            r.public_first && r.state == SilentState::Writing
                        }))
                    }>
                        <button
                            id=id_if("silent-reveal-public")
                            type="button"
                            class="primary"
                            aria-disabled=move || busy.get().to_string()
                            on:click={
                                let reveal = reveal_public.clone();
                                move |_| reveal(true)
                            }
                        >
                            "Reveal public members' cards"
                        </button>
                    </Show>
                    <button
                        id=id_if("silent-reveal-all")
                        type="button"
                        class="secondary"
                        aria-disabled=move || busy.get().to_string()
                        on:click=move |_| reveal(false)
                    >
                        {move || if state() == SilentState::Public {
                            "Reveal everyone else's cards"
                        } else {
                            "Reveal all cards"
                        }}
                    </button>
                </div>
            })}
            <p class="form-error" role="alert">{move || error.get()}</p>
            // Not a live region: the round's news (above the rounds) already says it.
            <p class="form-done">{move || done.get()}</p>
        </article>
    }
}
