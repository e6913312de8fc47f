//! The web client's files, with the cache policy that lets it work offline and update
//! cleanly.
//!
//! Files under `/assets/` are named by their content (`cargo xtask client`), so they never
//! change and browsers may keep them for a year; a missing one is a plain 404, never the
//! page in its place (which a browser would then keep for a year). Everything else, the
//! page itself (`index.html`, served for every client-side route) and the service worker
//! (`sw.js`), is revalidated on every load, so a new release is seen at once.
//!
//! Every file also lies beside its brotli and gzip copies (made once, at the highest
//! levels, by `cargo xtask client`); the browser gets the smallest one it accepts. That
//! takes the wasm from about 2.2 MB to about 0.6 MB on a first visit.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use tower_http::services::{ServeDir, ServeFile};

/// Cache policy of the content-named files.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The router for the built client in `dir`, or a notice saying how to build it.
pub fn router(dir: &Path) -> Router {
    let index = dir.join("index.html");
    if !index.is_file() {
        tracing::warn!(dir = %dir.display(), "web client not built; serving a notice");
        return Router::new().fallback(get(not_built));
    }
    // Board pages are client-side routes: any other unknown path gets the app's page.
    Router::new()
        .nest_service("/assets", precompressed(ServeDir::new(dir.join("assets"))))
        .fallback_service(
            precompressed(ServeDir::new(dir)).fallback(
                ServeFile::new(&index)
                    .precompressed_br()
                    .precompressed_gzip(),
            ),
        )
        .layer(middleware::from_fn(cache_policy))
}

/// Serves `<file>.br` or `<file>.gz` in place of `<file>` where the browser accepts it.
fn precompressed<F>(dir: ServeDir<F>) -> ServeDir<F> {
    dir.precompressed_br().precompressed_gzip()
}

async fn cache_policy(request: Request, next: Next) -> Response {
    let named_by_content = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
    let policy = if named_by_content && response.status().is_success() {
        IMMUTABLE
    } else {
        "no-cache"
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    // The same address answers brotli, gzip or plain bytes by what the browser accepts, so
    // a shared cache must keep them apart.
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
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
