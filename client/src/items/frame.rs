//! One section of the board's template, drawn as a frame behind its items: a heading, a
//! "What goes here?" button that opens the template's help and prompts, and, for
//! sections people fill with their own items, an "Add" button that puts a new item in
//! the first free spot inside the frame.
//!
//! The help is there because many people on a co-production board are new to research:
//! each section says in plain words what belongs in it, and offers questions to start
//! the talk.

use coboard_shared::schema::{Action, NewItem, SectionView, kind_for_section};
use coboard_shared::templates::{self, SectionKind};
use leptos::prelude::*;

use crate::activity::record;
use crate::items::field_editor::fields_for;
use crate::items::placement;
use crate::sync::SessionHandle;

/// The section kind a wire name stands for; unknown kinds show as plain notes.
pub fn section_kind(name: &str) -> SectionKind {
    SectionKind::ALL
        .into_iter()
        .find(|k| k.as_str() == name)
        .unwrap_or(SectionKind::Notes)
}

/// The "Add" button's words for sections people add their own items to; `None` for the
/// others (a stage plan or a checklist already has its cards; voting has its own panel).
fn add_label(kind: SectionKind) -> Option<&'static str> {
    Some(match kind {
        SectionKind::Aims => "Add an aim",
        SectionKind::Priorities => "Add a priority",
        SectionKind::Question => "Add a question",
        SectionKind::Ideas => "Add an idea",
        SectionKind::Decisions => "Add a decision",
        SectionKind::GroundRules => "Add a ground rule",
        SectionKind::Review => "Add a reflection",
        SectionKind::Notes => "Add a note",
        _ => return None,
    })
}

/// A colour per kind, so aims, questions and decisions are easy to tell apart at a glance
/// (the kind is also written on every card, so colour is never the only sign).
fn colour_for(kind: SectionKind) -> &'static str {
    match kind {
        SectionKind::Aims => "green",
        SectionKind::Priorities => "orange",
        SectionKind::Question | SectionKind::Review => "blue",
        SectionKind::Decisions => "purple",
        SectionKind::GroundRules => "pink",
        _ => "yellow",
    }
}

/// A section id made safe for use in element ids.
fn dom_id(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

#[component]
pub fn Frame(section: SectionView) -> impl IntoView {
    let session = expect_context::<SessionHandle>();
    let signals = session.signals();
    let editable = crate::ui::access_role::my_role().can_edit();
    let me = record::me();
    let selected = record::selected();
    let kind = section_kind(&section.kind);
    let key = dom_id(&section.id);
    let (title_id, help_id) = (format!("frame-{key}-title"), format!("frame-{key}-help"));
    let open = RwSignal::new(false);
    let height = {
        let s = section.clone();
        Memo::new(move |_| {
            signals
                .items
                .places()
                .with(|places| placement::frame_height(&s, places))
        })
    };

    let add = add_label(kind).filter(|_| editable).map(|label| {
        let s = section.clone();
        let on_add = move |_| {
            let Some(person) = me.get_untracked() else {
                return;
            };
            let who = person.author();
            let grid = placement::frame_grid(&s);
            let (x, y) = signals
                .items
                .places()
                .with_untracked(|places| placement::free_spot(places, grid));
            let id = crate::dom::random_hex(2);
            let new = NewItem {
                kind: kind_for_section(kind).to_owned(),
                section: s.id.clone(),
                x,
                y,
                colour: colour_for(kind).to_owned(),
                author: who.clone(),
                created_at: record::now(),
                // So that I can withdraw it later: see `Identity::item_key`.
                author_key: person.item_author_key(session.get().board_id(), &id),
                ..NewItem::default()
            };
            session.get().add(|board, txn| {
                board.add_item(txn, &id, &new);
                record::log(board, txn, &who, Action::Added, &id, "");
            });
            selected.set(Some(id.clone()));
            crate::dom::focus_later(format!("[data-id=\"{id}\"] textarea"));
        };
        view! {
            <button type="button" class="frame-add" on:click=on_add>
                {label}
                <span class="visually-hidden">{format!(" to “{}”", section.title)}</span>
            </button>
        }
    });

    let help_panel = {
        let help_id = help_id.clone();
        let section_id = section.id.clone();
        move || {
            // Looked up when opened, so it is right even if the board's template arrived
            // after its sections.
            // A ground-rules section added to a board whose template has none takes
            // its help from the co-production plan, where it comes from.
            let help = templates::get(&signals.template.get_untracked())
                .and_then(|t| t.section(&section_id))
                .or_else(|| {
                    (section_id == coboard_shared::schema::GROUND_RULES)
                        .then(|| templates::get("coproduction-plan")?.section(&section_id))
                        .flatten()
                });
            let text = help.map(|h| h.help).unwrap_or(
                "This part of the board has no help text. Add notes as the group likes.",
            );
            let prompts = help.map(|h| h.prompts).unwrap_or_default();
            let fields = help
                .map(|h| fields_for(kind_for_section(h.kind)))
                .unwrap_or_default();
            view! {
                <div id=help_id.clone() class="frame-help-text">
                    <p>{text}</p>
                    {(!prompts.is_empty()).then(|| view! {
                        <p class="frame-help-sub">"Questions to get you started:"</p>
                        <ul>{prompts.iter().map(|p| view! { <li>{*p}</li> }).collect_view()}</ul>
                    })}
                    {(!fields.is_empty()).then(|| view! {
                        <p class="frame-help-sub">"What to fill in:"</p>
                        <dl>
                            {fields
                                .iter()
                                .map(|f| view! { <dt>{f.label}</dt><dd>{f.help}</dd> })
                                .collect_view()}
                        </dl>
                    })}
                </div>
            }
        }
    };

    view! {
        <div
            class="frame"
            data-section=section.id.clone()
            data-kind=section.kind.clone()
            style:left=format!("{}px", section.x)
            style:top=format!("{}px", section.y)
            style:width=format!("{}px", section.w)
            style:height=move || format!("{}px", height.get())
        >
            <div class="frame-head">
                <h2 id=title_id class="frame-title">{section.title.clone()}</h2>
                <button
                    type="button"
                    class="frame-help"
                    aria-expanded=move || open.get().to_string()
                    aria-controls=move || open.get().then(|| help_id.clone())
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    "What goes here?"
                    <span class="visually-hidden">{format!(" ({})", section.title)}</span>
                </button>
                {add}
            </div>
            <Show when=move || open.get()>{help_panel.clone()}</Show>
        </div>
    }
}
