//! The contribution ledger: paying people for their time, in a dialog that facilitators
//! open from the Balance tab.
//!
//! Paying public members for their time and expenses is part of treating them as equals,
//! and a finance team needs a record it can trust. The dialog holds the rate table
//! (`rates`), a form to add a row (`row_form`), the rows with their status (`rows`,
//! `row_status`) and the spreadsheet for the finance team (`export`). Everyone else gets
//! their own statement instead (`statement`).
//!
//! The dialog is modal: it is wide (the rows table has ten columns) and covers the board,
//! so focus stays inside it (Tab wraps round), Escape or "Close" shuts it, and focus goes
//! back to the button that opened it. It is mounted on `<body>` through a portal, so no
//! part of the board can be drawn over it.

pub mod api;

mod export;
mod money;
mod rates;
mod row_form;
mod row_status;
mod rows;
mod state;
pub mod statement;

use leptos::portal::Portal;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::KeyboardEvent;

use self::export::LedgerExport;
use self::rates::RatesEditor;
use self::row_form::RowForm;
use self::rows::LedgerRows;
use self::state::LedgerState;
use crate::sync::SessionHandle;

/// What can take focus inside the dialog, for keeping Tab inside it.
const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]), \
    select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";

#[component]
pub fn LedgerDialog() -> impl IntoView {
    let Some(session) = use_context::<SessionHandle>() else {
        return ().into_any();
    };
    let open = RwSignal::new(false);
    let state = LedgerState::new(session);
    let close = move || {
        open.set(false);
        crate::dom::focus_later("#ledger-open".to_owned());
    };
    let on_key = move |e: KeyboardEvent| match e.key().as_str() {
        "Escape" => {
            e.prevent_default();
            e.stop_propagation();
            close();
        }
        "Tab" => keep_focus_inside(&e),
        _ => {}
    };

    view! {
        <section class="ledger-entry" aria-labelledby="ledger-entry-heading">
            <h2 id="ledger-entry-heading" class="panel-heading">"Paying people for their time"</h2>
            <p class="panel-help">
                "Record the time people give, what they were offered and what they chose to "
                "receive, and get a spreadsheet for your finance team. Only facilitators see it."
            </p>
            <button
                id="ledger-open"
                type="button"
                class="secondary"
                aria-haspopup="dialog"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| {
                    open.set(true);
                    state.reload();
                    crate::dom::focus_later("#ledger-heading".to_owned());
                }
            >
                "Contribution ledger"
            </button>
        </section>
        <Show when=move || open.get()>
            <Portal>
                <div class="ledger-backdrop">
                    <div
                        id="ledger-dialog"
                        class="ledger-dialog"
                        role="dialog"
                        aria-modal="true"
                        aria-labelledby="ledger-heading"
                        aria-describedby="ledger-about"
                        on:keydown=on_key
                    >
                        <div class="ledger-head">
                            <h2 id="ledger-heading" tabindex="-1">"Contribution ledger"</h2>
                            <button
                                id="ledger-close"
                                type="button"
                                class="secondary"
                                on:click=move |_| close()
                            >
                                "Close"
                            </button>
                        </div>
                        <p id="ledger-about" class="ledger-about">
                            "Only facilitators see this ledger. It keeps no bank details and "
                            "no benefit information: just names, time, rates and what each "
                            "person chose to receive. Each person can download their own "
                            "statement from the Balance tab."
                        </p>
                        <p id="ledger-error" class="error" role="alert">
                            {move || state.error.get()}
                        </p>
                        <RatesEditor state=state/>
                        <RowForm state=state/>
                        <LedgerRows state=state/>
                        <LedgerExport state=state/>
                    </div>
                </div>
            </Portal>
        </Show>
    }
    .into_any()
}

/// Tab from the last control goes to the first, Shift+Tab from the first (or from the
/// heading, where focus lands on opening) to the last: the board behind is out of reach
/// while the dialog is open.
fn keep_focus_inside(e: &KeyboardEvent) {
    let doc = document();
    let Some(dialog) = doc.get_element_by_id("ledger-dialog") else {
        return;
    };
    let list = js_sys::Reflect::get(&dialog, &JsValue::from_str("querySelectorAll"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&dialog, &JsValue::from_str(FOCUSABLE)).ok());
    let Some(list) = list else {
        return;
    };
    let all: Vec<web_sys::HtmlElement> = js_sys::Array::from(&list)
        .iter()
        .filter_map(|n| n.dyn_into().ok())
        .collect();
    let (Some(first), Some(last)) = (all.first(), all.last()) else {
        return;
    };
    let active = doc.active_element();
    let is = |el: &web_sys::HtmlElement| active.as_ref().is_some_and(|a| a == el.as_ref());
    let on_heading = active.as_ref().is_some_and(|a| a.id() == "ledger-heading");
    let target = if e.shift_key() {
        (is(first) || on_heading).then_some(last)
    } else {
        is(last).then_some(first)
    };
    if let Some(t) = target {
        e.prevent_default();
        let _ = t.focus();
    }
}
