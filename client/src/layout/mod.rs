//! The board page once it is open: the workspace (toolbar, who is here, the chosen view),
//! the side panel and its tabs, and the join dialog.

pub mod join_dialog;
pub mod presence;
pub mod side_panel;
pub mod workspace;
