//! My ballot in a round: dots on candidates, kept within the budget. Sealed-round dots
//! are remembered in this browser and sent to the server, never written into the board.

use std::collections::{BTreeMap, HashMap};

use coboard_shared::schema::{Action, ActivityEntry, Round, RoundState, ballot_for};
use leptos::prelude::*;
use leptos::task::spawn_local;

use coboard_shared::api::rounds::BallotRequest;

use super::api;
use crate::activity::seen;
use crate::identity::Identity;
use crate::sync::{SessionHandle, Signals};
use crate::ui::access_role::my_role;
use crate::ui::text::sentence;

use super::*;

pub(super) fn local_key(board: &str, round: &str) -> String {
    format!("coboard.ballot.{board}.{round}")
}

pub(super) fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// My dots in a sealed round, as remembered by this browser.
pub(super) fn load_local(board: &str, round: &str) -> BTreeMap<String, u32> {
    storage()
        .and_then(|s| s.get_item(&local_key(board, round)).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

pub(super) fn save_local(board: &str, round: &str, dots: &BTreeMap<String, u32>) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(dots)) {
        let _ = s.set_item(&local_key(board, round), &json);
    }
}

pub(super) fn forget_local(board: &str, round: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&local_key(board, round));
    }
}

/// "1 vote", "3 votes".

#[component]
pub(super) fn BallotBox(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    round: Memo<Option<Round>>,
    counts: RwSignal<HashMap<String, u64>>,
) -> impl IntoView {
    let signals = session.signals();
    let board_id = StoredValue::new(session.get().board_id().to_owned());
    let can_vote = my_role().can_edit();
    let Some(start) = round.get_untracked() else {
        return ().into_any();
    };
    let round_id = StoredValue::new(start.id.clone());
    let sealed = start.sealed;
    let budget = start.budget;

    let candidates = Memo::new(move |_| {
        signals.items.track();
        let Some(r) = round.get() else {
            return Vec::new();
        };
        session.get().read(|board, txn| board.candidates(txn, &r))
    });
    // Sealed: my dots live in this browser (and on the server). Open: in the board.
    let local = RwSignal::new(if sealed {
        load_local(&board_id.get_value(), &round_id.get_value())
    } else {
        BTreeMap::new()
    });
    let in_board = Memo::new(move |_| {
        if sealed {
            return BTreeMap::new();
        }
        signals.items.track();
        signals.rounds.track();
        let Some(my_id) = me.with(|m| m.as_ref().map(|m| m.voter_id().to_owned())) else {
            return BTreeMap::new();
        };
        session
            .get()
            .read(|board, txn| board.ballot(txn, &round_id.get_value(), &my_id))
            .map(|b| b.dots)
            .unwrap_or_default()
    });
    // Only dots on current candidates count (an item may have been deleted or moved).
    let dots = Memo::new(move |_| {
        let all = if sealed { local.get() } else { in_board.get() };
        candidates.with(|c| {
            all.into_iter()
                .filter(|(item, n)| *n > 0 && c.contains(item))
                .collect::<BTreeMap<String, u32>>()
        })
    });
    let used = Memo::new(move |_| dots.with(|d| d.values().sum::<u32>()));
    let left = Memo::new(move |_| budget.saturating_sub(used.get()));

    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(String::new());
    let sending = StoredValue::new(false);
    let again = StoredValue::new(false);
    let last_logged = StoredValue::new(None::<f64>);

    // Sends my sealed ballot; changes made while one is on its way follow it.
    let send_sealed = move || {
        if sending.get_value() {
            again.set_value(true);
            return;
        }
        let Some(person) = me.get_untracked() else {
            return;
        };
        sending.set_value(true);
        let s = session.get();
        let (board, token) = (s.board_id().to_owned(), s.token().to_owned());
        let rid = round_id.get_value();
        saved.set("Saving your votes…".to_owned());
        spawn_local(async move {
            loop {
                again.set_value(false);
                let ballot = BallotRequest {
                    key: person.ballot_key.clone(),
                    name: if person.anonymous {
                        String::new()
                    } else {
                        person.name.clone()
                    },
                    role: person.role,
                    dots: local.try_get_untracked().unwrap_or_default(),
                };
                let result = api::cast(&board, &token, &rid, &ballot).await;
                let failed = result.is_err();
                match result {
                    Ok(n) => {
                        let _ = counts.try_update(|c| c.insert(rid.clone(), n));
                        let _ = error.try_set(None);
                        let _ = saved.try_set(
                            "Your votes are saved. Nobody can see them until the round closes."
                                .to_owned(),
                        );
                    }
                    Err(e) => {
                        let _ = saved.try_set(String::new());
                        let _ = error.try_set(Some(e.message));
                    }
                }
                if failed || !again.try_get_value().unwrap_or(false) {
                    break;
                }
            }
            let _ = sending.try_set_value(false);
        });
    };

    let change = move |item: String, delta: i32| {
        if !can_vote {
            return;
        }
        let Some(r) = round.get_untracked() else {
            return;
        };
        if r.state != RoundState::Open {
            return;
        }
        let Some(person) = me.get_untracked() else {
            error.set(Some("Choose your name and role first.".to_owned()));
            return;
        };
        let mut mine = dots.get_untracked();
        let current = mine.get(&item).copied().unwrap_or(0);
        if delta > 0 {
            if left.get_untracked() == 0 {
                error.set(Some(format!(
                    "You have used all {}. Take one back to move it.",
                    votes(r.budget)
                )));
                return;
            }
            mine.insert(item, current + 1);
        } else {
            if current == 0 {
                return;
            }
            if current == 1 {
                mine.remove(&item);
            } else {
                mine.insert(item, current - 1);
            }
        }
        error.set(None);
        if r.sealed {
            save_local(&board_id.get_value(), &r.id, &mine);
            local.set(mine);
            send_sealed();
            return;
        }
        let at = js_sys::Date::now();
        let mut author = person.author();
        author.id = person.voter_id().to_owned();
        let ballot = ballot_for(&author, &r.id, at, mine);
        let log_now = last_logged
            .get_value()
            .is_none_or(|t| at - t > VOTED_LOG_GAP_MS);
        let mut result = Ok(());
        if log_now {
            seen::remember_my_entry(&r.id, at);
        }
        session.get().edit(|board, txn| {
            result = board.cast_ballot(txn, &ballot);
            if result.is_ok() && log_now {
                board.log(
                    txn,
                    &ActivityEntry {
                        at,
                        who: author.clone(),
                        action: Action::Voted,
                        item: r.id.clone(),
                        kind: String::new(),
                        detail: r.title.clone(),
                    },
                );
            }
        });
        match result {
            Ok(()) if log_now => last_logged.set_value(Some(at)),
            Ok(()) => {}
            Err(e) => error.set(Some(sentence(&e.to_string()))),
        }
    };

    let list_label = format!("Your votes in “{}”", start.title);
    view! {
        <div class="ballot">
            {if can_vote {
                view! {
                    <p class="votes-left" aria-live="polite">
                        {move || format!("Votes left: {} of {budget}", left.get())}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <p class="panel-note">
                        "Your link lets you follow the vote but not take part."
                    </p>
                }
                    .into_any()
            }}
            {move || {
                candidates.with(Vec::is_empty).then(|| view! {
                    <p class="panel-empty">"There is nothing to vote on yet."</p>
                })
            }}
            <ul class="candidates" aria-label=list_label>
                <For each=move || candidates.get() key=|id| id.clone() let:item>
                    <Candidate
                        signals=signals
                        item=item
                        dots=dots
                        left=left
                        can_vote=can_vote
                        change=change
                    />
                </For>
            </ul>
            <p class="form-error" role="alert">{move || error.get()}</p>
            {sealed.then(|| view! { <p class="form-done" role="status">{move || saved.get()}</p> })}
        </div>
    }
    .into_any()
}

