//! "Evidence for the UK Standards for Public Involvement", in the Balance tab: for each
//! of the six standards, what the board already shows and what it does not show yet.
//!
//! Groups are asked for this evidence by funders and boards of governance; gathering it
//! from what the group did (not from a form filled in afterwards) keeps it honest, and
//! listing the gaps beside it makes it a prompt to talk rather than a score. Everyone on
//! the board sees it: it holds counts and the group's own records, the ledger only as
//! totals. It is fetched each time the tab is shown, so it is never stale for long.

use std::cell::Cell;
use std::rc::Rc;

use coboard_shared::standards::Evidence;
use leptos::html::Section;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

use super::api;
use crate::sync::SessionHandle;

#[component]
pub fn StandardsEvidence() -> impl IntoView {
    let Some(session) = use_context::<SessionHandle>() else {
        return ().into_any();
    };
    let evidence = RwSignal::new(None::<Vec<Evidence>>);
    let status = RwSignal::new(String::new());
    let failed = RwSignal::new(false);
    let loading = RwSignal::new(false);
    let downloading = RwSignal::new(false);
    let keys = move || {
        let s = session.get();
        (s.board_id().to_owned(), s.token().to_owned())
    };

    let refresh = move || {
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        let (board, token) = keys();
        spawn_local(async move {
            match api::standards(&board, &token).await.map_err(String::from) {
                Ok(e) => {
                    let _ = evidence.try_set(Some(e));
                    let _ = failed.try_set(false);
                    let _ = status.try_set(String::new());
                }
                Err(e) => {
                    let _ = failed.try_set(true);
                    let _ = status.try_set(e);
                }
            }
            let _ = loading.try_set(false);
        });
    };
    let download = move |_| {
        if downloading.get_untracked() {
            return;
        }
        downloading.set(true);
        failed.set(false);
        status.set("Preparing the Markdown file…".to_owned());
        let (board, token) = keys();
        spawn_local(async move {
            let words = match api::download_standards(&board, &token)
                .await
                .map_err(String::from)
            {
                Ok(name) => format!("Ready: look for “{name}” in your downloads."),
                Err(e) => {
                    let _ = failed.try_set(true);
                    e
                }
            };
            let _ = status.try_set(words);
            let _ = downloading.try_set(false);
        });
    };

    let section = NodeRef::<Section>::new();
    section.on_load(move |el| when_shown(&el, refresh));

    view! {
        <section id="standards" class="standards" aria-labelledby="standards-heading" node_ref=section>
            <h2 id="standards-heading" class="panel-heading">
                "Evidence for the UK Standards for Public Involvement"
            </h2>
            <p class="panel-help">
                "The six UK Standards describe what good public involvement looks like. "
                "Below is what this board already records for each one, and what it does "
                "not show yet. The gaps are things to talk about as a group, not a mark."
            </p>
            <div class="standards-actions">
                <button
                    id="standards-refresh"
                    type="button"
                    class="secondary"
                    aria-disabled=move || loading.get().to_string()
                    on:click=move |_| refresh()
                >
                    "Refresh"
                </button>
                <button
                    id="standards-download"
                    type="button"
                    class="secondary"
                    aria-disabled=move || downloading.get().to_string()
                    on:click=download
                >
                    "Download as Markdown"
                </button>
            </div>
            <p
                id="standards-status"
                class="standards-status"
                data-failed=move || failed.get().to_string()
                role="status"
                aria-live="polite"
            >
                {move || status.get()}
            </p>
            {move || match evidence.get() {
                None => view! { <p class="panel-empty">"Gathering the evidence…"</p> }.into_any(),
                Some(list) => view! {
                    <ol id="standards-list" class="standards-list" aria-busy=move || loading.get().to_string()>
                        {list.into_iter().map(standard).collect_view()}
                    </ol>
                }
                .into_any(),
            }}
        </section>
    }
    .into_any()
}

/// One standard: what it asks, what the board shows, and what it does not show yet.
fn standard(e: Evidence) -> impl IntoView {
    let heading = format!("standard-{}", e.id);
    let list = |items: Vec<String>, class: &'static str, none: &'static str| {
        if items.is_empty() {
            view! { <p class=format!("{class} standard-none")>{none}</p> }.into_any()
        } else {
            view! {
                <ul class=class>
                    {items.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                </ul>
            }
            .into_any()
        }
    };
    view! {
        <li class="standard" data-standard=e.id>
            <h3 id=heading>{e.title}</h3>
            <p class="standard-asks">{e.asks}</p>
            <h4>"What the board shows"</h4>
            {list(e.found, "standard-found", "Nothing yet.")}
            <h4>"Not shown yet"</h4>
            {list(e.gaps, "standard-gaps", "Nothing missing that the board can tell.")}
        </li>
    }
}

/// Calls `show` now if `el` is visible, and each time the tab panel holding it is shown
/// again (its `hidden` attribute removed). The side panel keeps every tab mounted and
/// hides the others, so this is how a tab's content learns that it has come into view.
fn when_shown(el: &web_sys::HtmlElement, show: impl Fn() + 'static) {
    let Some(panel) = el.closest("[role=tabpanel]").ok().flatten() else {
        show();
        return;
    };
    let was_hidden = Rc::new(Cell::new(panel.has_attribute("hidden")));
    if !was_hidden.get() {
        show();
    }
    let watched = panel.clone();
    let callback = Closure::<dyn Fn()>::new(move || {
        let hidden = watched.has_attribute("hidden");
        if was_hidden.replace(hidden) && !hidden {
            show();
        }
    });
    let observer = mutation_observer(&callback, &panel);
    // The page outlives nearly every board; if the observer could not be disconnected, a
    // dropped callback would throw, so the closure is kept for the page's lifetime.
    callback.forget();
    if let Some(observer) = observer {
        let observer = StoredValue::new_local(observer);
        on_cleanup(move || {
            observer.try_with_value(|o| {
                let disconnect = js_sys::Reflect::get(o, &JsValue::from_str("disconnect"));
                if let Ok(f) = disconnect.and_then(|f| f.dyn_into::<js_sys::Function>()) {
                    let _ = f.call0(o);
                }
            });
        });
    }
}

/// A `MutationObserver` calling `callback` when `target`'s `hidden` attribute changes.
/// Built through `Reflect`, as the `web-sys` feature for it is not enabled.
fn mutation_observer(callback: &Closure<dyn Fn()>, target: &web_sys::Element) -> Option<JsValue> {
    use js_sys::{Array, Function, Object, Reflect};
    let ctor: Function = Reflect::get(&js_sys::global(), &JsValue::from_str("MutationObserver"))
        .ok()?
        .dyn_into()
        .ok()?;
    let observer = Reflect::construct(&ctor, &Array::of1(callback.as_ref())).ok()?;
    let options = Object::new();
    Reflect::set(&options, &"attributes".into(), &JsValue::TRUE).ok()?;
    Reflect::set(
        &options,
        &"attributeFilter".into(),
        &Array::of1(&"hidden".into()),
    )
    .ok()?;
    let observe: Function = Reflect::get(&observer, &"observe".into())
        .ok()?
        .dyn_into()
        .ok()?;
    observe.call2(&observer, target, &options).ok()?;
    Some(observer)
}
