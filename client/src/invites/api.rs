//! Invite links (facilitators only).

use coboard_shared::api::{CreateInvite, CreatedInvite, Invite};

use crate::api::{Failure, NO_BODY, call, exchange};

fn base(board: &str) -> String {
    format!("/api/boards/{board}/invites")
}

/// Makes a new invite link.
pub async fn create(
    board: &str,
    token: &str,
    req: &CreateInvite,
) -> Result<CreatedInvite, Failure> {
    let what = "The link could not be made";
    call("POST", &base(board), Some(token), Some(req), what).await
}

/// Every invite link of the board, newest last.
pub async fn list(board: &str, token: &str) -> Result<Vec<Invite>, Failure> {
    let what = "The links could not be listed";
    call("GET", &base(board), Some(token), NO_BODY, what).await
}

/// Switches an invite link off for good.
pub async fn revoke(board: &str, token: &str, invite: &str) -> Result<(), Failure> {
    let path = format!("{}/{invite}", base(board));
    let what = "The link could not be switched off";
    exchange("DELETE", &path, Some(token), NO_BODY, what).await?;
    Ok(())
}
