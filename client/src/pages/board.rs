//! The board page: take the invite token out of the address bar, ask the server what it
//! lets me do, join, then work on the board together (canvas, list or plan table), with the
//! connection state and who is here always in view.

use coboard_shared::api::AccessRole;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::identity::{self, Identity};
use crate::layout::join_dialog::JoinDialog;
use crate::layout::workspace::{ViewMode, Workspace};
use crate::needs::{dialog::NeedsDialog, easy_read::EasyRead, review::NeedsReview};
use crate::sync::{Link, Session, SessionHandle};
use crate::token::{self, BoardKey};
use crate::ui::{device_panel::Rescue, refusal::Refusal, status::Status};

/// What the server said about my token, as far as the page is concerned.
#[derive(Clone, PartialEq)]
enum Access {
    /// Still asking.
    Checking,
    /// The question could not be answered (e.g. offline); the text says so.
    Unknown(String),
    Granted(AccessRole),
}

#[component]
pub fn BoardPage(id: String) -> impl IntoView {
    // First of all, before anything can copy the address: move the token out of it.
    token::adopt_from_address_bar(&id);
    match token::load(&id) {
        Some(t) => view! { <OpenBoard key=BoardKey { id, token: t }/> }.into_any(),
        None => NoInvite().into_any(),
    }
}

/// Without a token there is nothing to connect with, and no name to ask for.
#[component]
fn NoInvite() -> impl IntoView {
    crate::dom::set_document_title("Invite link needed — Coboard");
    view! {
        <header class="site-header board-header">
            <p class="brand"><a href="/">"Coboard"</a></p>
            <h1>"Board"</h1>
            <p id="status" class="status" role="status" data-state="refused">
                <span class="status-dot" aria-hidden="true"></span>
                "Not connected"
            </p>
            <NeedsDialog/>
        </header>
        <main class="board-main">
            <NeedsReview/>
            <Refusal heading="You need an invite link" reason=token::NO_INVITE/>
        </main>
    }
}

