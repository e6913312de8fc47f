//! One field of a structured item: a co-edited text box, or a choice (the approach of a
//! stage, the rung of the ladder). The cards, the list view and the plan table all use
//! it, so a field behaves the same wherever people meet it.

use coboard_shared::schema::ItemView;
use coboard_shared::templates::{Approach, Field, FieldInput, LADDER, REFLECTION_FIELDS};
use coboard_shared::templates::{CHECK_FIELDS, LADDER_FIELDS, STAGE_PLAN_FIELDS};
use leptos::prelude::*;

use crate::activity::record;
use crate::items::note_text::NoteText;
use crate::sync::SessionHandle;

/// The fields an item of this kind is filled in with (none for free-text kinds).
pub fn fields_for(kind: &str) -> &'static [Field] {
    match kind {
        "stageplan" => STAGE_PLAN_FIELDS,
        "check" => CHECK_FIELDS,
        "principle" => REFLECTION_FIELDS,
        "ladder" => LADDER_FIELDS,
        _ => &[],
    }
}

/// What a choice field's stored value means, in plain words.
pub fn choice_label(input: FieldInput, value: &str) -> String {
    match input {
        FieldInput::Approach => Approach::parse(value)
            .unwrap_or(Approach::NotDecided)
            .label()
            .to_owned(),
        FieldInput::Rung => LADDER
            .iter()
            .find(|r| r.id == value)
            .map_or("Not chosen yet".to_owned(), |r| {
                format!("{} ({})", r.name, r.group.label())
            }),
        FieldInput::Text => value.to_owned(),
    }
}

/// The options of a choice field: (stored value, label).
fn options(input: FieldInput) -> Vec<(&'static str, String)> {
    match input {
        FieldInput::Approach => Approach::ALL
            .iter()
            .map(|a| (a.as_str(), a.label().to_owned()))
            .collect(),
        FieldInput::Rung => std::iter::once(("", "Not chosen yet".to_owned()))
            .chain(
                LADDER
                    .iter()
                    .map(|r| (r.id, format!("{} ({})", r.name, r.group.label()))),
            )
            .collect(),
        FieldInput::Text => Vec::new(),
    }
}

#[component]
pub fn FieldEditor(
    /// The item the field belongs to.
    item: Memo<Option<ItemView>>,
    field: &'static Field,
    /// What the field is about, added to its accessible name: "Design stage".
    #[prop(into)]
    about: Signal<String>,
    /// Show the field's name above it (the plan table has column headings instead).
    #[prop(optional)]
    show_label: bool,
) -> impl IntoView {
    let session = expect_context::<SessionHandle>();
    let editable = crate::ui::access_role::my_role().can_edit();
    let me = record::me();
    let id = item.with_untracked(|i| i.as_ref().map(|i| i.id.clone()).unwrap_or_default());
    let value = Signal::derive(move || {
        item.with(|i| {
            i.as_ref()
                .and_then(|i| i.fields.get(field.id).cloned())
                .unwrap_or_default()
        })
    });
    let name = Signal::derive(move || {
        let about = about.get();
        if about.is_empty() {
            field.label.to_owned()
        } else {
            format!("{}: {about}", field.label)
        }
    });
    let class = match field.input {
        FieldInput::Approach => "field-approach",
        FieldInput::Rung => "field-rung",
        FieldInput::Text => "field-input",
    };
    let heading = show_label.then(|| view! { <span class="field-label">{field.label}</span> });

    let control = match field.input {
        FieldInput::Text => {
            view! { <NoteText id=id text=value label=name field=field.id rows=2/> }.into_any()
        }
        _ if !editable => view! {
            <p class="field-value" data-field=field.id>
                {move || choice_label(field.input, &value.get())}
            </p>
        }
        .into_any(),
        input => {
            let on_change = move |e: leptos::ev::Event| {
                let chosen = event_target_value(&e);
                let who = me.get_untracked().map(|i| i.author());
                let detail = format!("{}: {}", field.label, choice_label(input, &chosen));
                session.get().edit(|board, txn| {
                    if board.set_choice(txn, &id, field.id, &chosen).is_ok() {
                        record::edited(board, txn, who.as_ref(), &id, &detail);
                    }
                });
            };
            view! {
                <select
                    class=class
                    data-field=field.id
                    aria-label=move || name.get()
                    on:change=on_change
                >
                    {options(input)
                        .into_iter()
                        .map(|(v, label)| {
                            view! {
                                <option value=v prop:selected=move || value.with(|c| c == v)>
                                    {label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
    };
    let rung_hint = (field.input == FieldInput::Rung).then(|| {
        view! {
            <p class="field-hint">
                {move || {
                    value.with(|v| LADDER.iter().find(|r| r.id == v).map(|r| r.description))
                }}
            </p>
        }
    });
    view! {
        <div class="field">
            {heading}
            {control}
            {rung_hint}
        </div>
    }
}
