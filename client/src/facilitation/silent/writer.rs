//! Writing my cards in an open silent round, and taking them back before the reveal.

use coboard_shared::schema::{MAX_CARD_CHARS, ParticipantRole, SilentRound, SilentState};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::mine::{self, MyCard};
use coboard_shared::api::silent::CardRequest;

use crate::facilitation::silent::api::put_card;
use crate::identity::Identity;
use crate::sync::SessionHandle;
use crate::ui::access_role::my_role;

/// Why I cannot write in this round now, if I cannot.
fn cannot_write(
    round: &SilentRound,
    me: Option<&Identity>,
    can_edit: bool,
) -> Option<&'static str> {
    if !can_edit {
        return Some("Your link lets you read the board, so you cannot add cards.");
    }
    let me = me?;
    match round.state {
        SilentState::Writing => None,
        SilentState::Public if me.role == ParticipantRole::Public => Some(
            "Public members' cards are already on the board, so this round takes no more \
             cards from public members.",
        ),
        SilentState::Public => None,
        SilentState::Revealed => Some("This round has finished."),
    }
}

#[component]
pub(super) fn CardWriter(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    round: Memo<Option<SilentRound>>,
    round_id: String,
    primary: bool,
    count: RwSignal<Option<u64>>,
) -> impl IntoView {
    let can_edit = my_role().can_edit();
    let signals = session.signals();
    let (board, token) = {
        let s = session.get();
        (s.board_id().to_owned(), s.token().to_owned())
    };
    let mine = RwSignal::new(mine::load(&board, &round_id));
    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(String::new());
    let blocked = Memo::new(move |_| {
        round.with(|r| {
            me.with(|m| {
                r.as_ref()
                    .and_then(|r| cannot_write(r, m.as_ref(), can_edit))
            })
        })
    });
    let text_id = if primary {
        "silent-card-text".to_owned()
    } else {
        format!("silent-card-text-{round_id}")
    };

    // Sends one card (or, with empty words, takes card `id` back).
    let send = {
        let (board, token, round_id) = (board.clone(), token.clone(), round_id.clone());
        move |id: String, words: String| {
            let Some(person) = me.get_untracked() else {
                error.set(Some("Choose your name and role first.".to_owned()));
                return;
            };
            busy.set(true);
            done.set(String::new());
            let (board, token, round_id) = (board.clone(), token.clone(), round_id.clone());
            spawn_local(async move {
                let key = person.item_key(&board, &id);
                let name = if person.anonymous {
                    String::new()
                } else {
                    person.name.clone()
                };
                let card = CardRequest {
                    card: id.clone(),
                    key,
                    text: words.clone(),
                    name,
                    role: person.role,
                    anonymous: person.anonymous,
                };
                let result = put_card(&board, &token, &round_id, &card).await;
                let _ = busy.try_set(false);
                let n = match result {
                    Ok(n) => n,
                    Err(e) => {
                        let _ = error.try_set(Some(e.message));
                        return;
                    }
                };
                let _ = error.try_set(None);
                let _ = count.try_set(Some(n));
                let _ = mine.try_update(|list| {
                    if words.is_empty() {
                        list.retain(|c| c.id != id);
                    } else {
                        list.push(MyCard {
                            id,
                            text: words.clone(),
                        });
                    }
                    mine::save(&board, &round_id, list);
                });
                let _ = done.try_set(if words.is_empty() {
                    "Your card has been taken back.".to_owned()
                } else {
                    let _ = text.try_set(String::new());
                    "Your card is saved. Nobody sees it until the cards are revealed.".to_owned()
                });
            });
        }
    };
    let take_back = send.clone();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let words = text.get_untracked().trim().to_owned();
        if words.is_empty() {
            error.set(Some("Write something on your card first.".to_owned()));
            return;
        }
        send(crate::dom::random_hex(2), words);
    };
    let on_board = move |id: &str| signals.items.item(id).is_some();

    view! {
        {move || blocked.get().map(|why| view! { <p class="panel-note">{why}</p> })}
        <Show when=move || blocked.with(Option::is_none)>
            <form class="silent-writer" on:submit=add.clone()>
                <label for=text_id.clone()>"Your card"</label>
                <textarea
                    id=text_id.clone()
                    rows="3"
                    maxlength=MAX_CARD_CHARS.to_string()
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
                <button
                    id=primary.then_some("silent-card-add")
                    type="submit"
                    class="primary"
                    aria-disabled=move || busy.get().to_string()
                >
                    "Add my card"
                </button>
            </form>
        </Show>
        <p class="form-error" role="alert">{move || error.get()}</p>
        <p class="form-done" role="status">{move || done.get()}</p>
        <Show when=move || !mine.with(Vec::is_empty)>
            {
                let take_back_each = take_back.clone();
                view! {
            <h5 class="silent-mine-heading">"Your cards (only you see these)"</h5>
            <ul id=primary.then_some("silent-my-cards") class="silent-my-cards">
                <For each=move || mine.get() key=|c| c.id.clone() let(card)>
                    {
                        let id = card.id.clone();
                        let take_back = take_back_each.clone();
                        let label = format!("Take back your card: {}", card.text);
                        view! {
                            <li data-card=card.id.clone()>
                                <span class="silent-card-words">{card.text.clone()}</span>
                                {move || if on_board(&id) {
                                    view! { <span class="silent-on-board">"On the board"</span> }
                                        .into_any()
                                } else {
                                    let (id, take_back) = (id.clone(), take_back.clone());
                                    view! {
                                        <button
                                            type="button"
                                            class="secondary silent-take-back"
                                            aria-label=label.clone()
                                            on:click=move |_| take_back(id.clone(), String::new())
                                        >
                                            "Take back"
                                        </button>
                                    }
                                        .into_any()
                                }}
                            </li>
                        }
                    }
                </For>
            </ul>
                }
            }
        </Show>
    }
}
