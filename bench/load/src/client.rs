//! One simulated person: a y-websocket connection with its own Yjs document.
//!
//! The client connects, syncs (our step 1, the server's step 2, our answer to the
//! server's step 1), announces a presence state, and then, once the run's plan arrives,
//! sets one map entry to its send time `rate` times a second while timing every update
//! it receives from the other clients of its board.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use coboard_shared::protocol::{self, Msg};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::time::{Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::Message;
use yrs::sync::AwarenessUpdate;
use yrs::sync::awareness::AwarenessUpdateEntry;
use yrs::updates::decoder::Decode;
use yrs::{Any, ClientID, Doc, Map, MapRef, ReadTxn, StateVector, Transact, Update};

use crate::record::{CLIENT_BASE, Recorder};

/// Longest a client may take to connect and complete its first sync.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(60);

/// When the measured part of a run happens. Sent to every client once all are connected.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Updates per second per client; 0 holds the connection idle.
    pub rate: f64,
    /// First send (each client adds a random phase within one period).
    pub start: Instant,
    /// No sends from here on.
    pub stop: Instant,
    /// Close the connection here (after the last deliveries had time to arrive).
    pub close: Instant,
}

/// Who this client is and where it goes.
#[derive(Debug, Clone)]
pub struct Spec {
    pub index: usize,
    pub url: String,
    /// Other clients on the same board: how many copies of each update to expect.
    pub peers: u64,
}

/// Shared by the clients of one run.
pub struct Shared {
    pub rec: Recorder,
    /// Limits connections in progress, so a thousand clients do not all knock at once.
    pub connecting: Semaphore,
    /// Each client sends one message here when it has synced (or failed to).
    pub ready: mpsc::UnboundedSender<bool>,
    pub plan: watch::Receiver<Option<Plan>>,
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Runs one client to the end of the plan; failures are recorded, not returned.
pub async fn run(spec: Spec, shared: Arc<Shared>) {
    let mut client = match connect(&spec, &shared).await {
        Ok(c) => {
            let _ = shared.ready.send(true);
            c
        }
        Err(e) => {
            shared.rec.error(format!("client {}: {e:#}", spec.index));
            let _ = shared.ready.send(false);
            return;
        }
    };
    if let Err(e) = client.pump(&spec, &shared).await {
        shared.rec.error(format!("client {}: {e:#}", spec.index));
    }
    let _ = tokio::time::timeout(Duration::from_secs(2), client.ws.close(None)).await;
}

struct Client {
    ws: Ws,
    doc: Doc,
    map: MapRef,
    id: u64,
    seq: u64,
    /// Our answer to the server's sync step 1, sent before our next read.
    pending_answer: Option<Vec<u8>>,
}

async fn connect(spec: &Spec, shared: &Shared) -> Result<Client> {
    let _permit = shared.connecting.acquire().await?;
    let began = std::time::Instant::now();
    tokio::time::timeout(CONNECT_TIMEOUT, async {
        // TCP_NODELAY, as browsers set it: Nagle's algorithm would otherwise hold small
        // updates back by up to 40 ms and we would be measuring ourselves.
        let (ws, _) =
            tokio_tungstenite::connect_async_with_config(&spec.url, Some(crate::ws_config()), true)
                .await
                .context("connecting")?;
        let id = CLIENT_BASE + spec.index as u64;
        let doc = Doc::with_client_id(id);
        let map = doc.get_or_insert_map("load");
        let mut c = Client {
            ws,
            doc,
            map,
            id,
            seq: 0,
            pending_answer: None,
        };
        c.send(&Msg::SyncStep1(StateVector::default())).await?;
        let presence = format!(
            r##"{{"user":{{"name":"Load {}","colour":"#3366cc","role":"public"}}}}"##,
            spec.index
        );
        c.send(&Msg::Awareness(AwarenessUpdate {
            clients: [(
                ClientID::new(id),
                AwarenessUpdateEntry {
                    clock: 1,
                    json: presence.into(),
                },
            )]
            .into(),
        }))
        .await?;
        let state_bytes = loop {
            let frame = c.next_frame().await?;
            let synced = c.handle(&frame, None)?;
            c.answer().await?;
            if let Some(n) = synced {
                break n;
            }
        };
        shared.rec.connected(began.elapsed(), state_bytes);
        anyhow::Ok(c)
    })
    .await
    .context("connect and sync took too long")?
}

impl Client {
    async fn send(&mut self, msg: &Msg) -> Result<()> {
        self.send_frame(protocol::encode(msg)).await
    }

