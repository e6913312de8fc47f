//! Calls to the server's REST API. Every call about a board carries the invite token in
//! an `Authorization: Bearer` header (never in the URL, so it cannot leak through logs or
//! `Referer`), and every failure comes back as a sentence to show to people.

use coboard_shared::api::{
    ApiError, BoardAccess, CreateBoard, CreateInvite, CreatedBoard, CreatedInvite, Invite,
};
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, ReferrerPolicy, Request, RequestInit, Response};

use crate::token;

/// Shown when the request never got an answer.
const UNREACHABLE: &str =
    "Could not reach the Coboard server. Check your internet connection and try again.";
/// Shown when the answer was not what this version of the page expects.
const GARBLED: &str =
    "The server sent an answer we did not understand. Reload the page to try again.";

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// 401 or 403: the invite link does not (or no longer) let me do this.
    Refused(String),
    /// Anything else.
    Other(String),
}

impl Failure {
    /// The sentence to show.
    pub fn message(&self) -> &str {
        match self {
            Failure::Refused(m) | Failure::Other(m) => m,
        }
    }
}

/// Turns an error status into plain words; `what` completes "… could not be …".
fn failure(status: u16, body: &str, what: &str) -> Failure {
    match status {
        401 => Failure::Refused(token::NOT_VALID.to_owned()),
        403 => Failure::Refused(token::SWITCHED_OFF.to_owned()),
        404 => Failure::Other(token::NO_SUCH_BOARD.to_owned()),
        _ => Failure::Other(
            serde_json::from_str::<ApiError>(body)
                .map(|e| e.error)
                .unwrap_or_else(|_| format!("{what} (error {status}). Please try again.")),
        ),
    }
}

/// Sends one request and returns the response, whatever its status.
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

/// Sends one request and returns the status and body text.
async fn send(
    method: &str,
    path: &str,
    bearer: Option<&str>,
    body: Option<String>,
) -> Result<(u16, String), JsValue> {
    let resp = fetch(method, path, bearer, body).await?;
    let text = JsFuture::from(resp.text()?).await?;
    Ok((resp.status(), text.as_string().unwrap_or_default()))
}

/// The words for a failed call that has its own error sentences on the server (exports,
/// snapshots): the server's sentence when it sent one, plain words otherwise.
pub fn explain(status: u16, body: &str, what: &str) -> String {
    if let Ok(e) = serde_json::from_str::<ApiError>(body)
        && !e.error.trim().is_empty()
    {
        return e.error;
    }
    match status {
        401 => token::NOT_VALID.to_owned(),
        403 => "Your invite link does not let you do this.".to_owned(),
        _ => format!("{what} (error {status}). Please try again."),
    }
}

/// Fetches a file (an export, a snapshot's state) with my token. On success the response
/// is handed back unread, so the caller can take the body as a blob or as bytes.
pub async fn get_file(path: &str, token: &str, what: &str) -> Result<Response, String> {
    fetch_file("GET", path, token, None, what).await
}

/// A request whose answer is a file to save; failures come back as sentences.
pub async fn fetch_file(
    method: &str,
    path: &str,
    token: &str,
    body: Option<String>,
    what: &str,
) -> Result<Response, String> {
    let resp = fetch(method, path, Some(token), body)
        .await
        .map_err(|_| UNREACHABLE.to_owned())?;
    if resp.ok() {
        return Ok(resp);
    }
    let text = match resp.text() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    Err(explain(resp.status(), &text, what))
}

/// A JSON call about snapshots (or withdrawing an item); failures come back as sentences
/// from [`explain`].
pub async fn snapshot_call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    token: &str,
    body: Option<String>,
    what: &str,
) -> Result<T, String> {
    let (status, text) = send(method, path, Some(token), body)
        .await
        .map_err(|_| UNREACHABLE.to_owned())?;
    if (200..300).contains(&status) {
        serde_json::from_str(&text).map_err(|_| GARBLED.to_owned())
    } else {
        Err(explain(status, &text, what))
    }
}

/// The message for an answer that could not be read.
pub const fn garbled() -> &'static str {
    GARBLED
}

/// Sends a request and decodes a JSON answer.
async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    bearer: Option<&str>,
    body: Option<String>,
    what: &str,
) -> Result<T, Failure> {
    let (status, text) = send(method, path, bearer, body)
        .await
        .map_err(|_| Failure::Other(UNREACHABLE.to_owned()))?;
    if !(200..300).contains(&status) {
        return Err(failure(status, &text, what));
    }
    serde_json::from_str(&text).map_err(|_| Failure::Other(GARBLED.to_owned()))
}

fn json(value: &impl serde::Serialize) -> Result<String, Failure> {
    serde_json::to_string(value).map_err(|_| Failure::Other(GARBLED.to_owned()))
}

