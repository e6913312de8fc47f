//! A textarea bound to one item's collaborative text, or to one of its text fields (a
//! stage plan's "Who decides", a principle's "Evidence"), used by the cards, the list
//! view and the plan table alike.
//!
//! Local typing becomes the smallest splice of the shared text, so two people typing in
//! one note merge character by character. Remote changes rewrite the textarea's value
//! and move the caret by the same splice, so it stays next to the same characters.
//! Each edit also marks the item as changed and, once per burst, logs it (see
//! [`crate::activity::record`]).

use coboard_shared::schema::{diff_splice, splice_text};
use leptos::prelude::*;
use yrs::{GetString, OffsetKind};

use crate::activity::record;
use crate::sync::SessionHandle;

/// Where a caret at `pos` ends up after `removed` units at `start` became `inserted` units.
fn map_caret(pos: u32, start: u32, removed: u32, inserted: u32) -> u32 {
    if pos <= start {
        pos
    } else if pos >= start + removed {
        pos - removed + inserted
    } else {
        start + inserted
    }
}

#[component]
pub fn NoteText(
    /// Item whose text this edits.
    id: String,
    /// The item's current text.
    #[prop(into)]
    text: Signal<String>,
    /// Accessible name, e.g. "Note by Asha (Public member)".
    #[prop(into)]
    label: Signal<String>,
    /// The text field to edit instead of the item's main text.
    #[prop(optional)]
    field: Option<&'static str>,
    /// Starting height in lines (the browser default when not given).
    #[prop(optional)]
    rows: Option<u32>,
) -> impl IntoView {
    let session = expect_context::<SessionHandle>();
    // Viewers get a readonly box: still focusable, selectable and read by screen readers,
    // unlike a disabled one.
    let editable = crate::ui::access_role::my_role().can_edit();
    let node = NodeRef::<leptos::html::Textarea>::new();
    let me = record::me();

    Effect::new(move |_| {
        let new = text.get();
        let Some(el) = node.get() else {
            return;
        };
        let old = el.value();
        if old == new {
            return;
        }
        let focused = document().active_element().is_some_and(|a| {
            let el: &web_sys::Element = &el;
            a == *el
        });
        let caret = (
            el.selection_start().ok().flatten(),
            el.selection_end().ok().flatten(),
        );
        el.set_value(&new);
        if let (true, (Some(s), Some(e))) = (focused, caret) {
            let (start, removed, inserted) = diff_splice(&old, &new, OffsetKind::Utf16);
            let inserted = inserted.encode_utf16().count() as u32;
            let _ = el.set_selection_range(
                map_caret(s, start, removed, inserted),
                map_caret(e, start, removed, inserted),
            );
        }
    });

    let on_input = move |_| {
        if !editable {
            return;
        }
        let Some(el) = node.get_untracked() else {
            return;
        };
        let new = el.value();
        let who = me.get_untracked().map(|i| i.author());
        session.get().type_text(|board, txn| {
            let text = match field {
                None => board.item_text(txn, &id),
                Some(f) => board.field_text(txn, &id, f),
            };
            // The item may have been deleted by someone else a moment ago; then there is
            // nothing left to edit.
            if let Ok(t) = text {
                let old = t.get_string(txn);
                splice_text(txn, &t, &old, &new);
                record::edited(board, txn, who.as_ref(), &id, &record::snippet(&new));
            }
        });
    };

    view! {
        <textarea
            node_ref=node
            class=if field.is_some() { "field-text" } else { "note-text" }
            data-field=field
            rows=rows
            aria-label=move || label.get()
            readonly=!editable
            on:input=on_input
        ></textarea>
    }
}

#[cfg(test)]
mod tests {
    use super::map_caret;

    #[test]
    fn caret_follows_the_text_it_was_next_to() {
        // Insertion before the caret pushes it right; after it leaves it alone.
        assert_eq!(map_caret(5, 2, 0, 3), 8);
        assert_eq!(map_caret(1, 2, 0, 3), 1);
        // A caret inside a removed range lands after the replacement.
        assert_eq!(map_caret(4, 2, 4, 1), 3);
    }
}
