//! Access needs, declared once per browser: what helps a person take part (large text,
//! easy read, more time...). They are needs, never diagnoses: nobody is asked why.
//!
//! The declaration lives in `localStorage` under one key, so it follows the person onto
//! every board they open from this browser and onto the home page, without asking again.
//! The app adapts through classes on `<html>` (`needs-large-text`...) that the style
//! sheets read. Only when the person ticks "share with facilitators" do the codes leave
//! the browser, in their presence state (`sync::awareness`), and only facilitators are
//! shown them. Needs change, so after [`REVIEW_AFTER_MS`] the app asks whether they are
//! still right.

pub mod announcer;
pub mod dialog;
pub mod easy_read;
pub mod review;
pub mod room;

use leptos::prelude::*;
use serde::{Deserialize, Deserializer, Serialize};

const KEY: &str = "coboard.needs";
/// About three months: how long before we ask whether the needs are still right.
pub const REVIEW_AFTER_MS: u64 = 90 * 24 * 60 * 60 * 1000;
/// Prefix of the classes set on `<html>`; other classes there are left alone.
const CLASS_PREFIX: &str = "needs-";

/// One access need, by its code (`large_text`...), the word stored and shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Need {
    LargeText,
    EasyRead,
    ScreenReader,
    MoreTime,
    CaptionsBsl,
    HighContrast,
    ReducedMotion,
}

impl Need {
    pub const ALL: [Need; 7] = [
        Self::LargeText,
        Self::EasyRead,
        Self::ScreenReader,
        Self::MoreTime,
        Self::CaptionsBsl,
        Self::HighContrast,
        Self::ReducedMotion,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::LargeText => "large_text",
            Self::EasyRead => "easy_read",
            Self::ScreenReader => "screen_reader",
            Self::MoreTime => "more_time",
            Self::CaptionsBsl => "captions_bsl",
            Self::HighContrast => "high_contrast",
            Self::ReducedMotion => "reduced_motion",
        }
    }

    /// The need for a code; `None` for codes this version does not know.
    pub fn parse(code: &str) -> Option<Need> {
        Self::ALL.into_iter().find(|n| n.code() == code)
    }

    /// Plain words for the need, as a checkbox label and in the facilitators' list.
    pub fn label(self) -> &'static str {
        match self {
            Self::LargeText => "Large text",
            Self::EasyRead => "Easy read (plain words)",
            Self::ScreenReader => "Screen reader",
            Self::MoreTime => "More time",
            Self::CaptionsBsl => "Captions or BSL in meetings",
            Self::HighContrast => "Fewer colours, high contrast",
            Self::ReducedMotion => "Less movement on screen",
        }
    }

    /// What ticking it changes, in one short sentence under the checkbox.
    pub fn hint(self) -> &'static str {
        match self {
            Self::LargeText => "Makes the words on every page bigger.",
            Self::EasyRead => "Adds short, plain help and more space between lines.",
            Self::ScreenReader => "Your screen reader also hears what others change.",
            Self::MoreTime => "Timers on boards add extra minutes.",
            Self::CaptionsBsl => {
                "Nothing changes on screen. Share it so meetings can have \
                 captions or a British Sign Language interpreter."
            }
            Self::HighContrast => "Black and white with one colour, and strong edges.",
            Self::ReducedMotion => "Nothing slides, fades or moves by itself.",
        }
    }

    /// What a facilitator can do to meet the need.
    pub fn tip(self) -> &'static str {
        match self {
            Self::LargeText => "Their board shows bigger text. Send papers in large print too.",
            Self::EasyRead => "Use short sentences and plain words. Send easy read papers.",
            Self::ScreenReader => "Say out loud what is on screen. The List view reads well.",
            Self::MoreTime => "The timer adds its extra minutes. Leave pauses; do not rush votes.",
            Self::CaptionsBsl => "Arrange captions or a BSL interpreter for meetings.",
            Self::HighContrast => "Do not use colour alone to show things, on slides too.",
            Self::ReducedMotion => "Avoid moving slides and videos that play by themselves.",
        }
    }

    /// The class set on `<html>` while the need is declared.
    pub fn class(self) -> &'static str {
        match self {
            Self::LargeText => "needs-large-text",
            Self::EasyRead => "needs-easy-read",
            Self::ScreenReader => "needs-screen-reader",
            Self::MoreTime => "needs-more-time",
            Self::CaptionsBsl => "needs-captions-bsl",
            Self::HighContrast => "needs-high-contrast",
            Self::ReducedMotion => "needs-reduced-motion",
        }
    }
}

/// Known needs among `codes`, each once, in [`Need::ALL`] order. Codes from newer
/// versions (or from a hostile presence state) are dropped rather than shown.
pub fn parse_codes<S: AsRef<str>>(codes: &[S]) -> Vec<Need> {
    let mut needs: Vec<Need> = codes
        .iter()
        .filter_map(|c| Need::parse(c.as_ref()))
        .collect();
    needs.sort();
    needs.dedup();
    needs
}

