//! The plan table: every stage plan on the board as one row, in project order, with a
//! column per thing to decide. It is the same information as the stage plan cards, laid
//! out the way the co-production guide draws it, so a group can see the whole plan at
//! once and spot the stages where the public have no say yet. Cells are edited in place,
//! with the same co-editing as the cards.

use coboard_shared::templates::{STAGE_PLAN_FIELDS, Stage};
use leptos::prelude::*;

use crate::activity::record;
use crate::items::field_editor::FieldEditor;
use crate::items::item_body::stage_of;
use crate::items::note::item_memo;
use crate::sync::{SessionHandle, Signals};

#[component]
pub fn StageTable(signals: Signals) -> impl IntoView {
    // (item id, stage label), in the order of the project's stages.
    let rows = Memo::new(move |_| {
        signals.items.with(|items| {
            signals.sections.with(|sections| {
                let mut rows: Vec<(usize, String, String)> = items
                    .iter()
                    .filter(|i| i.kind == "stageplan")
                    .map(|i| {
                        let stage = stage_of(i, sections);
                        let order = stage
                            .and_then(|s| Stage::ALL.iter().position(|x| *x == s))
                            .unwrap_or(Stage::ALL.len());
                        let label = stage.map_or("Other stage", Stage::label).to_owned();
                        (order, i.id.clone(), label)
                    })
                    .collect();
                rows.sort();
                rows.into_iter()
                    .map(|(_, id, label)| (id, label))
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        <section class="plan-table" aria-labelledby="plan-table-heading">
            <h2 id="plan-table-heading">"Plan table: who takes part at each stage"</h2>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=|| view! {
                    <p class="empty">
                        "This board has no stage plans. Boards made from the “Co-production \
                         project plan” template have one for each stage of the work."
                    </p>
                }
            >
                <div class="table-scroll">
                    <table id="stage-table">
                        <thead>
                            <tr>
                                <th scope="col">"Stage"</th>
                                {STAGE_PLAN_FIELDS
                                    .iter()
                                    .map(|f| view! { <th scope="col">{f.label}</th> })
                                    .collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || rows.get() key=|row| row.clone() let((id, stage))>
                                <StageRow id=id stage=stage/>
                            </For>
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}

/// One stage's row.
#[component]
fn StageRow(id: String, stage: String) -> impl IntoView {
    let session = expect_context::<SessionHandle>();
    let item = item_memo(session.signals(), id.clone());
    let selected = record::selected();
    let about = Signal::stored(format!("{stage} stage"));
    // Only the fields this plan really has: another app may have made it without some.
    let has_field = move |field: &str| {
        item.with_untracked(|i| i.as_ref().is_some_and(|i| i.fields.contains_key(field)))
    };
    let on_focus = {
        let id = id.clone();
        move |_| {
            if selected.get_untracked().as_deref() != Some(id.as_str()) {
                selected.set(Some(id.clone()));
            }
        }
    };
    view! {
        <tr data-id=id on:focusin=on_focus>
            <th scope="row">{stage}</th>
            {STAGE_PLAN_FIELDS
                .iter()
                .map(|f| {
                    let has = has_field(f.id);
                    view! {
                        <td>
                            {has.then(|| view! { <FieldEditor item=item field=f about=about/> })}
                        </td>
                    }
                })
                .collect_view()}
        </tr>
    }
}
