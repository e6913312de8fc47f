//! Asks for a display name and a role before joining a board. Both are how people
//! describe themselves to each other; neither grants any rights. People may also choose
//! to add their contributions without their name: the board then keeps only the role
//! they chose, so the balance of voices can still be counted.

use coboard_shared::schema::ParticipantRole;
use leptos::prelude::*;

use crate::identity::Identity;

/// Longest display name accepted, in characters.
const MAX_NAME_CHARS: usize = 60;

#[component]
pub fn JoinDialog(
    /// What to prefill: the remembered identity, if any.
    current: Option<Identity>,
    /// Called with the chosen name, role and whether to stay anonymous.
    on_join: impl Fn(String, ParticipantRole, bool) + 'static,
    /// Offered only when there is already an identity to go back to.
    on_cancel: Option<Box<dyn Fn()>>,
) -> impl IntoView {
    let name = RwSignal::new(current.as_ref().map(|i| i.name.clone()).unwrap_or_default());
    let role = RwSignal::new(current.as_ref().map(|i| i.role).unwrap_or_default());
    let anonymous = RwSignal::new(current.as_ref().is_some_and(|i| i.anonymous));
    let error = RwSignal::new(None::<&'static str>);
    crate::dom::focus_later("#join-name".to_owned());

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = name.get_untracked().trim().to_owned();
        if chosen.is_empty() {
            error.set(Some("Please type the name you would like others to see."));
            crate::dom::focus_later("#join-name".to_owned());
            return;
        }
        on_join(chosen, role.get_untracked(), anonymous.get_untracked());
    };

    view! {
        <section class="join card" aria-labelledby="join-heading">
            <h2 id="join-heading">"Join this board"</h2>
            <p>"Tell the others who you are. You can change this later."</p>
            <form on:submit=on_submit novalidate>
                <label for="join-name">"Your name"</label>
                <input
                    id="join-name"
                    type="text"
                    autocomplete="name"
                    maxlength=MAX_NAME_CHARS
                    required
                    aria-describedby="join-error"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
                <fieldset>
                    <legend>"I am taking part as"</legend>
                    {ParticipantRole::ALL
                        .into_iter()
                        .map(|r| {
                            let input_id = format!("role-{}", r.as_str());
                            view! {
                                <div class="radio">
                                    <input
                                        type="radio"
                                        name="role"
                                        id=input_id.clone()
                                        value=r.as_str()
                                        prop:checked=move || role.get() == r
                                        on:change=move |_| role.set(r)
                                    />
                                    <label for=input_id>{r.label()}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <div class="checkbox">
                    <input
                        type="checkbox"
                        id="join-anonymous"
                        aria-describedby="join-anonymous-hint"
                        prop:checked=move || anonymous.get()
                        on:change=move |ev| anonymous.set(event_target_checked(&ev))
                    />
                    <label for="join-anonymous">"Add my contributions without my name"</label>
                </div>
                <p class="hint" id="join-anonymous-hint">
                    "Others still see your name in “Who is here”. Your notes, comments and \
                     votes show only your role."
                </p>
                <p id="join-error" class="error" role="alert">{move || error.get()}</p>
                <div class="actions">
                    <button id="join" type="submit">"Join"</button>
                    {on_cancel.map(|cancel| view! {
                        <button type="button" class="secondary" on:click=move |_| cancel()>
                            "Cancel"
                        </button>
                    })}
                </div>
            </form>
        </section>
    }
}
