//! A snapshot opened read-only: every item it held, grouped by section, as it was when it
//! was saved. Nothing here can be changed; to work from a snapshot, a facilitator
//! restores it as a new board.

use coboard_shared::api::SnapshotInfo;
use coboard_shared::schema::{Board, ItemView, SectionView, Status, kind_label};
use leptos::prelude::*;
use yrs::updates::decoder::Decode;
use yrs::{Doc, Transact, Update};

use crate::activity::{iso, when};
use crate::items::field_editor::{choice_label, fields_for};
use crate::items::item_body::reference;

/// One section of an opened snapshot, with its items in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionItems {
    pub title: String,
    pub items: Vec<ItemView>,
}

/// A snapshot that has been fetched and read.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenSnapshot {
    pub info: SnapshotInfo,
    pub sections: Vec<SectionItems>,
    /// Every section, for what structured items are about (a stage, a checklist prompt).
    pub all_sections: Vec<SectionView>,
}

/// Reads a snapshot's state (one Yjs v1 update) into sections of items. A fresh `Doc` is
/// used, so nothing in it can reach the live board.
pub fn read_snapshot(info: SnapshotInfo, state: &[u8]) -> Result<OpenSnapshot, String> {
    let broken = || "This snapshot could not be read. Please try again.".to_owned();
    let doc = Doc::new();
    // Built before any transaction is open: it opens write transactions of its own.
    let board = Board::new(&doc);
    let update = Update::decode_v1(state).map_err(|_| broken())?;
    doc.transact_mut()
        .apply_update(update)
        .map_err(|_| broken())?;
    let txn = doc.transact();
    let mut items = board.read_items(&txn);
    let all_sections = board.read_sections(&txn);
    let mut sections: Vec<SectionItems> = Vec::new();
    for s in all_sections.iter().cloned() {
        let (mine, rest) = items.into_iter().partition(|i| i.section == s.id);
        items = rest;
        sections.push(SectionItems {
            title: s.title,
            items: mine,
        });
    }
    if !items.is_empty() {
        let title = if sections.is_empty() {
            "Notes"
        } else {
            "Other notes"
        };
        sections.push(SectionItems {
            title: title.to_owned(),
            items,
        });
    }
    Ok(OpenSnapshot {
        info,
        sections,
        all_sections,
    })
}

/// "How: Peer researchers" for each filled-in field, with the labels people see on the
/// card and choices in words rather than their stored values.
fn field_lines(item: &ItemView) -> Vec<String> {
    fields_for(&item.kind)
        .iter()
        .filter_map(|f| {
            let v = item.fields.get(f.id)?.trim();
            if v.is_empty() {
                return None;
            }
            Some(format!("{}: {}", f.label, choice_label(f.input, v)))
        })
        .collect()
}

#[component]
pub fn SnapshotView(open: OpenSnapshot, on_close: impl Fn() + Copy + 'static) -> impl IntoView {
    let at = open.info.created_at as f64;
    let all_sections = open.all_sections;
    let sections = open
        .sections
        .into_iter()
        .map(|s| {
            let empty = s.items.is_empty();
            let lines = s
                .items
                .iter()
                .map(|i| {
                    let fields = field_lines(i);
                    let about = reference(i, &all_sections).map(|(name, _)| name);
                    let agreed = match i.status {
                        Status::Draft => None,
                        other => Some(other.label()),
                    };
                    view! {
                        <li data-id=i.id.clone()>
                            <span class="snapshot-kind">{kind_label(&i.kind)}</span>
                            {about.map(|a| view! { " " <span class="snapshot-about">{a}</span> })}
                            {agreed.map(|s| view! { " " <span class="snapshot-status">{s}</span> })}
                            {(!i.text.trim().is_empty()).then(|| view! {
                                <span class="snapshot-text">{i.text.clone()}</span>
                            })}
                            {(!fields.is_empty()).then(|| view! {
                                <ul class="snapshot-fields">
                                    {fields.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}
                                </ul>
                            })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <h4 class="snapshot-section">{s.title}</h4>
                {if empty {
                    view! { <p class="panel-empty">"Nothing here."</p> }.into_any()
                } else {
                    view! { <ul class="snapshot-items">{lines}</ul> }.into_any()
                }}
            }
        })
        .collect_view();
    view! {
        <section id="snapshot-view" class="snapshot-view" aria-labelledby="snapshot-view-heading">
            <div class="snapshot-view-head">
                <h3 id="snapshot-view-heading" tabindex="-1">
                    {format!("Snapshot: {} (read-only)", open.info.name)}
                </h3>
                <button type="button" class="secondary snapshot-view-close" on:click=move |_| on_close()>
                    "Close"
                </button>
            </div>
            <p class="panel-help">
                "How the board looked on "
                <time datetime=iso(at)>{when(at)}</time>
                ". You can read it here but not change it."
            </p>
            {sections}
        </section>
    }
}
