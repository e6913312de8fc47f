//! The list view: every item of every kind, grouped under the board's section headings
//! in the template's order, as lists that work well with screen readers and at high
//! zoom. Items outside any section come last, under "Other notes". Each item has the
//! same body as its card on the canvas, so nothing is out of reach here.

use coboard_shared::schema::SectionView;
use leptos::prelude::*;

use crate::activity::record;
use crate::items::item_body::{ItemBody, new_memo};
use crate::items::note::{colour_of, item_memo};
use crate::sync::{Place, SessionHandle, Signals};
use crate::ui::access_role::empty_text;

/// A group of the list: (key, heading, ids of its items in reading order). The key is
/// the section id, or "" for items outside any section.
type Group = (String, String, Vec<String>);

/// The groups, in section order, then "Other notes" (left out when empty). A board with
/// no sections gets one group with no heading.
fn groups(items: &[Place], sections: &[SectionView]) -> Vec<Group> {
    let ids_in = |section: &str| -> Vec<String> {
        items
            .iter()
            .filter(|i| i.section == section)
            .map(|i| i.id.clone())
            .collect()
    };
    let mut out: Vec<Group> = sections
        .iter()
        .map(|s| (s.id.clone(), s.title.clone(), ids_in(&s.id)))
        .collect();
    let others: Vec<String> = items
        .iter()
        .filter(|i| !sections.iter().any(|s| s.id == i.section))
        .map(|i| i.id.clone())
        .collect();
    if sections.is_empty() {
        out.push((String::new(), String::new(), others));
    } else if !others.is_empty() {
        out.push((String::new(), "Other notes".to_owned(), others));
    }
    out
}

#[component]
pub fn ListView(signals: Signals) -> impl IntoView {
    let all = Memo::new(move |_| {
        signals
            .items
            .places()
            .with(|places| signals.sections.with(|s| groups(places, s)))
    });
    view! {
        <section class="list" aria-labelledby="list-heading">
            <h2 id="list-heading">"Everything on the board, part by part"</h2>
            <Show
                when=move || !(signals.items.places().with(Vec::is_empty) && signals.sections.with(Vec::is_empty))
                fallback=|| view! { <p class="empty">{empty_text()}</p> }
            >
                <div id="list-view">
                    // Keyed by section, so adding an item redraws only the new line and
                    // never the line someone is typing in.
                    <For
                        each=move || {
                            all.with(|gs| {
                                gs.iter().map(|g| (g.0.clone(), g.1.clone())).collect::<Vec<_>>()
                            })
                        }
                        key=|g| g.clone()
                        let((key, heading))
                    >
                        <ListGroup
                            heading=heading
                            ids=Signal::derive(move || {
                                all.with(|gs| {
                                    gs.iter()
                                        .find(|g| g.0 == key)
                                        .map(|g| g.2.clone())
                                        .unwrap_or_default()
                                })
                            })
                        />
                    </For>
                </div>
            </Show>
        </section>
    }
}

/// One section's heading and its items.
#[component]
fn ListGroup(heading: String, #[prop(into)] ids: Signal<Vec<String>>) -> impl IntoView {
    view! {
        <div class="list-group">
            {(!heading.is_empty()).then(|| view! { <h3>{heading}</h3> })}
            <Show
                when=move || !ids.with(Vec::is_empty)
                fallback=|| view! { <p class="list-empty">"Nothing here yet."</p> }
            >
                <ol>
                    <For each=move || ids.get() key=|id| id.clone() let(id)>
                        <ListItem id=id/>
                    </For>
                </ol>
            </Show>
        </div>
    }
}

#[component]
fn ListItem(id: String) -> impl IntoView {
    let signals = expect_context::<SessionHandle>().signals();
    let item = item_memo(signals, id.clone());
    let selected = record::selected();
    let is_new = new_memo(item);
    let colour = Memo::new(move |_| item.with(|i| i.as_ref().map(colour_of).unwrap_or_default()));
    let kind = item.with_untracked(|i| i.as_ref().map(|i| i.kind.clone()).unwrap_or_default());
    let on_focus = {
        let id = id.clone();
        move |_| {
            if selected.get_untracked().as_deref() != Some(id.as_str()) {
                selected.set(Some(id.clone()));
            }
        }
    };
    view! {
        <li
            data-id=id
            data-kind=kind
            data-new=move || is_new.get().then_some("true")
            class=move || format!("list-item colour-{}", colour.get())
            on:focusin=on_focus
        >
            <ItemBody item=item/>
        </li>
    }
}
