//! The Redis side of the cluster: one pub/sub connection that follows the loaded boards,
//! a publisher, and the presence heartbeat.
//!
//! Keys and channels:
//! - `coboard:board:{board}`: the board's channel ([`super::Message`]s).
//! - `coboard:presence:{board}`: the set of instances with people on the board.
//! - `coboard:presence:{board}:{instance}`: that instance's people (JSON), expiring after
//!   the presence TTL unless the instance's heartbeat renews it.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use coboard_shared::api::PresentPerson;
use futures_util::StreamExt;
use redis::aio::{ConnectionManager, ConnectionManagerConfig, PubSubSink};
use tokio::sync::{Notify, mpsc};
use tokio_util::sync::CancellationToken;

use super::{Cluster, Key, Kind, Message};

/// How long one Redis operation may take before it counts as failed.
const OP_TIMEOUT: Duration = Duration::from_secs(2);
/// Wait between attempts to reconnect the subscription.
const RECONNECT_EVERY: Duration = Duration::from_millis(500);
/// How often the subscription's connection is checked with a ping.
const PING_EVERY: Duration = Duration::from_secs(5);
/// Publishes queued before `publish` starts marking boards for a resync instead.
const PUBLISH_QUEUE: usize = 8192;

/// A message for one board's channel.
type Outbound = (Arc<str>, Bytes);

fn channel(board: &str) -> String {
    format!("coboard:board:{board}")
}

fn presence_set(board: &str) -> String {
    format!("coboard:presence:{board}")
}

fn presence_key(board: &str, instance: &str) -> String {
    format!("coboard:presence:{board}:{instance}")
}

/// A presence value as stored: its tag (64 hex digits, over the board, the instance and
/// the JSON, so a value cannot be moved to another key) and then the JSON.
fn seal_presence(key: &Key, board: &str, instance: &str, json: &str) -> String {
    let tag = key.tag(&[board.as_bytes(), instance.as_bytes(), json.as_bytes()]);
    format!("{}{json}", hex::encode(tag))
}

/// The JSON of a stored presence value, if its tag is this cluster's.
fn unseal_presence<'a>(key: &Key, board: &str, instance: &str, value: &'a str) -> Option<&'a str> {
    let (tag, json) = (value.get(..64)?, value.get(64..)?);
    let tag = hex::decode(tag).ok()?;
    key.verify(
        &[board.as_bytes(), instance.as_bytes(), json.as_bytes()],
        &tag,
    )
    .then_some(json)
}

pub(super) struct Redis {
    client: redis::Client,
    /// Signs and checks every message and presence value (see [`super::message`]).
    pub(super) key: Key,
    manager: ConnectionManager,
    ttl: Duration,
    connected: AtomicBool,
    /// The subscription's command half, while connected. Subscribing and unsubscribing
    /// take this lock, which orders them against each other and against reconnection.
    sink: tokio::sync::Mutex<Option<PubSubSink>>,
    publish_tx: mpsc::Sender<Outbound>,
    publish_rx: Mutex<Option<mpsc::Receiver<Outbound>>>,
    /// Boards with updates the others may have missed; they are told to resync.
    unsent: Mutex<HashSet<Arc<str>>>,
    presence_changed: Notify,
}

