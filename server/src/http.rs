//! The HTTP surface: REST API, WebSocket upgrade, and the web client's files.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::extract::connect_info::Connected;
use axum::serve::IncomingStream;
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, State, WebSocketUpgrade};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use coboard_shared::api::{
    self, AccessRole, BoardAccess, BoardInfo, CreateBoard, CreateInvite, CreatedBoard,
    CreatedInvite, Invite,
};
use coboard_shared::{close, schema, templates};
use tokio_util::sync::CancellationToken;
use tower_http::services::{ServeDir, ServeFile};
use yrs::{Doc, ReadTxn, StateVector, Transact};

use crate::auth::{self, AuthError, Grant};
use crate::board::Registry;
use crate::error::AppError;
use crate::limits::{Limits, PerIp};
use crate::now_ms;

mod export;
mod rounds;
mod snapshots;
use crate::store::{Store, StoredInvite};

/// The client's address, as the listener saw it.
#[derive(Debug, Clone, Copy)]
pub struct PeerAddr(pub SocketAddr);

impl Connected<IncomingStream<'_, crate::Accept>> for PeerAddr {
    fn connect_info(stream: IncomingStream<'_, crate::Accept>) -> Self {
        PeerAddr(*stream.remote_addr())
    }
}

/// Everything a request handler may need.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub registry: Registry,
    pub shutdown: CancellationToken,
    pub web_dir: PathBuf,
    pub limits: Arc<Limits>,
    /// New WebSocket connections per IP address.
    pub connect_rate: Arc<PerIp>,
    /// Boards created per IP address.
    pub create_rate: Arc<PerIp>,
    /// Taken while a sealed ballot is checked and stored, and while a round closes, so
    /// no ballot can slip in between a close reading the ballots and publishing them.
    pub rounds_lock: Arc<tokio::sync::Mutex<()>>,
    /// Sealed ballots per IP address: each one is checked against a copy of the board.
    pub ballot_rate: Arc<PerIp>,
}

impl AppState {
    pub fn new(
        store: Arc<dyn Store>,
        registry: Registry,
        shutdown: CancellationToken,
        web_dir: PathBuf,
        limits: Limits,
    ) -> Self {
        Self {
            store,
            registry,
            shutdown,
            web_dir,
            connect_rate: Arc::new(PerIp::per_minute(limits.connections_per_minute_per_ip)),
            create_rate: Arc::new(PerIp::per_hour(limits.boards_per_hour_per_ip)),
            rounds_lock: Arc::default(),
            ballot_rate: Arc::new(PerIp::per_minute(rounds::BALLOTS_PER_MINUTE_PER_IP)),
            limits: Arc::new(limits),
        }
    }
}

/// The whole application as a router, so tests can drive it without a socket.
pub fn app(state: AppState) -> Router {
    let index = state.web_dir.join("index.html");
    let web: Router = if index.is_file() {
        // Board pages are client-side routes: any unknown path gets the app's index.html.
        Router::new()
            .fallback_service(ServeDir::new(&state.web_dir).fallback(ServeFile::new(&index)))
    } else {
        tracing::warn!(dir = %state.web_dir.display(), "web client not built; serving a notice");
        Router::new().fallback(get(not_built))
    };
    let body_limit = DefaultBodyLimit::max(state.limits.max_body_bytes);
    let router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/templates", get(list_templates))
        .route("/api/glossary", get(glossary))
        .route("/api/boards", post(create_board))
        .route(
            "/api/boards/{id}/rounds/{round}/ballot",
            post(rounds::cast_sealed_ballot),
        )
        .route(
            "/api/boards/{id}/rounds/{round}/ballots",
            get(rounds::count_ballots),
        )
        .route(
            "/api/boards/{id}/rounds/{round}/close",
            post(rounds::close_round),
        )
        .route(
            "/api/boards/{id}/snapshots",
            post(snapshots::create).get(snapshots::list),
        )
        .route(
            "/api/boards/{id}/snapshots/{snapshot}",
            get(snapshots::read),
        )
        .route(
            "/api/boards/{id}/snapshots/{snapshot}/changes",
            get(snapshots::changes),
        )
        .route(
            "/api/boards/{id}/snapshots/{snapshot}/restore",
            post(snapshots::restore),
        )
        .route("/api/boards/{id}/export", get(export::export_board))
        .route("/api/boards/{id}", get(board_info))
        .route(
            "/api/boards/{id}/invites",
            post(create_invite).get(list_invites),
        )
        .route("/api/boards/{id}/invites/{invite}", delete(revoke_invite))
        .route("/ws/{id}", get(websocket))
        .layer(body_limit)
        .with_state(state)
        .merge(web);
    with_security_headers(router)
}