fn known_codes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Need>, D::Error> {
    Ok(parse_codes(&Vec::<String>::deserialize(d)?))
}

fn as_codes<S: serde::Serializer>(needs: &[Need], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(needs.iter().map(|n| n.code()))
}

/// What this browser's person declared, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declared {
    #[serde(default, deserialize_with = "known_codes", serialize_with = "as_codes")]
    pub needs: Vec<Need>,
    /// When they last saved or confirmed them (ms since 1970); 0 for never.
    #[serde(default)]
    pub declared_at: u64,
    /// Their consent to show the needs to facilitators of the boards they open.
    #[serde(default)]
    pub share_with_facilitators: bool,
}

impl Declared {
    pub fn has(&self, need: Need) -> bool {
        self.needs.contains(&need)
    }

    /// The codes to put in my presence state: none without consent.
    pub fn shared_codes(&self) -> Vec<String> {
        if !self.share_with_facilitators {
            return Vec::new();
        }
        self.needs.iter().map(|n| n.code().to_owned()).collect()
    }

    /// Whether to ask "are your access needs still right?": needs were declared, and
    /// not saved or confirmed for about three months.
    pub fn due_for_review(&self, now_ms: u64) -> bool {
        !self.needs.is_empty() && now_ms.saturating_sub(self.declared_at) > REVIEW_AFTER_MS
    }
}

/// `<html>`'s class attribute for `declared`: its other classes kept, ours replaced.
pub fn class_attr(existing: &str, declared: &Declared) -> String {
    existing
        .split_whitespace()
        .filter(|c| !c.starts_with(CLASS_PREFIX))
        // In the fixed order of the codes, whatever order they were declared in.
        .chain(
            Need::ALL
                .into_iter()
                .filter(|n| declared.needs.contains(n))
                .map(|n| -> &str { n.class() }),
        )
        .collect::<Vec<_>>()
        .join(" ")
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The declaration in this browser; nothing declared if none (or unreadable).
pub fn load() -> Declared {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// Keeps the declaration; private browsing may refuse, which only means asking again.
fn save(declared: &Declared) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(declared)) {
        let _ = s.set_item(KEY, &json);
    }
}

/// Sets the `needs-*` classes on `<html>`, which the style sheets adapt to.
fn apply(declared: &Declared) {
    if let Some(html) = document().document_element() {
        let before = html.get_attribute("class").unwrap_or_default();
        let after = class_attr(&before, declared);
        if after != before {
            let _ = html.set_attribute("class", &after);
        }
    }
}

/// My needs as the app reads them: provided once, by the root component.
#[derive(Clone, Copy)]
pub struct MyNeeds {
    pub declared: RwSignal<Declared>,
    /// Whether the "My access needs" dialog is open (the review banner opens it too).
    pub dialog_open: RwSignal<bool>,
}

impl MyNeeds {
    /// Stores a new declaration, dated now, and adapts the app to it.
    pub fn declare(self, mut needs: Vec<Need>, share: bool) {
        needs.sort();
        needs.dedup();
        let declared = Declared {
            needs,
            declared_at: js_sys::Date::now() as u64,
            share_with_facilitators: share,
        };
        save(&declared);
        self.declared.set(declared);
    }

    /// "Still right": the same needs, confirmed now.
    pub fn confirm(self) {
        let d = self.declared.get_untracked();
        self.declare(d.needs, d.share_with_facilitators);
    }
}

/// Reads the declaration, adapts the page at once (before the first paint), keeps the
/// page in step with it, and follows changes made in other tabs of this browser.
pub fn provide() {
    let initial = load();
    apply(&initial);
    let declared = RwSignal::new(initial);
    provide_context(MyNeeds {
        declared,
        dialog_open: RwSignal::new(false),
    });
    Effect::new(move |_| declared.with(apply));
    // Another tab saved new needs: this page follows (a storage event never fires in
    // the tab that wrote). The listener lives as long as the page.
    let _ = window_event_listener_untyped("storage", move |_| {
        let now = load();
        if declared.get_untracked() != now {
            declared.set(now);
        }
    });
}

/// The needs context, if the app provided it (it always does, from the root).
pub fn my_needs() -> Option<MyNeeds> {
    use_context::<MyNeeds>()
}

/// Whether `need` is declared, as a signal for components to show or hide things by.
/// The context is looked up once, here, while the component is being created.
pub fn wants(need: Need) -> Signal<bool> {
    let my = my_needs();
    Signal::derive(move || my.is_some_and(|m| m.declared.with(|d| d.has(need))))
}

/// For timers: whether to give this person extra time (tracked when read reactively).
#[allow(dead_code, reason = "for timers outside components; those use `wants`")]
pub fn wants_more_time() -> bool {
    match my_needs() {
        Some(n) => n.declared.with(|d| d.has(Need::MoreTime)),
        None => load().has(Need::MoreTime),
    }
}

#[cfg(test)]
mod tests;
