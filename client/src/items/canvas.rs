//! The board view: the template's sections as frames, and every item placed freely on
//! top of them, on one scrollable surface. It also brings the item in the spotlight into
//! view, and follows the facilitator's view while "Follow me" is on (see
//! `facilitation::spotlight` and `facilitation::follow`).

use coboard_shared::schema::{ItemView, SectionView};
use leptos::prelude::*;

use crate::facilitation::facts;
use crate::facilitation::follow::follow_canvas;
use crate::facilitation::spotlight::{Spotlit, follow_spotlight};
use crate::items::frame::Frame;
use crate::items::note::Note;
use crate::items::placement::frame_height;
use crate::sync::{SessionHandle, Signals};
use crate::ui::access_role::empty_text;

/// Room left beyond the furthest item, so there is always space to drag into.
const MARGIN: f64 = 240.0;

/// Size of the surface: big enough for every item and every frame, plus a margin.
fn extent(items: &[ItemView], sections: &[SectionView]) -> (f64, f64) {
    let items_extent = items.iter().fold((0.0, 0.0), |(w, h), i| {
        (f64::max(w, i.x + i.w), f64::max(h, i.y + i.h))
    });
    sections.iter().fold(items_extent, |(w, h), s| {
        (
            f64::max(w, s.x + s.w),
            f64::max(h, s.y + frame_height(s, items)),
        )
    })
}

/// Everything that decides how a frame is drawn, as one key: a frame is redrawn only
/// when its section itself changes.
fn frame_key(s: &SectionView) -> String {
    format!(
        "{}|{}|{}|{}|{}|{}|{}",
        s.id, s.title, s.kind, s.x, s.y, s.w, s.h
    )
}

#[component]
pub fn Canvas(signals: Signals) -> impl IntoView {
    let size = Memo::new(move |_| {
        signals
            .items
            .with(|items| signals.sections.with(|s| extent(items, s)))
    });
    // Notes stay in creation order in the page: re-ordering them as they move would pull
    // a focused textarea out of the page and lose the caret of whoever is typing in it.
    let stable = Memo::new(move |_| {
        let mut items = signals.items.get();
        items.sort_by(|a, b| {
            a.created_at
                .total_cmp(&b.created_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        items.into_iter().map(|i| i.id).collect::<Vec<_>>()
    });
    let session = expect_context::<SessionHandle>();
    let facts = facts(session);
    let spot = Memo::new(move |_| facts.with(|f| f.spotlight.clone()));
    provide_context(Spotlit(spot));
    follow_spotlight(spot);
    let surface = NodeRef::<leptos::html::Section>::new();
    let on_scroll = follow_canvas(session, facts, surface);
    view! {
        <section
            node_ref=surface
            class="canvas"
            aria-label="Board"
            tabindex="0"
            on:scroll=move |_| on_scroll()
        >
            <div
                class="canvas-inner"
                style:width=move || format!("{}px", size.get().0 + MARGIN)
                style:height=move || format!("{}px", size.get().1 + MARGIN)
            >
                // Frames come first, so every item is drawn on top of them.
                <For each=move || signals.sections.get() key=frame_key let(section)>
                    <Frame section=section/>
                </For>
                <For each=move || stable.get() key=|id| id.clone() let(id)>
                    <Note id=id/>
                </For>
            </div>
            <Show when=move || {
                signals.items.with(Vec::is_empty) && signals.sections.with(Vec::is_empty)
            }>
                <p class="empty">{empty_text()}</p>
            </Show>
        </section>
    }
}
