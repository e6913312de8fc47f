//! Silent rounds: cards go to the server, never into the board, until the facilitator
//! reveals them (see `coboard_shared::schema::silent` for why).

use coboard_shared::api::silent::{CardCount, CardRequest, RevealRequest};
use coboard_shared::schema::Revealed;

use crate::api::{Failure, NO_BODY, call};

fn path(board: &str, round: &str, what: &str) -> String {
    format!("/api/boards/{board}/silent/{round}/{what}")
}

/// Sends (or, with no words, takes back) one card; answers how many cards the round now
/// holds.
pub async fn put_card(
    board: &str,
    token: &str,
    round: &str,
    card: &CardRequest,
) -> Result<u64, Failure> {
    let what = if card.text.is_empty() {
        "Your card could not be taken back"
    } else {
        "Your card could not be saved"
    };
    let c: CardCount = call(
        "POST",
        &path(board, round, "cards"),
        Some(token),
        Some(card),
        what,
    )
    .await?;
    Ok(c.cards)
}

/// How many cards the round holds so far (never whose, nor what they say).
pub async fn count(board: &str, token: &str, round: &str) -> Result<u64, Failure> {
    let what = "The number of cards could not be checked";
    let c: CardCount = call(
        "GET",
        &path(board, round, "cards"),
        Some(token),
        NO_BODY,
        what,
    )
    .await?;
    Ok(c.cards)
}

/// Puts the cards on the board (facilitators only): public members' first when
/// `public_only`, otherwise every card still waiting.
pub async fn reveal(
    board: &str,
    token: &str,
    round: &str,
    public_only: bool,
) -> Result<Revealed, Failure> {
    let req = RevealRequest { public_only };
    let what = "The cards could not be revealed";
    call(
        "POST",
        &path(board, round, "reveal"),
        Some(token),
        Some(&req),
        what,
    )
    .await
}
