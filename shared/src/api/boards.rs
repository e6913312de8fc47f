//! Boards: creating one, and what a link may do on it.

use serde::{Deserialize, Serialize};

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
