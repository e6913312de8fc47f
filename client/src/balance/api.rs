//! The evidence for the UK Standards for Public Involvement, as data and as Markdown.

use coboard_shared::standards::Evidence;

use crate::api::{Failure, NO_BODY, call, exchange};
use crate::download;

/// Evidence for each of the six UK Standards for Public Involvement.
pub async fn standards(board: &str, token: &str) -> Result<Vec<Evidence>, Failure> {
    let path = format!("/api/boards/{board}/standards");
    let what = "The evidence could not be gathered";
    call("GET", &path, Some(token), NO_BODY, what).await
}

/// Downloads the evidence as Markdown; answers the file name.
pub async fn download_standards(board: &str, token: &str) -> Result<String, Failure> {
    let path = format!("/api/boards/{board}/standards?format=md");
    let what = "The evidence could not be downloaded";
    let resp = exchange("GET", &path, Some(token), NO_BODY, what).await?;
    download::save(resp, "standards-evidence.md", what).await
}
