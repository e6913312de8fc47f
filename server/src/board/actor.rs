//! The board actor: one task owns one loaded board's yrs `Doc` and awareness.
//!
//! Connections never touch the document; they send [`Cmd`]s over a bounded channel and
//! receive frames from the board's broadcast channel. Because only this task ever opens a
//! transaction on the document, `transact` never waits on a lock.
//!
//! Durability comes first: an update is applied in memory, appended to the store, and only
//! broadcast once the store says it is durable. Anything that hands out the document's
//! state (a newcomer's join, a client's sync step 1) waits until every applied update is
//! durable, so no client can ever receive an edit that a crash would lose.

use std::sync::Arc;
use std::time::Duration;

use coboard_shared::close;
use coboard_shared::protocol::{self, Msg};
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio::time::Instant;
use yrs::sync::Awareness;
use yrs::{Doc, ReadTxn, StateVector, Transact};

mod agreed;
mod apply;
mod catch_up;
mod conns;
mod edit;
mod lifecycle;
mod log;
mod owners;
mod presence;
mod remote;
mod rules;

use super::exit::Exit;
use super::validate::depth::TypeDepths;
use super::{BoardError, Cmd, ConnId, EditError, Joined, Outgoing};
use crate::cluster::{Cluster, Kind, Remote};
use crate::store::Store;

/// Tunables for every board actor.
#[derive(Debug, Clone)]
pub struct BoardConfig {
    /// Frames buffered per board for connections; a connection further behind is closed.
    pub broadcast_capacity: usize,
    /// Compact the update log into a snapshot after this many appends.
    pub compact_every: u64,
    /// Unload a board this long after its last connection leaves.
    pub idle_unload: Duration,
    /// Most connections on one board.
    pub max_connections: usize,
    /// Of those, places only facilitators may take, so whoever runs the session can always
    /// get in, however many others hold links.
    pub facilitator_places: usize,
    /// Most connections on one board from one address (an IPv6 /64).
    pub max_per_address: usize,
    /// Most connections on one board with one invite link.
    pub max_per_invite: usize,
    /// The store's ceiling (`--max-store-bytes`), shared by every board.
    pub quota: Arc<crate::quota::StoreQuota>,
    /// Largest board, in bytes of stored updates; edits beyond it are refused.
    pub max_board_bytes: usize,
    /// Most awareness client ids one connection may announce over its life.
    pub max_awareness_clients: usize,
    /// Refused changes from one address, within ten minutes, that keep it off the board.
    pub refusals_before_bar: usize,
}

/// A connection's ping waiting for the appends before it: the append count it waits for.
struct Barrier {
    until: u64,
    conn: ConnId,
    reply: oneshot::Sender<bool>,
}

impl Default for BoardConfig {
    fn default() -> Self {
        Self {
            broadcast_capacity: 1024,
            compact_every: 1000,
            idle_unload: Duration::from_secs(30),
            max_connections: 200,
            facilitator_places: 10,
            max_per_address: 100,
            max_per_invite: 150,
            quota: Arc::default(),
            max_board_bytes: 32 * 1024 * 1024,
            max_awareness_clients: 8,
            refusals_before_bar: 3,
        }
    }
}

/// Told when a server edit is durable.
type Ack = oneshot::Sender<Result<(), EditError>>;

/// The origin of server edits: no connection has it, so every connection receives them.
const SERVER_ORIGIN: ConnId = 0;

