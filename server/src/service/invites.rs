//! Invite links: made, listed and switched off by facilitators (`crate::auth` checks
//! them).

use coboard_shared::api::{self, AccessRole, CreateInvite, CreatedInvite, Invite};

use super::{Core, ServiceError};
use crate::store::{StoreError, StoredInvite};
use crate::{auth, ids, now_ms};

/// A new invite and its token (the token is shown once and stored only hashed).
pub fn new_invite(
    board: &str,
    role: AccessRole,
    label: String,
    expires_at: Option<i64>,
) -> (StoredInvite, String) {
    let token = auth::new_token();
    let invite = StoredInvite {
        invite: Invite {
            id: ids::invite(),
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

/// A board's invite links.
#[derive(Clone)]
pub struct Invites {
    core: Core,
}

impl Invites {
    pub fn new(core: Core) -> Self {
        Self { core }
    }

    /// Makes a link as a facilitator asked for it.
    pub async fn create(
        &self,
        board: &str,
        req: CreateInvite,
    ) -> Result<CreatedInvite, ServiceError> {
        let label = req.label.unwrap_or_default().trim().to_owned();
        if label.chars().count() > api::MAX_LABEL_CHARS {
            return Err(ServiceError::Invalid(format!(
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
                return Err(ServiceError::Invalid(format!(
                    "expires_in_hours must be between 1 and {}.",
                    api::MAX_EXPIRY_HOURS
                )));
            }
        };
        self.create_link(board, req.role, label, expires_at).await
    }

    /// Makes and stores a link; the answer is the only time its token is shown.
    pub(super) async fn create_link(
        &self,
        board: &str,
        role: AccessRole,
        label: String,
        expires_at: Option<i64>,
    ) -> Result<CreatedInvite, ServiceError> {
        let (invite, token) = new_invite(board, role, label, expires_at);
        self.core.store.create_invite(&invite).await?;
        tracing::info!(board, invite = %invite.invite.id, role = role.as_str(), "invite created");
        Ok(CreatedInvite {
            url: api::invite_url(board, &token),
            invite: invite.invite,
            token,
        })
    }

    /// Every link of the board, oldest first (never with a token).
    pub async fn list(&self, board: &str) -> Result<Vec<Invite>, ServiceError> {
        Ok(self.core.store.list_invites(board).await?)
    }

    /// Switches a link off for good and closes its connections on every instance.
    pub async fn revoke(&self, board: &str, invite: &str) -> Result<(), ServiceError> {
        (self.core.store)
            .revoke_invite(board, invite, now_ms())
            .await
            .map_err(|e| match e {
                StoreError::NotFound(_) => ServiceError::NotFound("No invite with that id."),
                e => e.into(),
            })?;
        self.core.registry.revoke(board, invite).await;
        tracing::info!(board, invite, "invite revoked");
        Ok(())
    }
}
