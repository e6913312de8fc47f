//! Named snapshots of a board: take one, list them, read one (to open it read-only or
//! export it), see what changed since, and restore one as a **new** board. The live
//! board is never overwritten.
//!
//! A snapshot is a full copy of the board's encoded state, not a yrs snapshot: yrs
//! snapshots need garbage collection turned off for the whole document, so every deleted
//! character would be kept forever, and a withdrawn contribution could never be removed
//! from history. A full copy costs the board's size per snapshot (about 350 KB for a
//! board of 1,000 notes) and can be rewritten on its own.

use std::net::IpAddr;

use coboard_shared::api::{self, BoardInfo, CreatedBoard, SnapshotInfo};
use coboard_shared::history::{self, Changes};
use coboard_shared::schema::Board;
use yrs::updates::decoder::Decode;
use yrs::{Doc, Map, ReadTxn, StateVector, Transact, Update};

use super::boards::Boards;
use super::{Core, ServiceError, paced};
use crate::store::StoreError;
use crate::{ids, now_ms};

/// Most snapshots one board keeps (each is a full copy).
pub const MAX_SNAPSHOTS_PER_BOARD: usize = 200;

/// A board state (one v1 update) as a document of its own.
pub fn doc_of(state: &[u8]) -> Result<Doc, ServiceError> {
    let doc = Doc::new();
    let update = Update::decode_v1(state).map_err(|e| ServiceError::Unreadable(Box::new(e)))?;
    doc.transact_mut()
        .apply_update(update)
        .map_err(|e| ServiceError::Unreadable(Box::new(e)))?;
    Ok(doc)
}

/// What an export or a comparison reads: a board's state, what it is, and when.
pub struct Source {
    pub state: Vec<u8>,
    /// "live", or the snapshot's name.
    pub name: String,
    /// When the state was taken (ms since the Unix epoch).
    pub taken_at: f64,
}

/// A board's snapshots.
#[derive(Clone)]
pub struct Snapshots {
    core: Core,
    boards: Boards,
}

impl Snapshots {
    pub fn new(core: Core) -> Self {
        Self {
            boards: Boards::new(core.clone()),
            core,
        }
    }

    /// Saves the board as it is now under a name someone gave, asked for from `from`.
    pub async fn create(
        &self,
        board: &str,
        name: &str,
        from: IpAddr,
    ) -> Result<SnapshotInfo, ServiceError> {
        api::validate_snapshot_name(name).map_err(ServiceError::Invalid)?;
        self.core.room_to_store()?;
        let slow = "Too many snapshots saved from this address; please wait a moment.";
        paced(&self.core.rates.snapshots, from, slow)?;
        if self.core.store.list_snapshots(board).await?.len() >= MAX_SNAPSHOTS_PER_BOARD {
            return Err(ServiceError::Conflict(format!(
                "This board already keeps {MAX_SNAPSHOTS_PER_BOARD} snapshots, as many as it can."
            )));
        }
        let state = self.live_state(board).await?;
        let info = SnapshotInfo {
            id: ids::snapshot(),
            name: name.trim().to_owned(),
            created_at: now_ms(),
            auto: false,
            bytes: state.len() as u64,
        };
        self.core.store.create_snapshot(board, &info, state).await?;
        tracing::info!(board, snapshot = %info.id, "snapshot taken");
        Ok(info)
    }

    /// The board's snapshots, oldest first.
    pub async fn list(&self, board: &str) -> Result<Vec<SnapshotInfo>, ServiceError> {
        Ok(self.core.store.list_snapshots(board).await?)
    }

    /// One snapshot and its state.
    pub async fn read(
        &self,
        board: &str,
        id: &str,
    ) -> Result<(SnapshotInfo, Vec<u8>), ServiceError> {
        self.core
            .store
            .snapshot(board, id)
            .await
            .map_err(|e| match e {
                StoreError::NotFound(_) => ServiceError::NotFound("No snapshot with that id."),
                e => e.into(),
            })
    }

    /// The live board's whole state, once everything applied is durable.
    pub async fn live_state(&self, board: &str) -> Result<Vec<u8>, ServiceError> {
        Ok(self.core.registry.state(board).await?)
    }

    /// The live board, or one of its snapshots.
    pub async fn source(
        &self,
        board: &str,
        snapshot: Option<&str>,
    ) -> Result<Source, ServiceError> {
        Ok(match snapshot {
            None => Source {
                state: self.live_state(board).await?,
                name: "live".into(),
                taken_at: now_ms() as f64,
            },
            Some(id) => {
                let (info, state) = self.read(board, id).await?;
                Source {
                    state,
                    name: info.name,
                    taken_at: info.created_at as f64,
                }
            }
        })
    }

    /// What changed between a snapshot and the board now, asked for from `from`.
    pub async fn changes(
        &self,
        board: &str,
        id: &str,
        from: IpAddr,
    ) -> Result<Changes, ServiceError> {
        let slow = "Too many history requests from this address; please wait a moment.";
        paced(&self.core.rates.history, from, slow)?;
        let (info, then) = self.read(board, id).await?;
        let now = self.live_state(board).await?;
        tokio::task::spawn_blocking(move || {
            let (a, b) = (doc_of(&then)?, doc_of(&now)?);
            let (ba, bb) = (Board::new(&a), Board::new(&b));
            Ok(history::changes(
                (&ba, &a.transact()),
                (&bb, &b.transact()),
                info.created_at as f64,
            ))
        })
        .await?
    }

    /// Makes a new board from a snapshot (titled `title`, or the old title with the
    /// snapshot's name), asked for from `from`; the answer carries the new board's
    /// facilitator link.
    pub async fn restore(
        &self,
        board: &str,
        id: &str,
        title: Option<String>,
        from: IpAddr,
    ) -> Result<CreatedBoard, ServiceError> {
        self.core.room_to_store()?;
        self.boards.pace_creation(from)?;
        let (info, state) = self.read(board, id).await?;
        let old = self.core.store.board_info(board).await?;
        let title = title
            .map(|t| t.trim().to_owned())
            .unwrap_or_else(|| format!("{} ({})", old.title, info.name));
        let title: String = title.chars().take(api::MAX_TITLE_CHARS).collect();
        if title.is_empty() {
            return Err(ServiceError::Invalid(
                "Please give the board a title.".into(),
            ));
        }
        let new = BoardInfo::new(ids::board(), title, old.template, now_ms());
        let (title, from) = (new.title.clone(), info.name.clone());
        let initial = tokio::task::spawn_blocking(move || {
            let doc = doc_of(&state)?;
            let board = Board::new(&doc);
            {
                let mut txn = doc.transact_mut();
                board.meta.insert(&mut txn, "title", title.as_str());
                board.meta.insert(&mut txn, "restored_from", from.as_str());
            }
            Ok::<_, ServiceError>(
                doc.transact()
                    .encode_state_as_update_v1(&StateVector::default()),
            )
        })
        .await??;
        let label = format!("Restored from \"{}\"", info.name);
        let created = self.boards.store_new(new, initial, label).await?;
        tracing::info!(board = %created.board.id, from = board, snapshot = id, "board restored from a snapshot");
        Ok(created)
    }
}
