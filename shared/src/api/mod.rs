//! JSON bodies of the REST API, used by the server, the client and the tests. Each is
//! defined here once. Boards, invites, snapshots and presence are below; each other
//! feature has its own module.

use serde::{Deserialize, Serialize};

pub mod handover;
pub mod ledger;
pub mod rounds;
pub mod silent;
pub mod withdraw;

/// Longest board title accepted, in characters.
pub const MAX_TITLE_CHARS: usize = 200;

/// `POST /api/boards`
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CreateBoard {
    pub title: String,
    #[serde(default = "default_template")]
    pub template: String,
}

fn default_template() -> String {
    "blank".to_owned()
}

/// Board metadata: the answer to `POST /api/boards` (201) and `GET /api/boards/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BoardInfo {
    pub id: String,
    pub title: String,
    pub template: String,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    /// Path of the board page, relative to the server's origin.
    pub url: String,
}

impl BoardInfo {
    /// A board's details, with its page's path worked out from its id.
    pub fn new(id: String, title: String, template: String, created_at: i64) -> Self {
        Self {
            url: format!("/b/{id}"),
            id,
            title,
            template,
            created_at,
        }
    }
}

/// What an invite link lets its holder do on a board. Checked by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccessRole {
    /// Sees and edits everything, and manages invites (later: rounds, snapshots, exports).
    Facilitator,
    /// Sees and edits the board's content.
    Contributor,
    /// Sees everything, changes nothing.
    Viewer,
}

impl AccessRole {
    pub const ALL: [AccessRole; 3] = [Self::Facilitator, Self::Contributor, Self::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Facilitator => "facilitator",
            Self::Contributor => "contributor",
            Self::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// May change the board's content.
    pub fn can_edit(self) -> bool {
        !matches!(self, Self::Viewer)
    }

    /// May create and revoke invites.
    pub fn can_manage(self) -> bool {
        matches!(self, Self::Facilitator)
    }

    /// Plain-English description for the UI.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Facilitator => "can edit, and can invite people and remove their links",
            Self::Contributor => "can add and edit notes",
            Self::Viewer => "can see the board but not change it",
        }
    }
}

/// The answer to `POST /api/boards` (201): the board, and the creator's facilitator link.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CreatedBoard {
    #[serde(flatten)]
    pub board: BoardInfo,
    /// The creator's secret; also inside `share_url`. Shown once, stored only hashed.
    pub facilitator_token: String,
    /// `/b/{id}#token=...`: the token sits in the fragment, which browsers never send to
    /// servers or put in `Referer` headers.
    pub share_url: String,
}

/// `GET /api/boards/{id}`: the board and what the caller's token allows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BoardAccess {
    #[serde(flatten)]
    pub board: BoardInfo,
    pub role: AccessRole,
}

/// `POST /api/boards/{id}/invites`
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CreateInvite {
    pub role: AccessRole,
    /// The link stops working after this many hours; absent: it never expires.
    #[serde(default)]
    pub expires_in_hours: Option<u32>,
    /// A note for the facilitator, such as "public members' group".
    #[serde(default)]
    pub label: Option<String>,
}

/// Longest invite label accepted, in characters.
pub const MAX_LABEL_CHARS: usize = 100;
/// Longest expiry accepted: a year.
pub const MAX_EXPIRY_HOURS: u32 = 24 * 366;

/// An invite as listed by `GET /api/boards/{id}/invites` (never with its token).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Invite {
    pub id: String,
    pub role: AccessRole,
    pub label: String,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked: bool,
}

/// The answer to `POST /api/boards/{id}/invites` (201): the only time the token is shown.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CreatedInvite {
    #[serde(flatten)]
    pub invite: Invite,
    pub token: String,
    /// `/b/{id}#token=...`
    pub url: String,
}

/// The board page's path with a token in its fragment.
pub fn invite_url(board: &str, token: &str) -> String {
    format!("/b/{board}#token={token}")
}

/// Every error the API returns has this body.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ApiError {
    pub error: String,
}

/// Checks a create request; the message is shown to people, so it is plain English.
pub fn validate_create(req: &CreateBoard) -> Result<(), String> {
    let title = req.title.trim();
    if title.is_empty() {
        return Err("Please give the board a title.".to_owned());
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(format!(
            "The title is too long: at most {MAX_TITLE_CHARS} characters."
        ));
    }
    if crate::templates::get(&req.template).is_none() {
        return Err(format!(
            "Unknown template \"{}\". Valid templates: {}.",
            req.template,
            crate::templates::ids().collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(())
}

/// Board ids are 32 lowercase hex digits (128 random bits).
pub fn is_board_id(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Longest snapshot name accepted, in characters.
pub const MAX_SNAPSHOT_NAME_CHARS: usize = 120;

/// `POST /api/boards/{id}/snapshots`
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CreateSnapshot {
    /// Such as "Agreed at meeting 3".
    pub name: String,
}

/// A named snapshot: the whole board as it was at one moment.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SnapshotInfo {
    pub id: String,
    pub name: String,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
    /// Taken by the server because something was agreed, rather than by a person.
    pub auto: bool,
    /// Size of the stored copy, in bytes.
    pub bytes: u64,
}

/// `POST /api/boards/{id}/snapshots/{snapshot}/restore`
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct RestoreSnapshot {
    /// The new board's title; by default the old title with the snapshot's name.
    #[serde(default)]
    pub title: Option<String>,
}

/// Checks a snapshot name; the message is shown to people.
pub fn validate_snapshot_name(name: &str) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Please give the snapshot a name, such as \"Agreed at meeting 3\".".to_owned());
    }
    if name.chars().count() > MAX_SNAPSHOT_NAME_CHARS {
        return Err(format!(
            "The name is too long: at most {MAX_SNAPSHOT_NAME_CHARS} characters."
        ));
    }
    Ok(())
}

/// One person connected to a board, as `GET /api/boards/{id}/presence` lists them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PresentPerson {
    /// The name they show; `None` until their client says, or when they joined anonymously.
    pub name: Option<String>,
    pub anonymous: bool,
    /// The role of the invite they came in with.
    pub role: AccessRole,
    /// The server instance holding their connection.
    pub instance: String,
    /// When they connected (ms since the Unix epoch).
    pub since: i64,
    /// Their last edit or presence change (ms since the Unix epoch).
    pub last_active: i64,
    /// Their per-board person id, as their client publishes it ("" if it has not).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub person: String,
}

/// Who is on a board right now.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Presence {
    /// `"cluster"`: every instance, from Redis. `"local"`: only the instance that answered
    /// (there is no Redis, or it cannot be reached).
    pub source: String,
    pub people: Vec<PresentPerson>,
}
