//! The one error type at the HTTP edge. It turns every failure into a status and a JSON
//! body with a plain message, and keeps internal details in the logs only.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use coboard_shared::api::ApiError;

use crate::auth::AuthError;
use crate::board::BoardError;
use crate::service::ServiceError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(&'static str),
    #[error("{0}")]
    TooManyRequests(&'static str),
    /// A request the framework rejected (bad JSON, body too large), with its status.
    #[error("{1}")]
    Rejected(StatusCode, String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    /// The store is at `--max-store-bytes`: 507 Insufficient Storage.
    #[error("{0}")]
    StorageFull(&'static str),
    /// The detail is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => AppError::NotFound("No board with that id."),
            StoreError::NotYours => AppError::Forbidden(
                "That ballot was cast from another browser, so it cannot be changed from here."
                    .to_owned(),
            ),
            StoreError::Exists => AppError::Conflict("That exists already.".to_owned()),
            e => AppError::Internal(e.to_string()),
        }
    }
}

impl From<ServiceError> for AppError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid(m) => AppError::BadRequest(m),
            ServiceError::NotFound(m) => AppError::NotFound(m),
            ServiceError::Forbidden(m) => AppError::Forbidden(m),
            ServiceError::Conflict(m) => AppError::Conflict(m),
            ServiceError::TooManyRequests(m) => AppError::TooManyRequests(m),
            ServiceError::StorageFull(m) => AppError::StorageFull(m),
            ServiceError::Store(e) => e.into(),
            ServiceError::Board(BoardError::NotFound) => {
                AppError::NotFound("No board with that id.")
            }
            e => AppError::Internal(e.to_string()),
        }
    }
}

impl From<AuthError> for AppError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::Denied(d) if d.is_unauthenticated() => AppError::Unauthorized(d.to_string()),
            AuthError::Denied(d) => AppError::Forbidden(d.to_string()),
            AuthError::Store(e) => e.into(),
        }
    }
}

impl From<axum::extract::rejection::JsonRejection> for AppError {
    fn from(e: axum::extract::rejection::JsonRejection) -> Self {
        let status = match e.status() {
            StatusCode::PAYLOAD_TOO_LARGE => StatusCode::PAYLOAD_TOO_LARGE,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => StatusCode::BAD_REQUEST,
        };
        AppError::Rejected(
            status,
            format!("The request body is not valid: {}", e.body_text()),
        )
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            AppError::BadRequest(m) => (StatusCode::BAD_REQUEST, m.clone()),
            AppError::NotFound(m) => (StatusCode::NOT_FOUND, (*m).to_owned()),
            AppError::Unauthorized(m) => (StatusCode::UNAUTHORIZED, m.clone()),
            AppError::TooManyRequests(m) => (StatusCode::TOO_MANY_REQUESTS, (*m).to_owned()),
            AppError::Rejected(status, m) => (*status, m.clone()),
            AppError::Forbidden(m) => (StatusCode::FORBIDDEN, m.clone()),
            AppError::Conflict(m) => (StatusCode::CONFLICT, m.clone()),
            AppError::StorageFull(m) => (StatusCode::INSUFFICIENT_STORAGE, (*m).to_owned()),
            AppError::Internal(e) => {
                tracing::error!(error = %e, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on the server.".to_owned(),
                )
            }
        };
        (status, Json(ApiError { error: message })).into_response()
    }
}
