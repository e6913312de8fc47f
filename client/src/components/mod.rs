//! One component per file.

pub mod access_role;
pub mod canvas;
pub mod invite_list;
pub mod invite_panel;
pub mod join_dialog;
pub mod list_view;
pub mod note;
pub mod note_text;
pub mod presence;
pub mod refusal;
pub mod status;
pub mod workspace;
