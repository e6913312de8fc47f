//! The board once I have joined: the toolbar, who is here, and the canvas, the list or
//! the plan table. What the toolbar offers depends on my invite link's access role.

use coboard_shared::api::AccessRole;
use coboard_shared::schema::{Action, COLOURS, KIND_NOTE, NewItem};
use leptos::prelude::*;

use super::presence::Presence;
use crate::activity::record::{self, Me, Selected};
use crate::exports::ExportDialog;
use crate::identity::Identity;
use crate::invites::InvitePanel;
use crate::items::bin::{BinPanel, UndoRemoval};
use crate::items::{canvas::Canvas, list_view::ListView, placement, stage_table::StageTable};
use crate::sync::SessionHandle;
use crate::ui::{access_role::AccessRoleBadge, device_panel::DevicePanel, glossary::Glossary};

/// How the board is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ViewMode {
    /// Frames and cards on a canvas.
    #[default]
    Board,
    /// Everything as lists under the section headings.
    List,
    /// The stage plans as one table.
    Table,
}

#[component]
pub fn Workspace(
    session: SessionHandle,
    /// What my invite link allows; decides which controls exist at all.
    role: AccessRole,
    view_mode: RwSignal<ViewMode>,
    choosing: RwSignal<bool>,
    me: RwSignal<Option<Identity>>,
) -> impl IntoView {
    // Cards, text boxes and lists below read these to lock themselves for viewers, to
    // name me as the author of what I add, and to tell the side panel what I chose.
    provide_context(role);
    provide_context(Me(me));
    let selected = RwSignal::new(None::<String>);
    provide_context(Selected(selected));
    provide_context(crate::items::bin::LastRemoved(RwSignal::new(None)));
    let signals = session.signals();
    let inviting = RwSignal::new(false);
    let binning = RwSignal::new(false);
    let add_note = move |_| {
        let Some(person) = me.get_untracked() else {
            return;
        };
        let who = person.author();
        let (x, y) = signals.items.places().with_untracked(|items| {
            let grid = signals
                .sections
                .with_untracked(|s| placement::loose_grid(s, items));
            placement::free_spot(items, grid)
        });
        let id = crate::dom::random_hex(2);
        let new = NewItem {
            kind: KIND_NOTE.to_owned(),
            text: String::new(),
            x,
            y,
            colour: COLOURS[0].to_owned(),
            author: who.clone(),
            created_at: record::now(),
            // So that I can withdraw it later: see `Identity::item_key`.
            author_key: person.item_author_key(session.get().board_id(), &id),
            ..NewItem::default()
        };
        session.get().add(|board, txn| {
            board.add_item(txn, &id, &new);
            record::log(board, txn, &who, Action::Added, &id, "");
        });
        selected.set(Some(id.clone()));
        crate::dom::focus_later(format!("[data-id=\"{id}\"] textarea"));
    };
    // Ctrl+Z undoes my last change to the board, Ctrl+Shift+Z (or Ctrl+Y) redoes it, in a
    // text box too: the board's history, not the box's, so typing and moves undo alike.
    if role.can_edit() {
        let keys = window_event_listener(leptos::ev::keydown, move |e| {
            if !(e.ctrl_key() || e.meta_key()) || e.alt_key() {
                return;
            }
            let redo = match e.key().to_lowercase().as_str() {
                "z" => e.shift_key(),
                "y" => true,
                _ => return,
            };
            e.prevent_default();
            match redo {
                true => session.get().redo(),
                false => session.get().undo(),
            }
        });
        on_cleanup(move || keys.remove());
    }
    let view_button = move |id: &'static str, mode: ViewMode, label: &'static str| {
        view! {
            <button
                id=id
                type="button"
                aria-pressed=move || (view_mode.get() == mode).to_string()
                on:click=move |_| view_mode.set(mode)
            >
                {label}
            </button>
        }
    };

    view! {
        <section class="toolbar" aria-label="Board tools">
            {role.can_edit().then(|| view! {
                <button id="add-note" type="button" class="primary" on:click=add_note>
                    "Add note"
                </button>
                <div class="history-buttons" role="group" aria-label="My changes">
                    <button
                        id="undo"
                        type="button"
                        class="secondary"
                        title="Undo my last change (Ctrl+Z)"
                        aria-keyshortcuts="Control+Z"
                        prop:disabled=move || !signals.can_undo.get()
                        on:click=move |_| session.get().undo()
                    >
                        "Undo"
                    </button>
                    <button
                        id="redo"
                        type="button"
                        class="secondary"
                        title="Redo (Ctrl+Shift+Z)"
                        aria-keyshortcuts="Control+Shift+Z Control+Y"
                        prop:disabled=move || !signals.can_redo.get()
                        on:click=move |_| session.get().redo()
                    >
                        "Redo"
                    </button>
                </div>
            })}
            <div class="view-switch" role="group" aria-label="View">
                {view_button("view-board", ViewMode::Board, "Board")}
                {view_button("view-list", ViewMode::List, "List")}
                {view_button("view-table", ViewMode::Table, "Plan table")}
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
                <button
                    id="bin-open"
                    type="button"
                    class="secondary"
                    aria-expanded=move || binning.get().to_string()
                    aria-controls=move || binning.get().then_some("bin-panel")
                    on:click=move |_| {
                        let open = !binning.get_untracked();
                        binning.set(open);
                        if open {
                            crate::dom::focus_later("#bin-heading".to_owned());
                        }
                    }
                >
                    "Bin"
                </button>
            })}
            <ExportDialog session=session/>
            <DevicePanel session=session/>
            <Glossary/>
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
        {role.can_manage().then(|| view! {
            <Show when=move || binning.get()>
                <BinPanel session=session on_close=move || {
                    binning.set(false);
                    crate::dom::focus_later("#bin-open".to_owned());
                }/>
            </Show>
        })}
        <UndoRemoval session=session/>
        <Presence signals=signals/>
        <div class="work-area">
            <div class="work-main">
                {move || match view_mode.get() {
                    ViewMode::Board => view! { <Canvas signals=signals/> }.into_any(),
                    ViewMode::List => view! { <ListView signals=signals/> }.into_any(),
                    ViewMode::Table => view! { <StageTable signals=signals/> }.into_any(),
                }}
            </div>
            // Comments, votes, activity and participation for the selected item.
            <crate::layout::side_panel::SidePanel session=session me=me selected=selected/>
        </div>
    }
}
