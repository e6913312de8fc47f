//! The spotlight: the facilitator asks everyone to look at one item. Everyone's board
//! brings it into view and marks it, with a word as well as a colour ("Spotlight"), so
//! nobody has to hunt for what is being talked about.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::Facts;
use crate::activity::record;
use crate::sync::SessionHandle;
use crate::ui::access_role::my_role;
use crate::ui::text::first_words;

/// The item in the spotlight, provided by the canvas for its notes.
#[derive(Clone, Copy)]
pub struct Spotlit(pub Memo<Option<String>>);

/// Whether item `id` is in the spotlight (for a note; false outside the canvas).
pub fn is_spotlit() -> impl Fn(&str) -> bool + Copy {
    let spot = use_context::<Spotlit>();
    move |id: &str| spot.is_some_and(|s| s.0.with(|s| s.as_deref() == Some(id)))
}

/// Frames to wait for a card to be drawn: on a big board a card far from the view comes
/// onto the page a frame after the cards leaving it (see `items::canvas`).
const DRAW_FRAMES: u32 = 5;

/// Scrolls item `id` into the middle of the board's view, once it is drawn.
pub fn bring_into_view(id: String) {
    bring_into_view_within(id, DRAW_FRAMES);
}

fn bring_into_view_within(id: String, frames: u32) {
    request_animation_frame(move || {
        let Ok(Some(el)) = document().query_selector(&format!(".note[data-id=\"{id}\"]")) else {
            if frames > 0 {
                bring_into_view_within(id, frames - 1);
            }
            return;
        };
        // `{block: "center", inline: "center"}`, built by hand: the options type is not
        // among the browser bindings this app compiles in.
        let opts = js_sys::Object::new();
        let centre = JsValue::from_str("center");
        let _ = js_sys::Reflect::set(&opts, &JsValue::from_str("block"), &centre);
        let _ = js_sys::Reflect::set(&opts, &JsValue::from_str("inline"), &centre);
        let scroll = js_sys::Reflect::get(&el, &JsValue::from_str("scrollIntoView"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        match scroll {
            Some(f) => {
                let _ = f.call1(&el, &opts);
            }
            None => el.scroll_into_view(),
        }
    });
}

/// For the canvas: brings each new spotlight into view.
pub fn follow_spotlight(spot: Memo<Option<String>>) {
    Effect::new(move |_| {
        if let Some(id) = spot.get() {
            bring_into_view(id);
        }
    });
}

#[component]
pub fn SpotlightBox(session: SessionHandle, facts: Memo<Facts>) -> impl IntoView {
    let manage = my_role().can_manage();
    let signals = session.signals();
    let selected = record::selected();
    let spot = Memo::new(move |_| facts.with(|f| f.spotlight.clone()));
    let words = move |id: &str| {
        signals
            .items
            .item(id)
            .map(|i| first_words(&i.text, 80))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "an item with no words yet".to_owned())
    };
    let set = move |item: Option<String>| {
        session
            .get()
            .edit(|board, txn| board.set_spotlight(txn, item.as_deref(), js_sys::Date::now()));
    };

    view! {
        <section class="spotlight-box" aria-labelledby="spotlight-heading">
            <h3 id="spotlight-heading" class="panel-subheading">"Spotlight"</h3>
            {move || match spot.get() {
                Some(id) => {
                    let show = id.clone();
                    view! {
                        <p id="spotlight-now">{format!("In the spotlight: {}", words(&id))}</p>
                        <button
                            id="spotlight-show"
                            type="button"
                            class="secondary"
                            on:click=move |_| {
                                selected.set(Some(show.clone()));
                                bring_into_view(show.clone());
                            }
                        >
                            "Show it on the board"
                        </button>
                    }
                        .into_any()
                }
                None => view! { <p class="panel-empty">"Nothing is in the spotlight."</p> }
                    .into_any(),
            }}
            {manage.then(|| view! {
                <div class="facilitate-row">
                    <button
                        id="spotlight-start"
                        type="button"
                        class="secondary"
                        aria-disabled=move || selected.with(Option::is_none).to_string()
                        aria-describedby="spotlight-hint"
                        on:click=move |_| {
                            if let Some(id) = selected.get_untracked() {
                                set(Some(id));
                            }
                        }
                    >
                        "Spotlight the chosen item"
                    </button>
                    <Show when=move || spot.with(Option::is_some)>
                        <button id="spotlight-end" type="button" class="secondary" on:click=move |_| set(None)>
                            "End spotlight"
                        </button>
                    </Show>
                </div>
                <p id="spotlight-hint" class="field-hint">
                    "Choose an item on the board first. Everyone's board then shows it."
                </p>
            })}
        </section>
    }
}
