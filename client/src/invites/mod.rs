//! "Invite people", for facilitators: make an invite link for a role, with an optional
//! label and expiry, copy it, and see or switch off the links made so far.
//!
//! A disclosure region rather than a modal: the board stays usable beside it, and
//! keyboard users reach it straight after the "Invite people" button.

mod api;
pub mod invite_list;

use coboard_shared::api::{AccessRole, CreateInvite, CreatedInvite, Invite, MAX_LABEL_CHARS};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::invites::invite_list::InviteList;
use crate::token::BoardKey;
use crate::ui::access_role::role_name;

/// The roles offered, most common first.
const ROLES: [AccessRole; 3] = [
    AccessRole::Contributor,
    AccessRole::Viewer,
    AccessRole::Facilitator,
];

/// Expiry choices: select value, words, hours.
const EXPIRIES: [(&str, &str, Option<u32>); 4] = [
    ("never", "Never (until you switch it off)", None),
    ("24h", "After 24 hours", Some(24)),
    ("7d", "After 7 days", Some(24 * 7)),
    ("30d", "After 30 days", Some(24 * 30)),
];

/// The whole link to send: this server's origin plus the invite's path.
fn full_link(created: &CreatedInvite) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}{}", created.url)
}

/// Copies text with the async clipboard API; false if the browser has none (plain http
/// pages) or refused.
async fn copy_to_clipboard(text: &str) -> bool {
    let nav = window().navigator();
    let has_clipboard = js_sys::Reflect::get(&nav, &"clipboard".into())
        .map(|c| !c.is_undefined() && !c.is_null())
        .unwrap_or(false);
    if !has_clipboard {
        return false;
    }
    JsFuture::from(nav.clipboard().write_text(text))
        .await
        .is_ok()
}

/// Selects the link's text so that Ctrl+C (or Cmd+C) copies it.
fn select_link() {
    let input = document()
        .get_element_by_id("invite-link")
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
    if let Some(input) = input {
        let _ = input.focus();
        input.select();
    }
}

