//! The HTTP surface: REST API, WebSocket upgrade, and the web client's files.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::extract::connect_info::Connected;
use axum::serve::IncomingStream;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State, WebSocketUpgrade};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use coboard_shared::api::AccessRole;
use coboard_shared::close;
use tokio_util::sync::CancellationToken;
use tower_http::services::{ServeDir, ServeFile};

use crate::auth::{self, AuthError, Grant};
use crate::board::Registry;
use crate::error::AppError;
use crate::limits::{Limits, PerIp};
use crate::now_ms;

mod attendance;
mod boards;
mod client_ip;
mod export;
mod handover;
mod invites;
mod ledger;
mod rounds;
mod silent;
mod snapshots;
mod standards;
mod withdraw;
use crate::store::Store;
pub use client_ip::{ClientIp, client_ip};

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
    /// Per board: taken while a sealed ballot, a silent card, a handover or a ledger
    /// change is checked and stored, and while a round closes or cards are revealed, so
    /// nothing slips in between a step reading them all and publishing them. (One small
    /// entry per board that has used one.) With PostgreSQL, the store's lock is taken
    /// too, for the other instances ([`AppState::board_lock`]).
    pub rounds_locks:
        Arc<std::sync::Mutex<std::collections::HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
    /// Sealed ballots per IP address: each one is checked against a copy of the board.
    pub ballot_rate: Arc<PerIp>,
    /// Named snapshots saved per IP address: each is a full copy of the board.
    pub snapshot_rate: Arc<PerIp>,
    /// "What changed since" comparisons per IP address: each decodes two whole boards.
    pub history_rate: Arc<PerIp>,
    /// Peers whose forwarding headers name the client (see [`client_ip`]).
    pub trusted_proxies: Arc<[ipnet::IpNet]>,
    /// WebSocket connections open on this server, for `--max-connections`.
    pub open_sockets: Arc<std::sync::atomic::AtomicUsize>,
}

/// Checks a secret a browser sends to prove who it is (a ballot, card, person or item
/// key): long enough not to be guessed, short enough to be cheap.
fn check_key(what: &str, key: &str) -> Result<(), AppError> {
    if (16..=128).contains(&key.len()) {
        Ok(())
    } else {
        Err(AppError::BadRequest(format!(
            "The {what} must be 16 to 128 characters."
        )))
    }
}

/// A board locked by [`AppState::board_lock`]. Fields drop in order: the store's lock is
/// let go first (PostgreSQL's unlock is sent in the background, so another instance may
/// wait a moment longer), then the in-process one.
pub struct BoardGuard {
    _shared: crate::store::StoreLock,
    _local: tokio::sync::OwnedMutexGuard<()>,
}

/// Named snapshots one address may save per minute.
const SNAPSHOTS_PER_MINUTE_PER_IP: u32 = 10;
/// Snapshot comparisons one address may ask for per minute.
const COMPARISONS_PER_MINUTE_PER_IP: u32 = 60;

impl AppState {
    /// Locks one board for the steps above: first in this process (so one instance's
    /// requests queue here rather than each holding a database connection), then in the
    /// store, for every instance sharing it. Released when the guard drops.
    pub async fn board_lock(&self, board: &str) -> Result<BoardGuard, AppError> {
        let local = {
            let mut locks = self.rounds_locks.lock().expect("rounds lock map poisoned");
            locks.entry(board.to_owned()).or_default().clone()
        };
        let local = local.lock_owned().await;
        let shared = self.store.lock_board(board).await?;
        Ok(BoardGuard {
            _shared: shared,
            _local: local,
        })
    }

