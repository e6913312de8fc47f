//! The board view: notes placed freely on a scrollable surface.

use coboard_shared::schema::ItemView;
use leptos::prelude::*;

use super::access_role::empty_text;

use super::note::Note;
use crate::sync::Signals;

/// Room left beyond the furthest note, so there is always space to drag into.
const MARGIN: f64 = 240.0;

/// Size of the surface: big enough for every note plus a margin.
fn extent(items: &[ItemView]) -> (f64, f64) {
    items.iter().fold((0.0, 0.0), |(w, h), i| {
        (f64::max(w, i.x + i.w), f64::max(h, i.y + i.h))
    })
}

#[component]
pub fn Canvas(signals: Signals) -> impl IntoView {
    let size = Memo::new(move |_| signals.items.with(|items| extent(items)));
    // Notes stay in creation order in the page: re-ordering them as they move would pull
    // a focused textarea out of the page and lose the caret of whoever is typing in it.
    let stable = Memo::new(move |_| {
        let mut items = signals.items.get();
        items.sort_by(|a, b| {
            a.created_at
                .total_cmp(&b.created_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        items
    });
    view! {
        <section class="canvas" aria-label="Board" tabindex="0">
            <div
                class="canvas-inner"
                style:width=move || format!("{}px", size.get().0 + MARGIN)
                style:height=move || format!("{}px", size.get().1 + MARGIN)
            >
                <For each=move || stable.get() key=|item| item.id.clone() let(item)>
                    <Note id=item.id/>
                </For>
            </div>
            <Show when=move || signals.items.with(Vec::is_empty)>
                <p class="empty">{empty_text()}</p>
            </Show>
        </section>
    }
}
