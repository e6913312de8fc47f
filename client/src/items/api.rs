//! What only an item's author (or a facilitator) may do to an item goes through the
//! server, which checks the item's key (the board's rules let no client do it in the
//! document; see `coboard_shared::rules`).

use coboard_shared::api::items::{ConsentRequest, RemoveRequest};
use coboard_shared::schema::Consent;

use crate::api::{Failure, exchange, segment};

fn path(board: &str, item: &str, what: &str) -> String {
    format!("/api/boards/{board}/items/{}/{what}", segment(item))
}

/// Sets how my words in `item` may be used, proving the item is mine with its `key`.
pub async fn set_consent(
    board: &str,
    token: &str,
    item: &str,
    key: String,
    consent: Consent,
) -> Result<(), Failure> {
    let req = ConsentRequest { key, consent };
    let what = "Your choice could not be saved";
    exchange(
        "PUT",
        &path(board, item, "consent"),
        Some(token),
        Some(&req),
        what,
    )
    .await?;
    Ok(())
}

/// Moves `item` into the bin (`into`), or out of it: mine (proved with its `key`), or any
/// item for a facilitator.
pub async fn bin(
    board: &str,
    token: &str,
    item: &str,
    key: Option<String>,
    into: bool,
) -> Result<(), Failure> {
    let req = RemoveRequest { key };
    let (action, what) = match into {
        true => ("remove", "The item could not be removed"),
        false => ("restore", "The item could not be put back"),
    };
    exchange(
        "POST",
        &path(board, item, action),
        Some(token),
        Some(&req),
        what,
    )
    .await?;
    Ok(())
}
