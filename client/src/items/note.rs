//! One card on the canvas, of any kind (a sticky note, an aim, a stage plan, ...): a bar
//! with a handle that moves it by pointer drag or by arrow keys, its colour and (unless
//! the template made it) a delete button, then the item's body.
//!
//! Cards the template made (a stage plan, a checklist question, a principle) cannot be
//! deleted: they are the template's structure, and the group fills them in rather than
//! replacing them.

use coboard_shared::schema::{COLOURS, ItemView, kind_label};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{KeyboardEvent, PointerEvent};

use crate::activity::record;
use crate::items::item_body::{ItemBody, author_label, item_name, new_memo};
use crate::sync::{SessionHandle, Signals};

/// Arrow keys move a note this far; with Shift, [`BIG_STEP`].
const STEP: f64 = 10.0;
const BIG_STEP: f64 = 50.0;

/// The live snapshot of one item, looked up by id.
pub fn item_memo(signals: Signals, id: String) -> Memo<Option<ItemView>> {
    Memo::new(move |_| signals.items.item(&id))
}

/// A known colour name, so unknown values from other apps still get a readable shade.
pub fn colour_of(item: &ItemView) -> &'static str {
    COLOURS
        .into_iter()
        .find(|c| *c == item.colour)
        .unwrap_or(COLOURS[0])
}

