//! Named snapshots of a board: take one, list them, read one (to open it read-only or
//! export it), see what changed since, and restore one as a **new** board. The live
//! board is never overwritten.
//!
//! A snapshot is a full copy of the board's encoded state, not a yrs snapshot: yrs
//! snapshots need garbage collection turned off for the whole document, so every deleted
//! character would be kept forever, and a withdrawn contribution could never be removed
//! from history. A full copy costs the board's size per snapshot (about 350 KB for a
//! board of 1,000 notes) and can be rewritten on its own.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use coboard_shared::api::{
    self, AccessRole, BoardInfo, CreateSnapshot, CreatedBoard, RestoreSnapshot, SnapshotInfo,
};
use coboard_shared::history::{self, Changes};
use coboard_shared::schema::Board;
use yrs::updates::decoder::Decode;
use yrs::{Doc, Map, ReadTxn, StateVector, Transact, Update};

use super::boards::new_board_id;
use super::invites::new_invite;
use super::{AppState, ClientIp, grant};
use crate::board::BoardError;
use crate::error::AppError;
use crate::now_ms;
use crate::store::StoreError;

/// Takes a snapshot of a board's current state.
pub async fn take(
    state: &AppState,
    board: &str,
    name: &str,
    auto: bool,
) -> Result<SnapshotInfo, AppError> {
    let doc = live_state(state, board).await?;
    let info = SnapshotInfo {
        id: crate::auth::new_invite_id(),
        name: name.trim().to_owned(),
        created_at: now_ms(),
        auto,
        bytes: doc.len() as u64,
    };
    state.store.create_snapshot(board, &info, doc).await?;
    tracing::info!(board = %board, snapshot = %info.id, auto, "snapshot taken");
    Ok(info)
}

pub(super) async fn live_state(state: &AppState, board: &str) -> Result<Vec<u8>, AppError> {
    state.registry.state(board).await.map_err(|e| match e {
        BoardError::NotFound => AppError::NotFound("No board with that id."),
        e => AppError::Internal(e.to_string()),
    })
}

/// The stored state of a snapshot, or 404.
pub async fn stored(
    state: &AppState,
    board: &str,
    id: &str,
) -> Result<(SnapshotInfo, Vec<u8>), AppError> {
    state.store.snapshot(board, id).await.map_err(|e| match e {
        StoreError::NotFound(_) => AppError::NotFound("No snapshot with that id."),
        e => e.into(),
    })
}

pub(super) fn doc_of(state: &[u8]) -> Result<Doc, AppError> {
    let doc = Doc::new();
    let update = Update::decode_v1(state).map_err(|e| AppError::Internal(e.to_string()))?;
    doc.transact_mut()
        .apply_update(update)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(doc)
}

/// Most snapshots a board keeps (each is a full copy of the board).
pub const MAX_SNAPSHOTS_PER_BOARD: usize = 200;

pub async fn create(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Result<Json<CreateSnapshot>, JsonRejection>,
) -> Result<(StatusCode, Json<SnapshotInfo>), AppError> {
    grant(&state, &id, &headers, AccessRole::can_edit).await?;
    let Json(req) = body?;
    api::validate_snapshot_name(&req.name).map_err(AppError::BadRequest)?;
    if state.registry.store_full() {
        return Err(AppError::StorageFull(crate::quota::FULL));
    }
    if !state.snapshot_rate.allow(ip) {
        return Err(AppError::TooManyRequests(
            "Too many snapshots saved from this address; please wait a moment.",
        ));
    }
    if state.store.list_snapshots(&id).await?.len() >= MAX_SNAPSHOTS_PER_BOARD {
        return Err(AppError::Conflict(format!(
            "This board already keeps {MAX_SNAPSHOTS_PER_BOARD} snapshots, as many as it can."
        )));
    }
    Ok((
        StatusCode::CREATED,
        Json(take(&state, &id, &req.name, false).await?),
    ))
}

