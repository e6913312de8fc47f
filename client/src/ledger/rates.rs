//! The rate table: the version new rows use, and a form to save a new version.
//!
//! Versions are only ever added. Each row copies the rate it was offered at, so raising
//! a rate never changes what someone was already promised; the dialog says so plainly,
//! since a facilitator might otherwise fear (or hope) that editing rates rewrites history.

use coboard_shared::ledger::{Rate, RateTable};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::money::{money, parse_pence};
use super::state::LedgerState;
use coboard_shared::api::ledger::NewRates;

use super::api;

/// One rate as it is being typed.
#[derive(Clone, Copy)]
struct Draft {
    id: RwSignal<String>,
    label: RwSignal<String>,
    pounds: RwSignal<String>,
}

impl Draft {
    fn new(id: &str, label: &str, pounds: &str) -> Self {
        Self {
            id: RwSignal::new(id.to_owned()),
            label: RwSignal::new(label.to_owned()),
            pounds: RwSignal::new(pounds.to_owned()),
        }
    }
}

/// The rates typed in, or the first thing wrong with them.
fn read(drafts: &[Draft]) -> Result<Vec<Rate>, String> {
    drafts
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let pence = parse_pence(&d.pounds.get_untracked()).ok_or_else(|| {
                format!(
                    "Rate {}: write the pounds per hour as a number, such as 25 or 25.50.",
                    i + 1
                )
            })?;
            Ok(Rate {
                id: d.id.get_untracked().trim().to_owned(),
                label: d.label.get_untracked().trim().to_owned(),
                pence_per_hour: pence,
            })
        })
        .collect()
}

#[component]
pub fn RatesEditor(state: LedgerState) -> impl IntoView {
    let basis = RwSignal::new(String::new());
    let drafts = RwSignal::new(vec![Draft::new("", "", "")]);
    let error = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    // The form starts from the current version each time there is a new one. The drafts'
    // signals belong to the component: made under the effect, they would be thrown away
    // the next time it ran (after any change to the ledger), while still in the form.
    let owner = Owner::current();
    let add_owner = owner.clone();
    let version = Memo::new(move |_| state.rates().map(|t| t.version));
    Effect::new(move |_| {
        if version.get().is_none() {
            return;
        }
        let Some(t) = state
            .data
            .with_untracked(|d| d.as_ref().and_then(|l| l.rates.clone()))
        else {
            return;
        };
        basis.set(t.basis.clone());
        let fresh = move || {
            t.rates
                .iter()
                .map(|r| {
                    let pounds = coboard_shared::ledger::pounds(r.pence_per_hour);
                    Draft::new(&r.id, &r.label, &pounds)
                })
                .collect::<Vec<_>>()
        };
        drafts.set(match &owner {
            Some(o) => o.with(fresh),
            None => fresh(),
        });
    });

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        status.set(String::new());
        let rates = match read(&drafts.get_untracked()) {
            Ok(r) => r,
            Err(e) => {
                error.set(e);
                return;
            }
        };
        error.set(String::new());
        busy.set(true);
        let body = NewRates {
            basis: basis.get_untracked().trim().to_owned(),
            rates,
        };
        let (board, token) = state.keys();
        spawn_local(async move {
            match api::add_rates(&board, &token, &body)
                .await
                .map_err(String::from)
            {
                Ok(t) => {
                    let _ = status.try_set(format!(
                        "Saved as version {}. New rows use it from now on.",
                        t.version
                    ));
                    state.reload();
                }
                Err(e) => {
                    let _ = error.try_set(e);
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let add = move |_| {
        let blank = || Draft::new("", "", "");
        let draft = add_owner.as_ref().map_or_else(blank, |o| o.with(blank));
        drafts.update(|d| d.push(draft));
        let n = drafts.with_untracked(Vec::len);
        crate::dom::focus_later(format!("#rate-id-{}", n - 1));
    };

    let field = move |i: usize, d: Draft| {
        let input = move |name: &'static str, words: &'static str, value: RwSignal<String>| {
            let id = format!("rate-{name}-{i}");
            view! {
                <div class=format!("rate-field rate-field-{name}")>
                    <label for=id.clone()>{words}</label>
                    <input
                        id=id
                        class=format!("rate-{name}")
                        type="text"
                        inputmode=(name == "pounds").then_some("decimal")
                        prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))
                    />
                </div>
            }
        };
        view! {
            <fieldset class="rate-draft">
                <legend>{format!("Rate {}", i + 1)}</legend>
                {input("id", "Short name", d.id)}
                {input("label", "What it is for", d.label)}
                {input("pounds", "£ per hour", d.pounds)}
                {(i > 0).then(|| view! {
                    <button
                        type="button"
                        class="secondary rate-remove"
                        on:click=move |_| drafts.update(|all| {
                            if i < all.len() {
                                all.remove(i);
                            }
                        })
                    >
                        {format!("Remove rate {}", i + 1)}
                    </button>
                })}
            </fieldset>
        }
    };

    view! {
        <section class="ledger-part" aria-labelledby="rates-heading">
            <h3 id="rates-heading">"Rates"</h3>
            {move || match state.rates() {
                None => view! {
                    <p id="rates-current" class="panel-empty">
                        "No rate table yet. Save one before recording payments."
                    </p>
                }
                .into_any(),
                Some(t) => current(t).into_any(),
            }}
            <p class="hint">
                "Saving makes a new version of the table. Rows already recorded keep the "
                "rate they were offered at; only rows added after saving use the new rates."
            </p>
            <form id="rates-form" class="rates-form" on:submit=save>
                <label for="rates-basis">"Where these rates come from"</label>
                <input
                    id="rates-basis"
                    type="text"
                    placeholder="For example: NIHR payment guidance, 2024"
                    prop:value=move || basis.get()
                    on:input=move |ev| basis.set(event_target_value(&ev))
                />
                {move || drafts.get().into_iter().enumerate().map(|(i, d)| field(i, d)).collect_view()}
                <div class="actions">
                    <button id="rates-more" type="button" class="secondary" on:click=add>
                        "Add a rate"
                    </button>
                    <button id="rates-save" type="submit" aria-disabled=move || busy.get().to_string()>
                        "Save as a new version"
                    </button>
                </div>
                <p id="rates-error" class="error" role="alert">{move || error.get()}</p>
                <p id="rates-status" class="ledger-status" role="status">{move || status.get()}</p>
            </form>
        </section>
    }
}

/// The version new rows use.
fn current(t: RateTable) -> impl IntoView {
    let basis = if t.basis.is_empty() {
        String::new()
    } else {
        format!(", based on {}", t.basis)
    };
    view! {
        <div id="rates-current" data-version=t.version>
            <p>{format!("New rows use version {}{basis}:", t.version)}</p>
            <ul class="rates-list">
                {t.rates
                    .into_iter()
                    .map(|r| view! {
                        <li data-rate=r.id.clone()>
                            {format!("{} ({}): {} an hour", r.label, r.id, money(r.pence_per_hour))}
                        </li>
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}
