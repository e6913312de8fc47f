//! Handing the facilitator role to anyone on the board: a public member can lead as well
//! as a professional.
//!
//! The facilitator offers the role to a person (by the per-board id their browser
//! publishes with its presence). Only that person's browser shows the offer; accepting
//! proves to the server that the id is theirs, and the server gives this browser a
//! facilitator link of its own and names them as the one facilitating. The page then
//! opens again with the new link, so every control a facilitator has appears.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Facts;
use coboard_shared::api::handover::OfferRequest;

use crate::facilitation::api;
use crate::identity::Identity;
use crate::sync::SessionHandle;

/// Everyone else on the board who can be offered the role, once each.
#[component]
pub fn HandoverList(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    facts: Memo<Facts>,
) -> impl IntoView {
    let signals = session.signals();
    let people = Memo::new(move |_| {
        let mut seen = Vec::<String>::new();
        signals.peers.with(|peers| {
            peers
                .iter()
                .filter(|p| !p.me && !p.person.is_empty())
                .filter(|p| {
                    let fresh = !seen.contains(&p.person);
                    seen.push(p.person.clone());
                    fresh
                })
                .map(|p| (p.person.clone(), p.name.clone(), p.role_label.clone()))
                .collect::<Vec<_>>()
        })
    });
    let waiting = Memo::new(move |_| {
        facts
            .with(|f| f.offer.as_ref().map(|o| o.person.clone()))
            .and_then(|person| {
                people.with(|p| {
                    p.iter()
                        .find(|(id, _, _)| *id == person)
                        .map(|p| p.1.clone())
                })
            })
    });
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(String::new());
    let offer = move |person: String, name: String| {
        let s = session.get();
        let (board, token) = (s.board_id().to_owned(), s.token().to_owned());
        let by = me
            .get_untracked()
            .map(|m| {
                if m.anonymous {
                    "The facilitator".to_owned()
                } else {
                    m.name
                }
            })
            .unwrap_or_default();
        spawn_local(async move {
            let req = OfferRequest { person, by };
            match api::offer(&board, &token, &req).await {
                Ok(()) => {
                    let _ = error.try_set(None);
                    let _ = done.try_set(format!(
                        "You offered the facilitator role to {name}. It is theirs once they \
                         accept."
                    ));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        });
    };

    view! {
        <section class="handover" aria-labelledby="handover-heading">
            <h3 id="handover-heading" class="panel-subheading">"Hand over facilitating"</h3>
            <p class="panel-help">
                "Anyone here can lead. They get a facilitator link of their own; "
                "yours keeps working."
            </p>
            {move || waiting.get().map(|name| view! {
                <p class="panel-note">{format!("Waiting for {name} to accept.")}</p>
            })}
            <Show
                when=move || !people.with(Vec::is_empty)
                fallback=|| view! { <p class="panel-empty">"Nobody else is on the board now."</p> }
            >
                <ul class="handover-people">
                    <For each=move || people.get() key=|p| p.clone() let((person, name, role))>
                        {
                            let label = format!("Hand over to {name}");
                            let who = if role.is_empty() {
                                name.clone()
                            } else {
                                format!("{name} ({role})")
                            };
                            view! {
                                <li>
                                    <span class="handover-who">{who}</span>
                                    <button
                                        type="button"
                                        class="secondary handover-offer"
                                        aria-label=label
                                        on:click=move |_| offer(person.clone(), name.clone())
                                    >
                                        "Hand over"
                                    </button>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <p class="form-done" role="status">{move || done.get()}</p>
        </section>
    }
}
