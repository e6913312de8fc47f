//! One saved snapshot in the History tab, with what people can do with it: see what
//! changed since, open it read-only, download it, and (facilitators) restore it as a new
//! board. Restoring never touches the live board, so a group can go back to an earlier
//! version without losing the work done since.

use coboard_shared::api::{CreatedBoard, SnapshotInfo};
use coboard_shared::history::Changes;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api;
use crate::activity::{iso, when};
use crate::exports::choices::DownloadChoices;
use crate::history::snapshot_changes::SnapshotChanges;
use crate::history::snapshot_view::{OpenSnapshot, read_snapshot};
use crate::sync::SessionHandle;

/// The comparison with now, while it is being worked out and once it is known.
#[derive(Clone, PartialEq)]
enum Compare {
    Closed,
    Loading,
    Ready(Changes),
    Failed(String),
}

#[component]
pub fn SnapshotRow(
    session: SessionHandle,
    info: SnapshotInfo,
    /// Facilitators may restore a snapshot as a new board.
    can_manage: bool,
    /// The snapshot opened read-only, shared by every row (only one shows at a time).
    viewing: RwSignal<Option<OpenSnapshot>>,
    /// The board made by the last restore, shown once at the top of the tab.
    restored: RwSignal<Option<CreatedBoard>>,
) -> impl IntoView {
    let sid = info.id.clone();
    let stored = StoredValue::new(info.clone());
    let compare = RwSignal::new(Compare::Closed);
    let exporting = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let at = info.created_at as f64;
    let keys = move || {
        let s = session.get();
        (s.board_id().to_owned(), s.token().to_owned())
    };

    let toggle_changes = move |_| {
        if compare.get_untracked() != Compare::Closed {
            compare.set(Compare::Closed);
            return;
        }
        compare.set(Compare::Loading);
        let (board, token) = keys();
        let id = stored.with_value(|i| i.id.clone());
        spawn_local(async move {
            let next = match api::changes(&board, &token, &id)
                .await
                .map_err(String::from)
            {
                Ok(c) => Compare::Ready(c),
                Err(e) => Compare::Failed(e),
            };
            // Closed again while waiting: stay closed.
            if compare.try_get_untracked() == Some(Compare::Loading) {
                let _ = compare.try_set(next);
            }
        });
    };

    let open = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let (board, token) = keys();
        let info = stored.get_value();
        spawn_local(async move {
            let read = api::state(&board, &token, &info.id)
                .await
                .map_err(String::from)
                .and_then(|bytes| read_snapshot(info, &bytes));
            match read {
                Ok(o) => {
                    let _ = viewing.try_set(Some(o));
                    crate::dom::focus_later("#snapshot-view-heading".to_owned());
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };

    let restore = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let (board, token) = keys();
        let id = stored.with_value(|i| i.id.clone());
        spawn_local(async move {
            match api::restore(&board, &token, &id)
                .await
                .map_err(String::from)
            {
                Ok(created) => {
                    // Kept like any invite link's token, so the new board opens without it
                    // being in the address bar.
                    crate::token::save(&created.board.id, &created.facilitator_token);
                    let _ = confirming.try_set(false);
                    let _ = restored.try_set(Some(created));
                    crate::dom::focus_later("#restored-link".to_owned());
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };

    let changes_id = format!("changes-{sid}");
    let export_id = format!("export-{sid}");
    let confirm_id = format!("confirm-{sid}");
    let heading_id = format!("snapshot-{sid}-name");
    view! {
        <li data-id=sid.clone() data-auto=info.auto.to_string() class="snapshot">
            <h4 class="snapshot-name" id=heading_id.clone()>{info.name.clone()}</h4>
            <p class="snapshot-meta">
                <time datetime=iso(at)>{when(at)}</time>
                {info.auto.then(|| view! {
                    <span class="snapshot-auto">" · saved automatically when something was agreed"</span>
                })}
            </p>
            <div class="snapshot-actions" role="group" aria-labelledby=heading_id>
                <button
                    type="button"
                    class="secondary snapshot-changes"
                    aria-expanded=move || (compare.get() != Compare::Closed).to_string()
                    aria-controls=changes_id.clone()
                    on:click=toggle_changes
                >
                    "What changed since"
                </button>
                <button
                    type="button"
                    class="secondary snapshot-open"
                    aria-disabled=move || busy.get().to_string()
                    on:click=open
                >
                    "Open read-only"
                </button>
                <button
                    type="button"
                    class="secondary snapshot-export"
                    aria-expanded=move || exporting.get().to_string()
                    aria-controls=export_id.clone()
                    on:click=move |_| exporting.update(|e| *e = !*e)
                >
                    "Download"
                </button>
                {can_manage.then(|| view! {
                    <button
                        type="button"
                        class="secondary snapshot-restore"
                        aria-expanded=move || confirming.get().to_string()
                        aria-controls=confirm_id.clone()
                        on:click=move |_| confirming.update(|c| *c = !*c)
                    >
                        "Restore as a new board"
                    </button>
                })}
            </div>
            <div id=confirm_id class="snapshot-confirm" hidden=move || !confirming.get()>
                <p>
                    "This makes a new board from the snapshot. The current board stays as it is. "
                    "You will be the new board's facilitator."
                </p>
                <div class="actions">
                    <button
                        type="button"
                        class="primary snapshot-restore-confirm"
                        aria-disabled=move || busy.get().to_string()
                        on:click=restore
                    >
                        {move || if busy.get() { "Making the board…" } else { "Make the new board" }}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                        "Cancel"
                    </button>
                </div>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <div id=changes_id class="snapshot-diff">
                {move || match compare.get() {
                    Compare::Closed => ().into_any(),
                    Compare::Loading => view! {
                        <p class="panel-note">"Working out what changed…"</p>
                    }
                        .into_any(),
                    Compare::Failed(e) => view! { <p class="form-error">{e}</p> }.into_any(),
                    Compare::Ready(c) => view! { <SnapshotChanges changes=c/> }.into_any(),
                }}
            </div>
            <div id=export_id class="snapshot-download" hidden=move || !exporting.get()>
                <DownloadChoices session=session snapshot=sid.clone() group=format!("scope-{sid}")/>
            </div>
        </li>
    }
}
