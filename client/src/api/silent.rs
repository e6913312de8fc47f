//! Silent rounds: cards go to the server, never into the board, until the facilitator
//! reveals them (see `coboard_shared::schema::silent` for why).

use serde::{Deserialize, Serialize};

use super::snapshot_call;

/// A card as sent to the server. An empty `text` takes the card back.
#[derive(Debug, Clone, Serialize)]
pub struct Card<'a> {
    /// Random, chosen here; the item id once the card is revealed.
    pub card: &'a str,
    /// The card's own key (`Identity::item_key`), so I alone can change or withdraw it.
    pub key: &'a str,
    pub text: &'a str,
    /// My name, or "" when I take part anonymously.
    pub name: &'a str,
    /// "public", "professional" or "facilitator".
    pub role: &'a str,
    pub anonymous: bool,
}

#[derive(Debug, Deserialize)]
struct Count {
    cards: u64,
}

/// What a reveal did.
#[derive(Debug, Clone, Deserialize)]
pub struct Revealed {
    /// Cards put on the board by this reveal.
    pub cards: u64,
}

#[derive(Serialize)]
struct Reveal {
    public_only: bool,
}

fn path(board: &str, round: &str, what: &str) -> String {
    format!("/api/boards/{board}/silent/{round}/{what}")
}

/// Sends (or takes back) one card; answers how many cards the round now holds.
pub async fn put_card(
    board: &str,
    token: &str,
    round: &str,
    card: &Card<'_>,
) -> Result<u64, String> {
    let body = serde_json::to_string(card).map_err(|_| super::garbled().to_owned())?;
    let what = if card.text.is_empty() {
        "Your card could not be taken back"
    } else {
        "Your card could not be saved"
    };
    let c: Count = snapshot_call(
        "POST",
        &path(board, round, "cards"),
        token,
        Some(body),
        what,
    )
    .await?;
    Ok(c.cards)
}

/// How many cards the round holds so far (never whose, nor what they say).
pub async fn count(board: &str, token: &str, round: &str) -> Result<u64, String> {
    let c: Count = snapshot_call(
        "GET",
        &path(board, round, "cards"),
        token,
        None,
        "The number of cards could not be checked",
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
) -> Result<Revealed, String> {
    let body =
        serde_json::to_string(&Reveal { public_only }).map_err(|_| super::garbled().to_owned())?;
    snapshot_call(
        "POST",
        &path(board, round, "reveal"),
        token,
        Some(body),
        "The cards could not be revealed",
    )
    .await
}
