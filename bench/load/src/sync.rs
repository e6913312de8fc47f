//! Coboard alone: how long a newcomer takes to sync a board of many items.
//!
//! A board is filled through the protocol, as clients would fill it, but in batches of
//! [`BATCH`] items per update so that 100,000 items take seconds rather than the hours a
//! rate-limited connection would need one item at a time. Then, after the board has been
//! unloaded, a first newcomer times a *cold* sync (the server loads the board from its
//! store, then encodes it), and further newcomers time *warm* syncs (encode and transfer
//! only). The same full-state encode is also timed in this process, to separate yrs's
//! encode from everything around it.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use coboard_shared::protocol::{self, Msg};
use coboard_shared::schema::{Author, Board, KIND_NOTE, NewItem, ParticipantRole};
use futures_util::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use tokio_tungstenite::tungstenite::Message;
use yrs::updates::decoder::Decode;
use yrs::{Doc, ReadTxn, StateVector, Transact, Update};

use crate::record::Summary;
use crate::target::{Kind, Target};

/// Items per seeding update: about 200 KB, well under the server's 1 MiB message limit.
pub const BATCH: usize = 500;

/// What a sync run measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SyncReport {
    pub items: usize,
    pub state_bytes: usize,
    /// yrs's full-state encode of the same document, in this process.
    pub encode: Summary,
    /// The first newcomer after the board was unloaded: load from the store, encode, send.
    pub cold_ms: f64,
    /// Newcomers to the loaded board: connect, sync step 1, the whole state back.
    pub warm: Summary,
    /// The board's page, with its token, for a browser's first render.
    pub board_url: String,
}

/// Fills a new board with `items` notes and times newcomers' syncs.
///
/// `unloaded` is awaited between filling and the first newcomer; it should return once the
/// server has dropped the board from memory (the suite waits out `--idle-unload-secs`).
pub async fn run(
    addr: &str,
    items: usize,
    rounds: usize,
    unloaded: impl Future<Output = ()>,
) -> Result<SyncReport> {
    let target = Target::new(Kind::Coboard, addr);
    let url = target.boards(1).await?.remove(0);
    let doc = seed(&url, items).await?;

    unloaded.await;
    let (cold, bytes) = newcomer(&url).await?;
    let check = Doc::new();
    check
        .transact_mut()
        .apply_update(Update::decode_v1(&bytes)?)?;
    let found = Board::new(&check).read_items(&check.transact()).len();
    ensure!(found == items, "a newcomer saw {found} of {items} items");

    let mut warm = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let (took, b) = newcomer(&url).await?;
        ensure!(b.len() == bytes.len(), "warm sync differs from cold");
        warm.push(took);
    }
    let mut encode = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        let state = doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        encode.push(t.elapsed());
        std::hint::black_box(state);
    }
    let (board, token) = board_and_token(&url)?;
    Ok(SyncReport {
        items,
        state_bytes: bytes.len(),
        encode: Summary::of_durations(&encode),
        cold_ms: (cold.as_secs_f64() * 100_000.0).round() / 100.0,
        warm: Summary::of_durations(&warm),
        board_url: format!("http://{addr}/b/{board}#token={token}"),
    })
}

/// What newcomers who stay cost the server's memory.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HeldReport {
    pub items: usize,
    pub people: usize,
    /// Bytes of the board's full state, which each newcomer receives in one frame.
    pub state_bytes: usize,
    /// The server's resident memory with one person on the loaded board.
    pub rss_before_kib: u64,
    /// The same once `people` more have synced and stayed connected.
    pub rss_after_kib: u64,
    pub kib_per_person: f64,
}

/// Fills a new board with `items` notes, then has `people` newcomers sync it and stay
/// connected, and reads the server's memory (`server_pid`) before and after. A full sync
/// is one WebSocket frame, and a connection's write buffer may keep the size of the
/// largest frame it sent, so this shows what a board's size costs per person present.
pub async fn held(
    addr: &str,
    items: usize,
    people: usize,
    server_pid: Option<i32>,
) -> Result<HeldReport> {
    let target = Target::new(Kind::Coboard, addr);
    let url = target.boards(1).await?.remove(0);
    seed(&url, items).await?;
    let mut present = Vec::with_capacity(people + 1);
    let (first, state) = synced(&url).await?;
    present.push(first);
    let settle = Duration::from_millis(500);
    tokio::time::sleep(settle).await;
    let before = crate::procstat::memory(server_pid)?.rss_kib;
    for _ in 0..people {
        let (ws, got) = synced(&url).await?;
        ensure!(got.len() == state.len(), "a newcomer got a different state");
        present.push(ws);
    }
    tokio::time::sleep(settle).await;
    let after = crate::procstat::memory(server_pid)?.rss_kib;
    for mut ws in present {
        let _ = ws.close(None).await;
    }
    let per = after.saturating_sub(before) as f64 / people.max(1) as f64;
    Ok(HeldReport {
        items,
        people,
        state_bytes: state.len(),
        rss_before_kib: before,
        rss_after_kib: after,
        kib_per_person: (per * 10.0).round() / 10.0,
    })
}