pub(super) struct BoardActor {
    id: Arc<str>,
    generation: u64,
    store: Arc<dyn Store>,
    /// How this actor leaves the registry.
    exit: Exit,
    config: BoardConfig,
    awareness: Awareness,
    /// How deep every block of the document sits (see `validate::depth`).
    depths: TypeDepths,
    bcast: broadcast::Sender<Arc<Outgoing>>,
    /// The board's connections.
    conns: conns::Connections,
    /// The board's stored history: appends on their way, and compaction.
    log: log::DurableLog,
    /// Set when the board stopped on an error: nothing more is applied or stored.
    failed: bool,
    /// Automatic snapshots of what the group agreed.
    snapshots: agreed::AutoSnapshots,
    /// The other instances (see `remote`).
    cluster: Cluster,
    /// What other instances send this board; set once loaded.
    remote: Option<mpsc::Receiver<Remote>>,
    /// People on other instances, and when each was last renewed.
    remote_people: owners::RemotePeople,
    /// Which local connection owns which awareness client id.
    owners: owners::Owners,
    /// Reading from the store what other instances' messages did not bring.
    catch_up: catch_up::CatchUp,
    /// Judges every change against the board's rules; set once loaded.
    guard: Option<coboard_shared::rules::Guard>,
    /// The live document holds a refused change and must be rebuilt before anything else
    /// reads it (see `rules`).
    stale: bool,
    /// Addresses whose changes were refused lately.
    refusals: rules::Refusals,
    /// Pings waiting for appends to be stored, oldest first. They wait here rather than
    /// hold up the command queue, so a busy board keeps taking updates meanwhile.
    barriers: std::collections::VecDeque<Barrier>,
}

impl BoardActor {
    pub(super) fn new(
        id: Arc<str>,
        generation: u64,
        store: Arc<dyn Store>,
        exit: Exit,
        config: BoardConfig,
        cluster: Cluster,
    ) -> Self {
        let (bcast, _) = broadcast::channel(config.broadcast_capacity);
        let log = log::DurableLog::new(store.clone(), id.clone(), config.compact_every);
        let snapshots = agreed::AutoSnapshots::new(store.clone(), id.clone(), config.quota.clone());
        let catch_up = catch_up::CatchUp::new(store.clone(), id.clone());
        Self {
            id,
            generation,
            store,
            exit,
            config,
            awareness: Awareness::new(Doc::new()),
            depths: TypeDepths::default(),
            bcast,
            conns: conns::Connections::default(),
            log,
            failed: false,
            snapshots,
            cluster,
            remote: None,
            remote_people: owners::RemotePeople::default(),
            owners: owners::Owners::default(),
            catch_up,
            guard: None,
            stale: false,
            refusals: rules::Refusals::default(),
            barriers: std::collections::VecDeque::new(),
        }
    }

    fn doc(&self) -> &Doc {
        self.awareness.doc()
    }

    /// Loads the board, then serves commands until the board is idle, the server shuts
    /// down, or the store fails.
    #[tracing::instrument(name = "board", skip_all, fields(board = %self.id))]
    pub(super) async fn run(mut self, mut rx: mpsc::Receiver<Cmd>) {
        if let Err(e) = self.load().await {
            tracing::error!(error = %e, "board failed to load");
            self.exit.remove();
            self.cluster.detach(&self.id, self.generation).await;
            rx.close();
            while let Some(cmd) = rx.recv().await {
                match cmd {
                    Cmd::Join { reply, .. } => {
                        let _ = reply.send(Err(e.clone()));
                    }
                    Cmd::Edit { reply, .. } => {
                        let _ = reply.send(Err(e.clone().into()));
                    }
                    _ => {}
                }
            }
            return;
        }
        tracing::debug!("board loaded");
        let mut idle_since = Some(Instant::now());
        // A command that reads the document waits here until every applied update is durable.
        let mut waiting: Option<Cmd> = None;
        let shutdown = self.exit.shutdown.clone();
        let mut prune = tokio::time::interval(remote::REMOTE_AWARENESS_TIMEOUT / 3);
        loop {
            let idle_deadline = idle_since.map(|t| t + self.config.idle_unload);
            tokio::select! {
                cmd = rx.recv(), if waiting.is_none() => {
                    let Some(cmd) = cmd else { break };
                    if cmd.reads_state() && self.log.has_pending() {
                        waiting = Some(cmd);
                    } else if let Err(e) = self.handle_settled(cmd).await {
                        self.fail(e);
                        break;
                    }
                }
                Some((result, frame, ack)) = self.log.next_stored(), if self.log.has_pending() => {
                    match result {
                        Ok(seq) => {
                            self.durable(seq, frame);
                            if let Some(ack) = ack {
                                let _ = ack.send(Ok(()));
                            }
                        }
                        Err(e) => {
                            self.fail(BoardError::Store(e.to_string()));
                            break;
                        }
                    }
                    if !self.log.has_pending() {
                        self.auto_snapshot(false);
                    }
                    if !self.log.has_pending()
                        && let Some(cmd) = waiting.take()
                        && let Err(e) = self.handle_settled(cmd).await
                    {
                        self.fail(e);
                        break;
                    }
                }
                Some(remote) = recv_remote(&mut self.remote) => {
                    if let Err(e) = self.on_remote(remote) {
                        self.fail(e);
                        break;
                    }
                }
                result = self.catch_up.finished() => {
                    if let Err(e) = self.caught_up(result) {
                        self.fail(e);
                        break;
                    }
                }
                _ = prune.tick() => self.prune_remote_awareness(),
                _ = shutdown.cancelled() => break,
                _ = sleep_until(idle_deadline), if idle_deadline.is_some() && !self.log.has_pending() => {
                    if self.exit.remove_if_idle(&rx) {
                        break;
                    }
                    idle_since = Some(Instant::now());
                }
            }
            idle_since = match (self.conns.is_empty(), idle_since) {
                (true, None) => Some(Instant::now()),
                (true, since) => since,
                (false, _) => None,
            };
        }
        self.shut_down(rx).await;
    }

