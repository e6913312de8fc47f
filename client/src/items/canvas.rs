//! The board view: the template's sections as frames, and every item placed freely on
//! top of them, on one scrollable surface. It also brings the item in the spotlight into
//! view, and follows the facilitator's view while "Follow me" is on (see
//! `facilitation::spotlight` and `facilitation::follow`).
//!
//! Only the cards in and around the visible part of the surface are on the page (see
//! [`Window`]), so a board of 10,000 notes costs the browser about what a screenful does.
//! The card that is selected, being typed in or in the spotlight always stays, wherever
//! it is. The list view (`list_view`) has every item, for screen readers and search.

use std::collections::HashSet;

use coboard_shared::schema::SectionView;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::facilitation::facts;
use crate::facilitation::follow::follow_canvas;
use crate::facilitation::spotlight::{Spotlit, follow_spotlight};
use crate::items::cursors::{Cursors, board_point, share_pointer};
use crate::items::frame::Frame;
use crate::items::note::Note;
use crate::items::placement::frame_height;
use crate::items::zoom::{self, Zoom, ZoomBar};
use crate::sync::{Place, SessionHandle, Signals};
use crate::ui::access_role::empty_text;

/// Room left beyond the furthest item, so there is always space to drag into.
const MARGIN: f64 = 240.0;

