//! What a feature service answers when it does not do what was asked.

use coboard_shared::schema::SchemaError;

use crate::board::{BoardError, EditError};
use crate::store::StoreError;

/// Why a service refused or failed. The messages of the refusals are for people; the
/// failures (`Store`, `Board`, `Json`, `Task`) keep their detail for the logs.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The request is not valid as it stands.
    #[error("{0}")]
    Invalid(String),
    /// What the request names does not exist.
    #[error("{0}")]
    NotFound(&'static str),
    /// The caller's link is valid but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The request conflicts with the board's state (a closed round, a full round).
    #[error("{0}")]
    Conflict(String),
    /// The caller's address has done this too often lately.
    #[error("{0}")]
    TooManyRequests(&'static str),
    /// The store is at `--max-store-bytes`.
    #[error("{0}")]
    StorageFull(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Board(#[from] BoardError),
    /// A record the service wrote itself does not encode or decode.
    #[error("record: {0}")]
    Json(#[from] serde_json::Error),
    /// An export or a download could not be rendered.
    #[error(transparent)]
    Export(#[from] crate::export::ExportError),
    /// A stored copy of a board (a snapshot, the live state) does not decode.
    #[error("stored board state unreadable: {0}")]
    Unreadable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Work handed to a blocking thread did not finish.
    #[error("blocking task: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl From<EditError> for ServiceError {
    /// A refused edit or check on the live board, in people's words.
    fn from(e: EditError) -> Self {
        match e {
            EditError::Refused(SchemaError::NoSuchRound(_)) => {
                ServiceError::NotFound("No round with that id.")
            }
            EditError::Refused(SchemaError::NoSuchItem(_)) => {
                ServiceError::NotFound("No item with that id.")
            }
            EditError::Refused(SchemaError::RoundClosed) => {
                ServiceError::Conflict("This round has closed.".into())
            }
            EditError::Refused(e) => ServiceError::Invalid(e.to_string()),
            EditError::Board(e) => e.into(),
        }
    }
}
