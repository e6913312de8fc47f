//! One component per file.

pub mod canvas;
pub mod join_dialog;
pub mod list_view;
pub mod note;
pub mod note_text;
pub mod presence;
pub mod status;
