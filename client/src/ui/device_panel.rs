//! What this device keeps of a board, in plain words, and the ways to take it back:
//! download my unsent changes, or forget the board on this device (a shared computer).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::sync::{Kept, SessionHandle};

/// The file name for a board's unsent changes.
fn file_name(board: &str) -> String {
    format!("coboard-{board}-unsent-changes.md")
}

fn download_unsent(session: SessionHandle) -> Result<(), String> {
    let s = session.get();
    crate::download::save_text(&s.unsent_file(), &file_name(s.board_id()), "text/markdown")
        .map_err(|f| f.message)
}

/// Removes the board's copy, link and unsent changes from this device, then goes home.
fn forget(session: SessionHandle, status: RwSignal<String>) {
    status.set("Removing this board from this device…".to_owned());
    spawn_local(async move {
        let s = session.get();
        match s.forget_device().await {
            Ok(()) => {
                crate::token::forget(s.board_id());
                // The person chose this, unsent changes and all: no "leave the page?".
                crate::dom::set_window_flag("__coboardLeaving");
                let _ = window().location().set_href("/?forgot=1");
            }
            Err(e) => status.set(e),
        }
    });
}

/// Removes the board's copy (which holds changes the board refused) and loads the board
/// afresh from the server, keeping the link.
fn start_afresh(session: SessionHandle, status: RwSignal<String>) {
    spawn_local(async move {
        match session.get().forget_device().await {
            Ok(()) => {
                crate::dom::set_window_flag("__coboardLeaving");
                let _ = window().location().reload();
            }
            Err(e) => status.set(e),
        }
    });
}

/// The "This device" button in the toolbar and its panel.
#[component]
pub fn DevicePanel(session: SessionHandle) -> impl IntoView {
    let signals = session.signals();
    let open = RwSignal::new(false);
    view! {
        <button
            id="device-open"
            type="button"
            class="secondary"
            aria-expanded=move || open.get().to_string()
            aria-controls=move || open.get().then_some("device-panel")
            on:click=move |_| {
                let now = !open.get_untracked();
                open.set(now);
                if now {
                    crate::dom::focus_later("#device-heading".to_owned());
                }
            }
        >
            "This device"
        </button>
        <Show when=move || open.get()>
            <section id="device-panel" class="card device-panel" aria-labelledby="device-heading">
                <h2 id="device-heading" tabindex="-1">"This board on this device"</h2>
                <p>{move || match signals.kept.get() {
                    Kept::Unavailable => "This browser is not keeping a copy of the board, \
                        so it will not open without a network. Changes not yet sent live only \
                        in this page.",
                    _ => "This browser keeps a copy of the board, so it opens and you can keep \
                        writing without a network. Your changes go to everyone when you are \
                        back online.",
                }}</p>
                <Rescue session=session/>
                <div class="actions">
                    <button type="button" class="secondary" on:click=move |_| open.set(false)>
                        "Close"
                    </button>
                </div>
            </section>
        </Show>
    }
}

/// Download my unsent changes, and forget the board on this device. Shown in the panel
/// above, and instead of the board when it can no longer be opened.
#[component]
pub fn Rescue(session: SessionHandle) -> impl IntoView {
    let signals = session.signals();
    let status = RwSignal::new(String::new());
    // Forgetting with unsent changes takes a second click, after saying what goes with it.
    let confirming = RwSignal::new(false);
    let pending = move || signals.pending.get();
    view! {
        <Show when=move || { pending() > 0 }>
            <p class="unsent-note">
                {move || match pending() {
                    1 => "1 change of yours has not reached the board yet.".to_owned(),
                    n => format!("{n} changes of yours have not reached the board yet."),
                }}
            </p>
        </Show>
        <div class="actions">
            {session.get().refused_changes().then(|| view! {
                <button id="start-afresh" type="button" class="secondary" on:click=move |_| {
                    start_afresh(session, status)
                }>
                    "Load the board afresh"
                </button>
            })}
            <Show when=move || { pending() > 0 }>
                <button
                    id="download-unsent"
                    type="button"
                    class="secondary"
                    on:click=move |_| match download_unsent(session) {
                        Ok(()) => status.set("Your copy is in your downloads.".to_owned()),
                        Err(e) => status.set(e),
                    }
                >
                    "Download my unsent changes"
                </button>
            </Show>
            <button
                id="forget-board"
                type="button"
                class="secondary danger"
                on:click=move |_| {
                    if signals.pending.get_untracked() > 0 && !confirming.get_untracked() {
                        confirming.set(true);
                        status.set(
                            "Forgetting removes your unsent changes from this device for good. \
                             Download them first if you want to keep them. Press \"Forget\" \
                             again to go ahead."
                                .to_owned(),
                        );
                    } else {
                        forget(session, status);
                    }
                }
            >
                {move || if confirming.get() {
                    "Forget: remove my unsent changes too"
                } else {
                    "Forget this board on this device"
                }}
            </button>
        </div>
        <p class="form-status" role="status">{move || status.get()}</p>
    }
}
