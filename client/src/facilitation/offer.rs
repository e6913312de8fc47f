//! The offer of the facilitator role, shown only to the person it is for, above the
//! side panel's tabs so it is seen whichever tab is open. Accepting proves to the server
//! that the offer is mine (with the secret behind my person id); the server answers with
//! a facilitator link for this browser, and the page opens again with it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Facts;
use coboard_shared::api::handover::AcceptRequest;

use crate::facilitation::api;
use crate::identity::Identity;
use crate::sync::SessionHandle;
use crate::token;
use crate::ui::access_role::my_role;

/// The offer, shown only to the person it is for, wherever they are on the page.
#[component]
pub fn HandoverBanner(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    facts: Memo<Facts>,
) -> impl IntoView {
    let board = session.get().board_id().to_owned();
    let my_person = {
        let board = board.clone();
        Memo::new(move |_| me.with(|m| m.as_ref().map(|m| m.person_id(&board))))
    };
    // "Not now" on a view-only link cannot change the board, so the page also remembers
    // which offer was put aside.
    let put_aside = RwSignal::new(None::<f64>);
    let offer = Memo::new(move |_| {
        let mine = my_person.get()?;
        let aside = put_aside.get();
        facts.with(|f| {
            f.offer
                .clone()
                .filter(|o| o.person == mine && Some(o.at) != aside)
        })
    });
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let accept = move |_| {
        let Some(person) = me.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let s = session.get();
        let (board, token) = (s.board_id().to_owned(), s.token().to_owned());
        spawn_local(async move {
            let key = person.person_key(&board);
            let req = AcceptRequest {
                key,
                name: if person.anonymous {
                    String::new()
                } else {
                    person.name.clone()
                },
                role: person.role,
            };
            match api::accept(&board, &token, &req).await {
                Ok(created) => {
                    // The new link is this browser's from now on; opening the board again
                    // with it brings every facilitator control.
                    token::save(&board, &created.token);
                    let _ = window().location().reload();
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                    let _ = busy.try_set(false);
                }
            }
        });
    };
    let can_edit = my_role().can_edit();
    let not_now = move |_| {
        put_aside.set(offer.get_untracked().map(|o| o.at));
        if can_edit {
            session.get().edit(|board, txn| {
                yrs::Map::remove(&board.facilitation, txn, "offered_to");
            });
        }
    };

    let announce = move || {
        offer.with(|o| {
            o.as_ref()
                .map(|o| format!("{} offers you the facilitator role.", by_words(&o.by)))
        })
    };

    view! {
        <p class="visually-hidden" role="status">{announce}</p>
        {move || offer.get().map(|o| {
                let by = by_words(&o.by);
                view! {
                    <section
                        id="handover-banner"
                        class="handover-banner"
                        aria-labelledby="handover-banner-text"
                    >
                        <p id="handover-banner-text" class="handover-banner-text">
                            {format!("{by} offers you the facilitator role")}
                        </p>
                        <p class="panel-help">
                            "As facilitator you can start silent rounds and reveal the cards, "
                            "run the timer, and give people the floor. The page opens again "
                            "when you accept."
                        </p>
                        <div class="round-actions">
                            <button
                                id="handover-accept"
                                type="button"
                                class="primary"
                                aria-disabled=move || busy.get().to_string()
                                on:click=accept
                            >
                                "Accept"
                            </button>
                            <button id="handover-decline" type="button" class="secondary" on:click=not_now>
                                "Not now"
                            </button>
                        </div>
                        <p class="form-error" role="alert">{move || error.get()}</p>
                    </section>
                }
            })}
    }
}

/// Who offered the role, as the notice names them.
fn by_words(by: &str) -> String {
    if by.trim().is_empty() {
        "The facilitator".to_owned()
    } else {
        by.trim().to_owned()
    }
}
