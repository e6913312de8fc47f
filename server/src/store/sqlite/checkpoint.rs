//! Checkpoints off the write path.
//!
//! In WAL mode SQLite copies the log back into the database file in a "checkpoint". By
//! default the commit that takes the log past 1,000 pages does it, fsync included, while
//! every append queued behind that commit waits: measured, p99 fan-out of 48 ms instead of
//! 2.5 ms. Here a thread of its own runs a passive checkpoint every second, which never
//! blocks the writer. The writer still checkpoints by itself past
//! [`WRITER_CHECKPOINT_PAGES`]: under writes that never pause, a passive checkpoint never
//! catches up with the end of the log, and only a checkpoint on the writer's side lets the
//! log start again from the beginning, so this bounds its size.

use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::Connection;

use super::super::StoreError;

/// How often the background thread checkpoints.
const EVERY: Duration = Duration::from_secs(1);

/// Log pages (4 KiB each) past which the writer checkpoints inside a commit.
pub(super) const WRITER_CHECKPOINT_PAGES: i64 = 10_000;

/// Bytes the log file is cut back to after it has been emptied.
pub(super) const LOG_SIZE_LIMIT: i64 = 16 * 1024 * 1024;

/// Held by whoever runs an explicit checkpoint. SQLite answers "busy" at once, without
/// waiting, to a checkpoint that finds another one running; the writer's truncating
/// checkpoint (after a withdrawal) must not fail because the background one was running.
#[derive(Clone, Default)]
pub(super) struct CheckpointLock(Arc<Mutex<()>>);

impl CheckpointLock {
    pub(super) fn hold(&self) -> std::sync::MutexGuard<'_, ()> {
        // A panic while holding it leaves nothing to repair: the guard protects no data.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Starts the background checkpoints on a connection of their own. They stop when the
/// returned sender is dropped (with the store).
pub(super) fn start(path: &Path, lock: CheckpointLock) -> Result<Sender<()>, StoreError> {
    let conn = Connection::open(path)?;
    let (stop_tx, stop_rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("coboard-store-checkpoint".into())
        .spawn(move || run(conn, lock, stop_rx))
        .map_err(|e| StoreError::Backend(e.to_string()))?;
    Ok(stop_tx)
}

fn run(conn: Connection, lock: CheckpointLock, stop: Receiver<()>) {
    while let Err(RecvTimeoutError::Timeout) = stop.recv_timeout(EVERY) {
        let _held = lock.hold();
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(error = %e, "store checkpoint failed; retrying later");
        }
    }
}