    pub fn new(
        store: Arc<dyn Store>,
        registry: Registry,
        shutdown: CancellationToken,
        web_dir: PathBuf,
        limits: Limits,
        trusted_proxies: Vec<ipnet::IpNet>,
    ) -> Self {
        Self {
            store,
            registry,
            shutdown,
            web_dir,
            connect_rate: Arc::new(PerIp::per_minute(limits.connections_per_minute_per_ip)),
            create_rate: Arc::new(PerIp::per_hour(limits.boards_per_hour_per_ip)),
            rounds_locks: Arc::default(),
            ballot_rate: Arc::new(PerIp::per_minute(rounds::BALLOTS_PER_MINUTE_PER_IP)),
            snapshot_rate: Arc::new(PerIp::per_minute(SNAPSHOTS_PER_MINUTE_PER_IP)),
            history_rate: Arc::new(PerIp::per_minute(COMPARISONS_PER_MINUTE_PER_IP)),
            limits: Arc::new(limits),
            trusted_proxies: trusted_proxies.into(),
            open_sockets: Arc::default(),
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
        .route("/metrics", get(metrics))
        .route("/api/templates", get(boards::list_templates))
        .route("/api/glossary", get(boards::glossary))
        .route("/api/boards", post(boards::create_board))
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
        .route("/api/boards/{id}/facilitator/offer", post(handover::offer))
        .route(
            "/api/boards/{id}/facilitator/accept",
            post(handover::accept),
        )
        .route(
            "/api/boards/{id}/ledger",
            post(ledger::add_row).get(ledger::list),
        )
        .route("/api/boards/{id}/ledger/{row}", patch(ledger::change_row))
        .route(
            "/api/boards/{id}/ledger/rates",
            post(ledger::add_rates).get(ledger::list_rates),
        )
        .route("/api/boards/{id}/ledger/export", get(ledger::export))
        .route("/api/boards/{id}/ledger/statement", post(ledger::statement))
        .route(
            "/api/boards/{id}/ledger/attendance",
            get(attendance::attendance),
        )
        .route(
            "/api/boards/{id}/silent/{round}/cards",
            post(silent::put_card).get(silent::count_cards),
        )
        .route(
            "/api/boards/{id}/silent/{round}/reveal",
            post(silent::reveal),
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
        .route("/api/boards/{id}/impact", get(export::impact))
        .route("/api/boards/{id}/standards", get(standards::standards))
        .route(
            "/api/boards/{id}/items/{item}/withdraw",
            post(withdraw::withdraw),
        )
        .route("/api/boards/{id}", get(boards::board_info))
        .route("/api/boards/{id}/presence", get(boards::presence))
        .route(
            "/api/boards/{id}/invites",
            post(invites::create_invite).get(invites::list_invites),
        )
        .route(
            "/api/boards/{id}/invites/{invite}",
            delete(invites::revoke_invite),
        )
        .route("/ws/{id}", get(websocket))
        .layer(body_limit)
        .with_state(state)
        .merge(web);
    with_security_headers(router)
}

/// Prometheus scrapes this. It holds counts only, nothing about any board's content.
async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        crate::metrics::render(&state),
    )
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

/// Bytes a WebSocket reads from its socket at a time. The library's default (128 KiB) is
/// zero-filled before every read: profiled under load, that memset was 28% of the server's
/// CPU. The buffer is also resident for as long as the connection lives (measured: 4 KiB
/// instead of 1 KiB added 3.9 KiB to each idle connection). Updates and presence are
/// small; a larger message takes several reads, and the buffer grows to fit it.
const WS_READ_BUFFER: usize = 1024;

/// Bytes of frames a WebSocket gathers before writing them to its socket when several
/// are sent in one go (see `ws::relay`). The buffer keeps the largest size it ever reached,
/// so the library's 128 KiB default would stay with a connection after one busy moment.
const WS_WRITE_BUFFER: usize = 4 * 1024;

#[derive(serde::Deserialize)]
struct WsQuery {
    token: Option<String>,
}

async fn websocket(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Query(query): Query<WsQuery>,
    ws: WebSocketUpgrade,
) -> Response {
    // Too many connections from one address: a plain 429, which y-websocket clients retry
    // later (unlike a 44xx close code, which would stop them for good).
    if !state.connect_rate.allow(ip) {
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
    let services = crate::ws::Services {
        limits: state.limits.clone(),
        store: state.store.clone(),
        registry: state.registry.clone(),
        shutdown: state.shutdown.clone(),
        open: state.open_sockets.clone(),
    };
    let limits = &state.limits;
    // Taken before the upgrade, so a flood of upgrades cannot overshoot the cap.
    let place = services.open();
    ws.max_message_size(limits.max_message_bytes)
        .max_frame_size(limits.max_message_bytes)
        .read_buffer_size(WS_READ_BUFFER)
        .write_buffer_size(WS_WRITE_BUFFER)
        .on_upgrade(move |socket| async move {
            let Some(_place) = place else {
                let reason = "This server is full right now; please try again later.";
                return crate::ws::refuse(socket, close::TOO_MANY_PEOPLE, reason).await;
            };
            match checked {
                Ok(grant) => crate::ws::serve(socket, id, grant, ip, services).await,
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