pub async fn list(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Vec<SnapshotInfo>>, AppError> {
    grant(&state, &id, &headers, |_| true).await?;
    Ok(Json(state.store.list_snapshots(&id).await?))
}

/// The snapshot's state as one Yjs v1 update, for a client to open read-only.
pub async fn read(
    State(state): State<AppState>,
    Path((id, snapshot)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    grant(&state, &id, &headers, |_| true).await?;
    let (_, bytes) = stored(&state, &id, &snapshot).await?;
    let mut response = bytes.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    Ok(response)
}

/// What changed between the snapshot and the live board.
pub async fn changes(
    State(state): State<AppState>,
    Path((id, snapshot)): Path<(String, String)>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
) -> Result<Json<Changes>, AppError> {
    grant(&state, &id, &headers, |_| true).await?;
    // Each comparison decodes two whole boards; any link holder may ask, so pace it.
    if !state.history_rate.allow(ip) {
        return Err(AppError::TooManyRequests(
            "Too many history requests from this address; please wait a moment.",
        ));
    }
    let (info, then) = stored(&state, &id, &snapshot).await?;
    let now = live_state(&state, &id).await?;
    let diff = tokio::task::spawn_blocking(move || {
        let (a, b) = (doc_of(&then)?, doc_of(&now)?);
        let (ba, bb) = (Board::new(&a), Board::new(&b));
        Ok::<_, AppError>(history::changes(
            (&ba, &a.transact()),
            (&bb, &b.transact()),
            info.created_at as f64,
        ))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    Ok(Json(diff))
}

/// Starts a new board from the snapshot; the caller becomes its facilitator.
pub async fn restore(
    State(state): State<AppState>,
    Path((id, snapshot)): Path<(String, String)>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Result<Json<RestoreSnapshot>, JsonRejection>,
) -> Result<(StatusCode, Json<CreatedBoard>), AppError> {
    grant(&state, &id, &headers, AccessRole::can_manage).await?;
    let req = match body {
        Ok(Json(r)) => r,
        Err(e) if e.status() == StatusCode::UNSUPPORTED_MEDIA_TYPE => RestoreSnapshot::default(),
        Err(e) => return Err(e.into()),
    };
    if state.registry.store_full() {
        return Err(AppError::StorageFull(crate::quota::FULL));
    }
    if !state.create_rate.allow(ip) {
        return Err(AppError::TooManyRequests(
            "Too many boards created from this address; please try again later.",
        ));
    }
    let (info, bytes) = stored(&state, &id, &snapshot).await?;
    let old = state.store.board_info(&id).await?;
    let title = req
        .title
        .map(|t| t.trim().to_owned())
        .unwrap_or_else(|| format!("{} ({})", old.title, info.name));
    let title: String = title.chars().take(api::MAX_TITLE_CHARS).collect();
    if title.is_empty() {
        return Err(AppError::BadRequest(
            "Please give the board a title.".into(),
        ));
    }
    let new = BoardInfo {
        url: String::new(),
        id: new_board_id(),
        title,
        template: old.template,
        created_at: now_ms(),
    };
    let new = BoardInfo {
        url: format!("/b/{}", new.id),
        ..new
    };
    // Decoding and re-encoding a whole board is CPU work: keep it off the async workers.
    let (title, from) = (new.title.clone(), info.name.clone());
    let initial = tokio::task::spawn_blocking(move || {
        let doc = doc_of(&bytes)?;
        let board = Board::new(&doc);
        {
            let mut txn = doc.transact_mut();
            board.meta.insert(&mut txn, "title", title.as_str());
            board.meta.insert(&mut txn, "restored_from", from.as_str());
        }
        let initial = doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        Ok::<_, AppError>(initial)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    let (creator, token) = new_invite(
        &new.id,
        AccessRole::Facilitator,
        format!("Restored from \"{}\"", info.name),
        None,
    );
    state.store.create_board(&new, initial, &creator).await?;
    tracing::info!(board = %new.id, from = %id, snapshot = %snapshot, "board restored from a snapshot");
    Ok((
        StatusCode::CREATED,
        Json(CreatedBoard {
            share_url: api::invite_url(&new.id, &token),
            board: new,
            facilitator_token: token,
        }),
    ))
}

/// The document to export: the live board, or one of its snapshots.
pub async fn export_source(
    state: &AppState,
    board: &str,
    snapshot: Option<&str>,
) -> Result<(Vec<u8>, String, f64), AppError> {
    match snapshot {
        None => Ok((
            live_state(state, board).await?,
            "live".into(),
            now_ms() as f64,
        )),
        Some(sid) => {
            let (info, bytes) = stored(state, board, sid).await?;
            Ok((bytes, info.name, info.created_at as f64))
        }
    }
}
