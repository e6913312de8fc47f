//! Calls about a board's snapshots: save one, list them, compare one with now, fetch its
//! whole state, and restore one as a new board. Failures come back as sentences.

use coboard_shared::api::{CreateSnapshot, CreatedBoard, RestoreSnapshot, SnapshotInfo};
use coboard_shared::history::Changes;
use wasm_bindgen_futures::JsFuture;

use super::{get_file, snapshot_call};

fn base(board: &str) -> String {
    format!("/api/boards/{board}/snapshots")
}

/// Every snapshot of the board, oldest first (as the server sends them).
pub async fn list(board: &str, token: &str) -> Result<Vec<SnapshotInfo>, String> {
    snapshot_call(
        "GET",
        &base(board),
        token,
        None,
        "The saved versions could not be listed",
    )
    .await
}

/// Saves the board as it is now under `name`.
pub async fn create(board: &str, token: &str, name: &str) -> Result<SnapshotInfo, String> {
    let body = serde_json::to_string(&CreateSnapshot {
        name: name.to_owned(),
    })
    .map_err(|_| super::garbled().to_owned())?;
    snapshot_call(
        "POST",
        &base(board),
        token,
        Some(body),
        "The snapshot could not be saved",
    )
    .await
}

/// What changed between the snapshot and the board now.
pub async fn changes(board: &str, token: &str, id: &str) -> Result<Changes, String> {
    let path = format!("{}/{id}/changes", base(board));
    snapshot_call(
        "GET",
        &path,
        token,
        None,
        "The changes could not be worked out",
    )
    .await
}

/// Makes a new board from the snapshot; the answer carries its facilitator link.
pub async fn restore(board: &str, token: &str, id: &str) -> Result<CreatedBoard, String> {
    let path = format!("{}/{id}/restore", base(board));
    let body = serde_json::to_string(&RestoreSnapshot::default())
        .map_err(|_| super::garbled().to_owned())?;
    snapshot_call(
        "POST",
        &path,
        token,
        Some(body),
        "The new board could not be made",
    )
    .await
}

/// The snapshot's whole state, as one Yjs (v1) update.
pub async fn state(board: &str, token: &str, id: &str) -> Result<Vec<u8>, String> {
    let path = format!("{}/{id}", base(board));
    let what = "The snapshot could not be opened";
    let resp = get_file(&path, token, what).await?;
    let failed = || format!("{what}. Please try again.");
    let buffer = JsFuture::from(resp.array_buffer().map_err(|_| failed())?)
        .await
        .map_err(|_| failed())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
