//! Where an item is in the group's agreement: draft, proposed or agreed.
//!
//! Marking an item agreed records a decision on it: what it said, when, who marked it and
//! who was on the board at that moment. That record is what lets a group show later that
//! a choice was made together, not by one person.

use coboard_shared::schema::{Action, ItemView, Status};
use leptos::prelude::*;

use crate::activity::record;
use crate::sync::SessionHandle;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "29 November 2026", in the reader's time zone.
pub fn date_label(ms: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    let month = MONTHS.get(d.get_month() as usize).copied().unwrap_or("");
    format!("{} {month} {}", d.get_date(), d.get_full_year())
}

#[component]
pub fn StatusControl(item: Memo<Option<ItemView>>) -> impl IntoView {
    let session = expect_context::<SessionHandle>();
    let signals = session.signals();
    let editable = crate::ui::access_role::my_role().can_edit();
    let me = record::me();
    let id = item.with_untracked(|i| i.as_ref().map(|i| i.id.clone()).unwrap_or_default());
    let kind = item.with_untracked(|i| {
        i.as_ref()
            .map(|i| coboard_shared::schema::kind_label(&i.kind).to_lowercase())
            .unwrap_or_default()
    });
    let status =
        Memo::new(move |_| item.with(|i| i.as_ref().map(|i| i.status).unwrap_or_default()));

    if !editable {
        return view! {
            <p class="status-text">{move || format!("Status: {}", status.get().label())}</p>
        }
        .into_any();
    }
    // Recording what the group agreed is a facilitator's (the board's rules): others see
    // "Agreed" but cannot choose it, nor move an agreed item back.
    let may_agree = {
        use coboard_shared::rules::{Act, Part, may};
        may(
            crate::ui::access_role::my_writer(),
            Part::ItemAgreement,
            Act::Change,
        )
    };
    let locked = move || !may_agree && status.get() == Status::Agreed;
    let on_change = move |e: leptos::ev::Event| {
        let Some(chosen) = Status::parse(&event_target_value(&e)) else {
            return;
        };
        let Some(who) = me.get_untracked().map(|i| i.author()) else {
            return;
        };
        let present = signals.peers.with_untracked(|p| record::present(p));
        session.get().edit(|board, txn| {
            if board
                .set_status(txn, &id, chosen, &who, &present, record::now())
                .is_ok()
            {
                record::log(board, txn, &who, Action::Status, &id, chosen.label());
            }
        });
    };
    view! {
        <label class="status-field">
            <span class="field-label">"Status"</span>
            <select
                class="status-select"
                aria-label=format!("Status of this {kind}")
                aria-describedby=move || locked().then_some("agreed-by-facilitator")
                prop:disabled=locked
                on:change=on_change
            >
                {Status::ALL
                    .into_iter()
                    .map(|s| {
                        view! {
                            <option
                                value=s.as_str()
                                prop:selected=move || status.get() == s
                                disabled=s == Status::Agreed && !may_agree
                            >
                                {s.label()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
        <Show when=locked>
            <p id="agreed-by-facilitator" class="field-help">
                "Only a facilitator can change what the group agreed."
            </p>
        </Show>
    }
    .into_any()
}
