//! The one way the web client calls the server's REST API. Every call about a board
//! carries the invite token in an `Authorization: Bearer` header (never in the URL, so it
//! cannot leak through logs or `Referer`); bodies and answers are the wire types of
//! `coboard_shared::api`, which the server uses too; and every failure is a [`Failure`]:
//! the HTTP status and a sentence to show to people.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, ReferrerPolicy, Request, RequestInit, Response};

use crate::token;

pub mod boards;

/// Shown when the request never got an answer.
const UNREACHABLE: &str =
    "Could not reach the Coboard server. Check your internet connection and try again.";
/// Shown when the answer was not what this version of the page expects.
const GARBLED: &str =
    "The server sent an answer we did not understand. Reload the page to try again.";

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The HTTP status; 0 when there was no answer, or none that could be read.
    pub status: u16,
    /// The sentence to show: the server's own when it sent one, else plain words.
    pub message: String,
}

impl Failure {
    fn unreachable() -> Self {
        Self {
            status: 0,
            message: UNREACHABLE.to_owned(),
        }
    }

    fn garbled() -> Self {
        Self {
            status: 0,
            message: GARBLED.to_owned(),
        }
    }

    /// A failure on this side (a file that could not be handed to the browser).
    pub fn here(message: String) -> Self {
        Self { status: 0, message }
    }

    /// 401 or 403: the invite link does not (or no longer) let me do this.
    pub fn refused(&self) -> bool {
        matches!(self.status, 401 | 403)
    }

    /// An error answer: the server's sentence when it sent one, plain words otherwise;
    /// `what` completes "… (error 500). Please try again.".
    fn answer(status: u16, body: &str, what: &str) -> Self {
        let said = serde_json::from_str::<coboard_shared::api::ApiError>(body)
            .map(|e| e.error)
            .ok()
            .filter(|m| !m.trim().is_empty());
        let message = said.unwrap_or_else(|| match status {
            401 => token::NOT_VALID.to_owned(),
            403 => "Your invite link does not let you do this.".to_owned(),
            _ => format!("{what} (error {status}). Please try again."),
        });
        Self { status, message }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<Failure> for String {
    fn from(f: Failure) -> Self {
        f.message
    }
}

/// No body, for [`exchange`] and [`call`].
pub const NO_BODY: Option<&()> = None;

/// Sends one request (with my token when given, and a JSON body when given). A success
/// answer comes back unread, so the caller can take it as JSON, bytes or a file; an error
/// answer becomes a [`Failure`].
pub async fn exchange(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&impl Serialize>,
    what: &str,
) -> Result<Response, Failure> {
    let body = body
        .map(serde_json::to_string)
        .transpose()
        .map_err(|_| Failure::garbled())?;
    let resp = fetch(method, path, token, body)
        .await
        .map_err(|_| Failure::unreachable())?;
    if resp.ok() {
        return Ok(resp);
    }
    let text = text(&resp).await.unwrap_or_default();
    Err(Failure::answer(resp.status(), &text, what))
}

/// Sends one request and reads its JSON answer.
pub async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&impl Serialize>,
    what: &str,
) -> Result<T, Failure> {
    let resp = exchange(method, path, token, body, what).await?;
    let text = text(&resp).await.map_err(|_| Failure::unreachable())?;
    serde_json::from_str(&text).map_err(|_| Failure::garbled())
}

/// A path segment chosen by people or clients (an item id), escaped for a URL.
pub fn segment(s: &str) -> String {
    js_sys::encode_uri_component(s)
        .as_string()
        .unwrap_or_default()
}

async fn text(resp: &Response) -> Result<String, JsValue> {
    let text = JsFuture::from(resp.text()?).await?;
    Ok(text.as_string().unwrap_or_default())
}

async fn fetch(
    method: &str,
    path: &str,
    bearer: Option<&str>,
    body: Option<String>,
) -> Result<Response, JsValue> {
    let init = RequestInit::new();
    init.set_method(method);
    // The page URL no longer holds a token, but there is no reason to send it anywhere.
    init.set_referrer_policy(ReferrerPolicy::NoReferrer);
    let headers = Headers::new()?;
    if let Some(body) = body {
        headers.set("content-type", "application/json")?;
        init.set_body(&JsValue::from_str(&body));
    }
    if let Some(t) = bearer {
        headers.set("authorization", &format!("Bearer {t}"))?;
    }
    init.set_headers(&headers);
    let req = Request::new_with_str_and_init(path, &init)?;
    JsFuture::from(leptos::prelude::window().fetch_with_request(&req))
        .await?
        .dyn_into()
}