impl Redis {
    pub(super) fn new(
        client: redis::Client,
        ttl: Duration,
        key: Key,
    ) -> Result<Self, redis::RedisError> {
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(OP_TIMEOUT))
            .set_response_timeout(Some(OP_TIMEOUT))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(500));
        let manager = ConnectionManager::new_lazy_with_config(client.clone(), config)?;
        let (publish_tx, publish_rx) = mpsc::channel(PUBLISH_QUEUE);
        Ok(Self {
            client,
            key,
            manager,
            ttl,
            connected: AtomicBool::new(false),
            sink: tokio::sync::Mutex::new(None),
            publish_tx,
            publish_rx: Mutex::new(Some(publish_rx)),
            unsent: Mutex::default(),
            presence_changed: Notify::new(),
        })
    }

    pub(super) fn connected(&self) -> bool {
        self.connected.load(Ordering::Acquire)
    }

    /// Subscribes to a board's channel, if connected (reconnecting subscribes to all).
    pub(super) async fn subscribe(&self, board: &str) {
        let mut sink = self.sink.lock().await;
        if let Some(s) = sink.as_mut() {
            match tokio::time::timeout(OP_TIMEOUT, s.subscribe(channel(board))).await {
                Ok(Ok(())) => {}
                // The connection is in trouble: drop it, and the subscriber reconnects and
                // subscribes to every loaded board.
                _ => {
                    tracing::warn!(board, "subscribing failed; reconnecting to Redis");
                    *sink = None;
                }
            }
        }
    }

    /// Unsubscribes unless `still_wanted` (checked under the lock) says a newer actor of
    /// the same board has attached meanwhile.
    pub(super) async fn unsubscribe(&self, board: &str, still_wanted: impl FnOnce() -> bool) {
        let mut sink = self.sink.lock().await;
        if still_wanted() {
            return;
        }
        if let Some(s) = sink.as_mut() {
            let _ = tokio::time::timeout(OP_TIMEOUT, s.unsubscribe(channel(board))).await;
        }
    }

    pub(super) fn publish(&self, board: &Arc<str>, message: Bytes) {
        if self.publish_tx.try_send((board.clone(), message)).is_err() {
            // Never dropped silently: the others will be told to read the store.
            self.mark_unsent(board.clone());
        }
    }

    fn mark_unsent(&self, board: Arc<str>) {
        self.unsent.lock().expect("unsent lock").insert(board);
    }

    pub(super) fn presence_changed(&self) {
        self.presence_changed.notify_one();
    }

    /// Every instance's people on a board.
    pub(super) async fn presence(&self, board: &str) -> Result<Vec<PresentPerson>, String> {
        let mut conn = self.manager.clone();
        let read = async {
            let instances: Vec<String> = redis::cmd("SMEMBERS")
                .arg(presence_set(board))
                .query_async(&mut conn)
                .await?;
            if instances.is_empty() {
                return Ok((instances, Vec::new()));
            }
            let keys: Vec<String> = instances.iter().map(|i| presence_key(board, i)).collect();
            let values: Vec<Option<String>> =
                redis::cmd("MGET").arg(&keys).query_async(&mut conn).await?;
            Ok::<_, redis::RedisError>((instances, values))
        };
        let (instances, values): (Vec<String>, Vec<Option<String>>) =
            tokio::time::timeout(OP_TIMEOUT, read)
                .await
                .map_err(|_| "Redis did not answer in time".to_owned())?
                .map_err(|e| e.to_string())?;
        let mut people = Vec::new();
        let mut gone = Vec::new();
        for (instance, value) in instances.into_iter().zip(values) {
            let read = value.as_deref().and_then(|v| {
                let json = unseal_presence(&self.key, board, &instance, v)?;
                serde_json::from_str::<Vec<PresentPerson>>(json).ok()
            });
            match read {
                Some(mut theirs) => people.append(&mut theirs),
                // Its key expired (the instance stopped renewing it: it crashed), or it
                // was not written by an instance of this cluster.
                None => gone.push(instance),
            }
        }
        if !gone.is_empty() {
            let _: Result<(), _> = redis::cmd("SREM")
                .arg(presence_set(board))
                .arg(&gone)
                .query_async(&mut conn)
                .await;
        }
        people.sort_by_key(|p| p.since);
        Ok(people)
    }
}

/// Starts the subscriber, publisher and presence heartbeat of `cluster`.
pub(super) fn spawn_tasks(cluster: &Cluster, shutdown: CancellationToken) {
    let Some(redis) = &cluster.inner.redis else {
        return;
    };
    let rx = redis
        .publish_rx
        .lock()
        .expect("publish lock")
        .take()
        .expect("cluster tasks start once");
    tokio::spawn(subscriber(cluster.clone(), shutdown.clone()));
    tokio::spawn(publisher(cluster.clone(), rx, shutdown.clone()));
    tokio::spawn(heartbeat(cluster.clone(), shutdown));
}

fn redis_of(cluster: &Cluster) -> &Redis {
    cluster.inner.redis.as_ref().expect("a Redis cluster")
}

