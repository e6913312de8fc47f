//! The "Activity" tab: who did what on the board, and when, newest first. Also the
//! small time helpers the other side-panel tabs share ("5 minutes ago").

pub mod record;
pub mod seen;

use std::time::Duration;

use coboard_shared::schema::{Action, ActivityEntry, Author, Status, kind_label};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::activity::seen::NewMarker;
use crate::identity::Identity;
use crate::sync::Signals;

/// How often relative times ("5 minutes ago") are brought up to date.
const TICK: Duration = Duration::from_secs(30);

/// The current time, as a signal that moves every half minute while the caller lives.
pub fn clock() -> RwSignal<f64> {
    let now = RwSignal::new(js_sys::Date::now());
    let handle = set_interval_with_handle(move || now.set(js_sys::Date::now()), TICK).ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });
    now
}

/// "just now", "5 minutes ago", "yesterday", or the date for anything older than a week.
pub fn ago(at: f64, now: f64) -> String {
    let secs = ((now - at) / 1000.0).max(0.0);
    let mins = (secs / 60.0).floor() as u64;
    let hours = mins / 60;
    let days = hours / 24;
    let plural = |n: u64, unit: &str| {
        if n == 1 {
            format!("1 {unit} ago")
        } else {
            format!("{n} {unit}s ago")
        }
    };
    if secs < 45.0 {
        "just now".to_owned()
    } else if mins < 60 {
        plural(mins.max(1), "minute")
    } else if hours < 24 {
        plural(hours, "hour")
    } else if days == 1 {
        "yesterday".to_owned()
    } else if days < 7 {
        plural(days, "day")
    } else {
        date_only(at)
    }
}

fn date_of(at: f64) -> Option<js_sys::Date> {
    (at.is_finite() && at > 0.0).then(|| js_sys::Date::new(&JsValue::from_f64(at)))
}

fn locale_string(at: f64, options: &[(&str, &str)]) -> String {
    let Some(date) = date_of(at) else {
        return "an unknown time".to_owned();
    };
    let opts = js_sys::Object::new();
    for (k, v) in options {
        let _ = js_sys::Reflect::set(&opts, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    date.to_locale_string("en-GB", &opts).into()
}

fn date_only(at: f64) -> String {
    locale_string(at, &[("dateStyle", "medium")])
}

/// "29 Nov 2026, 10:55": the full time, for tooltips and decision records.
pub fn when(at: f64) -> String {
    locale_string(at, &[("dateStyle", "medium"), ("timeStyle", "short")])
}

/// The machine-readable time for a `<time datetime>` attribute.
pub fn iso(at: f64) -> String {
    date_of(at)
        .map(|d| String::from(d.to_iso_string()))
        .unwrap_or_default()
}

/// "Asha (Public member)", or "Anonymous (Public member)".
pub fn who(author: &Author) -> String {
    format!("{} ({})", author.display(), author.role.label())
}

/// "an idea", "a stage plan": a kind's label with its article, for sentences.
pub fn a_kind(kind: &str) -> String {
    let label = kind_label(kind).to_lowercase();
    let article = if label.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {label}")
}

/// What someone did, in plain words: "added an idea: “More evening sessions”".
pub fn describe(e: &ActivityEntry) -> String {
    let detail = e.detail.trim();
    let quoted = if detail.is_empty() {
        String::new()
    } else {
        format!(": “{detail}”")
    };
    let thing = a_kind(&e.kind);
    match e.action {
        Action::Added => format!("added {thing}{quoted}"),
        Action::Edited => format!("edited {thing}{quoted}"),
        Action::Deleted => format!("deleted {thing}{quoted}"),
        Action::Commented => format!("commented on {thing}{quoted}"),
        Action::Status if detail.is_empty() => format!("changed the status of {thing}"),
        Action::Status => match Status::parse(&detail.to_lowercase()) {
            Some(status) => format!("marked {thing} as {}", status.as_str()),
            None => format!("changed the status of {thing}: {detail}"),
        },
        Action::Voted if detail.is_empty() => "voted".to_owned(),
        Action::Voted => format!("voted in “{detail}”"),
        Action::Round => describe_round(detail),
    }
}

/// Round lines carry "started: <title>" or "closed: <title>" as their detail.
fn describe_round(detail: &str) -> String {
    for verb in ["started", "closed"] {
        if let Some(title) = detail.strip_prefix(verb).and_then(|r| r.strip_prefix(':')) {
            let title = title.trim();
            return if title.is_empty() {
                format!("{verb} a voting round")
            } else {
                format!("{verb} the voting round “{title}”")
            };
        }
    }
    if detail.is_empty() {
        "changed a voting round".to_owned()
    } else {
        format!("changed a voting round: {detail}")
    }
}

/// Whether an activity line is news to me: after my last visit, and not mine.
pub fn is_new_entry(e: &ActivityEntry, last_visit: f64, my_id: &str) -> bool {
    e.at > last_visit && !crate::activity::seen::is_my_entry(&e.item, e.at, &e.who.id, my_id)
}

#[component]
pub fn ActivityTab(
    signals: Signals,
    me: RwSignal<Option<Identity>>,
    last_visit: f64,
    now: RwSignal<f64>,
) -> impl IntoView {
    let my_id = move || me.with(|m| m.as_ref().map(|m| m.id.clone()).unwrap_or_default());
    view! {
        <h2 class="panel-heading">"What has happened"</h2>
        <p class="panel-help">"Everything people have done on this board, newest first."</p>
        {move || {
            let entries = signals.activity.get();
            if entries.is_empty() {
                return view! {
                    <p class="panel-empty">"Nothing has happened on this board yet."</p>
                }
                    .into_any();
            }
            let mine = my_id();
            let now = now.get();
            view! {
                <ul id="activity" class="activity-list">
                    {entries
                        .into_iter()
                        .map(|e| {
                            let fresh = is_new_entry(&e, last_visit, &mine);
                            view! {
                                <li data-action=e.action.as_str() class:is-new=fresh>
                                    {fresh.then(|| view! { <NewMarker/> " " })}
                                    <span class="activity-who">{who(&e.who)}</span>
                                    " "
                                    <span class="activity-what">{describe(&e)}</span>
                                    " "
                                    <time datetime=iso(e.at) title=when(e.at)>
                                        {ago(e.at, now)}
                                    </time>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
    }
}
