//! The inside of an item, shared by the canvas card and the list view: what kind of item
//! it is, what it is about (a stage, a checklist question, a principle), its text, its
//! fields, its status and who wrote it.
//!
//! Keeping one body for both views means a screen reader user in the list view can do
//! everything a pointer user does on the canvas.

use coboard_shared::schema::{ItemView, SectionView, Status, kind_label};
use coboard_shared::templates::{ARC_WEST_PROMPTS, INVOLVE_PRINCIPLES, NESTA_PRINCIPLES, Stage};
use leptos::prelude::*;

use crate::items::field_editor::{FieldEditor, fields_for};
use crate::items::note_text::NoteText;
use crate::items::status_control::{StatusControl, date_label};
use crate::sync::SessionHandle;

/// The stage a stage plan item is for, from its section.
pub fn stage_of(item: &ItemView, sections: &[SectionView]) -> Option<Stage> {
    sections
        .iter()
        .find(|s| s.id == item.section)
        .and_then(|s| s.stage.as_deref())
        .and_then(Stage::parse)
}

/// What a structured item is about: (name, explanation). `None` for free-text kinds.
pub fn reference(item: &ItemView, sections: &[SectionView]) -> Option<(String, String)> {
    let pair = |a: &str, b: &str| Some((a.to_owned(), b.to_owned()));
    match item.kind.as_str() {
        "stageplan" => {
            let stage = stage_of(item, sections)?;
            pair(stage.label(), stage.description())
        }
        "check" => ARC_WEST_PROMPTS
            .iter()
            .find(|c| c.id == item.reference)
            .and_then(|c| pair(c.name, c.explanation)),
        "principle" => INVOLVE_PRINCIPLES
            .iter()
            .chain(NESTA_PRINCIPLES)
            .find(|p| p.id == item.reference)
            .and_then(|p| pair(p.name, p.explanation)),
        _ => None,
    }
}

/// Whether to mark an item "New" for me: changed since my last visit, by someone else.
/// Read by the card, the list line and the body's "New" badge.
pub fn new_memo(item: Memo<Option<ItemView>>) -> Memo<bool> {
    let session = expect_context::<SessionHandle>();
    let board_id = session.get().board_id().to_owned();
    let me = crate::activity::record::me();
    Memo::new(move |_| {
        item.with(|i| {
            i.as_ref().is_some_and(|i| {
                me.with(|me| crate::activity::seen::is_new_for(&board_id, i, me.as_ref()))
            })
        })
    })
}

/// A short name for an item, for accessible names: "Stage plan: Design", "Aim".
pub fn item_name(item: &ItemView, sections: &[SectionView]) -> String {
    match reference(item, sections) {
        Some((name, _)) => format!("{}: {name}", kind_label(&item.kind)),
        None => kind_label(&item.kind).to_owned(),
    }
}

#[component]
pub fn ItemBody(item: Memo<Option<ItemView>>) -> impl IntoView {
    let signals = expect_context::<SessionHandle>().signals();
    let (id, kind, field_ids) = item.with_untracked(|i| {
        i.as_ref().map_or_else(Default::default, |i| {
            (
                i.id.clone(),
                i.kind.clone(),
                i.fields.keys().cloned().collect::<Vec<_>>(),
            )
        })
    });
    let structured = !fields_for(&kind).is_empty();
    let is_new = new_memo(item);
    let about = Memo::new(move |_| {
        item.with(|i| {
            signals
                .sections
                .with(|s| i.as_ref().and_then(|i| reference(i, s)))
        })
    });
    let byline =
        Memo::new(move |_| item.with(|i| i.as_ref().map(author_label).unwrap_or_default()));
    let text = Signal::derive(move || {
        item.with(|i| i.as_ref().map(|i| i.text.clone()).unwrap_or_default())
    });
    let kind_name = kind_label(&kind);
    let text_label = Signal::derive(move || match about.get() {
        Some((name, _)) => format!("Summary, {kind_name}: {name}"),
        None => format!("{kind_name} by {}", byline.get()),
    });
    let ref_name = Signal::derive(move || about.get().map(|a| a.0).unwrap_or_default());
    let agreed = move || {
        item.with(|i| {
            let i = i.as_ref()?;
            (i.status == Status::Agreed).then(|| {
                let at = i.decision.as_ref().map_or(i.updated_at, |d| d.at);
                format!(" on {}", date_label(at))
            })
        })
    };
    // Only the fields this item really has: another app may have made it without some.
    let fields = fields_for(&kind)
        .iter()
        .filter(|f| field_ids.iter().any(|k| k == f.id))
        .map(|f| view! { <FieldEditor item=item field=f about=ref_name show_label=true/> })
        .collect_view();

    view! {
        <div class="item-head">
            <span class="kind-label">{kind_name}</span>
            <Show when=move || is_new.get()>
                <crate::activity::seen::NewMarker/>
            </Show>
            {move || agreed().map(|on| view! {
                <span class="agreed">
                    <span class="badge-agreed">"Agreed"</span>
                    {on}
                </span>
            })}
            <Show when=move || item.with(|i| i.as_ref().is_some_and(ItemView::changed_since_agreed))>
                <span class="changed-since-agreed">"Changed since agreed — not yet agreed"</span>
            </Show>
        </div>
        {move || about.get().map(|(name, explanation)| view! {
            <p class="ref-name">{name}</p>
            <p class="ref-explain">{explanation}</p>
        })}
        {structured.then(|| view! { <span class="field-label">"Summary"</span> })}
        <NoteText id=id text=text label=text_label/>
        {structured.then(|| view! { <div class="fields">{fields}</div> })}
        <div class="item-foot">
            <StatusControl item=item/>
            <p class="byline">{move || byline.get()}</p>
        </div>
    }
}

/// "Asha (Public member)", "Anonymous (Professional)" or, for what the template made,
/// "From the template": for labels and bylines.
pub fn author_label(item: &ItemView) -> String {
    if item.seeded {
        return "From the template".to_owned();
    }
    let name = item.author.display().trim();
    let name = if name.is_empty() { "Anonymous" } else { name };
    format!("{name} ({})", item.author.role.label())
}
