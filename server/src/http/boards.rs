//! Boards: creating one from a template (seeded here, once), reading its details, and
//! the templates and glossary a client offers.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use coboard_shared::api::{self, AccessRole, BoardAccess, BoardInfo, CreateBoard, CreatedBoard};
use coboard_shared::{schema, templates};
use yrs::{Doc, ReadTxn, StateVector, Transact};

use super::invites::new_invite;
use super::{AppState, ClientIp, grant};
use crate::auth;
use crate::error::AppError;
use crate::now_ms;

/// 128 random bits, as 32 hex digits.
pub(super) fn new_board_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// Every template a board can start from, with its sections, prompts and help.
pub(super) async fn list_templates() -> Json<&'static [templates::Template]> {
    Json(templates::all())
}

/// The plain-words glossary the app offers as help.
pub(super) async fn glossary() -> Json<&'static [templates::Term]> {
    Json(templates::GLOSSARY)
}

pub(super) async fn create_board(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    body: Result<Json<CreateBoard>, JsonRejection>,
) -> Result<(StatusCode, Json<CreatedBoard>), AppError> {
    let Json(req) = body?;
    api::validate_create(&req).map_err(AppError::BadRequest)?;
    if state.registry.store_full() {
        return Err(AppError::StorageFull(crate::quota::FULL));
    }
    if !state.create_rate.allow(ip) {
        return Err(AppError::TooManyRequests(
            "Too many boards created from this address; please try again later.",
        ));
    }
    let id = new_board_id();
    let info = BoardInfo {
        url: format!("/b/{id}"),
        id,
        title: req.title.trim().to_owned(),
        template: req.template,
        created_at: now_ms(),
    };
    // The board's first content is written here, once, so clients never race to seed it.
    let doc = Doc::new();
    let board = schema::Board::new(&doc);
    let template = templates::get(&info.template).expect("validated above");
    {
        let mut txn = doc.transact_mut();
        board.init(&mut txn, &info.title);
        board.seed(&mut txn, template, info.created_at as f64, || {
            auth::new_invite_id()
        });
    }
    let initial = doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    let (creator, token) = new_invite(
        &info.id,
        AccessRole::Facilitator,
        "Created the board".into(),
        None,
    );
    state.store.create_board(&info, initial, &creator).await?;
    tracing::info!(board = %info.id, "board created");
    Ok((
        StatusCode::CREATED,
        Json(CreatedBoard {
            share_url: api::invite_url(&info.id, &token),
            board: info,
            facilitator_token: token,
        }),
    ))
}

/// Who is connected to the board, across every instance (see `cluster`).
pub(super) async fn presence(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<coboard_shared::api::Presence>, AppError> {
    grant(&state, &id, &headers, |_| true).await?;
    state.store.board_info(&id).await?;
    Ok(Json(state.registry.cluster().presence(&id).await))
}

pub(super) async fn board_info(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<BoardAccess>, AppError> {
    let grant = grant(&state, &id, &headers, |_| true).await?;
    Ok(Json(BoardAccess {
        board: state.store.board_info(&id).await?,
        role: grant.role,
    }))
}
