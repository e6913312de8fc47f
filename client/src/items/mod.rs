//! The board's items and sections, in every view: the canvas with its frames and notes,
//! the list, the plan table, and the item's own editors (text, fields, status, outcome,
//! consent).

pub mod agreed_change;
pub mod api;
pub mod bin;
pub mod canvas;
pub mod consent_chooser;
pub mod cursors;
pub mod field_editor;
pub mod frame;
pub mod item_body;
pub mod list_view;
pub mod note;
pub mod note_text;
pub mod outcome;
pub mod placement;
pub mod stage_table;
pub mod status_control;
pub mod your_outcomes;
pub mod zoom;
