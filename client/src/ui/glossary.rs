//! "Help: words we use": the glossary, one button away from anywhere on the board.
//!
//! Research and services are full of words that shut people out ("PCIE", "co-applicant").
//! The glossary explains them plainly, so nobody has to ask in front of the group.
//! It opens as a toolbar dialog (see `toolbar_dialog`).

use coboard_shared::templates::GLOSSARY;
use leptos::prelude::*;

use crate::ui::toolbar_dialog::ToolbarDialog;

#[component]
pub fn Glossary() -> impl IntoView {
    view! {
        <ToolbarDialog
            name="glossary"
            dialog_id="glossary"
            label="Help: words we use"
            heading="Words we use"
            hint="What some words on this board mean, in plain English."
        >
            <dl>
                {GLOSSARY
                    .iter()
                    .map(|t| view! { <dt>{t.term}</dt><dd>{t.meaning}</dd> })
                    .collect_view()}
            </dl>
        </ToolbarDialog>
    }
}
