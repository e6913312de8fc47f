//! Several instances serving the same boards: fan-out of updates and awareness through
//! Redis, and presence that knows who is on a board whichever instance they reached.
//!
//! Every instance has an id. A board actor [`attach`](Cluster::attach)es when it loads,
//! which subscribes this instance to the board's channel, and then
//! [`publish`](Cluster::publish)es every durable update and every awareness change. What
//! other instances publish reaches it as [`Remote`] messages. Nothing is ever echoed back:
//! an instance ignores its own messages.
//!
//! Redis is a fast path, never the record: updates are published only after the store has
//! them, so an instance that missed messages (its Redis connection dropped, its queue
//! filled) catches up by reading the store ([`Remote::CatchUp`]). Without `--redis-url`
//! the cluster is this one instance and presence is kept in memory.

mod message;
mod presence;
mod redis;

pub use message::{Key, Kind, Message, MessageError};

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use coboard_shared::api::{AccessRole, Presence, PresentPerson};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::ids::ConnId;
use presence::LocalPresence;

/// Messages queued for one board's actor; past this, the board catches up from the store.
const REMOTE_QUEUE: usize = 1024;

/// What other instances tell a board's actor.
#[derive(Debug)]
pub enum Remote {
    /// A y-websocket frame (update or awareness) from another instance, with its origin.
    Frame { from: Arc<str>, frame: Bytes },
    /// Another instance loaded the board: publish this instance's awareness states.
    Hello,
    /// Messages may have been missed: read the store and apply what is missing.
    CatchUp,
    /// An invite was switched off through another instance: close its connections here.
    Revoke(String),
}

/// Settings for the cluster.
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    pub instance_id: String,
    pub redis_url: Option<String>,
    /// The secret every instance signs its Redis messages with (required with Redis).
    pub secret: Option<String>,
    /// How long an instance's presence outlives its last heartbeat.
    pub presence_ttl: Duration,
}

/// This instance's link to the others. Cheap to clone.
#[derive(Clone)]
pub struct Cluster {
    inner: Arc<Inner>,
}

struct Inner {
    instance: Arc<str>,
    presence: LocalPresence,
    boards: Mutex<HashMap<Arc<str>, BoardLink>>,
    redis: Option<redis::Redis>,
}

struct BoardLink {
    /// The actor's generation (see the registry), so an old actor's detach cannot remove
    /// the link of a newer actor of the same board.
    generation: u64,
    tx: mpsc::Sender<Remote>,
    /// A catch-up is already queued (so a flood of dropped messages queues one, not many).
    catch_up_queued: Arc<AtomicBool>,
}

/// Errors starting the cluster.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("bad Redis URL: {0}")]
    Url(String),
    #[error(
        "--redis-url needs --cluster-secret (COBOARD_CLUSTER_SECRET): a secret of at least \
         {MIN_SECRET} characters that every instance shares, so that no one else who can \
         reach Redis can send the instances updates or presence"
    )]
    NoSecret,
}

/// Shortest cluster secret accepted.
pub const MIN_SECRET: usize = 16;

impl Cluster {
    /// A cluster of one: no Redis, presence in memory.
    pub fn single(instance_id: &str) -> Self {
        Self::build(instance_id, None)
    }

    /// Starts the cluster. With a Redis URL it connects in the background and keeps
    /// reconnecting, so a Redis that is down at start-up only delays the fan-out.
    pub fn start(
        config: &ClusterConfig,
        shutdown: CancellationToken,
    ) -> Result<Self, ClusterError> {
        let Some(url) = &config.redis_url else {
            return Ok(Self::single(&config.instance_id));
        };
        let secret = config
            .secret
            .as_deref()
            .filter(|s| s.len() >= MIN_SECRET)
            .ok_or(ClusterError::NoSecret)?;
        let client =
            ::redis::Client::open(url.as_str()).map_err(|e| ClusterError::Url(e.to_string()))?;
        let redis = redis::Redis::new(client, config.presence_ttl, Key::new(secret.as_bytes()))
            .map_err(|e| ClusterError::Url(e.to_string()))?;
        let cluster = Self::build(&config.instance_id, Some(redis));
        redis::spawn_tasks(&cluster, shutdown);
        Ok(cluster)
    }

    fn build(instance_id: &str, redis: Option<redis::Redis>) -> Self {
        Self {
            inner: Arc::new(Inner {
                instance: Arc::from(instance_id),
                presence: LocalPresence::default(),
                boards: Mutex::default(),
                redis,
            }),
        }
    }

