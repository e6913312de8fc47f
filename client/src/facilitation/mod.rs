//! The "Facilitate" tab: tools that share the running of a session rather than keep it
//! in one pair of hands. Who is facilitating, handing that role to anyone on the board,
//! silent rounds, a timer everyone sees (with extra time for people who need it), a
//! spotlight, "Follow me", and a speaking queue that puts people not yet heard first.
//!
//! Everything here lives in the board's "facilitation" and "silent" maps
//! (`coboard_shared::schema::facilitation`); [`facts`] reads them whenever the document
//! changes.

mod api;
pub mod facts;
pub mod silent;

pub mod follow;
pub mod follow_notice;
mod ground_rules;
pub mod handover;
mod lead;
pub mod offer;
pub mod queue;
pub mod spotlight;
pub mod strip;
mod talk;
pub mod timer;
pub mod timer_form;

use leptos::prelude::*;

use self::silent::SilentRounds;
use crate::identity::Identity;
use crate::sync::SessionHandle;
use crate::ui::access_role::my_role;

pub use facts::{Facts, facts};

/// "Public members" and so on, for a role code.
pub fn role_words(role: &str) -> &'static str {
    match role {
        "public" => "Public members",
        "professional" => "Professionals",
        _ => "Facilitators",
    }
}

/// "4 min 05 s" for a span of milliseconds.
pub fn duration_words(ms: f64) -> String {
    let s = (ms.max(0.0) / 1000.0).ceil() as u64;
    if s >= 60 {
        format!("{} min {:02} s", s / 60, s % 60)
    } else {
        format!("{s} s")
    }
}

/// The time now, renewed every second while the component that asked lives.
pub fn ticking_clock() -> RwSignal<f64> {
    let now = RwSignal::new(js_sys::Date::now());
    let tick = set_interval_with_handle(
        move || {
            let _ = now.try_set(js_sys::Date::now());
        },
        std::time::Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = tick {
            t.clear();
        }
    });
    now
}

#[component]
pub fn FacilitateTab(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    facts: Memo<Facts>,
    /// Whether this tab is the one showing (card counts are polled more often then).
    active: Signal<bool>,
) -> impl IntoView {
    let manage = my_role().can_manage();
    view! {
        <h2 class="panel-heading">"Facilitate"</h2>
        <p class="panel-help">
            "Tools for running the session together. Anyone on the board can be handed "
            "the facilitator role."
        </p>
        <lead::LeadLine facts=facts/>
        {manage.then(|| view! { <ground_rules::GroundRules session=session/> })}
        <SilentRounds session=session me=me facts=facts active=active/>
        <queue::SpeakingQueue session=session me=me facts=facts/>
        <timer_form::TimerBox session=session facts=facts/>
        <spotlight::SpotlightBox session=session facts=facts/>
        <follow::FollowBox session=session facts=facts/>
        {manage.then(|| view! { <handover::HandoverList session=session me=me facts=facts/> })}
    }
}
