//! Handing the facilitator role over: the facilitator offers it to a person (by their
//! per-board person id), and that person's browser accepts it, proving the id is theirs.

use coboard_shared::api::CreatedInvite;
use serde::Serialize;

use super::{UNREACHABLE, explain, send, snapshot_call};

#[derive(Serialize)]
struct Offer<'a> {
    person: &'a str,
    by: &'a str,
}

#[derive(Serialize)]
struct Accept<'a> {
    key: &'a str,
    name: &'a str,
    role: &'a str,
}

/// Offers the role to `person` (facilitators only); `by` names me in their notice.
pub async fn offer(board: &str, token: &str, person: &str, by: &str) -> Result<(), String> {
    let body =
        serde_json::to_string(&Offer { person, by }).map_err(|_| super::garbled().to_owned())?;
    let path = format!("/api/boards/{board}/facilitator/offer");
    // The answer is 204 with no body, so it is not read as JSON.
    let (status, text) = send("POST", &path, Some(token), Some(body))
        .await
        .map_err(|_| UNREACHABLE.to_owned())?;
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(explain(status, &text, "The role could not be offered"))
    }
}

/// Accepts the role offered to me with my `key` (`Identity::person_key`); the answer
/// holds a new facilitator link for this browser alone.
pub async fn accept(
    board: &str,
    token: &str,
    key: &str,
    name: &str,
    role: &str,
) -> Result<CreatedInvite, String> {
    let body = serde_json::to_string(&Accept { key, name, role })
        .map_err(|_| super::garbled().to_owned())?;
    snapshot_call(
        "POST",
        &format!("/api/boards/{board}/facilitator/accept"),
        token,
        Some(body),
        "The role could not be accepted",
    )
    .await
}
