//! "My access needs": a button in the page header (on the home page and on every board,
//! before and after joining) that opens a small dialog to say what helps me take part.
//!
//! The words matter: these are needs, not diagnoses, and nobody has to say why. The
//! choices stay in this browser unless I tick the one box that shares them with
//! facilitators. The dialog is non-modal like the toolbar's: focus moves to its heading,
//! Escape or "Cancel" closes it, and focus goes back to the button. Saving closes it and
//! says so in a status message that outlives the dialog.

use leptos::prelude::*;
use web_sys::KeyboardEvent;

use crate::needs::Need;

#[component]
pub fn NeedsDialog() -> impl IntoView {
    let Some(my) = crate::needs::my_needs() else {
        return ().into_any();
    };
    let open = my.dialog_open;
    // What the boxes show while the dialog is open; copied in each time it opens.
    let chosen = RwSignal::new(Vec::<Need>::new());
    let share = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    Effect::new(move |was_open: Option<bool>| {
        let now_open = open.get();
        if now_open && was_open != Some(true) {
            let d = my.declared.get_untracked();
            chosen.set(d.needs);
            share.set(d.share_with_facilitators);
            status.set(String::new());
            crate::dom::focus_later("#needs-heading".to_owned());
        }
        now_open
    });
    let close = move || {
        open.set(false);
        crate::dom::focus_later("#needs-open".to_owned());
    };
    let on_key = move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            e.stop_propagation();
            close();
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let needs = chosen.get_untracked();
        let shared = share.get_untracked() && !needs.is_empty();
        status.set(saved_message(needs.len(), shared));
        my.declare(needs, share.get_untracked());
        close();
    };
    let toggle = move |n: Need, on: bool| {
        chosen.update(|c| {
            c.retain(|x| *x != n);
            if on {
                c.push(n);
            }
        });
    };

    view! {
        <div class="needs-access">
            <button
                id="needs-open"
                type="button"
                class="secondary"
                aria-haspopup="dialog"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| {
                    if open.get_untracked() { close() } else { open.set(true) }
                }
            >
                "My access needs"
            </button>
            <p id="needs-status" class="visually-hidden" role="status">{move || status.get()}</p>
            <Show when=move || open.get()>
                <div
                    id="needs-dialog"
                    class="needs-dialog"
                    role="dialog"
                    aria-labelledby="needs-heading"
                    aria-describedby="needs-intro"
                    on:keydown=on_key
                >
                    <h2 id="needs-heading" tabindex="-1">"My access needs"</h2>
                    <div id="needs-intro">
                        <p>
                            "Tell Coboard what helps you take part, and it will change to fit. \
                             These are needs, not diagnoses: you never have to say why."
                        </p>
                        <p>
                            "Your choices stay in this browser, for every board you open here. \
                             Nobody else sees them unless you choose to share them."
                        </p>
                    </div>
                    <form on:submit=save>
                        <fieldset>
                            <legend>"What helps me"</legend>
                            {Need::ALL.into_iter().map(|n| need_box(n, chosen, toggle)).collect_view()}
                        </fieldset>
                        <div class="needs-option">
                            <input
                                type="checkbox"
                                id="needs-share"
                                aria-describedby="needs-share-hint"
                                prop:checked=move || share.get()
                                on:change=move |ev| share.set(event_target_checked(&ev))
                            />
                            <div>
                                <label for="needs-share">
                                    "Share these with facilitators so they can meet them"
                                </label>
                                <p class="hint" id="needs-share-hint">
                                    "Facilitators of a board you are on will see your name and \
                                     the needs you ticked, while you are there. Other people \
                                     are not shown them. You can stop sharing at any time."
                                </p>
                            </div>
                        </div>
                        <div class="actions">
                            <button id="needs-save" type="submit">"Save"</button>
                            <button
                                id="needs-cancel"
                                type="button"
                                class="secondary"
                                on:click=move |_| close()
                            >
                                "Cancel"
                            </button>
                        </div>
                    </form>
                </div>
            </Show>
        </div>
    }
    .into_any()
}

/// One need's checkbox, with its plain label and what ticking it changes.
fn need_box(
    n: Need,
    chosen: RwSignal<Vec<Need>>,
    toggle: impl Fn(Need, bool) + Copy + 'static,
) -> impl IntoView {
    let id = format!("need-{}", n.code());
    let hint = format!("{id}-hint");
    view! {
        <div class="needs-option">
            <input
                type="checkbox"
                name="need"
                id=id.clone()
                value=n.code()
                aria-describedby=hint.clone()
                prop:checked=move || chosen.with(|c| c.contains(&n))
                on:change=move |ev| toggle(n, event_target_checked(&ev))
            />
            <div>
                <label for=id>{n.label()}</label>
                <p class="hint" id=hint>{n.hint()}</p>
            </div>
        </div>
    }
}

/// What the status line says after saving.
fn saved_message(count: usize, shared: bool) -> String {
    match (count, shared) {
        (0, _) => "Saved: no access needs. Nothing is shared.".to_owned(),
        (_, true) => "Saved. Your access needs are shared with facilitators.".to_owned(),
        (_, false) => "Saved. Your access needs stay in this browser.".to_owned(),
    }
}
