//! The HTTP surface: REST API, WebSocket upgrade, and the web client's files.

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State, WebSocketUpgrade};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use coboard_shared::api::{self, BoardInfo, CreateBoard};
use coboard_shared::schema;
use tokio_util::sync::CancellationToken;
use tower_http::services::{ServeDir, ServeFile};
use yrs::{Doc, ReadTxn, StateVector, Transact};

use crate::board::Registry;
use crate::error::AppError;
use crate::store::Store;

/// Everything a request handler may need.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub registry: Registry,
    pub shutdown: CancellationToken,
    pub web_dir: PathBuf,
    pub max_message_bytes: usize,
}

/// The whole application as a router, so tests can drive it without a socket.
pub fn app(state: AppState) -> Router {
    let index = state.web_dir.join("index.html");
    let web: Router = if index.is_file() {
        // Board pages are client-side routes: any unknown path gets the app's index.html.
        Router::new().fallback_service(
            ServeDir::new(&state.web_dir).not_found_service(ServeFile::new(&index)),
        )
    } else {
        tracing::warn!(dir = %state.web_dir.display(), "web client not built; serving a notice");
        Router::new().fallback(get(not_built))
    };
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/boards", post(create_board))
        .route("/api/boards/{id}", get(board_info))
        .route("/ws/{id}", get(websocket))
        .with_state(state)
        .merge(web)
}

async fn not_built() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Html(
            "<!doctype html><html lang=\"en\"><title>Coboard</title><main><h1>Coboard</h1>\
             <p>The web client has not been built. Run <code>cargo xtask run</code> \
             to build it and start the server.</p></main></html>",
        ),
    )
        .into_response()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// 128 random bits, as 32 hex digits.
fn new_board_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

async fn create_board(
    State(state): State<AppState>,
    body: Result<Json<CreateBoard>, JsonRejection>,
) -> Result<(StatusCode, Json<BoardInfo>), AppError> {
    let Json(req) = body?;
    api::validate_create(&req).map_err(AppError::BadRequest)?;
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
    board.init(&mut doc.transact_mut(), &info.title);
    let initial = doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    state.store.create_board(&info, initial).await?;
    tracing::info!(board = %info.id, "board created");
    Ok((StatusCode::CREATED, Json(info)))
}

async fn board_info(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<BoardInfo>, AppError> {
    if !api::is_board_id(&id) {
        return Err(AppError::NotFound("No board with that id."));
    }
    Ok(Json(state.store.board_info(&id).await?))
}

async fn websocket(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ws: WebSocketUpgrade,
) -> Response {
    let registry = state.registry.clone();
    let shutdown = state.shutdown.clone();
    ws.max_message_size(state.max_message_bytes)
        .max_frame_size(state.max_message_bytes)
        .on_upgrade(move |socket| async move {
            if !api::is_board_id(&id) {
                // Accept, then refuse for good: y-websocket retries forever after an HTTP error.
                crate::ws::refuse(
                    socket,
                    coboard_shared::close::NOT_FOUND,
                    "This board does not exist.",
                )
                .await;
                return;
            }
            crate::ws::serve(socket, id, registry, shutdown).await
        })
}
