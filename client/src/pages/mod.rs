//! One file per page.

pub mod board;
pub mod home;
pub mod not_found;
