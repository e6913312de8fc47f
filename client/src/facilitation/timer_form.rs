//! Setting the round timer (facilitators): its length, extra minutes for anyone who
//! asked for more time, and breaks. Everyone sees the timer itself (`timer::RoundTimer`).

use coboard_shared::schema::Timer;
use leptos::prelude::*;

use super::Facts;
use crate::sync::SessionHandle;
use crate::ui::access_role::my_role;

const MINUTE: f64 = 60_000.0;

/// Reads a number of minutes from a field; `None` unless it is between `min` and 480.
fn minutes(s: &str, min: f64) -> Option<f64> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|m| (min..=480.0).contains(m))
}

/// The facilitator's controls, in the Facilitate tab.
#[component]
pub fn TimerBox(session: SessionHandle, facts: Memo<Facts>) -> impl IntoView {
    if !my_role().can_manage() {
        return ().into_any();
    }
    let label = RwSignal::new("Round".to_owned());
    let length = RwSignal::new("10".to_owned());
    let extra = RwSignal::new("5".to_owned());
    let every = RwSignal::new("0".to_owned());
    let pause = RwSignal::new("5".to_owned());
    let error = RwSignal::new(None::<String>);
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(d), Some(m), Some(e), Some(b)) = (
            minutes(&length.get_untracked(), 1.0),
            minutes(&extra.get_untracked(), 0.0),
            minutes(&every.get_untracked(), 0.0),
            minutes(&pause.get_untracked(), 0.0),
        ) else {
            error.set(Some(
                "Give each time in whole minutes, up to 480.".to_owned(),
            ));
            return;
        };
        let words = label.get_untracked().trim().to_owned();
        // Decided once, as the round starts, from the needs shared with facilitators (this
        // page sees them): changing it later as people come and go would tell everyone
        // when someone who asked for more time arrived or left.
        let someone_asked = session.signals().peers.with_untracked(|p| {
            p.iter()
                .any(|p| p.needs.contains(&crate::needs::Need::MoreTime))
        });
        let timer = Timer {
            label: if words.is_empty() {
                "Round".to_owned()
            } else {
                words
            },
            started_at: js_sys::Date::now(),
            duration_ms: d * MINUTE,
            more_time_ms: m * MINUTE,
            break_every_ms: e * MINUTE,
            break_ms: b * MINUTE,
            extended: someone_asked,
        };
        error.set(None);
        session
            .get()
            .edit(|board, txn| board.set_timer(txn, Some(&timer)));
    };
    let stop = move |_| session.get().edit(|board, txn| board.set_timer(txn, None));
    let field =
        move |id: &'static str, text: &'static str, value: RwSignal<String>, kind: &'static str| {
            view! {
                <label for=id>{text}</label>
                <input
                    id=id
                    type=kind
                    min=(kind == "number").then_some("0")
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            }
        };

    view! {
        <section class="timer-box" aria-labelledby="timer-heading">
            <h3 id="timer-heading" class="panel-subheading">"Timer"</h3>
            <p class="panel-help">
                "Everyone sees the timer. If anyone has asked for more time, the whole "
                "group gets it."
            </p>
            <form class="timer-form" on:submit=start>
                {field("timer-label", "What the time is for", label, "text")}
                {field("timer-minutes", "Minutes", length, "number")}
                {field("timer-more", "Extra minutes for more time", extra, "number")}
                {field("timer-break-every", "A break every (minutes, 0 for none)", every, "number")}
                {field("timer-break-length", "Break length (minutes)", pause, "number")}
                <div class="round-actions">
                    <button id="timer-start" type="submit" class="primary">"Start timer"</button>
                    <Show when=move || facts.with(|f| f.timer.is_some())>
                        <button id="timer-stop" type="button" class="secondary" on:click=stop>
                            "Stop timer"
                        </button>
                    </Show>
                </div>
            </form>
            <p class="form-error" role="alert">{move || error.get()}</p>
        </section>
    }
    .into_any()
}
