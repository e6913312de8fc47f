//! The board once I have joined: the toolbar, who is here, and the canvas or list view.
//! What the toolbar offers depends on my invite link's access role.

use coboard_shared::api::AccessRole;
use coboard_shared::schema::{COLOURS, ItemView, KIND_NOTE, NOTE_H, NOTE_W, NewItem};
use leptos::prelude::*;

use super::{
    access_role::AccessRoleBadge, canvas::Canvas, invite_panel::InvitePanel, list_view::ListView,
    presence::Presence,
};
use crate::identity::Identity;
use crate::sync::SessionHandle;

/// Gap between notes placed by "Add note".
const GAP: f64 = 20.0;
/// Notes per row when looking for a free spot.
const COLUMNS: usize = 5;

/// The first grid cell, left to right and top to bottom, that no note overlaps.
fn free_spot(items: &[ItemView]) -> (f64, f64) {
    let overlaps = |x: f64, y: f64| {
        items
            .iter()
            .any(|i| x < i.x + i.w && i.x < x + NOTE_W && y < i.y + i.h && i.y < y + NOTE_H)
    };
    (0..)
        .map(|n| {
            let (col, row) = ((n % COLUMNS) as f64, (n / COLUMNS) as f64);
            (GAP + col * (NOTE_W + GAP), GAP + row * (NOTE_H + GAP))
        })
        .find(|&(x, y)| !overlaps(x, y))
        .unwrap_or((GAP, GAP))
}

#[component]
pub fn Workspace(
    session: SessionHandle,
    /// What my invite link allows; decides which controls exist at all.
    role: AccessRole,
    list_mode: RwSignal<bool>,
    choosing: RwSignal<bool>,
    me: RwSignal<Option<Identity>>,
) -> impl IntoView {
    // Notes, text boxes and lists below read this to lock themselves for viewers.
    provide_context(role);
    let signals = session.signals();
    let inviting = RwSignal::new(false);
    let add_note = move |_| {
        let Some(author) = me.get_untracked() else {
            return;
        };
        let (x, y) = signals.items.with_untracked(|items| free_spot(items));
        let id = crate::dom::random_hex(2);
        let new = NewItem {
            kind: KIND_NOTE.to_owned(),
            text: String::new(),
            x,
            y,
            colour: COLOURS[0].to_owned(),
            author: author.author(),
            created_at: js_sys::Date::now(),
            ..NewItem::default()
        };
        session
            .get()
            .edit(|board, txn| board.add_item(txn, &id, &new));
        crate::dom::focus_later(format!("[data-id=\"{id}\"] textarea"));
    };

    view! {
        <section class="toolbar" aria-label="Board tools">
            {role.can_edit().then(|| view! {
                <button id="add-note" type="button" class="primary" on:click=add_note>
                    "Add note"
                </button>
            })}
            <div class="view-switch" role="group" aria-label="View">
                <button
                    id="view-board"
                    type="button"
                    aria-pressed=move || (!list_mode.get()).to_string()
                    on:click=move |_| list_mode.set(false)
                >
                    "Board"
                </button>
                <button
                    id="view-list"
                    type="button"
                    aria-pressed=move || list_mode.get().to_string()
                    on:click=move |_| list_mode.set(true)
                >
                    "List"
                </button>
            </div>
            <button type="button" class="secondary" on:click=move |_| choosing.set(true)>
                "Change my name or role"
            </button>
            {role.can_manage().then(|| view! {
                <button
                    id="invite-open"
                    type="button"
                    class="secondary"
                    aria-expanded=move || inviting.get().to_string()
                    // Points at the panel only while it exists.
                    aria-controls=move || inviting.get().then_some("invite-panel")
                    on:click=move |_| {
                        let open = !inviting.get_untracked();
                        inviting.set(open);
                        if open {
                            crate::dom::focus_later("#invite-heading".to_owned());
                        }
                    }
                >
                    "Invite people"
                </button>
            })}
            <AccessRoleBadge role=role/>
        </section>
        {role.can_manage().then(|| view! {
            <Show when=move || inviting.get()>
                <InvitePanel on_close=move || {
                    inviting.set(false);
                    crate::dom::focus_later("#invite-open".to_owned());
                }/>
            </Show>
        })}
        <Presence signals=signals/>
        {move || {
            if list_mode.get() {
                view! { <ListView signals=signals/> }.into_any()
            } else {
                view! { <Canvas signals=signals/> }.into_any()
            }
        }}
    }
}
