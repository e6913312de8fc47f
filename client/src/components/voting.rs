//! The "Voting" tab: dot voting in rounds.
//!
//! A facilitator starts a round on a section (or on every idea and priority), giving
//! everyone the same number of votes. People spread their votes over the candidates with
//! "+" and "−". In an open round the results show live; in a sealed round each person's
//! votes go to the server, not into the board, and stay hidden until a facilitator closes
//! the round. Who voted is only ever shown as a count.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use coboard_shared::schema::{
    Action, ActivityEntry, ParticipantRole, Ranked, Round, RoundState, Tally, ballot_for,
    kind_label,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::access_role::my_role;
use super::activity::{ago, iso, when};
use super::comments::{first_words, sentence};
use crate::api::{self, SealedBallot};
use crate::identity::Identity;
use crate::sync::{SessionHandle, Signals};

/// Most votes a facilitator may give each person in a round.
const MAX_VOTES: u32 = 20;
/// Votes each person gets unless the facilitator chooses otherwise.
const DEFAULT_VOTES: u32 = 5;
/// How often the number of sealed ballots is checked while the tab is showing.
const POLL: Duration = Duration::from_secs(5);
/// A new "voted" line goes into the activity list at most this often per round.
const VOTED_LOG_GAP_MS: f64 = 120_000.0;
/// Section kinds a round can be held on.
const VOTABLE: [&str; 4] = ["ideas", "priorities", "aims", "voting"];
/// Characters of an item's text shown in lists of candidates and results.
const SHORT: usize = 90;

fn local_key(board: &str, round: &str) -> String {
    format!("coboard.ballot.{board}.{round}")
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// My dots in a sealed round, as remembered by this browser.
fn load_local(board: &str, round: &str) -> BTreeMap<String, u32> {
    storage()
        .and_then(|s| s.get_item(&local_key(board, round)).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

fn save_local(board: &str, round: &str, dots: &BTreeMap<String, u32>) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(dots)) {
        let _ = s.set_item(&local_key(board, round), &json);
    }
}

fn forget_local(board: &str, round: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&local_key(board, round));
    }
}

/// "1 vote", "3 votes".
fn votes(n: u32) -> String {
    if n == 1 {
        "1 vote".to_owned()
    } else {
        format!("{n} votes")
    }
}

/// "1 person has voted", "3 people have voted".
fn people_voted(n: u32) -> String {
    match n {
        0 => "Nobody has voted yet.".to_owned(),
        1 => "1 person has voted.".to_owned(),
        n => format!("{n} people have voted."),
    }
}

/// The words for an item in a list: "Idea: More evening sessions".
fn item_words(signals: Signals, id: &str) -> String {
    signals.items.with(|items| {
        items.iter().find(|i| i.id == id).map_or_else(
            || "An item that has been deleted".to_owned(),
            |i| {
                let text = first_words(&i.text, SHORT);
                let text = if text.is_empty() {
                    "(no text yet)".to_owned()
                } else {
                    text
                };
                format!("{}: {text}", kind_label(&i.kind))
            },
        )
    })
}

/// Open rounds first, then closed ones; newest first within each.
fn ordered(rounds: &[Tally]) -> Vec<String> {
    let mut list: Vec<&Tally> = rounds.iter().collect();
    list.sort_by(|a, b| {
        let closed = |t: &Tally| t.round.state == RoundState::Closed;
        closed(a)
            .cmp(&closed(b))
            .then(b.round.created_at.total_cmp(&a.round.created_at))
    });
    list.into_iter().map(|t| t.round.id.clone()).collect()
}