#[component]
fn OpenBoard(key: BoardKey) -> impl IntoView {
    let session = Session::start(key.id.clone(), key.token.clone());
    provide_context(session);
    provide_context(key.clone());
    let signals = session.signals();
    let access = RwSignal::new(Access::Checking);
    // The title from the API, shown until the document's own title has arrived.
    let api_title = RwSignal::new(String::new());
    let stored_key = StoredValue::new(key.clone());
    let check_access = move || {
        let key = stored_key.get_value();
        // A check while the board is already open (after a reconnect) stays quiet unless the
        // answer changes something, so nobody loses their place or focus.
        let quiet = matches!(access.get_untracked(), Access::Granted(_));
        if !quiet {
            access.set(Access::Checking);
        }
        spawn_local(async move {
            match api::boards::access(&key.id, &key.token).await {
                Ok(a) => {
                    api_title.set(a.board.title);
                    token::save_role(&key.id, a.role);
                    if access.get_untracked() != Access::Granted(a.role) {
                        access.set(Access::Granted(a.role));
                    }
                }
                Err(f) if f.refused() => {
                    token::forget(&key.id);
                    session.get().refuse(f.message);
                }
                Err(f) if f.status == 404 => session.get().refuse(f.message),
                Err(_) if quiet => {}
                // No answer (offline, say): a board opened here before opens with what my
                // link allowed then; the server checks again when the page reconnects.
                Err(f) => match token::saved_role(&key.id) {
                    Some(role) if f.status == 0 => access.set(Access::Granted(role)),
                    _ => access.set(Access::Unknown(f.message)),
                },
            }
        });
    };
    check_access();
    // Back online after opening offline: ask again, so a link switched off meanwhile is
    // noticed here too (the socket is refused as well).
    Effect::new(move |was: Option<bool>| {
        let connected = signals.link.get() == Link::Connected;
        if connected && was == Some(false) {
            check_access();
        }
        connected
    });

    let me = RwSignal::new(identity::load());
    let choosing = RwSignal::new(me.get_untracked().is_none());
    let view_mode = RwSignal::new(ViewMode::Board);
    if let Some(i) = me.get_untracked() {
        session.get().set_identity(&i);
    }
    // My access needs (or my consent to share them) changed, here or in another tab:
    // tell the board, so facilitators' lists follow at once, not at the next renewal.
    if let Some(needs) = crate::needs::my_needs() {
        Effect::new(move |first: Option<()>| {
            needs.declared.track();
            if first.is_some() {
                session.get().share_needs();
            }
        });
    }

    let title = Memo::new(move |_| {
        let t = signals.title.get();
        let t = if t.is_empty() { api_title.get() } else { t };
        if t.is_empty() { "Board".to_owned() } else { t }
    });
    Effect::new(move |_| crate::dom::set_document_title(&format!("{} — Coboard", title.get())));
    // Browser tests wait for this: the board's content and my role have both arrived.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let ready = signals.synced.get() && matches!(access.get(), Access::Granted(_));
        if ready {
            crate::dom::set_window_flag("__coboard_ready");
        }
        ready
    });

    let join = move |name: String, role, anonymous: bool| {
        // Changing my name or role keeps who I am: colour, id, ballot and author keys.
        let mut chosen = Identity::new(name, role);
        chosen.anonymous = anonymous;
        if let Some(before) = me.get_untracked() {
            chosen.colour = before.colour;
            chosen.id = before.id;
            chosen.ballot_key = before.ballot_key;
            chosen.anonymous_voter = before.anonymous_voter;
            chosen.author_secret = before.author_secret;
        }
        identity::save(&chosen);
        session.get().set_identity(&chosen);
        me.set(Some(chosen));
        choosing.set(false);
        crate::dom::focus_later("#add-note, #view-board".to_owned());
    };

    // A memo, so that ordinary connection changes (connected, reconnecting) do not
    // rebuild the board below and pull focus out of the note someone is typing in.
    let refused = Memo::new(move |_| match signals.link.get() {
        Link::Refused(reason) => Some(reason),
        _ => None,
    });

    view! {
        <header class="site-header board-header">
            <p class="brand"><a href="/">"Coboard"</a></p>
            <h1>{move || title.get()}</h1>
            <Status signals=signals/>
            <NeedsDialog/>
        </header>
        <main class="board-main">
            <NeedsReview/>
            <EasyRead text="This board is shared. Everyone here sees what you write, as you write it."/>
            {move || {
                if let Some(reason) = refused.get() {
                    // Whatever this device still holds is the person's: it can be taken away
                    // or removed, never silently dropped.
                    return view! {
                        <Refusal heading="This board cannot be opened" reason=reason/>
                        <section class="card" aria-label="This board on this device">
                            <Rescue session=session/>
                        </section>
                    }
                        .into_any();
                }
                match access.get() {
                    Access::Checking => view! {
                        <p class="checking">"Checking your invite link…"</p>
                    }
                        .into_any(),
                    Access::Unknown(reason) => view! {
                        <section class="card" aria-labelledby="unknown-heading">
                            <h2 id="unknown-heading">"The board is not open yet"</h2>
                            <p role="alert">{reason}</p>
                            <button type="button" on:click=move |_| check_access()>
                                "Try again"
                            </button>
                        </section>
                    }
                        .into_any(),
                    Access::Granted(role) => {
                        board_body(session, role, view_mode, choosing, me, join)
                    }
                }
            }}
        </main>
    }
}

/// The join dialog, or the workspace once I have a name.
fn board_body(
    session: SessionHandle,
    role: AccessRole,
    view_mode: RwSignal<ViewMode>,
    choosing: RwSignal<bool>,
    me: RwSignal<Option<Identity>>,
    join: impl Fn(String, coboard_shared::schema::ParticipantRole, bool) + Copy + Send + Sync + 'static,
) -> AnyView {
    view! {
        {move || {
            if choosing.get() {
                let current = me.get_untracked();
                let cancel: Option<Box<dyn Fn()>> = current
                    .is_some()
                    .then(|| Box::new(move || choosing.set(false)) as Box<dyn Fn()>);
                view! { <JoinDialog current=current on_join=join on_cancel=cancel/> }.into_any()
            } else {
                view! {
                    <Workspace
                        session=session
                        role=role
                        view_mode=view_mode
                        choosing=choosing
                        me=me
                    />
                }
                    .into_any()
            }
        }}
    }
    .into_any()
}
