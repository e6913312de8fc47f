//! Creating a board, and opening one.

use coboard_shared::api::{BoardAccess, CreateBoard, CreatedBoard};

use super::{Failure, NO_BODY, call};
use crate::token;

/// Creates a board from a template (`"blank"` for none); the answer carries the
/// facilitator's link.
pub async fn create(title: &str, template: &str) -> Result<CreatedBoard, Failure> {
    let req = CreateBoard {
        title: title.to_owned(),
        template: template.to_owned(),
    };
    let what = "The board could not be created";
    call("POST", "/api/boards", None, Some(&req), what).await
}

/// The board and what my token lets me do on it. A refusal or a missing board is told in
/// the words the board page shows for them.
pub async fn access(board_id: &str, token: &str) -> Result<BoardAccess, Failure> {
    let path = format!("/api/boards/{board_id}");
    let what = "The board could not be opened";
    call("GET", &path, Some(token), NO_BODY, what)
        .await
        .map_err(|f| {
            let message = match f.status {
                401 => token::NOT_VALID,
                403 => token::SWITCHED_OFF,
                404 => token::NO_SUCH_BOARD,
                _ => return f,
            };
            Failure {
                message: message.to_owned(),
                ..f
            }
        })
}
