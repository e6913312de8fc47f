//! The facilitator's list of invite links: who each is for, what it allows, when it
//! stops working, and a button to switch it off. Tokens are never listed: the server
//! keeps only their hashes, so a link can be shown once, when it is made, and never again.

use coboard_shared::api::Invite;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use super::api;
use crate::token::BoardKey;
use crate::ui::access_role::role_name;

/// A date and time in the reader's own language, e.g. "29 Nov 2026, 08:40".
pub fn when(ms: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    let lang = window()
        .navigator()
        .language()
        .unwrap_or_else(|| "en-GB".to_owned());
    date.to_locale_string(&lang, &options).into()
}

/// What the label says about a link, or a stand-in for links made without one.
fn label_of(invite: &Invite) -> String {
    let label = invite.label.trim();
    if label.is_empty() {
        "Link without a label".to_owned()
    } else {
        format!("“{label}”")
    }
}

/// "Stops working …", "Stopped working …" or "Never expires".
fn expiry_of(invite: &Invite) -> String {
    match invite.expires_at {
        None => "Never expires.".to_owned(),
        Some(at) if (at as f64) < js_sys::Date::now() => format!("Stopped working {}.", when(at)),
        Some(at) => format!("Stops working {}.", when(at)),
    }
}

#[component]
pub fn InviteList(
    /// The links, or `None` while they load.
    #[prop(into)]
    invites: Signal<Option<Vec<Invite>>>,
    /// Fetches the list again after a change.
    reload: Callback<()>,
) -> impl IntoView {
    let key = StoredValue::new(expect_context::<BoardKey>());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(String::new());

    let revoke = move |invite: Invite| {
        error.set(None);
        done.set(String::new());
        let key = key.get_value();
        spawn_local(async move {
            match api::revoke(&key.id, &key.token, &invite.id).await {
                Ok(()) => {
                    done.set(format!(
                        "{} ({}) is switched off. Nobody can open the board with it any more.",
                        label_of(&invite),
                        role_name(invite.role)
                    ));
                    reload.run(());
                }
                Err(f) => error.set(Some(f.message)),
            }
            // The button just pressed is gone or going; keep keyboard focus in the list.
            crate::dom::focus_later("#invite-list-heading".to_owned());
        });
    };

    view! {
        <h3 id="invite-list-heading" tabindex="-1">"Links you have made"</h3>
        // The list cannot tell which link is mine (it holds no tokens), so say it plainly.
        <p class="hint">
            "Switching off a link stops everyone who uses it, straight away. Take care with \
             facilitator links: one of them is the link you are using now."
        </p>
        <p class="error" role="alert">{move || error.get()}</p>
        <p class="done" role="status">{move || done.get()}</p>
        {move || match invites.get() {
            None => view! { <p>"Loading the links…"</p> }.into_any(),
            Some(list) if list.is_empty() => {
                view! { <p>"No links yet."</p> }.into_any()
            }
            Some(list) => view! {
                <ul id="invite-list" class="invite-list">
                    {list
                        .into_iter()
                        .map(|invite| {
                            let name = format!("{} · {}", label_of(&invite), role_name(invite.role));
                            let meta = format!("Made {}. {}", when(invite.created_at), expiry_of(&invite));
                            let button_label = format!(
                                "Switch off this link: {} ({})",
                                label_of(&invite),
                                role_name(invite.role)
                            );
                            let revoked = invite.revoked;
                            view! {
                                <li class:revoked=revoked>
                                    <p class="invite-name">{name}</p>
                                    <p class="invite-meta">{meta}</p>
                                    {if revoked {
                                        view! { <p class="invite-off">"Switched off"</p> }.into_any()
                                    } else {
                                        view! {
                                            <button
                                                type="button"
                                                class="invite-revoke secondary"
                                                aria-label=button_label
                                                on:click=move |_| revoke(invite.clone())
                                            >
                                                "Switch off this link"
                                            </button>
                                        }
                                            .into_any()
                                    }}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
                .into_any(),
        }}
    }
}