#[component]
pub(super) fn Candidate(
    signals: Signals,
    item: String,
    dots: Memo<BTreeMap<String, u32>>,
    left: Memo<u32>,
    can_vote: bool,
    change: impl Fn(String, i32) + Copy + 'static,
) -> impl IntoView {
    let id = StoredValue::new(item.clone());
    let words = Memo::new(move |_| item_words(signals, &id.get_value()));
    let mine = Memo::new(move |_| dots.with(|d| d.get(&id.get_value()).copied().unwrap_or(0)));
    let text_id = format!("cand-{}", crate::dom::random_hex(1));
    view! {
        <li data-item=item data-dots=move || mine.get().to_string()>
            <span class="candidate-text" id=text_id.clone()>{move || words.get()}</span>
            {can_vote.then(|| view! {
                <span class="candidate-votes">
                    <span class="dots" aria-hidden="true">
                        {move || "●".repeat(mine.get() as usize)}
                    </span>
                    <span class="dot-count">{move || format!("Your votes: {}", mine.get())}</span>
                </span>
                <span class="dot-buttons">
                    <button
                        type="button"
                        class="dot-remove"
                        aria-label="Take back a vote"
                        aria-describedby=text_id.clone()
                        aria-disabled=move || (mine.get() == 0).to_string()
                        on:click=move |_| change(id.get_value(), -1)
                    >
                        "−"
                    </button>
                    <button
                        type="button"
                        class="dot-add"
                        aria-label="Add a vote"
                        aria-describedby=text_id.clone()
                        aria-disabled=move || (left.get() == 0).to_string()
                        on:click=move |_| change(id.get_value(), 1)
                    >
                        "+"
                    </button>
                </span>
            })}
        </li>
    }
}
