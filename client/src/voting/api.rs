//! Sealed voting rounds: ballots go to the server, not into the board, until the round
//! closes.

use coboard_shared::api::rounds::{BallotCount, BallotRequest, Closed};

use crate::api::{Failure, NO_BODY, call};

fn path(board: &str, round: &str, what: &str) -> String {
    format!("/api/boards/{board}/rounds/{round}/{what}")
}

/// Casts (or replaces) my ballot in a sealed round; answers how many people have voted.
pub async fn cast(
    board: &str,
    token: &str,
    round: &str,
    ballot: &BallotRequest,
) -> Result<u64, Failure> {
    let what = "Your votes could not be saved";
    let count: BallotCount = call(
        "POST",
        &path(board, round, "ballot"),
        Some(token),
        Some(ballot),
        what,
    )
    .await?;
    Ok(count.ballots)
}

/// How many people have cast a ballot in a sealed round so far.
pub async fn count(board: &str, token: &str, round: &str) -> Result<u64, Failure> {
    let what = "The number of votes could not be checked";
    let count: BallotCount = call(
        "GET",
        &path(board, round, "ballots"),
        Some(token),
        NO_BODY,
        what,
    )
    .await?;
    Ok(count.ballots)
}

/// Closes a voting round (facilitators only). For a sealed round the server also writes
/// every ballot into the board, so the results appear for everyone at once.
pub async fn close(board: &str, token: &str, round: &str) -> Result<(), Failure> {
    let what = "The round could not be closed";
    let _: Closed = call(
        "POST",
        &path(board, round, "close"),
        Some(token),
        NO_BODY,
        what,
    )
    .await?;
    Ok(())
}
