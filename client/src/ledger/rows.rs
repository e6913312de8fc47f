//! The ledger's rows as a real table (a caption, column and row headers), so a screen
//! reader user hears "Sam, Offered, £50.00" rather than a run of numbers. Each row shows
//! the rate version it was offered at, and whether its minutes came from presence, so a
//! finance team can check any figure; the footer carries the server's totals.

use coboard_shared::ledger::{Row, Totals};
use leptos::prelude::*;

use super::money::money;
use super::row_form::choice_words;
use super::row_status::RowStatus;
use super::state::LedgerState;

#[component]
pub fn LedgerRows(state: LedgerState) -> impl IntoView {
    // Errors from changing a row's status, shown once for the whole table.
    let error = RwSignal::new(String::new());
    let rows = move || {
        state.data.with(|d| {
            d.as_ref()
                .map(|l| l.rows.iter().map(|v| v.row.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let totals = move || {
        state
            .data
            .with(|d| d.as_ref().map(|l| l.totals.clone()).unwrap_or_default())
    };

    view! {
        <section class="ledger-part" aria-labelledby="rows-heading">
            <h3 id="rows-heading">"Rows"</h3>
            <p id="rows-error" class="error" role="alert">{move || error.get()}</p>
            <Show
                when=move || state.data.with(|d| d.as_ref().is_some_and(|l| !l.rows.is_empty()))
                fallback=|| view! { <p id="ledger-empty" class="panel-empty">"No rows yet."</p> }
            >
                <div class="table-wrap" role="region" aria-labelledby="ledger-rows-caption" tabindex="0">
                    <table id="ledger-rows" class="ledger-rows">
                        <caption id="ledger-rows-caption">"Time and payments, by date"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Date"</th>
                                <th scope="col">"Person"</th>
                                <th scope="col">"Task"</th>
                                <th scope="col">"Minutes"</th>
                                <th scope="col">"Rate"</th>
                                <th scope="col">"Offered"</th>
                                <th scope="col">"They chose"</th>
                                <th scope="col">"Payable"</th>
                                <th scope="col">"Expenses"</th>
                                <th scope="col">"Status"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=rows
                                key=|r| (r.id.clone(), r.updated_at)
                                children=move |r| row(r, state, error)
                            />
                        </tbody>
                        <tfoot>{move || footer(totals())}</tfoot>
                    </table>
                </div>
            </Show>
        </section>
    }
}

/// One row of the table.
fn row(r: Row, state: LedgerState, error: RwSignal<String>) -> impl IntoView {
    let minutes = format!(
        "{} (preparation {}, session {})",
        r.prep_minutes + r.session_minutes,
        r.prep_minutes,
        r.session_minutes
    );
    let expenses = if r.receipt {
        format!("{} (receipt)", money(r.expenses_pence))
    } else {
        money(r.expenses_pence)
    };
    let choice = match r.choice {
        coboard_shared::ledger::Choice::Voucher => "Voucher",
        c => choice_words(c),
    };
    let (id, status) = (r.id.clone(), r.status.as_str());
    let rate = format!(
        "{}: {} an hour (version {})",
        r.rate_label,
        money(r.pence_per_hour),
        r.rate_version
    );
    let (offered, payable) = (money(r.offered_pence()), money(r.payable_pence()));
    let from_presence = r.minutes_from_presence;
    let (date, person, task) = (r.date.clone(), r.person.clone(), r.task.clone());
    view! {
        <tr data-id=id data-status=status>
            <td>{date}</td>
            <th scope="row">{person}</th>
            <td>{task}</td>
            <td class="minutes">
                {minutes}
                {from_presence.then(|| view! {
                    <span class="from-presence">" from presence"</span>
                })}
            </td>
            <td class="rate">{rate}</td>
            <td class="offered money">{offered}</td>
            <td class="choice">{choice}</td>
            <td class="payable money">{payable}</td>
            <td class="expenses money">{expenses}</td>
            <td class="row-state">
                <RowStatus row=r state=state error=error/>
            </td>
        </tr>
    }
}

/// The totals row.
fn footer(t: Totals) -> impl IntoView {
    let rows = if t.rows == 1 {
        "1 row".to_owned()
    } else {
        format!("{} rows", t.rows)
    };
    let voucher = (t.voucher_pence > 0).then(|| {
        view! { <span class="voucher-part">{format!(" ({} as vouchers)", money(t.voucher_pence))}</span> }
    });
    view! {
        <tr id="ledger-totals" class="totals">
            <th scope="row" colspan="3">{format!("Totals, {rows}")}</th>
            <td class="minutes">{t.prep_minutes + t.session_minutes}</td>
            <td></td>
            <td class="offered money">{money(t.offered_pence)}</td>
            <td></td>
            <td class="payable money">{money(t.payable_pence)}{voucher}</td>
            <td class="expenses money">{money(t.expenses_pence)}</td>
            <td class="paid">{format!("Paid so far: {}", money(t.paid_pence))}</td>
        </tr>
    }
}
