//! The HTTP surface: REST API, WebSocket upgrade, and the web client's files.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::extract::connect_info::Connected;
use axum::serve::IncomingStream;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State, WebSocketUpgrade};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post, put};
use coboard_shared::close;
use tokio_util::sync::CancellationToken;

use crate::auth::{self, AuthError};
use crate::board::Registry;
use crate::error::AppError;
use crate::limits::{Limits, PerIp};
use crate::now_ms;
use crate::service::{Core, Features, Rates};
use crate::store::Store;

mod boards;
mod client_ip;
mod export;
mod extract;
mod handover;
mod invites;
mod items;
mod ledger;
mod rounds;
mod silent;
mod snapshots;
mod web;
mod withdraw;
pub use client_ip::{ClientIp, client_ip};
pub use extract::{Body, BodyOrDefault, Contributor, Facilitator, Link, Need, Viewer};

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
    /// The feature services: what the REST API does.
    pub features: Features,
    /// For checking links, and for WebSocket connections.
    pub store: Arc<dyn Store>,
    /// The loaded boards, for WebSocket connections.
    pub registry: Registry,
    pub shutdown: CancellationToken,
    pub web_dir: PathBuf,
    pub limits: Arc<Limits>,
    /// New WebSocket connections per address.
    pub connect_rate: Arc<PerIp>,
    /// Peers whose forwarding headers name the client (see [`client_ip`]).
    pub trusted_proxies: Arc<[ipnet::IpNet]>,
    /// WebSocket connections open on this server, for `--max-connections`.
    pub open_sockets: Arc<std::sync::atomic::AtomicUsize>,
}

impl AppState {
    pub fn new(
        store: Arc<dyn Store>,
        registry: Registry,
        shutdown: CancellationToken,
        web_dir: PathBuf,
        limits: Limits,
        trusted_proxies: Vec<ipnet::IpNet>,
    ) -> Self {
        Self {
            features: Features::new(Core::new(
                store.clone(),
                registry.clone(),
                Rates::new(limits.boards_per_hour_per_ip),
            )),
            store,
            registry,
            shutdown,
            web_dir,
            connect_rate: Arc::new(PerIp::per_minute(limits.connections_per_minute_per_ip)),
            limits: Arc::new(limits),
            trusted_proxies: trusted_proxies.into(),
            open_sockets: Arc::default(),
        }
    }
}

/// The whole application as a router, so tests can drive it without a socket.
pub fn app(state: AppState) -> Router {
    let web = web::router(&state.web_dir);
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
            get(ledger::attendance),
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
        .route("/api/boards/{id}/standards", get(export::standards))
        .route(
            "/api/boards/{id}/items/{item}/consent",
            put(items::set_consent),
        )
        .route("/api/boards/{id}/items/{item}/remove", post(items::remove))
        .route(
            "/api/boards/{id}/items/{item}/restore",
            post(items::restore),
        )
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
        crate::metrics::render(&state.registry),
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
                        close::SERVER_ERROR,
                        "The server could not check your link; please try again.",
                    )
                    .await;
                }
            }
        })
}