/// Headers on every response. The CSP allows the wasm app and nothing more: its own
/// scripts (and compiling its wasm), its own styles, and connections to its own origin.
fn with_security_headers(router: Router) -> Router {
    use tower_http::set_header::SetResponseHeaderLayer as Set;
    const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
        style-src 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self'; \
        object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    let headers = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    headers.into_iter().fold(router, |r, (name, value)| {
        r.layer(Set::overriding(name, HeaderValue::from_static(value)))
    })
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

/// 128 random bits, as 32 hex digits.
fn new_board_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// A new invite for `board`, ready to store, and its token (shown once, never stored).
fn new_invite(
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

/// Every template a board can start from, with its sections, prompts and help.
async fn list_templates() -> Json<&'static [templates::Template]> {
    Json(templates::all())
}

/// The plain-words glossary the app offers as help.
async fn glossary() -> Json<&'static [templates::Term]> {
    Json(templates::GLOSSARY)
}

async fn create_board(
    State(state): State<AppState>,
    ConnectInfo(PeerAddr(peer)): ConnectInfo<PeerAddr>,
    body: Result<Json<CreateBoard>, JsonRejection>,
) -> Result<(StatusCode, Json<CreatedBoard>), AppError> {
    let Json(req) = body?;
    api::validate_create(&req).map_err(AppError::BadRequest)?;
    if !state.create_rate.allow(peer.ip()) {
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

/// Checks the request's bearer token for `board`. A valid token of another board, used on
/// a board id that does not exist, gets 404: the holder is someone we know, and "no such
/// board" helps them more than "wrong board" (ids are 128 random bits, so it reveals
/// nothing worth probing for).
async fn grant(
    state: &AppState,
    board: &str,
    headers: &HeaderMap,
    need: impl Fn(AccessRole) -> bool,
) -> Result<Grant, AppError> {
    match auth::authorize(&*state.store, board, auth::bearer(headers), now_ms(), need).await {
        Ok(grant) => Ok(grant),
        Err(AuthError::Denied(auth::Denied::WrongBoard)) => {
            match state.store.board_info(board).await {
                Err(crate::store::StoreError::NotFound(_)) => {
                    Err(AppError::NotFound("No board with that id."))
                }
                _ => Err(AuthError::Denied(auth::Denied::WrongBoard).into()),
            }
        }
        Err(e) => Err(e.into()),
    }
}

async fn board_info(
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

async fn create_invite(
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

async fn list_invites(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Vec<Invite>>, AppError> {
    grant(&state, &id, &headers, AccessRole::can_manage).await?;
    Ok(Json(state.store.list_invites(&id).await?))
}

async fn revoke_invite(
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

#[derive(serde::Deserialize)]
struct WsQuery {
    token: Option<String>,
}

async fn websocket(
    State(state): State<AppState>,
    ConnectInfo(PeerAddr(peer)): ConnectInfo<PeerAddr>,
    Path(id): Path<String>,
    Query(query): Query<WsQuery>,
    ws: WebSocketUpgrade,
) -> Response {
    // Too many connections from one address: a plain 429, which y-websocket clients retry
    // later (unlike a 44xx close code, which would stop them for good).
    if !state.connect_rate.allow(peer.ip()) {
        return AppError::TooManyRequests(
            "Too many connections from this address; please wait a moment.",
        )
        .into_response();
    }
    // Refusals are sent after accepting the upgrade: y-websocket clients retry forever after
    // an HTTP error, but stop on a 44xx close code.
    let checked = auth::authorize(&*state.store, &id, query.token.as_deref(), now_ms(), |_| {
        true
    })
    .await;
    let registry = state.registry.clone();
    let shutdown = state.shutdown.clone();
    let limits = state.limits.clone();
    ws.max_message_size(limits.max_message_bytes)
        .max_frame_size(limits.max_message_bytes)
        .on_upgrade(move |socket| async move {
            match checked {
                Ok(grant) => crate::ws::serve(socket, id, grant, limits, registry, shutdown).await,
                Err(AuthError::Denied(d)) => {
                    let code = if d.is_unauthenticated() {
                        close::UNAUTHORIZED
                    } else {
                        close::FORBIDDEN
                    };
                    crate::ws::refuse(socket, code, &d.to_string()).await;
                }
                Err(AuthError::Store(e)) => {
                    tracing::error!(board = %id, error = %e, "could not check a token");
                    crate::ws::refuse(
                        socket,
                        1011,
                        "The server could not check your link; please try again.",
                    )
                    .await;
                }
            }
        })
}
