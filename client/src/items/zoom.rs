//! Zoom on the board's canvas, as on any whiteboard: the buttons over the canvas, Ctrl +
//! the mouse wheel or a touchpad pinch (about the pointer), and the keys + − 0 and F while
//! the canvas itself has focus. Zooming keeps the point under the pointer (or the middle
//! of the view) where it was, so people do not lose their place.
//!
//! The canvas scales one layer with a CSS transform; positions on the board never change,
//! only how big they are drawn. Anything that turns a pointer's movement into a move on the
//! board divides by the zoom ([`Zoom::reader`]).

use leptos::prelude::*;

/// The zoom levels the buttons and keys step through.
const LEVELS: [f64; 9] = [0.25, 0.33, 0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0];
/// "Fit" never makes the board bigger than this, nor smaller than the first level.
const FIT_MAX: f64 = 1.0;

/// The canvas's zoom (1.0 = actual size), shared with the cards on it.
#[derive(Clone, Copy)]
pub struct Zoom(pub RwSignal<f64>);

impl Zoom {
    /// Reads the zoom of the canvas this component is on when called (1.0 outside any).
    pub fn reader() -> impl Fn() -> f64 + Copy + 'static {
        let zoom = use_context::<Zoom>();
        move || zoom.map_or(1.0, |z| z.0.try_get_untracked().unwrap_or(1.0))
    }
}

/// The next level up (`up`) or down from `now`.
pub fn step(now: f64, up: bool) -> f64 {
    if up {
        LEVELS.into_iter().find(|l| *l > now + 0.001).unwrap_or(now)
    } else {
        LEVELS
            .into_iter()
            .rev()
            .find(|l| *l < now - 0.001)
            .unwrap_or(now)
    }
}

/// The zoom that shows a board `size` big in a view `view` big, whole.
pub fn fit(size: (f64, f64), view: (f64, f64)) -> f64 {
    let z = f64::min(view.0 / size.0.max(1.0), view.1 / size.1.max(1.0));
    z.clamp(LEVELS[0], FIT_MAX)
}

/// "75%" for 0.75.
pub fn percent(zoom: f64) -> String {
    format!("{}%", (zoom * 100.0).round())
}

/// Changes `el`'s zoom from `zoom`'s value to `to`, keeping the point (`px`, `py`) of the
/// view (pixels from its top left) over the same spot of the board.
pub fn zoom_about(el: &web_sys::Element, zoom: RwSignal<f64>, to: f64, px: f64, py: f64) {
    let from = zoom.get_untracked();
    if (to - from).abs() < 0.001 {
        return;
    }
    // The board point under (px, py), in board units.
    let bx = (f64::from(el.scroll_left()) + px) / from;
    let by = (f64::from(el.scroll_top()) + py) / from;
    zoom.set(to);
    // The surface is resized by the same render; scroll once it has been.
    let el = el.clone();
    request_animation_frame(move || {
        el.set_scroll_left((bx * to - px).max(0.0).round() as i32);
        el.set_scroll_top((by * to - py).max(0.0).round() as i32);
    });
}

/// The zoom buttons over the canvas.
#[component]
pub fn ZoomBar(
    zoom: RwSignal<f64>,
    /// Zooms to a level about the middle of the view.
    to: impl Fn(f64) + Copy + 'static,
    /// Shows the whole board.
    fit_board: impl Fn() + Copy + 'static,
) -> impl IntoView {
    view! {
        <div class="zoom-bar" role="group" aria-label="Zoom">
            <StepButton zoom=zoom to=to up=false/>
            <button
                type="button"
                id="zoom-reset"
                title="Actual size (0)"
                aria-label=move || format!("Zoom {}: back to actual size", percent(zoom.get()))
                on:click=move |_| to(1.0)
            >
                {move || percent(zoom.get())}
            </button>
            <StepButton zoom=zoom to=to up=true/>
            <button type="button" id="zoom-fit" title="Show the whole board (F)" on:click=move |_| fit_board()>
                "Whole board"
            </button>
        </div>
    }
}

/// Zoom in (`up`) or out by one level.
#[component]
fn StepButton(zoom: RwSignal<f64>, to: impl Fn(f64) + Copy + 'static, up: bool) -> impl IntoView {
    let (id, words, key) = if up {
        ("zoom-in", "Zoom in", "+")
    } else {
        ("zoom-out", "Zoom out", "−")
    };
    view! {
        <button
            type="button"
            id=id
            title=format!("{words} ({key})")
            aria-label=words
            on:click=move |_| to(step(zoom.get_untracked(), up))
        >
            <span aria-hidden="true">{key}</span>
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_go_level_by_level_and_stop_at_the_ends() {
        assert_eq!(step(1.0, true), 1.25);
        assert_eq!(step(1.0, false), 0.8);
        assert_eq!(step(0.9, false), 0.8);
        assert_eq!(step(2.0, true), 2.0);
        assert_eq!(step(0.25, false), 0.25);
    }

    #[test]
    fn fit_shows_the_whole_board_but_never_enlarges_it() {
        assert_eq!(fit((2000.0, 1000.0), (1000.0, 800.0)), 0.5);
        assert_eq!(fit((500.0, 400.0), (1000.0, 800.0)), 1.0);
        assert_eq!(fit((100_000.0, 100_000.0), (1000.0, 800.0)), 0.25);
        assert_eq!(percent(0.67), "67%");
    }
}
