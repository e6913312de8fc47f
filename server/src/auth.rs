//! Capability links: no accounts, only unguessable invite tokens.
//!
//! A token is 192 random bits, shown once and stored only as its SHA-256 hash, so a copy
//! of the database grants nothing. Lookup is by hash; the stored hash is then compared in
//! constant time, so nothing about a token leaks through timing. Each token belongs to one
//! board and carries one [`AccessRole`]; it may expire and may be revoked.

use axum::http::HeaderMap;
use coboard_shared::api::AccessRole;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::store::{Store, StoreError};

/// What a valid token grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub invite_id: String,
    pub role: AccessRole,
    /// The hash of the token that was checked, so a live connection can check it again.
    pub token_hash: [u8; 32],
}

/// Why a token was refused. `Missing` and `Unknown` are "who are you?" (401/4401); the
/// others are "you may not" (403/4403).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("This board needs an invite link; none was given.")]
    Missing,
    #[error("This invite link is not valid.")]
    Unknown,
    #[error("This invite link is for a different board.")]
    WrongBoard,
    #[error("This invite link has been switched off.")]
    Revoked,
    #[error("This invite link has expired.")]
    Expired,
    #[error("Your invite link does not allow this.")]
    NotAllowed,
}

impl Denied {
    /// True for "who are you?" refusals, false for "you may not".
    pub fn is_unauthenticated(&self) -> bool {
        matches!(self, Denied::Missing | Denied::Unknown)
    }
}

/// Errors from checking a token: a refusal, or the store failing.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A fresh token: 24 random bytes as 48 hex digits.
pub fn new_token() -> String {
    hex::encode(rand::random::<[u8; 24]>())
}

pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The token from `Authorization: Bearer <token>`, if present.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Checks `token` for `board` at time `now_ms`, requiring at least what `need` says.
pub async fn authorize(
    store: &dyn Store,
    board: &str,
    token: Option<&str>,
    now_ms: i64,
    need: impl Fn(AccessRole) -> bool,
) -> Result<Grant, AuthError> {
    let token = token.filter(|t| !t.is_empty()).ok_or(Denied::Missing)?;
    // Tokens are fixed-length hex; anything else is not worth a lookup.
    if token.len() > 128 {
        return Err(Denied::Unknown.into());
    }
    check_hash(store, board, hash_token(token), now_ms, need).await
}

/// Checks the token whose hash is `hash` again (a live connection's, which may have been
/// revoked or expired since it joined).
pub async fn check_hash(
    store: &dyn Store,
    board: &str,
    hash: [u8; 32],
    now_ms: i64,
    need: impl Fn(AccessRole) -> bool,
) -> Result<Grant, AuthError> {
    let found = store.find_invite(hash).await?.ok_or(Denied::Unknown)?;
    if !bool::from(found.token_hash.ct_eq(&hash)) {
        return Err(Denied::Unknown.into());
    }
    if found.board_id != board {
        return Err(Denied::WrongBoard.into());
    }
    if found.invite.revoked {
        return Err(Denied::Revoked.into());
    }
    if found.invite.expires_at.is_some_and(|t| t <= now_ms) {
        return Err(Denied::Expired.into());
    }
    if !need(found.invite.role) {
        return Err(Denied::NotAllowed.into());
    }
    Ok(Grant {
        invite_id: found.invite.id,
        role: found.invite.role,
        token_hash: hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn tokens_are_long_random_and_hash_stably() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 48);
        assert_ne!(a, b);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), hash_token(&b));
    }

    #[test]
    fn bearer_header_parsing() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer(&h), None);
        h.insert("authorization", HeaderValue::from_static("Bearer abc"));
        assert_eq!(bearer(&h), Some("abc"));
        h.insert("authorization", HeaderValue::from_static("bearer  abc "));
        assert_eq!(bearer(&h), Some("abc"));
        h.insert("authorization", HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&h), None);
        h.insert("authorization", HeaderValue::from_static("Bearer "));
        assert_eq!(bearer(&h), None);
    }
}
