//! "Download" in the board toolbar: get the plan as a file (PDF, web page, Markdown,
//! JSON or a spreadsheet), with only what was agreed or everything.
//!
//! A toolbar dialog (see `toolbar_dialog`), like the glossary.

pub mod choices;

use leptos::prelude::*;

use crate::exports::choices::DownloadChoices;
use crate::sync::SessionHandle;
use crate::ui::toolbar_dialog::ToolbarDialog;

#[component]
pub fn ExportDialog(session: SessionHandle) -> impl IntoView {
    view! {
        <ToolbarDialog
            name="export"
            dialog_id="export-dialog"
            label="Download"
            heading="Download the plan"
            hint="Get the board as a file to print, share or keep."
        >
            <DownloadChoices
                session=session
                group="export-scope".to_owned()
                status_id="export-status"
            />
        </ToolbarDialog>
    }
}