/// Connects and syncs the whole board, leaving the connection open.
async fn synced(url: &str) -> Result<(Ws, Vec<u8>)> {
    let mut ws = open(url).await?;
    let step1 = protocol::encode(&Msg::SyncStep1(StateVector::default()));
    ws.send(Message::Binary(step1.into())).await?;
    let state = sync_step2(&mut ws).await?;
    Ok((ws, state))
}

fn board_and_token(ws_url: &str) -> Result<(String, String)> {
    let rest = ws_url.split("/ws/").nth(1).context("not a board URL")?;
    let (board, token) = rest.split_once("?token=").context("no token")?;
    Ok((board.to_owned(), token.to_owned()))
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn open(url: &str) -> Result<Ws> {
    let (ws, _) = tokio_tungstenite::connect_async_with_config(url, Some(crate::ws_config()), true)
        .await
        .context("connecting")?;
    Ok(ws)
}

/// Waits for the server's sync step 2 and returns its update.
async fn sync_step2(ws: &mut Ws) -> Result<Vec<u8>> {
    loop {
        match ws.next().await.context("connection ended")?? {
            Message::Binary(frame) => {
                for msg in protocol::decode_frame(&frame)? {
                    if let Msg::SyncStep2(update) = msg {
                        return Ok(update);
                    }
                }
            }
            Message::Close(c) => anyhow::bail!("server closed: {c:?}"),
            _ => {}
        }
    }
}

/// Connects, asks for everything, and times until the whole state has arrived.
async fn newcomer(url: &str) -> Result<(Duration, Vec<u8>)> {
    let t = Instant::now();
    let (mut ws, state) = synced(url).await?;
    let took = t.elapsed();
    let _ = ws.close(None).await;
    Ok((took, state))
}

/// Writes `items` notes to the board in batches and waits until the server holds them all.
async fn seed(url: &str, items: usize) -> Result<Doc> {
    let doc = Doc::new();
    let board = Board::new(&doc);
    let mut ws = open(url).await?;
    let step1 = protocol::encode(&Msg::SyncStep1(StateVector::default()));
    ws.send(Message::Binary(step1.into())).await?;
    let initial = sync_step2(&mut ws).await?;
    doc.transact_mut()
        .apply_update(Update::decode_v1(&initial)?)?;
    let author = Author::named("Load test", ParticipantRole::Public, "load-test");
    for start in (0..items).step_by(BATCH) {
        let before = doc.transact().state_vector();
        {
            let mut txn = doc.transact_mut();
            for i in start..(start + BATCH).min(items) {
                let note = NewItem {
                    kind: KIND_NOTE.to_owned(),
                    text: format!("Idea number {i}: more buses in the evening"),
                    x: (i % 100) as f64 * 220.0,
                    y: (i / 100) as f64 * 160.0,
                    colour: "yellow".to_owned(),
                    author: author.clone(),
                    created_at: 0.0,
                    ..NewItem::default()
                };
                board.add_item(&mut txn, &format!("note-{i:06}"), &note);
            }
        }
        let update = doc.transact().encode_state_as_update_v1(&before);
        ws.send(Message::Binary(protocol::encode_update(&update).into()))
            .await?;
    }
    // The server applies a connection's messages in order: once it answers a sync step 1
    // sent after the last batch, every batch has been applied and stored.
    let sv = doc.transact().state_vector();
    ws.send(Message::Binary(
        protocol::encode(&Msg::SyncStep1(sv)).into(),
    ))
    .await?;
    let _ = tokio::time::timeout(Duration::from_secs(300), sync_step2(&mut ws))
        .await
        .context("the server did not confirm the seeded board")??;
    let _ = ws.close(None).await;
    Ok(doc)
}
