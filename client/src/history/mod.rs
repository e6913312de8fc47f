//! The "History" tab: saved versions of the board (snapshots).
//!
//! Groups revisit what they decided, so the board can be saved as it is now under a name
//! ("After meeting 3"), and the server also saves one by itself whenever something is
//! agreed. Each snapshot can be compared with now, opened read-only, downloaded, or (by a
//! facilitator) restored as a new board. The list is refreshed when the tab opens, after
//! saving, and every so often while the tab is showing, so automatic ones appear.

mod api;
pub mod snapshot_changes;
pub mod snapshot_row;
pub mod snapshot_view;

use std::time::Duration;

use coboard_shared::api::{CreatedBoard, SnapshotInfo, validate_snapshot_name};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::history::snapshot_row::SnapshotRow;
use crate::history::snapshot_view::{OpenSnapshot, SnapshotView};
use crate::ui::access_role::my_role;

use crate::sync::SessionHandle;

/// How often the list is checked while the tab is showing.
const POLL: Duration = Duration::from_secs(15);

#[component]
pub fn HistoryTab(
    session: SessionHandle,
    /// Whether the History tab is the one showing (the list is only refreshed then).
    active: Signal<bool>,
) -> impl IntoView {
    let role = my_role();
    let list = RwSignal::new(None::<Vec<SnapshotInfo>>);
    let list_error = RwSignal::new(None::<String>);
    let name = RwSignal::new(String::new());
    let saving = RwSignal::new(false);
    let save_error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(String::new());
    let viewing = RwSignal::new(None::<OpenSnapshot>);
    let restored = RwSignal::new(None::<CreatedBoard>);
    let keys = move || {
        let s = session.get();
        (s.board_id().to_owned(), s.token().to_owned())
    };

    let reload = move || {
        let (board, token) = keys();
        spawn_local(async move {
            match api::list(&board, &token).await.map_err(String::from) {
                Ok(mut all) => {
                    // The server sends them oldest first; the newest matters most.
                    all.reverse();
                    let _ = list_error.try_set(None);
                    if list.try_with_untracked(|l| l.as_ref() != Some(&all)) == Some(true) {
                        let _ = list.try_set(Some(all));
                    }
                }
                Err(e) => {
                    let _ = list_error.try_set(Some(e));
                }
            }
        });
    };

    Effect::new(move |_| {
        if active.get() {
            reload();
        }
    });
    let timer = set_interval_with_handle(
        move || {
            if active.try_get_untracked() == Some(true) {
                reload();
            }
        },
        POLL,
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = timer {
            t.clear();
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let wanted = name.get_untracked().trim().to_owned();
        if let Err(e) = validate_snapshot_name(&wanted) {
            save_error.set(Some(e));
            crate::dom::focus_later("#snapshot-name".to_owned());
            return;
        }
        saving.set(true);
        save_error.set(None);
        saved.set(String::new());
        let (board, token) = keys();
        spawn_local(async move {
            match api::create(&board, &token, &wanted)
                .await
                .map_err(String::from)
            {
                Ok(s) => {
                    let _ = name.try_set(String::new());
                    let _ = saved.try_set(format!("Saved “{}”.", s.name));
                    reload();
                }
                Err(e) => {
                    let _ = save_error.try_set(Some(e));
                }
            }
            let _ = saving.try_set(false);
        });
    };

    let close_view = move || {
        let id = viewing.with_untracked(|v| v.as_ref().map(|o| o.info.id.clone()));
        viewing.set(None);
        if let Some(id) = id {
            crate::dom::focus_later(format!("#snapshots li[data-id=\"{id}\"] .snapshot-open"));
        }
    };

    view! {
        <h2 class="panel-heading">"History"</h2>
        <p class="panel-help">
            "Saved versions of this board. You can see what changed since, read an old \
             version, or download it."
        </p>
        {role.can_edit().then(|| view! {
            <form class="snapshot-form" on:submit=on_submit>
                <h3 class="panel-subheading">"Save this version"</h3>
                <label for="snapshot-name">"Name"</label>
                <p class="field-hint" id="snapshot-name-hint">
                    "Save the board as it is now, for example after a meeting."
                </p>
                <input
                    type="text"
                    id="snapshot-name"
                    aria-describedby="snapshot-name-hint"
                    maxlength="120"
                    placeholder="After meeting 3"
                    prop:value=move || name.get()
                    on:input=move |e| name.set(event_target_value(&e))
                />
                <button
                    type="submit"
                    id="snapshot-save"
                    aria-disabled=move || saving.get().to_string()
                >
                    {move || if saving.get() { "Saving…" } else { "Save version" }}
                </button>
                <p class="form-error" role="alert">{move || save_error.get()}</p>
                <p class="form-done" role="status">{move || saved.get()}</p>
            </form>
        })}
        {move || restored.get().map(|r| view! {
            <div class="restored" id="restored">
                <p>
                    {format!("The new board “{}” is ready. ", r.board.title)}
                    "This board has not changed. "
                    <a id="restored-link" href=r.share_url.clone()>"Open the new board"</a>
                </p>
            </div>
        })}
        {move || viewing.get().map(|o| view! { <SnapshotView open=o on_close=close_view/> })}
        <h3 class="panel-subheading">"Saved versions"</h3>
        <p class="form-error" role="alert">{move || list_error.get()}</p>
        {move || match list.get() {
            None => view! { <p class="panel-note">"Loading the saved versions…"</p> }.into_any(),
            Some(l) if l.is_empty() => view! {
                <p class="panel-empty">
                    "No saved versions yet. One is saved automatically whenever something is agreed."
                </p>
            }
                .into_any(),
            Some(_) => ().into_any(),
        }}
        <ul id="snapshots" class="snapshots">
            <For
                each=move || list.get().unwrap_or_default()
                key=|s| s.id.clone()
                let:info
            >
                <SnapshotRow
                    session=session
                    info=info
                    can_manage=role.can_manage()
                    viewing=viewing
                    restored=restored
                />
            </For>
        </ul>
    }
}
