//! JSON bodies of the REST API, used by the server, the client and the tests: each
//! defined once, in the module of its feature.

use serde::{Deserialize, Serialize};

pub mod boards;
pub mod handover;
pub mod invites;
pub mod items;
pub mod ledger;
pub mod presence;
pub mod rounds;
pub mod silent;
pub mod snapshots;
pub mod withdraw;

// The types every page needs, by their short names.
pub use boards::{
    AccessRole, BoardAccess, BoardInfo, CreateBoard, CreatedBoard, MAX_TITLE_CHARS, is_board_id,
    validate_create,
};
pub use invites::{
    CreateInvite, CreatedInvite, Invite, MAX_EXPIRY_HOURS, MAX_LABEL_CHARS, invite_url,
};
pub use presence::{Presence, PresentPerson};
pub use snapshots::{
    CreateSnapshot, MAX_SNAPSHOT_NAME_CHARS, RestoreSnapshot, SnapshotInfo, validate_snapshot_name,
};

/// Every error the API returns has this body.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ApiError {
    pub error: String,
}
