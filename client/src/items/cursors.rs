//! Other people's pointers on the canvas, each in their colour with their name, so a
//! group on a call can say "this one here" and see who is where. Drawn inside the zoomed
//! layer, at board positions. Hidden from screen readers: who is here, and which card each
//! person has selected, are said by the presence list and the cards themselves.

use leptos::prelude::*;

use crate::sync::{Cursor, SessionHandle, Signals};

/// Everyone else's pointer that is over the board.
#[component]
pub fn Cursors(signals: Signals) -> impl IntoView {
    let others = Memo::new(move |_| {
        signals.peers.with(|peers| {
            peers
                .iter()
                .filter(|p| !p.me)
                .filter_map(|p| Some((p.client_id, p.name.clone(), p.colour.clone(), p.cursor?)))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <div class="cursors" aria-hidden="true">
            <For each=move || others.get() key=|c| (c.0, c.1.clone(), c.2.clone()) let((id, name, colour, _))>
                {
                    let mark = colour.clone();
                    let at = move || {
                        others.with(|o| o.iter().find(|c| c.0 == id).map(|c| c.3))
                    };
                    view! {
                        <div
                            class="cursor"
                            data-client=id.to_string()
                            style:left=move || at().map(|c| format!("{}px", c.x))
                            style:top=move || at().map(|c| format!("{}px", c.y))
                            style:color=colour
                        >
                            <svg viewBox="0 0 16 16" width="16" height="16">
                                <path d="M1 1 L1 13 L4.5 9.5 L7 15 L9 14 L6.5 8.5 L11 8.5 Z" fill="currentColor" stroke="white" stroke-width="1"/>
                            </svg>
                            <span class="cursor-name" style:border-left-color=mark>{name}</span>
                        </div>
                    }
                }
            </For>
        </div>
    }
}

/// Where a pointer event is on the board held by `surface`, at `zoom`.
pub fn board_point(e: &web_sys::PointerEvent, surface: &web_sys::Element, zoom: f64) -> Cursor {
    let rect = surface.get_bounding_client_rect();
    Cursor {
        x: ((f64::from(e.client_x()) - rect.left() + f64::from(surface.scroll_left())) / zoom)
            .round(),
        y: ((f64::from(e.client_y()) - rect.top() + f64::from(surface.scroll_top())) / zoom)
            .round(),
    }
}

/// Publishes my pointer's place on the board as it moves, and its leaving.
pub fn share_pointer(session: SessionHandle, cursor: Option<Cursor>) {
    if let Some(s) = session.try_get() {
        s.set_cursor(cursor);
    }
}