    pub fn instance_id(&self) -> &str {
        &self.inner.instance
    }

    /// Whether other instances can be reached right now.
    pub fn connected(&self) -> bool {
        self.inner
            .redis
            .as_ref()
            .is_some_and(redis::Redis::connected)
    }

    /// Called by a board actor as it loads, before it reads the store, so nothing published
    /// between its read and its subscription is missed.
    pub async fn attach(&self, board: &Arc<str>, generation: u64) -> mpsc::Receiver<Remote> {
        let (tx, rx) = mpsc::channel(REMOTE_QUEUE);
        let link = BoardLink {
            generation,
            tx,
            catch_up_queued: Arc::new(AtomicBool::new(false)),
        };
        self.inner
            .boards
            .lock()
            .expect("cluster lock")
            .insert(board.clone(), link);
        if let Some(redis) = &self.inner.redis {
            redis.subscribe(board).await;
            self.publish(board, Kind::Hello, Bytes::new());
        }
        rx
    }

    /// Called by a board actor as it unloads.
    pub async fn detach(&self, board: &str, generation: u64) {
        {
            let mut boards = self.inner.boards.lock().expect("cluster lock");
            if boards.get(board).is_none_or(|l| l.generation != generation) {
                return;
            }
            boards.remove(board);
        }
        if let Some(redis) = &self.inner.redis {
            let boards = &self.inner.boards;
            redis
                .unsubscribe(board, || {
                    boards.lock().expect("cluster lock").contains_key(board)
                })
                .await;
        }
    }

    /// Tells the other instances; never waits. If Redis cannot take it, the board is
    /// marked so the others are told to catch up from the store once it can.
    pub fn publish(&self, board: &Arc<str>, kind: Kind, payload: Bytes) {
        if let Some(redis) = &self.inner.redis {
            redis.publish(
                board,
                Message::encode(
                    &redis.key,
                    kind,
                    &self.inner.instance,
                    crate::now_ms(),
                    &payload,
                ),
            );
        }
    }

    /// Hands a message from another instance to the board's actor, if it is loaded here.
    fn deliver(&self, board: &str, message: Message) {
        let remote = match message.kind {
            Kind::Frame => Remote::Frame {
                from: Arc::from(message.from.as_str()),
                frame: message.payload,
            },
            Kind::Hello => Remote::Hello,
            Kind::Resync => Remote::CatchUp,
            Kind::Revoke => match std::str::from_utf8(&message.payload) {
                Ok(invite) => Remote::Revoke(invite.to_owned()),
                Err(_) => return,
            },
        };
        self.send(board, remote);
    }

    /// Asks every loaded board to catch up from the store (after a Redis outage).
    fn catch_up_all(&self) {
        let boards: Vec<Arc<str>> = self
            .inner
            .boards
            .lock()
            .expect("cluster lock")
            .keys()
            .cloned()
            .collect();
        for board in boards {
            self.send(&board, Remote::CatchUp);
        }
    }

    fn send(&self, board: &str, remote: Remote) {
        let boards = self.inner.boards.lock().expect("cluster lock");
        let Some(link) = boards.get(board) else {
            return;
        };
        let is_catch_up = matches!(remote, Remote::CatchUp);
        if is_catch_up && link.catch_up_queued.swap(true, Ordering::AcqRel) {
            return;
        }
        match link.tx.try_send(remote) {
            Ok(()) => {}
            // The actor is behind: rather than drop an update, queue one catch-up, which
            // reads everything from the store once the actor gets to it.
            Err(mpsc::error::TrySendError::Full(_)) => {
                metrics::counter!("coboard_fanout_overflow_total").increment(1);
                if is_catch_up || !link.catch_up_queued.swap(true, Ordering::AcqRel) {
                    let tx = link.tx.clone();
                    tokio::spawn(async move {
                        let _ = tx.send(Remote::CatchUp).await;
                    });
                }
            }
            Err(mpsc::error::TrySendError::Closed(_)) => {}
        }
    }

    /// Called by an actor when it starts a catch-up, so the next overflow queues another.
    pub fn catching_up(&self, board: &str) {
        if let Some(link) = self.inner.boards.lock().expect("cluster lock").get(board) {
            link.catch_up_queued.store(false, Ordering::Release);
        }
    }

    pub fn join(&self, board: &str, conn: ConnId, role: AccessRole) {
        self.inner
            .presence
            .join(board, conn, role, &self.inner.instance);
        self.presence_changed();
    }

