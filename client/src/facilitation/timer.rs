//! The round timer: the facilitator sets it, everyone sees it above the side panel's
//! tabs. When anyone on the board has asked for more time, the round is longer for the
//! whole group, so nobody is singled out as the slow one. Shared needs reach only
//! facilitators' pages, so a facilitator's page marks the timer `extended` for everyone;
//! a person who asked without sharing sees the longer round on their own page. Breaks
//! pause the round.

use coboard_shared::schema::TimerPhase;
use leptos::prelude::*;

use super::{Facts, duration_words, ticking_clock};
use crate::needs::{self, Need};

/// "Running", "Break" or "Over", and the data-phase code.
fn phase_words(p: TimerPhase) -> (&'static str, &'static str, Option<f64>) {
    match p {
        TimerPhase::Running { left_ms } => ("Running", "running", Some(left_ms)),
        TimerPhase::Break { left_ms } => ("Break", "break", Some(left_ms)),
        TimerPhase::Over => ("Over", "over", None),
    }
}

/// The timer as everyone sees it.
#[component]
pub fn RoundTimer(facts: Memo<Facts>) -> impl IntoView {
    let now = ticking_clock();
    let mine = needs::wants(Need::MoreTime);
    let timer = Memo::new(move |_| facts.with(|f| f.timer.clone()));
    let more =
        Memo::new(move |_| mine.get() || timer.with(|t| t.as_ref().is_some_and(|t| t.extended)));
    let phase =
        Memo::new(move |_| timer.with(|t| t.as_ref().map(|t| t.phase(now.get(), more.get()))));
    let code = Memo::new(move |_| phase.get().map(|p| phase_words(p).1));
    // Only a change of phase is read out, not every second.
    let said = RwSignal::new(String::new());
    Effect::new(move |before: Option<Option<&'static str>>| {
        let now = code.get();
        if let Some(before) = before
            && before != now
        {
            said.set(match now {
                Some("running") if before.is_none() => "The timer has started.".to_owned(),
                Some("running") => "The break is over.".to_owned(),
                Some("break") => "Time for a break.".to_owned(),
                Some(_) => "Time is up.".to_owned(),
                None => "The timer has stopped.".to_owned(),
            });
        }
        now
    });

    view! {
        <p class="visually-hidden" role="status">{move || said.get()}</p>
        {move || timer.get().map(|t| {
            let more_ms = t.more_time_ms;
            let extra = (more_ms > 0.0).then_some(move || {
                more.get().then(|| {
                    format!(
                        "Includes {} more, as someone asked for more time.",
                        duration_words(more_ms)
                    )
                })
            });
            view! {
                <div
                    id="round-timer"
                    class="round-timer"
                    role="timer"
                    aria-label=format!("Timer: {}", t.label)
                    data-phase=move || code.get()
                >
                    <span class="timer-label">{t.label.clone()}</span>
                    <span class="timer-phase">
                        {move || phase.get().map(|p| phase_words(p).0)}
                    </span>
                    <span class="timer-left">
                        {move || {
                            phase.get().and_then(|p| phase_words(p).2).map(|l| format!("{} left", duration_words(l)))
                        }}
                    </span>
                    <span class="timer-extra">{extra}</span>
                </div>
            }
        })}
    }
}
