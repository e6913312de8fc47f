//! The home page: what Coboard is for, start a new board, or open one from a link.

use coboard_shared::api::{MAX_TITLE_CHARS, invite_url, is_board_id};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::needs::{dialog::NeedsDialog, easy_read::EasyRead, review::NeedsReview};
use crate::{api, token};

/// The template a new board starts from unless people choose another: the full plan,
/// because it walks a new group through every stage of the work.
const DEFAULT_TEMPLATE: &str = "coproduction-plan";

/// Where a pasted link (`https://host/b/<id>#token=...`) or a bare id should take me:
/// the board page, keeping the invite token in the fragment so the board page can take
/// it from there (and nothing is sent to the server in the URL).
fn board_path_from(input: &str) -> Option<String> {
    let input = input.trim();
    let fragment = input.split_once('#').map(|(_, f)| f).unwrap_or_default();
    let without_extras = input.split(['?', '#']).next().unwrap_or_default();
    let last = without_extras.trim_end_matches('/').rsplit('/').next()?;
    let id = last.to_ascii_lowercase();
    if !is_board_id(&id) {
        return None;
    }
    Some(match token::from_fragment(fragment) {
        Some(t) => invite_url(&id, &String::from(js_sys::encode_uri_component(&t))),
        None => format!("/b/{id}"),
    })
}

fn go_to(url: &str) {
    // If the browser refuses to navigate there is nothing better to do than stay put.
    let _ = window().location().set_href(url);
}

#[component]
pub fn HomePage() -> impl IntoView {
    crate::dom::set_document_title("Coboard");
    let title = RwSignal::new(String::new());
    let template = RwSignal::new(DEFAULT_TEMPLATE.to_owned());
    let create_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let link = RwSignal::new(String::new());
    let open_error = RwSignal::new(None::<String>);

    let on_create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        create_error.set(None);
        let wanted = title.get_untracked();
        let chosen = template.get_untracked();
        spawn_local(async move {
            match api::boards::create(&wanted, &chosen).await {
                // The facilitator link: the board page stores its token and tidies the URL.
                Ok(created) => go_to(&created.share_url),
                Err(f) => {
                    create_error.set(Some(f.message));
                    busy.set(false);
                }
            }
        });
    };

    let on_open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match board_path_from(&link.get_untracked()) {
            Some(path) => go_to(&path),
            None => open_error.set(Some(
                "That does not look like a Coboard board link. Paste the whole link you \
                 were given; it contains /b/ followed by 32 letters and numbers."
                    .to_owned(),
            )),
        }
    };

    view! {
        <header class="site-header">
            <p class="brand">"Coboard"</p>
            <NeedsDialog/>
        </header>
        <main class="page home">
            <NeedsReview/>
            <h1>"Coboard"</h1>
            <EasyRead text="Make a new board, or open a board someone sent you."/>
            <p class="lead">
                "A shared board where members of the public and professionals plan a \
                 project together, as equals, and see each other's ideas as they are written."
            </p>
            <section class="card" aria-labelledby="new-board-heading">
                <h2 id="new-board-heading">"Start a new board"</h2>
                <form on:submit=on_create>
                    <label for="board-title">"Board title"</label>
                    <p class="hint" id="board-title-hint">
                        "For example: Planning our carers' support study"
                    </p>
                    <input
                        id="board-title"
                        type="text"
                        required
                        maxlength=MAX_TITLE_CHARS
                        autocomplete="off"
                        aria-describedby="board-title-hint"
                        prop:value=move || title.get()
                        on:input=move |ev| title.set(event_target_value(&ev))
                    />
                    <TemplateChooser chosen=template/>
                    <button id="create-board" type="submit" disabled=move || busy.get()>
                        {move || if busy.get() { "Creating…" } else { "Create board" }}
                    </button>
                    <Show when=move || create_error.get().is_some()>
                        <p class="error" role="alert">{move || create_error.get()}</p>
                    </Show>
                </form>
            </section>
            <section class="card" aria-labelledby="open-board-heading">
                <h2 id="open-board-heading">"Open a board"</h2>
                <form on:submit=on_open>
                    <label for="board-link">"Board link"</label>
                    <p class="hint" id="board-link-hint">"Paste the link someone shared with you."</p>
                    <input
                        id="board-link"
                        type="text"
                        required
                        autocomplete="off"
                        aria-describedby="board-link-hint"
                        prop:value=move || link.get()
                        on:input=move |ev| link.set(event_target_value(&ev))
                    />
                    <button id="open-board" type="submit">"Open board"</button>
                    <Show when=move || open_error.get().is_some()>
                        <p class="error" role="alert">{move || open_error.get()}</p>
                    </Show>
                </form>
            </section>
        </main>
    }
}

/// The templates as a radio group: each with its name and, as its description, the one
/// sentence that says what it helps a group do.
#[component]
fn TemplateChooser(chosen: RwSignal<String>) -> impl IntoView {
    view! {
        <fieldset class="template-chooser">
            <legend>"What will you use the board for?"</legend>
            <p class="hint">"Each choice sets up the board with headings and help. You can add your own notes to any of them."</p>
            {coboard_shared::templates::all()
                .iter()
                .map(|t| {
                    let input_id = format!("template-{}", t.id);
                    let hint_id = format!("template-{}-hint", t.id);
                    let id = t.id;
                    view! {
                        <div class="radio template-option">
                            <input
                                type="radio"
                                name="template"
                                id=input_id.clone()
                                value=id
                                aria-describedby=hint_id.clone()
                                prop:checked=move || chosen.get() == id
                                on:change=move |_| chosen.set(id.to_owned())
                            />
                            <div>
                                <label for=input_id>{t.name}</label>
                                <p class="hint" id=hint_id>{t.purpose}</p>
                            </div>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}
