//! Loaded boards: one actor task per board ([`actor`]) and the registry that finds or
//! starts them ([`registry`]). Connections use [`BoardHandle`] and never see a `Doc`.

mod actor;
mod exit;
pub mod private;
mod registry;
pub mod validate;

pub use actor::BoardConfig;
pub use registry::Registry;

use std::sync::Arc;

use bytes::Bytes;
use tokio::sync::{broadcast, mpsc, oneshot};
use yrs::StateVector;
use yrs::sync::AwarenessUpdate;

use crate::store::StoreError;
use coboard_shared::schema::SchemaError;

pub use crate::ids::ConnId;

/// A frame for every connection of a board except `origin` (0: for everyone).
#[derive(Debug)]
pub struct Outgoing {
    pub origin: ConnId,
    pub frame: Bytes,
    /// The frame for connections that are not facilitators', when it must differ: an
    /// awareness change without people's access needs ([`private`]).
    pub public: Option<Bytes>,
}

impl Outgoing {
    /// A frame everyone receives alike.
    pub fn same(origin: ConnId, frame: Bytes) -> Self {
        Self {
            origin,
            frame,
            public: None,
        }
    }

    /// What a connection receives, by whether its link is a facilitator's.
    pub fn frame_for(&self, facilitator: bool) -> &Bytes {
        match (&self.public, facilitator) {
            (Some(public), false) => public,
            _ => &self.frame,
        }
    }
}

/// The actor asks a connection to close with this code and reason.
#[derive(Debug, Clone)]
pub struct Kick {
    pub code: u16,
    pub reason: String,
}

/// What a connection gets on joining: its subscription and the frames to send first.
pub struct Joined {
    pub rx: broadcast::Receiver<Arc<Outgoing>>,
    pub frames: Vec<Vec<u8>>,
}

/// Why a board cannot be served.
#[derive(Debug, Clone, thiserror::Error)]
pub enum BoardError {
    #[error("board not found")]
    NotFound,
    #[error("stored data for board {board} is unreadable: {detail}")]
    Corrupt { board: String, detail: String },
    #[error("store: {0}")]
    Store(String),
    #[error("the board was unloaded; try again")]
    Gone,
    #[error("the board has as many connections as it allows")]
    Full,
    /// As many connections on this board come from the joiner's address as one may have.
    #[error("too many connections to this board from one address")]
    FullForAddress,
    /// As many connections on this board use the joiner's invite as one may have.
    #[error("too many connections to this board with one link")]
    FullForInvite,
    /// Changes from the joiner's address were refused too often lately (see the rules).
    #[error("too many refused changes from this address")]
    TooManyRefused,
    /// An update broke the live document; the board reloads from the store.
    #[error("board state untrusted: {0}")]
    Poisoned(String),
}

impl From<StoreError> for BoardError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => BoardError::NotFound,
            StoreError::Corrupt { board, detail } => BoardError::Corrupt { board, detail },
            e => BoardError::Store(e.to_string()),
        }
    }
}

/// Who is joining a board.
#[derive(Debug, Clone)]
pub struct Joiner {
    pub conn: ConnId,
    /// The invite the connection came in with, so revoking it can close the connection.
    pub invite: String,
    /// The invite's role, for presence and the places kept for facilitators.
    pub role: coboard_shared::api::AccessRole,
    /// The client's address (its /64 for IPv6), for the per-address cap.
    pub addr: std::net::IpAddr,
}

pub(crate) enum Cmd {
    Join {
        who: Joiner,
        kick: oneshot::Sender<Kick>,
        reply: oneshot::Sender<Result<Joined, BoardError>>,
    },
    SyncStep1 {
        sv: StateVector,
        reply: oneshot::Sender<Vec<u8>>,
    },
    Update {
        conn: ConnId,
        update: Vec<u8>,
    },
    Awareness {
        conn: ConnId,
        update: AwarenessUpdate,
    },
    QueryAwareness {
        /// Whether the asker's link is a facilitator's (only they get shared needs).
        facilitator: bool,
        reply: oneshot::Sender<Vec<u8>>,
    },
    Leave {
        conn: ConnId,
    },
    /// Closes every connection that came in with this invite.
    Revoke {
        invite: String,
    },
    /// A read-only check against the live document (a sealed ballot against its round).
    Check {
        check: ReadCheck,
        reply: oneshot::Sender<Result<(), SchemaError>>,
    },
    /// The whole document, as one update (for exports).
    State {
        reply: oneshot::Sender<Vec<u8>>,
    },
    /// Compacts the stored history into the current state now (after a withdrawal, so
    /// nothing stored holds the withdrawn words); answers once it is done.
    Purge {
        reply: oneshot::Sender<Result<(), BoardError>>,
    },
    /// Answers once every update applied before it is durable: a client's ping, so it
    /// knows its changes are stored (see `Msg::Ping`). The answer says whether `conn` is
    /// still in good standing: a connection asked to close had an update refused or
    /// dropped, so nothing it sent may be confirmed.
    Barrier {
        conn: ConnId,
        reply: oneshot::Sender<bool>,
    },
    /// A change the server makes itself (publishing a sealed round's ballots).
    Edit {
        edit: ServerEdit,
        reply: oneshot::Sender<Result<(), EditError>>,
    },
}