/// Keeps one subscription connection open, following the loaded boards, and hands every
/// message from another instance to its board. After each (re)connection every loaded
/// board catches up from the store, since messages may have been missed meanwhile.
async fn subscriber(cluster: Cluster, shutdown: CancellationToken) {
    let redis = redis_of(&cluster);
    let me = cluster.instance_id().to_owned();
    let mut logged_down = false;
    while !shutdown.is_cancelled() {
        let connect = tokio::time::timeout(OP_TIMEOUT, redis.client.get_async_pubsub()).await;
        let Ok(Ok(pubsub)) = connect else {
            if !logged_down {
                tracing::warn!(
                    "cannot reach Redis; boards are served by this instance alone until it is back"
                );
                logged_down = true;
            }
            tokio::select! {
                _ = tokio::time::sleep(RECONNECT_EVERY) => continue,
                _ = shutdown.cancelled() => return,
            }
        };
        let (mut sink, mut stream) = pubsub.split();
        {
            let mut slot = redis.sink.lock().await;
            let boards: Vec<String> = cluster
                .inner
                .boards
                .lock()
                .expect("cluster lock")
                .keys()
                .map(|b| channel(b))
                .collect();
            if !boards.is_empty()
                && !matches!(
                    tokio::time::timeout(OP_TIMEOUT, sink.subscribe(&boards)).await,
                    Ok(Ok(()))
                )
            {
                drop(slot);
                tokio::time::sleep(RECONNECT_EVERY).await;
                continue;
            }
            *slot = Some(sink.clone());
        }
        tracing::info!("connected to Redis");
        logged_down = false;
        redis.connected.store(true, Ordering::Release);
        metrics::gauge!("coboard_redis_connected").set(1.0);
        metrics::counter!("coboard_redis_connects_total").increment(1);
        cluster.catch_up_all();
        let connected_at = tokio::time::Instant::now();
        // The connection was just shown to work; the first ping is due one period on.
        let mut ping = tokio::time::interval_at(connected_at + PING_EVERY, PING_EVERY);
        loop {
            tokio::select! {
                msg = stream.next() => {
                    let Some(msg) = msg else { break };
                    let Some(board) = msg.get_channel_name().strip_prefix("coboard:board:") else { continue };
                    match Message::decode(&redis_of(&cluster).key, msg.get_payload_bytes()) {
                        Ok(m) if m.from == me => {}
                        Ok(m) => {
                            metrics::counter!("coboard_fanout_received_total").increment(1);
                            let lag = (crate::now_ms() - m.sent_at).max(0) as f64 / 1000.0;
                            metrics::histogram!("coboard_fanout_lag_seconds").record(lag);
                            cluster.deliver(board, m);
                        }
                        Err(e) => tracing::warn!(board, error = %e, "ignored a bad cluster message"),
                    }
                }
                _ = ping.tick() => {
                    // A connection that silently died is found by its unanswered ping. Any
                    // answer will do: once subscribed, Redis answers PING with an array
                    // (`pong`, ""), not the plain PONG a `String` would need.
                    let mut s = sink.clone();
                    if !matches!(tokio::time::timeout(OP_TIMEOUT, s.ping::<redis::Value>()).await, Ok(Ok(_))) {
                        break;
                    }
                }
                _ = shutdown.cancelled() => break,
            }
        }
        *redis.sink.lock().await = None;
        redis.connected.store(false, Ordering::Release);
        metrics::gauge!("coboard_redis_connected").set(0.0);
        if shutdown.is_cancelled() {
            return;
        }
        tracing::warn!("lost the Redis connection; reconnecting");
        // Every connection has every loaded board read the store, so a Redis that keeps
        // closing the connection at once (a full output buffer, `CLIENT KILL`) is not
        // answered with a reconnect and a round of store reads each time.
        if connected_at.elapsed() < PING_EVERY {
            tokio::select! {
                _ = tokio::time::sleep(RECONNECT_EVERY) => {}
                _ = shutdown.cancelled() => return,
            }
        }
    }
}

