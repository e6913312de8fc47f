//! What every handler takes from a request before calling its service: the caller's
//! link, checked for the role the route needs ([`Link`]), and a JSON body whose
//! rejection is an [`AppError`] ([`Body`], [`BodyOrDefault`]).

use std::marker::PhantomData;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use coboard_shared::api::AccessRole;
use serde::de::DeserializeOwned;

use super::AppState;
use crate::auth::{self, AuthError, Denied, Grant};
use crate::error::AppError;
use crate::store::StoreError;

/// The least role a route needs.
pub trait Need: Send + Sync + 'static {
    fn allows(role: AccessRole) -> bool;
}

/// Any valid link of the board: viewers too.
pub struct Viewer;
/// A link that may change the board: contributors and facilitators.
pub struct Contributor;
/// A facilitator's link.
pub struct Facilitator;

impl Need for Viewer {
    fn allows(_: AccessRole) -> bool {
        true
    }
}

impl Need for Contributor {
    fn allows(role: AccessRole) -> bool {
        role.can_edit()
    }
}

impl Need for Facilitator {
    fn allows(role: AccessRole) -> bool {
        role.can_manage()
    }
}

/// The board a request names (the route's `{id}`), and the caller's link, checked for at
/// least the role `N`. The token comes from `Authorization: Bearer`, never the URL.
pub struct Link<N: Need> {
    pub board: String,
    pub grant: Grant,
    need: PhantomData<N>,
}

impl<N: Need> FromRequestParts<AppState> for Link<N> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|e| AppError::Internal(format!("route without a board id: {e}")))?;
        let board = (params.iter())
            .find_map(|(name, value)| (name == "id").then(|| value.to_owned()))
            .ok_or_else(|| AppError::Internal("route without a board id".into()))?;
        let token = auth::bearer(&parts.headers);
        let store = &*state.store;
        let grant = match auth::authorize(store, &board, token, crate::now_ms(), N::allows).await {
            Ok(grant) => grant,
            // A valid link of another board, used on a board id that does not exist, gets
            // 404: the holder is someone we know, and "no such board" helps them more than
            // "wrong board" (ids are 128 random bits, so it reveals nothing worth probing).
            Err(AuthError::Denied(Denied::WrongBoard)) => match store.board_info(&board).await {
                Err(StoreError::NotFound(_)) => {
                    return Err(AppError::NotFound("No board with that id."));
                }
                _ => return Err(AuthError::Denied(Denied::WrongBoard).into()),
            },
            Err(e) => return Err(e.into()),
        };
        Ok(Link {
            board,
            grant,
            need: PhantomData,
        })
    }
}

/// A JSON body; a body that is not valid JSON of the right shape is a 400 (or 413, 415)
/// with the one error body every route uses.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let Json(value) = Json::<T>::from_request(req, state).await?;
        Ok(Body(value))
    }
}

/// A JSON body that may be left out: a request without a JSON content type gets
/// `T::default()` (a facilitator's withdrawal needs no key; a restore may keep the old
/// title).
pub struct BodyOrDefault<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for BodyOrDefault<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(BodyOrDefault(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Ok(BodyOrDefault(T::default())),
            Err(e) => Err(e.into()),
        }
    }
}