/// A change the server makes to a board: it reads the board and writes through the
/// shared schema helpers. Shared so a retry (the actor was unloading) can run it again.
pub type ServerEdit = Arc<
    dyn Fn(&coboard_shared::schema::Board, &mut yrs::TransactionMut) -> Result<(), SchemaError>
        + Send
        + Sync,
>;

/// A read-only look at a board, run by its actor on the live document (no copy).
pub type ReadCheck = Arc<
    dyn Fn(&coboard_shared::schema::Board, &yrs::Transaction) -> Result<(), SchemaError>
        + Send
        + Sync,
>;

/// Why a server edit did not happen.
#[derive(Debug, Clone, thiserror::Error)]
pub enum EditError {
    /// The edit refused (the message is for people: "this round has closed").
    #[error("{0}")]
    Refused(SchemaError),
    #[error(transparent)]
    Board(#[from] BoardError),
}

/// A connection's way to talk to its board's actor.
#[derive(Clone)]
pub struct BoardHandle {
    tx: mpsc::Sender<Cmd>,
}

impl BoardHandle {
    /// Joins the board. `Gone` means the actor was unloading; ask the registry again.
    pub async fn join(
        &self,
        who: Joiner,
        kick: oneshot::Sender<Kick>,
    ) -> Result<Joined, BoardError> {
        let (reply, rx) = oneshot::channel();
        self.send(Cmd::Join { who, kick, reply }).await?;
        rx.await.map_err(|_| BoardError::Gone)?
    }

    pub async fn sync_step1(&self, sv: StateVector) -> Result<Vec<u8>, BoardError> {
        let (reply, rx) = oneshot::channel();
        self.send(Cmd::SyncStep1 { sv, reply }).await?;
        rx.await.map_err(|_| BoardError::Gone)
    }

    pub async fn update(&self, conn: ConnId, update: Vec<u8>) -> Result<(), BoardError> {
        self.send(Cmd::Update { conn, update }).await
    }

    pub async fn awareness(&self, conn: ConnId, update: AwarenessUpdate) -> Result<(), BoardError> {
        self.send(Cmd::Awareness { conn, update }).await
    }

    pub async fn query_awareness(&self, facilitator: bool) -> Result<Vec<u8>, BoardError> {
        let (reply, rx) = oneshot::channel();
        self.send(Cmd::QueryAwareness { facilitator, reply })
            .await?;
        rx.await.map_err(|_| BoardError::Gone)
    }

    /// Leaves without waiting: called from connection clean-up.
    pub fn leave(&self, conn: ConnId) {
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let _ = tx.send(Cmd::Leave { conn }).await;
        });
    }

    pub async fn revoke(&self, invite: String) -> Result<(), BoardError> {
        self.send(Cmd::Revoke { invite }).await
    }

    /// Runs a read-only check on the live document.
    pub async fn check(&self, check: ReadCheck) -> Result<Result<(), SchemaError>, BoardError> {
        let (reply, rx) = oneshot::channel();
        self.send(Cmd::Check { check, reply }).await?;
        rx.await.map_err(|_| BoardError::Gone)
    }

    /// The whole document as one v1 update, once everything applied is durable.
    pub async fn state(&self) -> Result<Vec<u8>, BoardError> {
        let (reply, rx) = oneshot::channel();
        self.send(Cmd::State { reply }).await?;
        rx.await.map_err(|_| BoardError::Gone)
    }

    /// Makes a server edit and returns once it is durable (and relayed to everyone).
    pub async fn edit(&self, edit: ServerEdit) -> Result<(), EditError> {
        let (reply, rx) = oneshot::channel();
        self.send(Cmd::Edit { edit, reply }).await?;
        rx.await.map_err(|_| BoardError::Gone)?
    }

    /// Returns once every update this board applied before the call is durable: true if
    /// `conn` is still in good standing (none of its updates was refused or dropped).
    pub async fn barrier(&self, conn: ConnId) -> Result<bool, BoardError> {
        let (reply, rx) = oneshot::channel();
        self.send(Cmd::Barrier { conn, reply }).await?;
        rx.await.map_err(|_| BoardError::Gone)
    }

    /// Compacts the board's stored history into its current state, now.
    pub async fn purge(&self) -> Result<(), BoardError> {
        let (reply, rx) = oneshot::channel();
        self.send(Cmd::Purge { reply }).await?;
        rx.await.map_err(|_| BoardError::Gone)?
    }

    async fn send(&self, cmd: Cmd) -> Result<(), BoardError> {
        self.tx.send(cmd).await.map_err(|_| BoardError::Gone)
    }
}

#[cfg(test)]
mod tests;