#[component]
pub fn VotingTab(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    /// Whether the Voting tab is the one showing (sealed counts are only polled then).
    active: Signal<bool>,
    now: RwSignal<f64>,
) -> impl IntoView {
    let signals = session.signals();
    let counts = RwSignal::new(HashMap::<String, u32>::new());
    let open_sealed = Memo::new(move |_| {
        signals.rounds.with(|rounds| {
            rounds
                .iter()
                .filter(|t| t.round.sealed && t.round.state == RoundState::Open)
                .map(|t| t.round.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let fetch_counts = move |ids: Vec<String>| {
        let s = session.get();
        for round in ids {
            let (board, token) = (s.board_id().to_owned(), s.token().to_owned());
            spawn_local(async move {
                if let Ok(n) = api::sealed_ballot_count(&board, &token, &round).await {
                    let _ = counts.try_update(|c| c.insert(round, n));
                }
            });
        }
    };
    Effect::new(move |_| {
        let ids = open_sealed.get();
        if active.get() && !ids.is_empty() {
            fetch_counts(ids);
        }
    });
    let poll = set_interval_with_handle(
        move || {
            let hidden = document().hidden();
            if !hidden && active.try_get_untracked() == Some(true) {
                let ids = open_sealed.try_get_untracked().unwrap_or_default();
                if !ids.is_empty() {
                    fetch_counts(ids);
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

    let order = Memo::new(move |_| signals.rounds.with(|r| ordered(r)));

    view! {
        <h2 class="panel-heading">"Voting"</h2>
        <p class="panel-help">
            "Everyone gets the same number of votes to spread over the ideas. "
            "Put several on one idea if it matters a lot to you."
        </p>
        {my_role().can_manage().then(|| view! { <RoundForm session=session me=me/> })}
        {move || {
            order
                .with(Vec::is_empty)
                .then(|| view! { <p class="panel-empty">"No voting rounds yet."</p> })
        }}
        <div class="rounds">
            <For each=move || order.get() key=|id| id.clone() let:round_id>
                <RoundCard session=session me=me round_id=round_id counts=counts now=now/>
            </For>
        </div>
    }
}

#[component]
fn RoundForm(session: SessionHandle, me: RwSignal<Option<Identity>>) -> impl IntoView {
    let signals = session.signals();
    let title = RwSignal::new(String::new());
    let budget = RwSignal::new(DEFAULT_VOTES.to_string());
    let sealed = RwSignal::new(false);
    let section = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(String::new());
    let sections = Memo::new(move |_| {
        signals.sections.with(|all| {
            all.iter()
                .filter(|s| VOTABLE.contains(&s.kind.as_str()))
                .map(|s| (s.id.clone(), s.title.clone()))
                .collect::<Vec<_>>()
        })
    });

    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(String::new());
        let Ok(votes) = budget.get_untracked().trim().parse::<u32>() else {
            error.set(Some(format!(
                "Give each person a whole number of votes, from 1 to {MAX_VOTES}."
            )));
            return;
        };
        if !(1..=MAX_VOTES).contains(&votes) {
            error.set(Some(format!(
                "Give each person between 1 and {MAX_VOTES} votes."
            )));
            return;
        }
        let Some(person) = me.get_untracked() else {
            error.set(Some("Choose your name and role first.".to_owned()));
            return;
        };
        let number = signals.rounds.with_untracked(Vec::len) + 1;
        let chosen = title.get_untracked().trim().to_owned();
        let round = Round {
            id: crate::dom::random_hex(2),
            title: if chosen.is_empty() {
                format!("Round {number}")
            } else {
                chosen
            },
            section: section.get_untracked(),
            budget: votes,
            sealed: sealed.get_untracked(),
            state: RoundState::Open,
            created_at: js_sys::Date::now(),
            closed_at: None,
        };
        let mut result = Ok(());
        super::seen::remember_my_entry(&round.id, round.created_at);
        session.get().edit(|board, txn| {
            result = board.add_round(txn, &round);
            if result.is_ok() {
                board.log(
                    txn,
                    &ActivityEntry {
                        at: round.created_at,
                        who: person.author(),
                        action: Action::Round,
                        item: round.id.clone(),
                        kind: String::new(),
                        detail: format!("started: {}", round.title),
                    },
                );
            }
        });
        match result {
            Ok(()) => {
                error.set(None);
                title.set(String::new());
                done.set(format!("The round “{}” has started.", round.title));
            }
            Err(e) => error.set(Some(sentence(&e.to_string()))),
        }
    };

    view! {
        <form id="round-form" class="round-form" on:submit=start aria-labelledby="round-form-heading">
            <h3 id="round-form-heading" class="panel-subheading">"Start a voting round"</h3>
            <label for="round-title">"What are people voting on?"</label>
            <input
                id="round-title"
                type="text"
                maxlength="120"
                placeholder="For example: Which ideas should we try first?"
                prop:value=move || title.get()
                on:input=move |ev| title.set(event_target_value(&ev))
            />
            <label for="round-section">"Which items"</label>
            <select
                id="round-section"
                on:change=move |ev| section.set(event_target_value(&ev))
                prop:value=move || section.get()
            >
                <option value="">"All ideas and priorities"</option>
                {move || {
                    sections
                        .get()
                        .into_iter()
                        .map(|(id, title)| view! { <option value=id>{title}</option> })
                        .collect_view()
                }}
            </select>
            <label for="round-budget">"Votes for each person"</label>
            <input
                id="round-budget"
                type="number"
                min="1"
                max=MAX_VOTES.to_string()
                step="1"
                required
                aria-describedby="round-budget-hint"
                prop:value=move || budget.get()
                on:input=move |ev| budget.set(event_target_value(&ev))
            />
            <p id="round-budget-hint" class="field-hint">
                {format!("From 1 to {MAX_VOTES}. Everyone gets the same number.")}
            </p>
            <div class="check-row">
                <input
                    id="round-sealed"
                    type="checkbox"
                    aria-describedby="round-sealed-hint"
                    prop:checked=move || sealed.get()
                    on:change=move |ev| sealed.set(event_target_checked(&ev))
                />
                <label for="round-sealed">"Keep votes hidden until the round closes"</label>
            </div>
            <p id="round-sealed-hint" class="field-hint">
                "Hidden votes stop people following the first or loudest voters. "
                "Nobody, not even you, sees any votes until you close the round."
            </p>
            <button id="round-start" type="submit" class="primary">"Start round"</button>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <p class="form-done" role="status">{move || done.get()}</p>
        </form>
    }
}

#[component]
fn RoundCard(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    round_id: String,
    counts: RwSignal<HashMap<String, u32>>,
    now: RwSignal<f64>,
) -> impl IntoView {
    let signals = session.signals();
    let rid = StoredValue::new(round_id.clone());
    let tally = Memo::new(move |_| {
        let id = rid.get_value();
        signals
            .rounds
            .with(|r| r.iter().find(|t| t.round.id == id).cloned())
    });
    let round = Memo::new(move |_| tally.with(|t| t.as_ref().map(|t| t.round.clone())));
    let is_open =
        Memo::new(move |_| round.with(|r| r.as_ref().is_some_and(|r| r.state == RoundState::Open)));
    let is_sealed = Memo::new(move |_| round.with(|r| r.as_ref().is_some_and(|r| r.sealed)));
    let manage = my_role().can_manage();
    let heading_id = format!("round-{round_id}-heading");
    let section_name = move || {
        let section = round.with(|r| r.as_ref().map(|r| r.section.clone()).unwrap_or_default());
        if section.is_empty() {
            "All ideas and priorities".to_owned()
        } else {
            signals.sections.with(|all| {
                all.iter()
                    .find(|s| s.id == section)
                    .map_or_else(|| "One section".to_owned(), |s| s.title.clone())
            })
        }
    };
    let meta = move || {
        let Some(r) = round.get() else {
            return String::new();
        };
        let state = match (r.state, r.closed_at) {
            (RoundState::Open, _) => "Open".to_owned(),
            (RoundState::Closed, Some(at)) => format!("Closed {}", ago(at, now.get())),
            (RoundState::Closed, None) => "Closed".to_owned(),
        };
        let sealed = match (r.sealed, r.state) {
            (true, RoundState::Open) => "Votes hidden until it closes",
            (true, RoundState::Closed) => "Votes were hidden until it closed",
            (false, RoundState::Open) => "Votes shown as they come in",
            (false, RoundState::Closed) => "Votes were shown as they came in",
        };
        format!(
            "{state} · {} each · {} · {sealed}",
            votes(r.budget),
            section_name()
        )
    };

    // A sealed round's ballot is forgotten once the round has closed.
    Effect::new(move |_| {
        if !is_open.get() && is_sealed.get() {
            forget_local(session.get().board_id(), &rid.get_value());
        }
    });

    view! {
        <article
            class="round"
            data-round=round_id.clone()
            data-state=move || if is_open.get() { "open" } else { "closed" }
            data-sealed=move || is_sealed.get().to_string()
            aria-labelledby=heading_id.clone()
        >
            <h3 id=heading_id.clone() class="round-title">
                {move || round.with(|r| r.as_ref().map(|r| r.title.clone()).unwrap_or_default())}
            </h3>
            <p class="round-meta">
                {meta}
                {move || round.get().map(|r| view! {
                    " · started "
                    <time datetime=iso(r.created_at) title=when(r.created_at)>
                        {ago(r.created_at, now.get())}
                    </time>
                })}
            </p>
            {move || {
                is_open.get().then(|| view! {
                    <BallotBox session=session me=me round=round counts=counts/>
                })
            }}
            <Results signals=signals tally=tally counts=counts/>
            {move || {
                (is_open.get() && manage).then(|| view! {
                    <CloseButton session=session me=me round=round/>
                })
            }}
        </article>
    }
}

/// My votes in an open round: "+" and "−" per candidate, and how many I have left.
#[component]
fn BallotBox(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    round: Memo<Option<Round>>,
    counts: RwSignal<HashMap<String, u32>>,
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
        let Some(my_id) = me.with(|m| m.as_ref().map(|m| m.id.clone())) else {
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
                let ballot = SealedBallot {
                    voter: person.id.clone(),
                    key: person.ballot_key.clone(),
                    name: if person.anonymous {
                        String::new()
                    } else {
                        person.name.clone()
                    },
                    role: person.role.as_str().to_owned(),
                    dots: local.try_get_untracked().unwrap_or_default(),
                };
                let result = api::send_sealed_ballot(&board, &token, &rid, &ballot).await;
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
                        let _ = error.try_set(Some(e));
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
        let author = person.author();
        let ballot = ballot_for(&author, &r.id, at, mine);
        let log_now = last_logged
            .get_value()
            .is_none_or(|t| at - t > VOTED_LOG_GAP_MS);
        let mut result = Ok(());
        if log_now {
            super::seen::remember_my_entry(&r.id, at);
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
fn Candidate(
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

/// The ranking: live for open rounds, final for closed ones, hidden for open sealed ones.
/// The counts sit in live regions that stay in place, so changes to them are announced.
#[component]
fn Results(
    signals: Signals,
    tally: Memo<Option<Tally>>,
    counts: RwSignal<HashMap<String, u32>>,
) -> impl IntoView {
    let hidden = Memo::new(move |_| tally.with(|t| t.as_ref().is_none_or(|t| t.hidden)));
    let open = Memo::new(move |_| {
        tally.with(|t| {
            t.as_ref()
                .is_some_and(|t| t.round.state == RoundState::Open)
        })
    });
    let round_id = Memo::new(move |_| {
        tally.with(|t| t.as_ref().map(|t| t.round.id.clone()).unwrap_or_default())
    });
    let sealed_count = move || {
        let id = round_id.get();
        counts.with(|c| match c.get(&id) {
            Some(&n) => people_voted(n),
            None => "Checking how many people have voted…".to_owned(),
        })
    };
    let voters = move || tally.with(|t| t.as_ref().map(|t| people_voted(t.voters)));
    let by_role = move || {
        tally.with(|t| {
            let t = t.as_ref()?;
            let parts = ParticipantRole::ALL
                .into_iter()
                .filter_map(|r| {
                    let n = t.dots_by_role.get(r.as_str()).copied().unwrap_or(0);
                    (n > 0).then(|| format!("{}: {}", r.label(), votes(n)))
                })
                .collect::<Vec<_>>();
            (!parts.is_empty()).then(|| format!("Votes by role: {}.", parts.join(", ")))
        })
    };
    let ranking = move || {
        tally.get().map(|t| {
            t.ranking
                .into_iter()
                .map(|r| ranked_view(signals, r))
                .collect_view()
        })
    };
    move || {
        if hidden.get() {
            view! {
                <div class="results sealed">
                    <p class="sealed-note">"Votes stay hidden until the round closes."</p>
                    <p class="ballot-count" aria-live="polite">{sealed_count}</p>
                </div>
            }
            .into_any()
        } else {
            view! {
                <div class="results">
                    <h4 class="results-heading">
                        {move || if open.get() { "Results so far" } else { "Results" }}
                    </h4>
                    <p class="voter-count" aria-live="polite">{voters}</p>
                    <p class="by-role">{by_role}</p>
                    <ol class="ranking">{ranking}</ol>
                </div>
            }
            .into_any()
        }
    }
}

fn ranked_view(signals: Signals, r: Ranked) -> impl IntoView {
    let words = item_words(signals, &r.item);
    view! {
        <li
            data-item=r.item.clone()
            data-rank=r.rank.to_string()
            data-votes=r.votes.to_string()
            data-tied=r.tied.to_string()
        >
            <span class="rank">{format!("{}.", r.rank)}</span>
            " "
            <span class="ranked-text">{words}</span>
            " "
            <span class="ranked-votes">{votes(r.votes)}</span>
            {r.tied.then(|| view! { " " <span class="tied">"Tied"</span> })}
        </li>
    }
}

#[component]
fn CloseButton(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    round: Memo<Option<Round>>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let close = move |_| {
        if busy.get_untracked() {
            return;
        }
        let Some(r) = round.get_untracked() else {
            return;
        };
        busy.set(true);
        error.set(None);
        let s = session.get();
        let (board, token) = (s.board_id().to_owned(), s.token().to_owned());
        spawn_local(async move {
            match api::close_round(&board, &token, &r.id).await {
                Ok(()) => {
                    if let Some(person) = me.try_get_untracked().flatten() {
                        let at = js_sys::Date::now();
                        super::seen::remember_my_entry(&r.id, at);
                        session.get().edit(|b, txn| {
                            b.log(
                                txn,
                                &ActivityEntry {
                                    at,
                                    who: person.author(),
                                    action: Action::Round,
                                    item: r.id.clone(),
                                    kind: String::new(),
                                    detail: format!("closed: {}", r.title),
                                },
                            );
                        });
                    }
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    view! {
        <div class="round-actions">
            <button
                type="button"
                class="round-close secondary"
                aria-disabled=move || busy.get().to_string()
                on:click=close
            >
                {move || if busy.get() { "Closing…" } else { "Close this round" }}
            </button>
            <p class="form-error" role="alert">{move || error.get()}</p>
        </div>
    }
}