    async fn send_frame(&mut self, frame: Vec<u8>) -> Result<()> {
        self.ws
            .send(Message::Binary(frame.into()))
            .await
            .context("sending")
    }

    async fn answer(&mut self) -> Result<()> {
        match self.pending_answer.take() {
            Some(frame) => self.send_frame(frame).await,
            None => Ok(()),
        }
    }

    /// Waits for the plan, then sends and times updates until the plan's close time.
    async fn pump(&mut self, spec: &Spec, shared: &Shared) -> Result<()> {
        let mut plan_rx = shared.plan.clone();
        let plan = loop {
            if let Some(plan) = *plan_rx.borrow_and_update() {
                break plan;
            }
            tokio::select! {
                changed = plan_rx.changed() => changed.context("the run ended before it began")?,
                frame = self.next_frame() => {
                    self.handle(&frame?, None)?;
                    self.answer().await?;
                }
            }
        };
        let mut ticks = (plan.rate > 0.0).then(|| {
            let period = Duration::from_secs_f64(1.0 / plan.rate);
            let phase = period.mul_f64(rand::random::<f64>());
            let mut t = tokio::time::interval_at(plan.start + phase, period);
            // A generator that falls behind sends fewer updates rather than bursts; the
            // report shows sent against planned.
            t.set_missed_tick_behavior(MissedTickBehavior::Skip);
            t
        });
        let close = tokio::time::sleep_until(plan.close);
        tokio::pin!(close);
        loop {
            tokio::select! {
                _ = &mut close => return Ok(()),
                at = async { ticks.as_mut().expect("guarded").tick().await }, if ticks.is_some() => {
                    if at >= plan.stop {
                        ticks = None;
                    } else {
                        self.send_update(spec, &shared.rec).await?;
                    }
                }
                frame = self.next_frame() => {
                    self.handle(&frame?, Some(&shared.rec))?;
                    self.answer().await?;
                }
            }
        }
    }

    /// Sets our map entry to the send time and sends the resulting update.
    async fn send_update(&mut self, spec: &Spec, rec: &Recorder) -> Result<()> {
        let micros = rec.now_us();
        let update = {
            let mut txn = self.doc.transact_mut();
            self.map.insert(
                &mut txn,
                format!("c{}", spec.index),
                Any::from(micros as f64),
            );
            txn.encode_update_v1()
        };
        self.seq += 1;
        rec.sent(spec.index, self.seq, micros, spec.peers);
        self.send_frame(protocol::encode_update(&update)).await
    }

    /// The next binary frame; pings are answered by the library as it reads.
    async fn next_frame(&mut self) -> Result<Vec<u8>> {
        loop {
            match self.ws.next().await {
                Some(Ok(Message::Binary(b))) => return Ok(b.into()),
                Some(Ok(Message::Close(frame))) => bail!("server closed: {frame:?}"),
                Some(Ok(_)) => continue,
                Some(Err(e)) => bail!("receiving: {e}"),
                None => bail!("connection ended"),
            }
        }
    }

    /// Handles one frame. Returns the full state's size once the server's sync step 2
    /// arrives. With `rec`, every update from another of our clients is timed.
    fn handle(&mut self, frame: &[u8], rec: Option<&Recorder>) -> Result<Option<usize>> {
        let now = rec.map(Recorder::now_us);
        if let (Some(rec), Some(now), Some((client, clock))) = (rec, now, first_item(frame)) {
            if client != self.id {
                rec.arrived(client, clock + 1, now);
            }
            return Ok(None);
        }
        let mut synced = None;
        for msg in protocol::decode_frame(frame).context("decoding a frame")? {
            match msg {
                Msg::SyncStep2(update) => synced = Some(update.len()),
                Msg::Update(update) => {
                    if let (Some(rec), Some(now)) = (rec, now) {
                        self.time(rec, &update, now)?;
                    }
                }
                Msg::SyncStep1(sv) => {
                    let diff = self.doc.transact().encode_state_as_update_v1(&sv);
                    // Answered on the next send; the answer is tiny and order does not matter.
                    self.pending_answer = Some(protocol::encode(&Msg::SyncStep2(diff)));
                }
                Msg::Auth(Some(reason)) => bail!("permission denied: {reason}"),
                Msg::Awareness(_)
                | Msg::QueryAwareness
                | Msg::Auth(None)
                | Msg::Ping(_)
                | Msg::Pong(_) => {}
            }
        }
        Ok(synced)
    }

