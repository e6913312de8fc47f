//! "Withdraw my contribution": asks the server to replace one item's words with
//! "[withdrawn]" wherever it keeps them, and hands back its receipt.

use coboard_shared::api::withdraw::{Receipt, WithdrawRequest};

use crate::api::{Failure, call, segment};

/// Withdraws item `item`, proving it is mine with its `key` (facilitators may withdraw
/// any item; for them the key is ignored).
pub async fn withdraw(board: &str, token: &str, item: &str, key: &str) -> Result<Receipt, Failure> {
    let path = format!("/api/boards/{board}/items/{}/withdraw", segment(item));
    let req = WithdrawRequest {
        key: Some(key.to_owned()),
    };
    let what = "The contribution could not be withdrawn";
    call("POST", &path, Some(token), Some(&req), what).await
}
