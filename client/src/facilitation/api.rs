//! Handing the facilitator role over: the facilitator offers it to a person (by their
//! per-board person id), and that person's browser accepts it, proving the id is theirs.

use coboard_shared::api::CreatedInvite;
use coboard_shared::api::handover::{AcceptRequest, OfferRequest};

use crate::api::{Failure, call, exchange};

/// Offers the role to a person (facilitators only).
pub async fn offer(board: &str, token: &str, req: &OfferRequest) -> Result<(), Failure> {
    let path = format!("/api/boards/{board}/facilitator/offer");
    // The answer is 204 with no body, so it is not read as JSON.
    exchange(
        "POST",
        &path,
        Some(token),
        Some(req),
        "The role could not be offered",
    )
    .await?;
    Ok(())
}

/// Accepts the role offered to me; the answer holds a new facilitator link for this
/// browser alone.
pub async fn accept(
    board: &str,
    token: &str,
    req: &AcceptRequest,
) -> Result<CreatedInvite, Failure> {
    let path = format!("/api/boards/{board}/facilitator/accept");
    call(
        "POST",
        &path,
        Some(token),
        Some(req),
        "The role could not be accepted",
    )
    .await
}
