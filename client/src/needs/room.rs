//! "Needs in the room", under "Who is here", for facilitators only: the access needs that
//! people on the board chose to share with facilitators, and what a facilitator can do
//! about each.
//!
//! It shows only what helps a facilitator meet the needs: a name and plain labels, never
//! a diagnosis (none is ever asked for). People who did not consent send nothing, so they
//! are simply not listed; when someone stops sharing, or leaves, they drop off the list.
//! Other people's pages never draw this list.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::needs::Need;
use crate::sync::{SessionHandle, Signals};

/// One person who shared their needs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shared {
    client_id: u64,
    name: String,
    needs: Vec<Need>,
}

#[component]
pub fn NeedsRoom(signals: Signals) -> impl IntoView {
    if !crate::ui::access_role::my_role().can_manage() {
        return ().into_any();
    }
    let shared = Memo::new(move |_| {
        signals.peers.with(|peers| {
            peers
                .iter()
                .filter(|p| !p.needs.is_empty())
                .map(|p| Shared {
                    client_id: p.client_id,
                    name: if p.me {
                        format!("{} (you)", p.name)
                    } else {
                        p.name.clone()
                    },
                    needs: p.needs.clone(),
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section id="needs-room" class="needs-room" aria-labelledby="needs-room-heading">
            <h2 id="needs-room-heading">"Needs in the room"</h2>
            <Show
                when=move || !shared.with(Vec::is_empty)
                fallback=|| view! {
                    <p class="needs-room-empty">"Nobody here has shared access needs."</p>
                }
            >
                <p class="hint">
                    "Only facilitators see this. People chose to share these needs so you \
                     can meet them."
                </p>
                <ul class="needs-room-people">
                    <For
                        each=move || shared.get()
                        key=|s| (s.client_id, s.name.clone(), s.needs.clone())
                        let(person)
                    >
                        <li data-client=person.client_id.to_string()>
                            <p class="needs-room-name">{person.name.clone()}</p>
                            <ul class="needs-room-needs">
                                {person
                                    .needs
                                    .iter()
                                    .map(|n| view! {
                                        <li data-need=n.code()>
                                            <span class="needs-room-label">{n.label()}</span>
                                            {format!(": {}", n.tip())}
                                        </li>
                                    })
                                    .collect_view()}
                            </ul>
                        </li>
                    </For>
                </ul>
                <Arranged needs=Signal::derive(move || {
                    let mut all: Vec<Need> = shared.with(|s| s.iter().flat_map(|p| p.needs.clone()).collect());
                    all.sort_by_key(|n| n.code());
                    all.dedup();
                    all
                })/>
            </Show>
        </section>
    }
    .into_any()
}

/// "What we arranged": a facilitator records how each need in the room is being met, by
/// need and never by person. The record is the evidence the Standards page shows for
/// inclusive opportunities and support.
#[component]
fn Arranged(needs: Signal<Vec<Need>>) -> impl IntoView {
    let session = expect_context::<SessionHandle>();
    let recorded = RwSignal::new(
        session
            .get()
            .read(|board, txn| board.needs_met(txn))
            .into_iter()
            .map(|(code, met)| (code, met.how))
            .collect::<BTreeMap<String, String>>(),
    );
    let save = move |code: &'static str, how: String| {
        session.get().edit(|board, txn| {
            board.set_need_met(txn, code, &how, crate::activity::record::now());
        });
        recorded.update(|r| {
            if how.trim().is_empty() {
                r.remove(code);
            } else {
                r.insert(code.to_owned(), how.trim().to_owned());
            }
        });
    };
    view! {
        <h3 class="needs-room-arranged">"What we arranged"</h3>
        <ul class="needs-room-arranged-list">
            {move || {
                needs
                    .get()
                    .into_iter()
                    .map(|n| {
                        let code = n.code();
                        let draft = RwSignal::new(
                            recorded.with_untracked(|r| r.get(code).cloned().unwrap_or_default()),
                        );
                        let input_id = format!("arranged-{code}");
                        view! {
                            <li data-need=code>
                                <label for=input_id.clone()>{n.label()}</label>
                                <input
                                    id=input_id
                                    type="text"
                                    maxlength="200"
                                    placeholder="For example: live captions booked"
                                    prop:value=move || draft.get()
                                    on:input=move |e| draft.set(event_target_value(&e))
                                />
                                <button
                                    type="button"
                                    class="secondary arranged-save"
                                    on:click=move |_| save(code, draft.get_untracked())
                                >
                                    "Record"
                                </button>
                                <span class="arranged-done" role="status">
                                    {move || recorded.with(|r| r.get(code).map(|h| format!("Recorded: {h}")))}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}