/// Publishes queued messages in batches. A batch that fails marks its boards, and once
/// Redis takes messages again those boards' other instances are told to resync.
async fn publisher(
    cluster: Cluster,
    mut rx: mpsc::Receiver<Outbound>,
    shutdown: CancellationToken,
) {
    let redis = redis_of(&cluster);
    let mut conn = redis.manager.clone();
    let mut batch = Vec::with_capacity(256);
    let mut retry = tokio::time::interval(Duration::from_secs(1));
    loop {
        tokio::select! {
            n = rx.recv_many(&mut batch, 256) => if n == 0 { return },
            _ = retry.tick() => {}
            _ = shutdown.cancelled() => return,
        }
        let unsent: Vec<Arc<str>> = redis.unsent.lock().expect("unsent lock").drain().collect();
        let mut pipe = redis::pipe();
        for board in &unsent {
            let resync = Message::encode(
                &redis.key,
                Kind::Resync,
                cluster.instance_id(),
                crate::now_ms(),
                &[],
            );
            pipe.cmd("PUBLISH")
                .arg(channel(board))
                .arg(&resync[..])
                .ignore();
        }
        for (board, message) in &batch {
            pipe.cmd("PUBLISH")
                .arg(channel(board))
                .arg(&message[..])
                .ignore();
        }
        if unsent.is_empty() && batch.is_empty() {
            continue;
        }
        match pipe.query_async::<()>(&mut conn).await {
            Ok(()) => {
                metrics::counter!("coboard_fanout_published_total").increment(batch.len() as u64);
            }
            Err(e) => {
                tracing::debug!(error = %e, "publishing failed; the boards will resync");
                for board in unsent
                    .into_iter()
                    .chain(batch.iter().map(|(b, _)| b.clone()))
                {
                    redis.mark_unsent(board);
                }
            }
        }
        batch.clear();
    }
}

/// Writes this instance's people per board to Redis when they change and every third of
/// the TTL, and removes them on shutdown so a clean stop leaves no ghosts.
async fn heartbeat(cluster: Cluster, shutdown: CancellationToken) {
    let redis = redis_of(&cluster);
    let mut conn = redis.manager.clone();
    let me = cluster.instance_id().to_owned();
    let ttl = redis.ttl.as_secs().max(1);
    let mut tick = tokio::time::interval(Duration::from_secs((ttl / 3).max(1)));
    let mut written: HashSet<String> = HashSet::new();
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = redis.presence_changed.notified() => {
                // Gather a burst of joins into one write.
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            _ = shutdown.cancelled() => break,
        }
        let _ = cluster.inner.presence.take_dirty();
        let now: Vec<(String, Vec<PresentPerson>)> = cluster.inner.presence.all();
        let mut pipe = redis::pipe();
        let mut still = HashSet::new();
        for (board, people) in &now {
            let json = serde_json::to_string(people).unwrap_or_else(|_| "[]".into());
            pipe.cmd("SET")
                .arg(presence_key(board, &me))
                .arg(seal_presence(&redis_of(&cluster).key, board, &me, &json))
                .arg("EX")
                .arg(ttl)
                .ignore();
            pipe.cmd("SADD").arg(presence_set(board)).arg(&me).ignore();
            pipe.cmd("EXPIRE")
                .arg(presence_set(board))
                .arg(ttl * 2)
                .ignore();
            still.insert(board.clone());
        }
        for board in written.difference(&still) {
            pipe.cmd("DEL").arg(presence_key(board, &me)).ignore();
            pipe.cmd("SREM").arg(presence_set(board)).arg(&me).ignore();
        }
        if tokio::time::timeout(OP_TIMEOUT, pipe.query_async::<()>(&mut conn))
            .await
            .is_ok_and(|r| r.is_ok())
        {
            written = still;
        }
    }
    let mut pipe = redis::pipe();
    for board in &written {
        pipe.cmd("DEL").arg(presence_key(board, &me)).ignore();
        pipe.cmd("SREM").arg(presence_set(board)).arg(&me).ignore();
    }
    let _ = tokio::time::timeout(OP_TIMEOUT, pipe.query_async::<()>(&mut conn)).await;
}
