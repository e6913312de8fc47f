//! Silent rounds, in the Facilitate tab: everyone writes cards alone, and nobody sees any
//! of them until the facilitator reveals them, public members' first if they chose so.
//!
//! Writing alone first lets quieter voices be heard before confident ones take the floor.
//! Cards go to the server, not into the board (every browser holds the whole board), so
//! not even a facilitator can read them early; the server puts them on the board at the
//! reveal. Only a count of cards is ever shown before then.

mod api;

mod form;
mod mine;
mod round;
mod writer;

use coboard_shared::schema::SilentState;
use leptos::prelude::*;

use crate::facilitation::facts::Facts;
use crate::identity::Identity;
use crate::sync::SessionHandle;
use crate::ui::access_role::my_role;
use form::SilentForm;
use round::OpenRound;

/// "No cards written yet", "1 card written so far", "3 cards written so far".
pub fn cards_written(n: u64) -> String {
    match n {
        0 => "No cards written yet.".to_owned(),
        1 => "1 card written so far.".to_owned(),
        n => format!("{n} cards written so far."),
    }
}

/// What changed in the silent rounds, in words for the news above the side panel's tabs
/// (`None`: nothing to say).
pub fn news(before: &[(String, SilentState)], facts: &Facts) -> Option<String> {
    facts.silent.iter().rev().find_map(|r| {
        let was = before.iter().find(|(id, _)| *id == r.id).map(|(_, s)| *s);
        match (was, r.state) {
            (None, SilentState::Writing) => {
                Some(format!("A silent round has started: {}", r.prompt))
            }
            (Some(SilentState::Writing), SilentState::Public) => {
                Some("Public members' cards are now on the board.".to_owned())
            }
            (Some(w), SilentState::Revealed) if w != SilentState::Revealed => {
                Some("All the cards from the silent round are now on the board.".to_owned())
            }
            _ => None,
        }
    })
}

#[component]
pub fn SilentRounds(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    facts: Memo<Facts>,
    active: Signal<bool>,
) -> impl IntoView {
    let manage = my_role().can_manage();
    let open = Memo::new(move |_| {
        facts.with(|f| {
            f.silent
                .iter()
                .rev()
                .filter(|r| r.state != SilentState::Revealed)
                .map(|r| r.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let done = Memo::new(move |_| {
        facts.with(|f| {
            f.silent
                .iter()
                .rev()
                .filter(|r| r.state == SilentState::Revealed)
                .map(|r| r.prompt.clone())
                .collect::<Vec<_>>()
        })
    });
    // Once a round is over, my cards' words are on the board (or were taken back): this
    // browser need not keep them any longer.
    let board = session.get().board_id().to_owned();
    let revealed = Memo::new(move |_| {
        facts.with(|f| {
            f.silent
                .iter()
                .filter(|r| r.state == SilentState::Revealed)
                .map(|r| r.id.clone())
                .collect::<Vec<_>>()
        })
    });
    Effect::new(move |_| {
        for id in revealed.get() {
            mine::save(&board, &id, &[]);
        }
    });

    view! {
        <section class="silent" aria-labelledby="silent-heading">
            <h3 id="silent-heading" class="panel-subheading">"Silent rounds"</h3>
            <p class="panel-help">
                "Everyone writes alone first. Nobody sees any card, not even the "
                "facilitator, until the cards are revealed."
            </p>
            <For each=move || open.get() key=|id| id.clone() let(round_id)>
                {
                    let primary = open.with_untracked(|o| o.first() == Some(&round_id));
                    view! {
                        <OpenRound
                            session=session
                            me=me
                            facts=facts
                            round_id=round_id
                            primary=primary
                            active=active
                        />
                    }
                }
            </For>
            {manage.then(|| view! {
                <Show
                    when=move || open.with(Vec::is_empty)
                    fallback=|| view! {
                        <p class="panel-note">
                            "Reveal the open round's cards before starting another."
                        </p>
                    }
                >
                    <SilentForm session=session/>
                </Show>
            })}
            <Show when=move || !done.with(Vec::is_empty)>
                <h4 class="silent-done-heading">"Earlier silent rounds"</h4>
                <ul class="silent-done">
                    {move || {
                        done.get()
                            .into_iter()
                            .map(|p| view! { <li>{p}</li> })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </section>
    }
}