    /// Handles one command, then rebuilds the document if the command's change was refused,
    /// so nothing ever reads a refused change.
    async fn handle_settled(&mut self, cmd: Cmd) -> Result<(), BoardError> {
        self.handle(cmd)?;
        if self.stale {
            self.restore().await?;
        }
        Ok(())
    }

    fn handle(&mut self, cmd: Cmd) -> Result<(), BoardError> {
        match cmd {
            Cmd::Join { reply, who, .. }
                if self.refusals.barred(
                    who.addr,
                    Instant::now(),
                    self.config.refusals_before_bar,
                ) =>
            {
                let _ = reply.send(Err(BoardError::TooManyRefused));
            }
            Cmd::Join { reply, who, .. }
                if let Err(e) = self.conns.may_join(&who, &self.config) =>
            {
                let _ = reply.send(Err(e));
            }
            Cmd::Join { who, kick, reply } => {
                let role = who.role;
                self.cluster.join(&self.id, who.conn, role);
                let rx = self.bcast.subscribe();
                let mut frames = vec![protocol::encode(&Msg::SyncStep1(
                    self.doc().transact().state_vector(),
                ))];
                if let Ok(update) = self.awareness.update()
                    && !update.clients.is_empty()
                {
                    // People's shared access needs go to facilitators only.
                    let update = match role.can_manage() {
                        true => update,
                        false => crate::board::private::without_needs(&update).unwrap_or(update),
                    };
                    frames.extend(presence::presence_frames(update));
                }
                self.conns.add(who, kick);
                let _ = reply.send(Ok(Joined { rx, frames }));
            }
            Cmd::SyncStep1 { sv, reply } => {
                let _ = reply.send(self.sync_step2(&sv));
            }
            Cmd::Update { conn, update }
                if self.log.stored_bytes() + update.len() > self.config.max_board_bytes =>
            {
                tracing::warn!(
                    conn,
                    bytes = self.log.stored_bytes(),
                    "board is at its size limit"
                );
                self.kick(
                    conn,
                    close::BOARD_FULL,
                    "This board has reached its size limit, so the change was not saved.".into(),
                );
            }
            Cmd::Update { conn, .. } if self.config.quota.is_full() => {
                self.kick(conn, close::BOARD_FULL, crate::quota::FULL.into());
            }
            Cmd::Update { conn, update } => self.apply(conn, update, None)?,
            Cmd::Edit { edit, reply } => self.server_edit(edit, reply)?,
            Cmd::Purge { reply } => self.purge(reply),
            Cmd::Barrier { conn, reply } => self.barrier(conn, reply),
            Cmd::Check { check, reply } => {
                let board = coboard_shared::schema::Board::new(self.doc());
                let txn = self.doc().transact();
                let _ = reply.send(check(&board, &txn));
            }
            Cmd::State { reply } => {
                let state = self
                    .doc()
                    .transact()
                    .encode_state_as_update_v1(&StateVector::default());
                let _ = reply.send(state);
            }
            Cmd::Awareness { conn, update } => self.awareness_update(conn, update),
            Cmd::QueryAwareness { facilitator, reply } => {
                let frame = self
                    .awareness
                    .update()
                    .map(|u| match facilitator {
                        true => u,
                        false => crate::board::private::without_needs(&u).unwrap_or(u),
                    })
                    .map(|u| protocol::encode(&Msg::Awareness(u)))
                    .unwrap_or_default();
                let _ = reply.send(frame);
            }
            Cmd::Leave { conn } => self.leave(conn),
            Cmd::Revoke { invite } => self.revoke(&invite),
        }
        Ok(())
    }

