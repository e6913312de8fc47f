//! A toolbar button that opens a small non-modal dialog beside the board (the glossary,
//! the downloads). The board stays usable next to it; Escape or "Close" shuts it, and
//! focus goes back to the button that opened it.

use leptos::prelude::*;
use web_sys::KeyboardEvent;

/// Ids follow `name`: the button is `#{name}-open`, the heading `#{name}-heading`; the
/// dialog is `#{dialog_id}` with class `{dialog_id}` (its header row `{dialog_id}-head`).
#[component]
pub fn ToolbarDialog(
    name: &'static str,
    dialog_id: &'static str,
    /// The button's text.
    label: &'static str,
    heading: &'static str,
    /// One plain sentence under the heading.
    hint: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let (button_id, heading_id) = (format!("{name}-open"), format!("{name}-heading"));
    // Stored, so the closures below are `Copy` and can be handed to every render.
    let back_to = StoredValue::new(format!("#{button_id}"));
    let close = move || {
        open.set(false);
        crate::dom::focus_later(back_to.get_value());
    };
    let on_key = move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            close();
        }
    };
    let focus_heading = format!("#{heading_id}");
    let children = StoredValue::new(children);
    let heading_id = StoredValue::new(heading_id);
    view! {
        <button
            id=button_id
            type="button"
            class="secondary"
            aria-haspopup="dialog"
            aria-expanded=move || open.get().to_string()
            on:click=move |_| {
                let now_open = !open.get_untracked();
                open.set(now_open);
                if now_open {
                    crate::dom::focus_later(focus_heading.clone());
                }
            }
        >
            {label}
        </button>
        <Show when=move || open.get()>
            <div
                id=dialog_id
                class=dialog_id
                role="dialog"
                aria-labelledby=heading_id.get_value()
                on:keydown=on_key
            >
                <div class=format!("{dialog_id}-head")>
                    <h2 id=heading_id.get_value() tabindex="-1">{heading}</h2>
                    <button type="button" class="secondary" on:click=move |_| close()>
                        "Close"
                    </button>
                </div>
                <p class="hint">{hint}</p>
                {children.with_value(|c| c())}
            </div>
        </Show>
    }
}