/// Creates a board from a template (`"blank"` for none); the answer carries the
/// facilitator's link.
pub async fn create_board(title: &str, template: &str) -> Result<CreatedBoard, String> {
    let body = json(&CreateBoard {
        title: title.to_owned(),
        template: template.to_owned(),
    })
    .map_err(|f| f.message().to_owned())?;
    let (status, text) = send("POST", "/api/boards", None, Some(body))
        .await
        .map_err(|_| UNREACHABLE.to_owned())?;
    if (200..300).contains(&status) {
        serde_json::from_str(&text).map_err(|_| GARBLED.to_owned())
    } else {
        // Here the server's own message (e.g. "Please give the board a title.") is best.
        Err(serde_json::from_str::<ApiError>(&text)
            .map(|e| e.error)
            .unwrap_or_else(|_| format!("The board could not be created (error {status}).")))
    }
}

/// The board and what my token lets me do on it.
pub async fn board_access(board_id: &str, token: &str) -> Result<BoardAccess, Failure> {
    let path = format!("/api/boards/{board_id}");
    call(
        "GET",
        &path,
        Some(token),
        None,
        "The board could not be opened",
    )
    .await
}

/// Makes a new invite link (facilitators only).
pub async fn create_invite(
    board_id: &str,
    token: &str,
    req: &CreateInvite,
) -> Result<CreatedInvite, Failure> {
    let path = format!("/api/boards/{board_id}/invites");
    let body = json(req)?;
    call(
        "POST",
        &path,
        Some(token),
        Some(body),
        "The link could not be made",
    )
    .await
}

/// Every invite link of the board, newest last (facilitators only).
pub async fn list_invites(board_id: &str, token: &str) -> Result<Vec<Invite>, Failure> {
    let path = format!("/api/boards/{board_id}/invites");
    call(
        "GET",
        &path,
        Some(token),
        None,
        "The links could not be listed",
    )
    .await
}

/// Switches an invite link off for good (facilitators only).
pub async fn revoke_invite(board_id: &str, token: &str, invite_id: &str) -> Result<(), Failure> {
    let path = format!("/api/boards/{board_id}/invites/{invite_id}");
    let (status, text) = send("DELETE", &path, Some(token), None)
        .await
        .map_err(|_| Failure::Other(UNREACHABLE.to_owned()))?;
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(failure(status, &text, "The link could not be switched off"))
    }
}

/// A ballot in a sealed round, sent to the server rather than written into the board.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SealedBallot {
    /// My browser identity: the key of my ballot.
    pub voter: String,
    /// My ballot key, proving a later change of this ballot is mine.
    pub key: String,
    /// My name, or "" when I take part anonymously.
    pub name: String,
    /// The role I chose: "public", "professional" or "facilitator".
    pub role: String,
    /// Dots per item id.
    pub dots: std::collections::BTreeMap<String, u32>,
}

/// How many people have cast a ballot in a sealed round.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
struct BallotCount {
    ballots: u32,
}

/// Sends a request about a voting round; an error answer becomes the server's own
/// sentence when it sent one (such as "This round has closed."), plain words otherwise.
async fn round_call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    token: &str,
    body: Option<String>,
    what: &str,
) -> Result<T, String> {
    let (status, text) = send(method, path, Some(token), body)
        .await
        .map_err(|_| UNREACHABLE.to_owned())?;
    if (200..300).contains(&status) {
        return serde_json::from_str(&text).map_err(|_| GARBLED.to_owned());
    }
    if let Ok(e) = serde_json::from_str::<ApiError>(&text)
        && !e.error.trim().is_empty()
    {
        return Err(e.error);
    }
    Err(match status {
        401 => token::NOT_VALID.to_owned(),
        403 => "Your invite link does not let you do this.".to_owned(),
        404 => "This voting round could not be found. It may have been removed.".to_owned(),
        409 => "This voting round has already closed.".to_owned(),
        _ => format!("{what} (error {status}). Please try again."),
    })
}

/// Casts (or replaces) my ballot in a sealed round; answers how many people have voted.
pub async fn send_sealed_ballot(
    board_id: &str,
    token: &str,
    round_id: &str,
    ballot: &SealedBallot,
) -> Result<u32, String> {
    let path = format!("/api/boards/{board_id}/rounds/{round_id}/ballot");
    let body = serde_json::to_string(ballot).map_err(|_| GARBLED.to_owned())?;
    let count: BallotCount = round_call(
        "POST",
        &path,
        token,
        Some(body),
        "Your votes could not be saved",
    )
    .await?;
    Ok(count.ballots)
}

/// How many people have cast a ballot in a sealed round so far.
pub async fn sealed_ballot_count(
    board_id: &str,
    token: &str,
    round_id: &str,
) -> Result<u32, String> {
    let path = format!("/api/boards/{board_id}/rounds/{round_id}/ballots");
    let count: BallotCount = round_call(
        "GET",
        &path,
        token,
        None,
        "The number of votes could not be checked",
    )
    .await?;
    Ok(count.ballots)
}

/// Closes a voting round (facilitators only). For a sealed round the server also writes
/// every ballot into the board, so the results appear for everyone at once.
pub async fn close_round(board_id: &str, token: &str, round_id: &str) -> Result<(), String> {
    let path = format!("/api/boards/{board_id}/rounds/{round_id}/close");
    let _: serde_json::Value =
        round_call("POST", &path, token, None, "The round could not be closed").await?;
    Ok(())
}

pub mod handover;
pub mod ledger;
pub mod silent;
pub mod snapshots;
pub mod withdraw;
