//! Small widgets and helpers the features share: what my link lets me do, the
//! connection status, a toolbar dialog, the glossary, the refusal page, and text helpers.

pub mod access_role;
pub mod device_panel;
pub mod glossary;
pub mod refusal;
pub mod status;
pub mod text;
pub mod toolbar_dialog;