    /// Closes every connection of this board that uses `invite`.
    fn revoke(&mut self, invite: &str) {
        let reason = "This invite link has been switched off.";
        self.conns.kick_invite(invite, close::FORBIDDEN, reason);
    }

    /// A complete sync step 2: everything the client with state vector `sv` is missing.
    fn sync_step2(&self, sv: &StateVector) -> Vec<u8> {
        let update = self.doc().transact().encode_state_as_update_v1(sv);
        protocol::encode(&Msg::SyncStep2(update))
    }

    fn kick(&mut self, conn: ConnId, code: u16, reason: String) {
        self.conns.kick(conn, code, reason);
    }

    /// Answers `reply` once every append so far is durable (at once if none is waiting).
    fn barrier(&mut self, conn: ConnId, reply: oneshot::Sender<bool>) {
        let until = self.log.queued();
        if self.log.stored() >= until {
            let _ = reply.send(self.conns.in_good_standing(conn));
        } else {
            self.barriers.push_back(Barrier { until, conn, reply });
        }
    }

    /// An update is durable: now, and only now, the other connections may see it.
    fn durable(&mut self, seq: i64, frame: Arc<Outgoing>) {
        let due = self.log.durable(seq, frame.frame.len());
        while self
            .barriers
            .front()
            .is_some_and(|b| b.until <= self.log.stored())
        {
            if let Some(b) = self.barriers.pop_front() {
                let _ = b.reply.send(self.conns.in_good_standing(b.conn));
            }
        }
        metrics::counter!("coboard_updates_total", "source" => "local").increment(1);
        self.cluster
            .publish(&self.id, Kind::Frame, frame.frame.clone());
        let _ = self.bcast.send(frame);
        // A compaction encodes the live document: not while it holds a refused change.
        if due && !self.stale {
            self.start_compaction();
        }
    }

    /// Compacts now, after any compaction already running, and answers when it is stored.
    fn purge(&mut self, reply: oneshot::Sender<Result<(), BoardError>>) {
        self.compact(Some(reply));
    }

    fn start_compaction(&mut self) {
        if !self.log.compacting() {
            self.compact(None);
        }
    }

    /// Folds the stored log into the current state, after any compaction still running;
    /// tells `reply` (if any) how it went.
    fn compact(&mut self, reply: Option<oneshot::Sender<Result<(), BoardError>>>) {
        let state = self
            .doc()
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        self.log.compact(state, reply);
    }
}

/// The next message from other instances, or never if the board has no link yet.
async fn recv_remote(rx: &mut Option<mpsc::Receiver<Remote>>) -> Option<Remote> {
    match rx {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

impl Cmd {
    /// Commands whose answer carries document state, and so must wait for durability.
    fn reads_state(&self) -> bool {
        matches!(
            self,
            Cmd::Join { .. }
                | Cmd::SyncStep1 { .. }
                | Cmd::Edit { .. }
                | Cmd::State { .. }
                | Cmd::Purge { .. }
        )
    }
}
