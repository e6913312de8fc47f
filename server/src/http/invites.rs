//! Invite links: making, listing and switching them off (facilitators only).

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use coboard_shared::api::{self, AccessRole, CreateInvite, CreatedInvite, Invite};

use super::{AppState, grant};
use crate::auth;
use crate::error::AppError;
use crate::now_ms;
use crate::store::StoredInvite;

/// A new invite for `board`, ready to store, and its token (shown once, never stored).
pub(super) fn new_invite(
    board: &str,
    role: AccessRole,
    label: String,
    expires_at: Option<i64>,
) -> (StoredInvite, String) {
    let token = auth::new_token();
    let invite = StoredInvite {
        invite: Invite {
            id: auth::new_invite_id(),
            role,
            label,
            created_at: now_ms(),
            expires_at,
            revoked: false,
        },
        board_id: board.to_owned(),
        token_hash: auth::hash_token(&token),
    };
    (invite, token)
}

pub(super) async fn create_invite(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<CreateInvite>, JsonRejection>,
) -> Result<(StatusCode, Json<CreatedInvite>), AppError> {
    grant(&state, &id, &headers, AccessRole::can_manage).await?;
    let Json(req) = body?;
    let label = req.label.unwrap_or_default().trim().to_owned();
    if label.chars().count() > api::MAX_LABEL_CHARS {
        return Err(AppError::BadRequest(format!(
            "The label is too long: at most {} characters.",
            api::MAX_LABEL_CHARS
        )));
    }
    let expires_at = match req.expires_in_hours {
        None => None,
        Some(h) if (1..=api::MAX_EXPIRY_HOURS).contains(&h) => {
            Some(now_ms() + i64::from(h) * 3_600_000)
        }
        Some(_) => {
            return Err(AppError::BadRequest(format!(
                "expires_in_hours must be between 1 and {}.",
                api::MAX_EXPIRY_HOURS
            )));
        }
    };
    let (invite, token) = new_invite(&id, req.role, label, expires_at);
    state.store.create_invite(&invite).await?;
    tracing::info!(board = %id, invite = %invite.invite.id, role = req.role.as_str(), "invite created");
    Ok((
        StatusCode::CREATED,
        Json(CreatedInvite {
            url: api::invite_url(&id, &token),
            invite: invite.invite,
            token,
        }),
    ))
}

pub(super) async fn list_invites(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Vec<Invite>>, AppError> {
    grant(&state, &id, &headers, AccessRole::can_manage).await?;
    Ok(Json(state.store.list_invites(&id).await?))
}

pub(super) async fn revoke_invite(
    State(state): State<AppState>,
    Path((id, invite)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<StatusCode, AppError> {
    grant(&state, &id, &headers, AccessRole::can_manage).await?;
    state
        .store
        .revoke_invite(&id, &invite, now_ms())
        .await
        .map_err(|e| match e {
            crate::store::StoreError::NotFound(_) => AppError::NotFound("No invite with that id."),
            e => e.into(),
        })?;
    // People already on the board with this link are disconnected now, not at their next visit.
    state.registry.revoke(&id, &invite).await;
    tracing::info!(board = %id, invite = %invite, "invite revoked");
    Ok(StatusCode::NO_CONTENT)
}