    /// The slow path for an update [`first_item`] could not read.
    fn time(&self, rec: &Recorder, update: &[u8], now: u64) -> Result<()> {
        let update = Update::decode_v1(update).context("decoding an update")?;
        // Each of our updates holds one item, whose clock is its sequence number minus one.
        for (client, clock) in update.state_vector_lower().iter() {
            let client = client.get();
            // The reference server echoes each update to its sender too.
            if client != self.id {
                rec.arrived(client, *clock + 1, now);
            }
        }
        Ok(())
    }
}

/// The fast path for a frame holding exactly one update with one client's items: that
/// client and the clock of its first item, read from the update's header without
/// decoding it. Under saturation the generator reads hundreds of thousands of copies a
/// second on one core, and decoding each in full would make it the bottleneck.
pub fn first_item(frame: &[u8]) -> Option<(u64, u32)> {
    use yrs::encoding::read::{Cursor, Read};
    let mut c = Cursor::new(frame);
    if c.read_var::<u32>().ok()? != u32::from(protocol::MSG_SYNC)
        || c.read_var::<u32>().ok()? != u32::from(protocol::SYNC_UPDATE)
    {
        return None;
    }
    let len: usize = c.read_var().ok()?;
    if c.next + len != frame.len() {
        return None; // another message follows: leave the frame to the full decoder
    }
    // v1 update: number of clients with items, then for the first: item count, client, clock.
    if c.read_var::<u32>().ok()? != 1 || c.read_var::<u32>().ok()? == 0 {
        return None;
    }
    let client: u64 = c.read_var().ok()?;
    let clock: u32 = c.read_var().ok()?;
    Some((client, clock))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The receiver finds the sequence number from the update's first clock: this holds
    /// only if every send adds exactly one item, overwrites included.
    #[test]
    fn each_send_advances_the_clients_clock_by_one() {
        let doc = Doc::with_client_id(CLIENT_BASE + 7);
        let map = doc.get_or_insert_map("load");
        for seq in 1..=3u32 {
            let update = {
                let mut txn = doc.transact_mut();
                map.insert(&mut txn, "c7", Any::from(seq as f64 * 1000.0));
                txn.encode_update_v1()
            };
            let sv = Update::decode_v1(&update)
                .expect("decodes")
                .state_vector_lower();
            assert_eq!(sv.get(&ClientID::new(CLIENT_BASE + 7)) + 1, seq);
            // The header-only reading agrees with the full decode.
            let frame = protocol::encode_update(&update);
            assert_eq!(first_item(&frame), Some((CLIENT_BASE + 7, seq - 1)));
        }
    }

    #[test]
    fn frames_the_fast_path_cannot_read_are_left_to_the_decoder() {
        let doc = Doc::with_client_id(CLIENT_BASE + 1);
        let map = doc.get_or_insert_map("load");
        map.insert(&mut doc.transact_mut(), "a", Any::from(1.0));
        let one = doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let mut two = protocol::encode_update(&one);
        two.extend(protocol::encode_update(&one));
        assert_eq!(first_item(&two), None, "two messages in one frame");
        let step2 = protocol::encode(&Msg::SyncStep2(one));
        assert_eq!(first_item(&step2), None, "not an update message");
        let other = Doc::with_client_id(5);
        other
            .get_or_insert_map("load")
            .insert(&mut other.transact_mut(), "b", Any::from(2.0));
        let theirs = other
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        doc.transact_mut()
            .apply_update(Update::decode_v1(&theirs).expect("decodes"))
            .expect("applies");
        let both = doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        assert_eq!(
            first_item(&protocol::encode_update(&both)),
            None,
            "two clients"
        );
    }
}
