//! The speaking queue: anyone can raise a hand; the facilitator gives the floor in the
//! order the board keeps, which puts people not yet heard before those who have spoken.
//! The group may also choose to show how long each role has talked, so that a session
//! dominated by professionals is seen, and can be changed, while it happens.

use coboard_shared::schema::{ParticipantRole, Waiting};
use leptos::prelude::*;

use super::talk::TalkMeter;
use super::{Facts, ticking_clock};
use crate::identity::Identity;
use crate::sync::SessionHandle;
use crate::ui::access_role::my_role;

/// "Pat (Public member)".
fn who(name: &str, role: ParticipantRole) -> String {
    format!("{name} ({})", role.label())
}

#[component]
pub fn SpeakingQueue(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    facts: Memo<Facts>,
) -> impl IntoView {
    let manage = my_role().can_manage();
    let can_edit = my_role().can_edit();
    let board = session.get().board_id().to_owned();
    let my_person = Memo::new(move |_| me.with(|m| m.as_ref().map(|m| m.person_id(&board))));
    let waiting = Memo::new(move |_| {
        let mine = my_person.get();
        facts.with(|f| f.queue.iter().any(|w| Some(&w.person) == mine.as_ref()))
    });
    let now = ticking_clock();
    let ask = move |_| {
        let (Some(person), Some(id)) = (me.get_untracked(), my_person.get_untracked()) else {
            return;
        };
        let w = Waiting {
            person: id,
            name: if person.anonymous {
                "Anonymous".to_owned()
            } else {
                person.name
            },
            role: person.role,
            asked_at: js_sys::Date::now(),
        };
        session.get().edit(|board, txn| board.ask_to_speak(txn, &w));
    };
    let leave = move |_| {
        if let Some(id) = my_person.get_untracked() {
            session.get().edit(|board, txn| board.leave_queue(txn, &id));
        }
    };
    let next = move |_| {
        session.get().edit(|board, txn| {
            board.next_speaker(txn, js_sys::Date::now());
        });
    };
    let end = move |_| {
        session
            .get()
            .edit(|board, txn| board.end_turn(txn, js_sys::Date::now()))
    };
    let show_talk = Memo::new(move |_| facts.with(|f| f.show_talk));
    let flip_talk = move |_| {
        let show = !show_talk.get_untracked();
        session
            .get()
            .edit(|board, txn| board.set_show_talk(txn, show));
    };
    // Time spoken per role, the turn now under way included.
    let talk = Memo::new(move |_| {
        let t = now.get();
        facts.with(|f| {
            ["public", "professional", "facilitator"]
                .into_iter()
                .map(|role| {
                    let mut ms = f.talk_ms.get(role).copied().unwrap_or(0.0);
                    if let Some(s) = f.speaking.as_ref().filter(|s| s.role.as_str() == role) {
                        ms += (t - s.since).max(0.0);
                    }
                    (role, ms)
                })
                .collect::<Vec<_>>()
        })
    });

    view! {
        <section class="speaking" aria-labelledby="speaking-heading">
            <h3 id="speaking-heading" class="panel-subheading">"Speaking queue"</h3>
            <p class="speaking-now" id="speaking-now">
                {move || match facts.with(|f| f.speaking.clone()) {
                    Some(s) => format!("Speaking now: {}", who(&s.name, s.role)),
                    None => "Nobody has the floor.".to_owned(),
                }}
            </p>
            {can_edit.then(|| view! {
                <div class="facilitate-row">
                    {move || if waiting.get() {
                        view! {
                            <button id="queue-leave" type="button" class="secondary" on:click=leave>
                                "Withdraw my hand"
                            </button>
                        }
                            .into_any()
                    } else {
                        view! {
                            <button id="queue-ask" type="button" class="primary" on:click=ask>
                                "I'd like to speak"
                            </button>
                        }
                            .into_any()
                    }}
                </div>
            })}
            <Show
                when=move || facts.with(|f| !f.queue.is_empty())
                fallback=|| view! { <p class="panel-empty">"Nobody is waiting to speak."</p> }
            >
                <p class="panel-help">"Waiting, in speaking order (people not heard yet first):"</p>
                <ol id="speaking-queue" class="speaking-list">
                    {move || facts.with(|f| {
                        f.queue
                            .iter()
                            .map(|w| {
                                let turns = f.heard.get(&w.person).copied().unwrap_or(0);
                                let note = match turns {
                                    0 => "not heard yet".to_owned(),
                                    1 => "spoke once".to_owned(),
                                    n => format!("spoke {n} times"),
                                };
                                view! {
                                    <li>
                                        <span>{who(&w.name, w.role)}</span>
                                        <span class="silent-on-board">{note}</span>
                                    </li>
                                }
                            })
                            .collect_view()
                    })}
                </ol>
            </Show>
            {manage.then(|| view! {
                <div class="facilitate-row">
                    <button id="queue-next" type="button" class="primary" on:click=next>
                        "Next speaker"
                    </button>
                    <Show when=move || facts.with(|f| f.speaking.is_some())>
                        <button id="queue-end" type="button" class="secondary" on:click=end>
                            "End turn"
                        </button>
                    </Show>
                </div>
            })}
            <div class="talk-meter">
                {can_edit.then(|| view! {
                    <button
                        id="talk-toggle"
                        type="button"
                        class="link-button"
                        aria-pressed=move || show_talk.get().to_string()
                        on:click=flip_talk
                    >
                        "Show talk time per role to everyone"
                    </button>
                })}
                <Show when=move || show_talk.get()>
                    <TalkMeter talk=talk/>
                </Show>
            </div>
        </section>
    }
}