#[component]
pub fn InvitePanel(on_close: impl Fn() + Copy + 'static) -> impl IntoView {
    let key = StoredValue::new(expect_context::<BoardKey>());
    let role = RwSignal::new(AccessRole::Contributor);
    let label = RwSignal::new(String::new());
    let expiry = RwSignal::new(EXPIRIES[0].0.to_owned());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let created = RwSignal::new(None::<CreatedInvite>);
    let copied = RwSignal::new(String::new());
    let invites = RwSignal::new(None::<Vec<Invite>>);

    let reload = Callback::new(move |()| {
        let key = key.get_value();
        spawn_local(async move {
            match api::list(&key.id, &key.token).await {
                Ok(list) => invites.set(Some(list)),
                Err(f) => {
                    invites.set(Some(Vec::new()));
                    error.set(Some(f.message));
                }
            }
        });
    });
    reload.run(());

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let wanted = label.get_untracked().trim().to_owned();
        let req = CreateInvite {
            role: role.get_untracked(),
            expires_in_hours: EXPIRIES
                .iter()
                .find(|e| e.0 == expiry.get_untracked())
                .and_then(|e| e.2),
            label: (!wanted.is_empty()).then_some(wanted),
        };
        busy.set(true);
        error.set(None);
        copied.set(String::new());
        let key = key.get_value();
        spawn_local(async move {
            match api::create(&key.id, &key.token, &req).await {
                Ok(c) => {
                    created.set(Some(c));
                    label.set(String::new());
                    reload.run(());
                    // After the link has been rendered.
                    request_animation_frame(select_link);
                }
                Err(f) => error.set(Some(f.message)),
            }
            busy.set(false);
        });
    };

    let copy = move |_| {
        let Some(link) = created.with_untracked(|c| c.as_ref().map(full_link)) else {
            return;
        };
        spawn_local(async move {
            if copy_to_clipboard(&link).await {
                copied.set("Copied. Paste the link into an email or message.".to_owned());
            } else {
                select_link();
                copied.set(
                    "This browser did not let Coboard copy it. The link is selected: press \
                     Ctrl+C (or Cmd+C on a Mac) to copy it."
                        .to_owned(),
                );
            }
        });
    };

    view! {
        <section
            id="invite-panel"
            class="card invite-panel"
            aria-labelledby="invite-heading"
            on:keydown=move |e: web_sys::KeyboardEvent| {
                if e.key() == "Escape" {
                    on_close();
                }
            }
        >
            <h2 id="invite-heading" tabindex="-1">"Invite people"</h2>
            <p>
                "Make a link and send it to the people you want on this board. \
                 What they can do depends on the kind of link."
            </p>
            <h3>"Make a new link"</h3>
            <form on:submit=on_submit novalidate>
                <fieldset>
                    <legend>"People who open the link"</legend>
                    {ROLES
                        .into_iter()
                        .map(|r| {
                            let input_id = format!("invite-role-{}", r.as_str());
                            view! {
                                <div class="radio">
                                    <input
                                        type="radio"
                                        name="invite-role"
                                        id=input_id.clone()
                                        value=r.as_str()
                                        prop:checked=move || role.get() == r
                                        on:change=move |_| role.set(r)
                                    />
                                    <label for=input_id>
                                        {format!("{}: {}", role_name(r), r.describe())}
                                    </label>
                                </div>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <label for="invite-label">"Label (optional)"</label>
                <p class="hint" id="invite-label-hint">
                    "Only you see it. For example: Public members' group"
                </p>
                <input
                    id="invite-label"
                    type="text"
                    autocomplete="off"
                    maxlength=MAX_LABEL_CHARS
                    aria-describedby="invite-label-hint"
                    prop:value=move || label.get()
                    on:input=move |ev| label.set(event_target_value(&ev))
                />
                <label for="invite-expiry">"The link stops working"</label>
                <select
                    id="invite-expiry"
                    class="expiry"
                    on:change=move |ev| expiry.set(event_target_value(&ev))
                >
                    {EXPIRIES
                        .into_iter()
                        .map(|(value, words, _)| {
                            view! {
                                <option value=value prop:selected=move || expiry.get() == value>
                                    {words}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <div class="actions">
                    // Not `disabled` while busy: that would drop keyboard focus on the page
                    // body; the `busy` check above ignores a second press instead.
                    <button id="invite-create" type="submit" aria-busy=move || busy.get().to_string()>
                        {move || if busy.get() { "Making the link…" } else { "Make link" }}
                    </button>
                </div>
                <p class="error" role="alert">{move || error.get()}</p>
            </form>
            {move || created.get().map(|c| {
                let link = full_link(&c);
                let role = role_name(c.invite.role).to_lowercase();
                let heading = match c.invite.label.trim() {
                    "" => format!("Your new {role} link"),
                    label => format!("Your new {role} link, “{label}”"),
                };
                view! {
                    <div class="invite-result">
                        <label for="invite-link">{heading}</label>
                        <p class="hint" id="invite-link-hint">
                            "This link is shown only once. Copy it now and send it to the \
                             people you are inviting: anyone who has it can open the board."
                        </p>
                        <div class="copy-row">
                            <input
                                id="invite-link"
                                type="text"
                                readonly
                                aria-describedby="invite-link-hint"
                                prop:value=link
                                on:focus=move |_| select_link()
                            />
                            <button id="invite-copy" type="button" on:click=copy>"Copy link"</button>
                        </div>
                        <p class="done" role="status">{move || copied.get()}</p>
                    </div>
                }
            })}
            <InviteList invites=invites reload=reload/>
            <div class="actions">
                <button type="button" class="secondary" on:click=move |_| on_close()>
                    "Close"
                </button>
            </div>
        </section>
    }
}