    /// A connection's awareness state (JSON), or `None` for a sign of life without one.
    pub fn seen(&self, board: &str, conn: ConnId, state: Option<&str>) {
        // Cursor moves arrive many times a second; only a new name or anonymity is news
        // for presence (the heartbeat renews `last_active` anyway).
        if self.inner.presence.seen(board, conn, state) {
            self.presence_changed();
        }
    }

    /// Forgets a connection's presence; returns who it was (for the attendance record).
    pub fn leave(&self, board: &str, conn: ConnId) -> Option<PresentPerson> {
        let gone = self.inner.presence.leave(board, conn);
        self.presence_changed();
        gone
    }

    fn presence_changed(&self) {
        if let Some(redis) = &self.inner.redis {
            redis.presence_changed();
        }
    }

    /// Who is on a board: every instance's people from Redis, or this instance's alone
    /// when there is no Redis or it cannot be reached.
    pub async fn presence(&self, board: &str) -> Presence {
        if let Some(redis) = &self.inner.redis {
            match redis.presence(board).await {
                Ok(people) => {
                    return Presence {
                        source: "cluster".into(),
                        people,
                    };
                }
                Err(e) => {
                    tracing::warn!(error = %e, "presence from Redis failed; answering with this instance's")
                }
            }
        }
        Presence {
            source: "local".into(),
            people: self.inner.presence.people(board),
        }
    }

    /// Connections held by this instance.
    pub fn connections(&self) -> usize {
        self.inner.presence.connections()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(n: u32) -> Message {
        Message {
            kind: Kind::Frame,
            from: "other".into(),
            sent_at: 0,
            payload: Bytes::copy_from_slice(&n.to_be_bytes()),
        }
    }

    /// The next message, or `None` if none comes within a second (rather than hanging).
    async fn next(rx: &mut mpsc::Receiver<Remote>) -> Option<Remote> {
        tokio::time::timeout(Duration::from_secs(1), rx.recv())
            .await
            .ok()
            .flatten()
    }

    /// A board's actor that falls behind never loses a message unnoticed: past its queue,
    /// messages turn into one catch-up from the store, however many overflowed.
    #[tokio::test]
    async fn an_overflowing_board_queue_asks_for_one_catch_up() {
        let cluster = Cluster::single("me");
        let board: Arc<str> = Arc::from("b1");
        let mut rx = cluster.attach(&board, 1).await;
        for n in 0..REMOTE_QUEUE as u32 + 50 {
            cluster.deliver(&board, frame(n));
        }
        for n in 0..REMOTE_QUEUE as u32 {
            match rx.recv().await {
                Some(Remote::Frame { frame, .. }) => assert_eq!(frame[..], n.to_be_bytes()),
                other => panic!("message {n}: {other:?}"),
            }
        }
        assert!(matches!(next(&mut rx).await, Some(Remote::CatchUp)));
        tokio::task::yield_now().await;
        assert!(rx.try_recv().is_err(), "more than one catch-up queued");

        // Once the actor starts catching up, the next overflow asks again.
        cluster.catching_up(&board);
        for n in 0..REMOTE_QUEUE as u32 + 1 {
            cluster.deliver(&board, frame(n));
        }
        for _ in 0..REMOTE_QUEUE {
            assert!(matches!(rx.recv().await, Some(Remote::Frame { .. })));
        }
        assert!(matches!(next(&mut rx).await, Some(Remote::CatchUp)));
    }

    /// Resync requests collapse too: many queued while one is pending become one.
    #[tokio::test]
    async fn resync_requests_queue_one_catch_up_at_a_time() {
        let cluster = Cluster::single("me");
        let board: Arc<str> = Arc::from("b1");
        let mut rx = cluster.attach(&board, 1).await;
        let resync = || Message {
            kind: Kind::Resync,
            from: "other".into(),
            sent_at: 0,
            payload: Bytes::new(),
        };
        cluster.deliver(&board, resync());
        cluster.deliver(&board, resync());
        assert!(matches!(rx.try_recv(), Ok(Remote::CatchUp)));
        assert!(rx.try_recv().is_err());
        cluster.catching_up(&board);
        cluster.deliver(&board, resync());
        assert!(matches!(rx.try_recv(), Ok(Remote::CatchUp)));
        // A board not loaded here is not an error.
        cluster.deliver("elsewhere", resync());
    }
}
