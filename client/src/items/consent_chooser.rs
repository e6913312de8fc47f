//! "How may this be used outside the board?": the author's consent for one contribution.
//!
//! Shown only to the person who added the item in this browser (the item's `author_key`
//! matches their secret), because the choice is theirs alone. Exports and the impact
//! log honour it: "not quoted" and expired contributions stay on the board but never
//! leave it (see `coboard_shared::schema::consent`).

use coboard_shared::schema::{Attribution, Consent, PURPOSES};
use leptos::prelude::*;

use crate::identity::Identity;
use crate::sync::SessionHandle;

/// Whether this browser added item `id`, and its consent as stored.
fn standing(session: SessionHandle, me: Option<&Identity>, id: &str) -> (bool, Option<Consent>) {
    let board_id = session.get().board_id().to_owned();
    session.get().read(|board, txn| {
        let Ok(key) = board.author_key(txn, id) else {
            return (false, None);
        };
        let mine = !key.is_empty() && me.is_some_and(|m| m.item_author_key(&board_id, id) == key);
        (mine, board.consent(txn, id))
    })
}

/// `YYYY-MM-DD` for a date input, from ms since the epoch (UTC).
fn input_date(ms: f64) -> String {
    coboard_shared::ledger::date_of(ms as i64)
}

#[component]
pub fn ConsentChooser(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    item: String,
) -> impl IntoView {
    let signals = session.signals();
    let item = StoredValue::new(item);
    let state = Memo::new(move |_| {
        signals.items.track();
        me.with(|m| standing(session, m.as_ref(), &item.get_value()))
    });
    let initial = state.get_untracked().1;
    let attribution = RwSignal::new(
        initial
            .as_ref()
            .map_or(Attribution::Name, |c| c.attribution),
    );
    let purposes = RwSignal::new(
        initial
            .as_ref()
            .map(|c| c.purposes.clone())
            .unwrap_or_default(),
    );
    let until = RwSignal::new(
        initial
            .as_ref()
            .and_then(|c| c.until)
            .map(input_date)
            .unwrap_or_default(),
    );
    let message = RwSignal::new(None::<String>);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let until_ms = match until.get_untracked().trim() {
            "" => None,
            d => match coboard_shared::ledger::day_start_ms(d) {
                // Until the end of that day.
                Some(ms) => Some((ms + 86_400_000) as f64),
                None => {
                    message.set(Some("Please give the date as a full date.".into()));
                    return;
                }
            },
        };
        let consent = Consent {
            attribution: attribution.get_untracked(),
            purposes: purposes.get_untracked(),
            until: until_ms,
        };
        let id = item.get_value();
        let Some(person) = me.get_untracked() else {
            return;
        };
        let (board, token) = (
            session.get().board_id().to_owned(),
            session.get().token().to_owned(),
        );
        let key = person.item_key(&board, &id);
        message.set(Some("Saving…".to_owned()));
        leptos::task::spawn_local(async move {
            let result = super::api::set_consent(&board, &token, &id, key, consent).await;
            message.set(Some(match result {
                Ok(()) => "Saved. Exports of this board will follow your choice.".to_owned(),
                Err(e) => e.message,
            }));
        });
    };

    view! {
        <Show when=move || state.with(|s| s.0)>
            <form class="consent-form" aria-labelledby="consent-heading" on:submit=save>
                <h3 id="consent-heading" class="panel-subheading">
                    "How may this be used outside the board?"
                </h3>
                <p class="field-help">
                    "Only you can choose this. It decides what reports, exports and the "
                    "impact log may show. On the board itself, the group still sees it."
                </p>
                <fieldset class="consent-use">
                    <legend>"Credit"</legend>
                    {Attribution::ALL
                        .into_iter()
                        .map(|a| view! {
                            <div class="radio">
                                <input
                                    type="radio"
                                    id=format!("consent-use-{}", a.as_str())
                                    name="consent-use"
                                    value=a.as_str()
                                    prop:checked=move || attribution.get() == a
                                    on:change=move |_| attribution.set(a)
                                />
                                <label for=format!("consent-use-{}", a.as_str())>{a.label()}</label>
                            </div>
                        })
                        .collect_view()}
                </fieldset>
                <fieldset class="consent-purposes">
                    <legend>"For (leave all unticked for any of these)"</legend>
                    {PURPOSES
                        .into_iter()
                        .map(|(id, label)| view! {
                            <div class="radio">
                                <input
                                    type="checkbox"
                                    id=format!("consent-purpose-{id}")
                                    name="consent-purpose"
                                    value=id
                                    prop:checked=move || purposes.with(|p| p.iter().any(|x| x == id))
                                    on:change=move |e| {
                                        let on = event_target_checked(&e);
                                        purposes.update(|p| {
                                            p.retain(|x| x != id);
                                            if on {
                                                p.push(id.to_owned());
                                            }
                                        });
                                    }
                                />
                                <label for=format!("consent-purpose-{id}")>{label}</label>
                            </div>
                        })
                        .collect_view()}
                </fieldset>
                <label class="field-label" for="consent-until">"Until (optional)"</label>
                <input
                    id="consent-until"
                    type="date"
                    prop:value=move || until.get()
                    on:input=move |e| until.set(event_target_value(&e))
                />
                <button id="consent-save" type="submit">"Save my choice"</button>
                <p class="form-status" role="status">{move || message.get()}</p>
            </form>
        </Show>
    }
}
