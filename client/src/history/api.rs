//! Calls about a board's snapshots: save one, list them, compare one with now, fetch its
//! whole state, and restore one as a new board.

use coboard_shared::api::{CreateSnapshot, CreatedBoard, RestoreSnapshot, SnapshotInfo};
use coboard_shared::history::Changes;
use wasm_bindgen_futures::JsFuture;

use crate::api::{Failure, NO_BODY, call, exchange};

fn base(board: &str) -> String {
    format!("/api/boards/{board}/snapshots")
}

/// Every snapshot of the board, oldest first (as the server sends them).
pub async fn list(board: &str, token: &str) -> Result<Vec<SnapshotInfo>, Failure> {
    let what = "The saved versions could not be listed";
    call("GET", &base(board), Some(token), NO_BODY, what).await
}

/// Saves the board as it is now under `name`.
pub async fn create(board: &str, token: &str, name: &str) -> Result<SnapshotInfo, Failure> {
    let req = CreateSnapshot {
        name: name.to_owned(),
    };
    let what = "The snapshot could not be saved";
    call("POST", &base(board), Some(token), Some(&req), what).await
}

/// What changed between the snapshot and the board now.
pub async fn changes(board: &str, token: &str, id: &str) -> Result<Changes, Failure> {
    let path = format!("{}/{id}/changes", base(board));
    let what = "The changes could not be worked out";
    call("GET", &path, Some(token), NO_BODY, what).await
}

/// Makes a new board from the snapshot; the answer carries its facilitator link.
pub async fn restore(board: &str, token: &str, id: &str) -> Result<CreatedBoard, Failure> {
    let path = format!("{}/{id}/restore", base(board));
    let what = "The new board could not be made";
    let req = RestoreSnapshot::default();
    call("POST", &path, Some(token), Some(&req), what).await
}

/// The snapshot's whole state, as one Yjs (v1) update.
pub async fn state(board: &str, token: &str, id: &str) -> Result<Vec<u8>, Failure> {
    let path = format!("{}/{id}", base(board));
    let what = "The snapshot could not be opened";
    let resp = exchange("GET", &path, Some(token), NO_BODY, what).await?;
    let failed = || Failure::here(format!("{what}. Please try again."));
    let buffer = JsFuture::from(resp.array_buffer().map_err(|_| failed())?)
        .await
        .map_err(|_| failed())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
