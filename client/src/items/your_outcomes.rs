//! "What became of what you said": outcomes recorded on my contributions since my last
//! visit, shown when I arrive (nothing is selected yet, so the Item tab has room).
//!
//! Hearing back is what makes people's time worth giving (INVOLVE 2018 on feedback); the
//! board should tell them, rather than leave them to hunt for it.

use coboard_shared::schema::OutcomeState;
use leptos::prelude::*;
use yrs::{Any, Map, Out};

use crate::identity::Identity;
use crate::items::status_control::date_label;
use crate::sync::SessionHandle;

/// (item id, item text, outcome words) for my items with an outcome newer than `since`.
fn news(session: SessionHandle, me: &Identity, since: f64) -> Vec<(String, String, String)> {
    let board_id = session.get().board_id().to_owned();
    let items = session.signals().items.all();
    session.get().read(|board, txn| {
        items
            .iter()
            .filter_map(|i| {
                let map = board.item(txn, &i.id).ok()?;
                let Some(Out::Any(Any::String(key))) = map.get(txn, "author_key") else {
                    return None;
                };
                if key.as_ref() != me.item_author_key(&board_id, &i.id) {
                    return None;
                }
                let o = board.outcome(txn, &i.id)?;
                if o.state == OutcomeState::Pending || o.at <= since {
                    return None;
                }
                let mut words = format!("{} ({})", o.state.label(), date_label(o.at));
                if !o.reason.is_empty() {
                    words = format!("{words}: {}", o.reason);
                }
                Some((i.id.clone(), i.text.clone(), words))
            })
            .collect()
    })
}

#[component]
pub fn YourOutcomes(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    selected: RwSignal<Option<String>>,
    last_visit: f64,
) -> impl IntoView {
    let list = Memo::new(move |_| {
        me.with(|m| m.as_ref().map(|m| news(session, m, last_visit)))
            .unwrap_or_default()
    });
    view! {
        <Show when=move || !list.with(Vec::is_empty)>
            <section id="your-outcomes" class="your-outcomes" aria-labelledby="your-outcomes-heading">
                <h3 id="your-outcomes-heading" class="panel-subheading">
                    "What became of what you said"
                </h3>
                <p class="field-help">"Decided since your last visit:"</p>
                <ul>
                    {move || {
                        list.get()
                            .into_iter()
                            .map(|(id, text, words)| {
                                let attr = id.clone();
                                view! {
                                <li data-item=attr>
                                    <button
                                        type="button"
                                        class="link-button"
                                        on:click=move |_| selected.set(Some(id.clone()))
                                    >
                                        {text}
                                    </button>
                                    " — "
                                    <span class="outcome-words">{words}</span>
                                </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </section>
        </Show>
    }
}
