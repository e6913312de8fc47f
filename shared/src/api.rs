//! JSON bodies of the REST API, used by the server, the client and the tests.

use serde::{Deserialize, Serialize};

/// Longest board title accepted, in characters.
pub const MAX_TITLE_CHARS: usize = 200;

/// Templates a board can start from. Later issues add the co-production guide's templates.
pub const TEMPLATE_IDS: [&str; 1] = ["blank"];

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
    if !TEMPLATE_IDS.contains(&req.template.as_str()) {
        return Err(format!(
            "Unknown template \"{}\". Valid templates: {}.",
            req.template,
            TEMPLATE_IDS.join(", ")
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