/// Size of the surface: big enough for every item and every frame, plus a margin.
fn extent(items: &[Place], sections: &[SectionView]) -> (f64, f64) {
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

/// Cards are put on the page a tile at a time: the visible part of the surface, grown to
/// whole tiles and by one tile each way, so scrolling changes the cards on the page only
/// when it crosses a tile's edge, and there is a screenful ready beyond each edge.
const TILE: f64 = 600.0;

/// The part of the surface whose cards are on the page: left, top, right, bottom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window(f64, f64, f64, f64);

impl Window {
    /// The window for a view of the surface at (`x`, `y`), `w` × `h` big.
    fn around(x: f64, y: f64, w: f64, h: f64) -> Self {
        let down = |v: f64| (v / TILE).floor() * TILE - TILE;
        let up = |v: f64| (v / TILE).ceil() * TILE + TILE;
        Self(down(x), down(y), up(x + w), up(y + h))
    }

    fn holds(&self, p: &Place) -> bool {
        p.overlaps(self.0, self.1, self.2 - self.0, self.3 - self.1)
    }
}

/// Boards with fewer cards than this have them all on the page: they cost little, and
/// the browser's own find and Tab then reach every card.
const ALL_BELOW: usize = 150;

/// The cards to put on the page: those in `window`, and those in `keep` wherever they are
/// (or all of them on a small board), in creation order.
fn on_page(places: &[Place], window: Window, keep: &[Option<String>]) -> Vec<String> {
    let all = places.len() < ALL_BELOW;
    let mut shown: Vec<&Place> = places
        .iter()
        .filter(|p| all || window.holds(p) || keep.iter().any(|k| k.as_deref() == Some(&p.id)))
        .collect();
    shown.sort_by(|a, b| {
        a.created_at
            .total_cmp(&b.created_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    shown.into_iter().map(|p| p.id.clone()).collect()
}

/// Where the surface is scrolled to and how much of the board it shows at `zoom`, as a
/// window in board units.
fn window_of(el: &web_sys::Element, zoom: f64) -> Window {
    Window::around(
        f64::from(el.scroll_left()) / zoom,
        f64::from(el.scroll_top()) / zoom,
        f64::from(el.client_width()) / zoom,
        f64::from(el.client_height()) / zoom,
    )
}

/// The view's size in pixels.
fn view_size(el: &web_sys::Element) -> (f64, f64) {
    (f64::from(el.client_width()), f64::from(el.client_height()))
}

#[component]
pub fn Canvas(signals: Signals) -> impl IntoView {
    let places = signals.items.places();
    let size = Memo::new(move |_| places.with(|p| signals.sections.with(|s| extent(p, s))));
    let session = expect_context::<SessionHandle>();
    let facts = facts(session);
    let spot = Memo::new(move |_| facts.with(|f| f.spotlight.clone()));
    provide_context(Spotlit(spot));
    follow_spotlight(spot);
    let surface = NodeRef::<leptos::html::Section>::new();
    let zoom = RwSignal::new(1.0);
    provide_context(Zoom(zoom));
    let on_scroll = follow_canvas(session, facts, surface, zoom);
    // Until the surface is on the page: a big screen's worth from the top left.
    let window = RwSignal::new(Window::around(0.0, 0.0, 1920.0, 1200.0));
    let measure = move || {
        if let Some(el) = surface.get_untracked() {
            let now = window_of(&el, zoom.get_untracked());
            if window.get_untracked() != now {
                window.set(now);
            }
        }
    };
    Effect::new(move |_| {
        zoom.track();
        if surface.get().is_some() {
            measure();
        }
    });
    // Zoom about the middle of the view (buttons, keys), or about the pointer (wheel).
    let zoom_to = move |to: f64| {
        if let Some(el) = surface.get_untracked() {
            let (w, h) = view_size(&el);
            zoom::zoom_about(&el, zoom, to, w / 2.0, h / 2.0);
        }
    };
    let fit_board = move || {
        if let Some(el) = surface.get_untracked() {
            let (w, h) = size.get_untracked();
            zoom.set(zoom::fit(
                (w + MARGIN / 2.0, h + MARGIN / 2.0),
                view_size(&el),
            ));
            el.set_scroll_left(0);
            el.set_scroll_top(0);
        }
    };
    let on_wheel = move |e: web_sys::WheelEvent| {
        // Ctrl + wheel, and a touchpad's pinch (which browsers report as that), zoom;
        // the wheel alone scrolls as usual.
        if !e.ctrl_key() {
            return;
        }
        e.prevent_default();
        let Some(el) = surface.get_untracked() else {
            return;
        };
        let rect = el.get_bounding_client_rect();
        let to = zoom::step(zoom.get_untracked(), e.delta_y() < 0.0);
        let (px, py) = (
            f64::from(e.client_x()) - rect.left(),
            f64::from(e.client_y()) - rect.top(),
        );
        zoom::zoom_about(&el, zoom, to, px, py);
    };
    let on_key = move |e: web_sys::KeyboardEvent| {
        // Only on the canvas itself: in a card, these keys are words.
        let on_surface = e
            .target()
            .zip(e.current_target())
            .is_some_and(|(t, c)| t == c);
        if !on_surface || e.ctrl_key() || e.meta_key() || e.alt_key() {
            return;
        }
        match e.key().as_str() {
            "+" | "=" => zoom_to(zoom::step(zoom.get_untracked(), true)),
            "-" | "_" => zoom_to(zoom::step(zoom.get_untracked(), false)),
            "0" => zoom_to(1.0),
            "f" | "F" => fit_board(),
            _ => return,
        }
        e.prevent_default();
    };
    let on_resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || {
        on_resize.remove();
        // Leaving the board view (for the list, say) takes my pointer off others' boards.
        share_pointer(session, None);
    });
    let selected = crate::activity::record::selected();
    // The card with focus stays too: it may be neither selected nor in view (a card
    // scrolled away while someone types in it).
    let focused = RwSignal::new(None::<String>);
    let wanted = Memo::new(move |_| {
        let keep = [selected.get(), spot.get(), focused.get()];
        places.with(|p| on_page(p, window.get(), &keep))
    });
    // The cards on the page, in the order they came onto it. Leptos's `For` moves a card
    // in the page when it cannot tell that cards were only taken out before it and added
    // after it, and a moved card loses focus (and the caret of whoever types in it). So
    // the page only ever loses cards, or gains them at the end, never both at once:
    // cards leave first, and those arriving come a frame later.
    let shown = RwSignal::new(Vec::<String>::new());
    let later = RwSignal::new(0u32);
    Effect::new(move |_| {
        later.track();
        let want = wanted.get();
        let now = shown.get_untracked();
        let wanted_ids: HashSet<&String> = want.iter().collect();
        if now.iter().any(|id| !wanted_ids.contains(id)) {
            shown.set(
                now.into_iter()
                    .filter(|id| wanted_ids.contains(id))
                    .collect(),
            );
            request_animation_frame(move || {
                let _ = later.try_update(|n| *n += 1);
            });
        } else if want.len() > now.len() {
            let there: HashSet<&String> = now.iter().collect();
            let arriving: Vec<String> = want
                .iter()
                .filter(|id| !there.contains(id))
                .cloned()
                .collect();
            let mut next = now.clone();
            next.extend(arriving);
            shown.set(next);
        }
    });
    let on_focus_in = move |e: web_sys::FocusEvent| {
        let card = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest(".note[data-id]").ok().flatten())
            .and_then(|el| el.get_attribute("data-id"));
        if card != focused.get_untracked() {
            focused.set(card);
        }
    };
    view! {
        <div class="canvas-wrap">
        <ZoomBar zoom=zoom to=zoom_to fit_board=fit_board/>
        <section
            node_ref=surface
            class="canvas"
            aria-label="Board"
            aria-keyshortcuts="+ - 0 F"
            tabindex="0"
            on:scroll=move |_| {
                measure();
                on_scroll();
            }
            on:focusin=on_focus_in
            on:wheel=on_wheel
            on:keydown=on_key
            on:pointermove=move |e| {
                if let Some(el) = surface.get_untracked() {
                    share_pointer(session, Some(board_point(&e, &el, zoom.get_untracked())));
                }
            }
            on:pointerleave=move |_| share_pointer(session, None)
        >
            // The surface takes the zoomed size, so it scrolls over the whole board; the
            // layer inside is drawn at actual size and scaled.
            <div
                class="canvas-inner"
                style:width=move || format!("{}px", (size.get().0 + MARGIN) * zoom.get())
                style:height=move || format!("{}px", (size.get().1 + MARGIN) * zoom.get())
            >
            <div
                class="canvas-layer"
                style:width=move || format!("{}px", size.get().0 + MARGIN)
                style:height=move || format!("{}px", size.get().1 + MARGIN)
                style:transform=move || {
                    let z = zoom.get();
                    ((z - 1.0).abs() > 0.001).then(|| format!("scale({z})"))
                }
            >
                // Frames come first, so every item is drawn on top of them.
                <For each=move || signals.sections.get() key=frame_key let(section)>
                    <Frame section=section/>
                </For>
                <For each=move || shown.get() key=|id| id.clone() let(id)>
                    <Note id=id/>
                </For>
                <Cursors signals=signals/>
            </div>
            </div>
            <Show when=move || {
                places.with(Vec::is_empty) && signals.sections.with(Vec::is_empty)
            }>
                <p class="empty">{empty_text()}</p>
            </Show>
        </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(id: &str, x: f64, y: f64, created_at: f64) -> Place {
        Place {
            id: id.into(),
            section: String::new(),
            x,
            y,
            w: 200.0,
            h: 140.0,
            created_at,
        }
    }

    #[test]
    fn the_window_holds_whole_tiles_and_one_more_each_way() {
        let w = Window::around(650.0, 0.0, 1000.0, 700.0);
        assert_eq!(w, Window(0.0, -600.0, 2400.0, 1800.0));
    }

    #[test]
    fn only_cards_near_the_view_are_on_the_page_but_kept_ones_stay() {
        let mut places = vec![
            place("far", 5000.0, 5000.0, 1.0),
            place("near", 100.0, 100.0, 3.0),
            place("edge", 2300.0, 1700.0, 2.0),
            place("typing", 9000.0, 100.0, 0.0),
        ];
        let window = Window::around(0.0, 0.0, 1280.0, 800.0);
        // A small board has every card on the page.
        assert_eq!(on_page(&places, window, &[None]).len(), 4);
        places.extend((0..ALL_BELOW).map(|n| place(&format!("x{n}"), 9000.0, 9000.0, 9.0)));
        assert_eq!(on_page(&places, window, &[None]), ["edge", "near"]);
        let keep = [Some("typing".to_owned()), None];
        assert_eq!(on_page(&places, window, &keep), ["typing", "edge", "near"]);
    }
}
