//! Boards: creating one from a template (seeded here, once), its details, and who is on
//! it.

use std::net::IpAddr;

use coboard_shared::api::{self, AccessRole, BoardInfo, CreateBoard, CreatedBoard, Presence};
use coboard_shared::{schema, templates};
use yrs::{Doc, ReadTxn, StateVector, Transact};

use super::invites::new_invite;
use super::{Core, ServiceError, paced};
use crate::board::BoardError;
use crate::{ids, now_ms};

/// Board creation and details.
#[derive(Clone)]
pub struct Boards {
    core: Core,
}

impl Boards {
    pub fn new(core: Core) -> Self {
        Self { core }
    }

    /// Creates a board from a template, asked for from `from`; the answer carries its
    /// creator's facilitator link.
    pub async fn create(
        &self,
        req: CreateBoard,
        from: IpAddr,
    ) -> Result<CreatedBoard, ServiceError> {
        api::validate_create(&req).map_err(ServiceError::Invalid)?;
        self.core.room_to_store()?;
        self.pace_creation(from)?;
        let info = BoardInfo::new(
            ids::board(),
            req.title.trim().to_owned(),
            req.template,
            now_ms(),
        );
        let template = templates::get(&info.template).expect("validated above");
        let doc = Doc::new();
        let board = schema::Board::new(&doc);
        // Seeding is a server edit like any other: judged by the same rules.
        let guard = coboard_shared::rules::Guard::watch(&doc);
        let ((), verdict) = guard.judging(coboard_shared::rules::Writer::Server, || {
            let mut txn = doc.transact_mut();
            board.init(&mut txn, &info.title);
            board.seed(&mut txn, template, info.created_at as f64, ids::board_entry);
        });
        verdict
            .map_err(|b| BoardError::Poisoned(format!("seeding broke the board's rules: {b}")))?;
        let initial = doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let created = self
            .store_new(info, initial, "Created the board".into())
            .await?;
        tracing::info!(board = %created.board.id, "board created");
        Ok(created)
    }

    /// Stores a new board with its first state and a facilitator link for whoever made
    /// it (a creation, or a restored snapshot), all or nothing.
    pub(super) async fn store_new(
        &self,
        info: BoardInfo,
        initial: Vec<u8>,
        label: String,
    ) -> Result<CreatedBoard, ServiceError> {
        let (creator, token) = new_invite(&info.id, AccessRole::Facilitator, label, None);
        self.core
            .store
            .create_board(&info, initial, &creator)
            .await?;
        Ok(CreatedBoard {
            share_url: api::invite_url(&info.id, &token),
            board: info,
            facilitator_token: token,
        })
    }

    /// Counts a board made from `from` (a creation or a restore).
    pub(super) fn pace_creation(&self, from: IpAddr) -> Result<(), ServiceError> {
        let slow = "Too many boards created from this address; please try again later.";
        paced(&self.core.rates.create, from, slow)
    }

    /// A board's details.
    pub async fn info(&self, board: &str) -> Result<BoardInfo, ServiceError> {
        Ok(self.core.store.board_info(board).await?)
    }

    /// Who is on the board now, on every instance when Redis is there.
    pub async fn presence(&self, board: &str) -> Result<Presence, ServiceError> {
        self.core.store.board_info(board).await?;
        Ok(self.core.registry.cluster().presence(board).await)
    }
}