/// "Yellow" for "yellow".
pub fn colour_label(colour: &str) -> String {
    let mut chars = colour.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Where a drag started: pointer position and the note's position then.
#[derive(Clone, Copy)]
struct DragStart {
    pointer: (f64, f64),
    note: (f64, f64),
}

#[component]
pub fn Note(id: String) -> impl IntoView {
    let session = expect_context::<SessionHandle>();
    let signals = session.signals();
    let item = item_memo(signals, id.clone());
    let drag_start = StoredValue::new(None::<DragStart>);
    let zoom = crate::items::zoom::Zoom::reader();
    // Position while dragging; written to the board only on drop.
    let dragging = RwSignal::new(None::<(f64, f64)>);
    let root = NodeRef::<leptos::html::Div>::new();
    // Viewers get no move, colour or delete controls at all: hidden beats disabled, as
    // there is nothing they could do with them.
    let editable = crate::ui::access_role::my_role().can_edit();
    let me = record::me();
    let selected = record::selected();
    let (kind, seeded) = item.with_untracked(|i| {
        i.as_ref()
            .map(|i| (i.kind.clone(), i.seeded))
            .unwrap_or_default()
    });
    let kind_name = kind_label(&kind);
    let is_new = new_memo(item);
    let spotlit = crate::facilitation::spotlight::is_spotlit();
    let spot_id = id.clone();

    let stored_pos = move || item.with(|i| i.as_ref().map(|i| (i.x, i.y)).unwrap_or_default());
    let pos = move || dragging.get().unwrap_or_else(stored_pos);
    let byline =
        Memo::new(move |_| item.with(|i| i.as_ref().map(author_label).unwrap_or_default()));
    let colour = Memo::new(move |_| item.with(|i| i.as_ref().map(colour_of).unwrap_or(COLOURS[0])));
    let name = Memo::new(move |_| {
        item.with(|i| {
            signals
                .sections
                .with(|s| i.as_ref().map(|i| item_name(i, s)).unwrap_or_default())
        })
    });
    let label = Signal::derive(move || {
        if seeded {
            name.get()
        } else {
            format!("{} by {}", name.get(), byline.get())
        }
    });
    let note_id = id.clone();
    let selected_by = Memo::new(move |_| {
        signals.peers.with(|peers| {
            peers
                .iter()
                .filter(|p| !p.me && p.selection.as_deref() == Some(note_id.as_str()))
                .map(|p| (p.name.clone(), p.colour.clone()))
                .collect::<Vec<_>>()
        })
    });

    let move_to = {
        let id = id.clone();
        move |(x, y): (f64, f64)| {
            let (x, y) = (x.max(0.0).round(), y.max(0.0).round());
            session.get().edit(|board, txn| {
                // Someone may have deleted the note meanwhile; then there is nothing to move.
                let _ = board.set_position(txn, &id, x, y);
            });
        }
    };
    let on_pointer_down = move |e: PointerEvent| {
        if e.button() != 0 {
            return;
        }
        if let Some(target) = e
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let _ = target.set_pointer_capture(e.pointer_id());
        }
        drag_start.set_value(Some(DragStart {
            pointer: (e.client_x() as f64, e.client_y() as f64),
            note: stored_pos(),
        }));
    };
    let on_pointer_move = move |e: PointerEvent| {
        if let Some(d) = drag_start.get_value() {
            // Pointer pixels are board units only at actual size.
            let dx = (e.client_x() as f64 - d.pointer.0) / zoom();
            let dy = (e.client_y() as f64 - d.pointer.1) / zoom();
            dragging.set(Some(((d.note.0 + dx).max(0.0), (d.note.1 + dy).max(0.0))));
        }
    };
    let end_drag = {
        let move_to = move_to.clone();
        move |_: PointerEvent| {
            drag_start.set_value(None);
            if let Some(p) = dragging.get_untracked() {
                move_to(p);
                dragging.set(None);
            }
        }
    };
    let on_key = {
        let move_to = move_to.clone();
        move |e: KeyboardEvent| {
            let step = if e.shift_key() { BIG_STEP } else { STEP };
            let (dx, dy) = match e.key().as_str() {
                "ArrowLeft" => (-step, 0.0),
                "ArrowRight" => (step, 0.0),
                "ArrowUp" => (0.0, -step),
                "ArrowDown" => (0.0, step),
                _ => return,
            };
            e.prevent_default();
            let (x, y) = stored_pos();
            move_to((x + dx, y + dy));
        }
    };
    let on_colour = {
        let id = id.clone();
        move |e: leptos::ev::Event| {
            let chosen = event_target_value(&e);
            session.get().edit(|board, txn| {
                let _ = board.set_colour(txn, &id, &chosen);
            });
        }
    };
    let on_delete = {
        let id = id.clone();
        let facilitator = crate::ui::access_role::my_role().can_manage();
        let last = crate::items::bin::last_removed();
        move |_| {
            let me = me.get_untracked();
            crate::items::bin::remove(session, &id, me, facilitator, last);
            crate::dom::focus_later("#add-note".to_owned());
        }
    };
    let on_focus_in = {
        let id = id.clone();
        move |_| {
            session.get().set_selection(Some(id.clone()));
            if selected.get_untracked().as_deref() != Some(id.as_str()) {
                selected.set(Some(id.clone()));
            }
        }
    };
    let on_click = {
        let id = id.clone();
        move |_| {
            if selected.get_untracked().as_deref() != Some(id.as_str()) {
                selected.set(Some(id.clone()));
            }
        }
    };
    let on_focus_out = move |e: web_sys::FocusEvent| {
        // Moving focus between the note's own controls keeps it selected.
        let next = e
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        // Focus also leaves when the whole board is taken off the page (it could not be
        // opened any more): by then the note's reactive parts are gone, and so is the need.
        let Some(root) = root.try_get_untracked() else {
            return;
        };
        let inside = root.is_some_and(|r| r.contains(next.as_ref()));
        if !inside && let Some(s) = session.try_get() {
            s.set_selection(None);
        }
    };

    let structured = !crate::items::field_editor::fields_for(&kind).is_empty();
    // Facilitators may remove any item (the board's rules); others only what they wrote
    // in this browser, which the server checks with the item's key.
    let mine = {
        let board = session.get().board_id().to_owned();
        let author_key = session.get().read(|b, txn| b.author_key(txn, &id));
        me.with_untracked(|m| {
            m.as_ref()
                .zip(author_key.ok().filter(|k| !k.is_empty()))
                .is_some_and(|(m, k)| m.item_author_key(&board, &id) == k)
        })
    };
    let may_remove = coboard_shared::rules::may(
        crate::ui::access_role::my_writer(),
        coboard_shared::rules::Part::Item,
        coboard_shared::rules::Act::Delete,
    );
    let deletable = !seeded && (may_remove || mine);
    view! {
        <div
            node_ref=root
            class=move || format!("note colour-{}", colour.get())
            class:structured=structured
            data-kind=kind.clone()
            data-new=move || is_new.get().then_some("true")
            data-status=move || item.with(|i| i.as_ref().map(|i| i.status.as_str()))
            class:remote-selected=move || !selected_by.with(Vec::is_empty)
            class:dragging=move || dragging.with(Option::is_some)
            class:spotlit=move || spotlit(&spot_id)
            data-id=id
            role="group"
            aria-label=move || label.get()
            style:left=move || format!("{}px", pos().0)
            style:top=move || format!("{}px", pos().1)
            style:width=move || format!("{}px", item.with(|i| i.as_ref().map_or(200.0, |i| i.w)))
            style:min-height=move || format!("{}px", item.with(|i| i.as_ref().map_or(140.0, |i| i.h)))
            // Template cards keep their size and scroll, so a long stage plan does not
            // spill over the card below it.
            style:height=move || {
                structured
                    .then(|| format!("{}px", item.with(|i| i.as_ref().map_or(140.0, |i| i.h))))
            }
            style:outline-color=move || selected_by.with(|s| s.first().map(|p| p.1.clone()))
            on:focusin=on_focus_in
            // A click on the card's background (not a control) also chooses it for the
            // side panel; keyboard users choose it by moving focus into it.
            on:click=on_click
            on:focusout=on_focus_out
        >
            {editable.then(move || view! {
                <div class="note-bar">
                    <button
                        type="button"
                        class="handle"
                        aria-label=move || format!("Move {}. Use the arrow keys.", label.get())
                        title="Drag to move, or use the arrow keys"
                        on:pointerdown=on_pointer_down
                        on:pointermove=on_pointer_move
                        on:pointerup=end_drag.clone()
                        on:pointercancel=end_drag
                        on:keydown=on_key
                    >
                        <span aria-hidden="true">"⠿"</span>
                    </button>
                    <select class="colour" aria-label=format!("{kind_name} colour") on:change=on_colour>
                        {COLOURS
                            .into_iter()
                            .map(|c| {
                                view! {
                                    <option value=c prop:selected=move || colour.get() == c>
                                        {colour_label(c)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    {deletable.then(|| view! {
                        <button
                            type="button"
                            class="delete"
                            aria-label=format!("Delete {}", kind_name.to_lowercase())
                            title=format!("Delete {}", kind_name.to_lowercase())
                            on:click=on_delete
                        >
                            <span aria-hidden="true">"×"</span>
                        </button>
                    })}
                </div>
            })}
            <ItemBody item=item/>
            <Show when=move || !selected_by.with(Vec::is_empty)>
                <p class="selected-by">
                    {move || {
                        let names: Vec<String> = selected_by.get().into_iter().map(|p| p.0).collect();
                        format!("{} is here", names.join(", "))
                    }}
                </p>
            </Show>
        </div>
    }
}
