//! Harness for end-to-end tests: starts the real `coboard` binary on a free loopback port
//! and talks to it with real clients — HTTP, a Rust Yjs client over a real WebSocket, and
//! (from the test files) Node.js Yjs clients and headless Chromium.

pub mod pg;
pub mod proxy;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use coboard_shared::protocol::{self, Msg};
use coboard_shared::schema::{Author, Board, ItemView, KIND_NOTE, NewItem, ParticipantRole};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use yrs::sync::AwarenessUpdate;
use yrs::sync::awareness::AwarenessUpdateEntry;
use yrs::updates::decoder::Decode;
use yrs::{ClientID, Doc, ReadTxn, StateVector, Transact, Update};

/// Everything in these tests is bounded: no wait lasts longer than this.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("tests/e2e is two levels down")
        .to_path_buf()
}

/// The server binary: `COBOARD_BIN`, or the debug build in this workspace's target dir.
pub fn server_binary() -> PathBuf {
    if let Ok(p) = std::env::var("COBOARD_BIN") {
        return p.into();
    }
    let p = root().join("target/debug/coboard");
    assert!(
        p.exists(),
        "{} is missing: build it with `cargo build --bin coboard` (cargo xtask test does)",
        p.display()
    );
    p
}

/// A running `coboard serve` process.
pub struct Server {
    child: Child,
    pub addr: String,
    pub data_dir: PathBuf,
    extra: Vec<String>,
    /// Facilitator tokens of the boards this harness created, shared across restarts.
    tokens: Arc<Mutex<HashMap<String, String>>>,
}

impl Server {
    /// Starts a server on a free port with its data in `data_dir`.
    pub async fn start(data_dir: &Path) -> Result<Server> {
        Self::start_with(data_dir, &[]).await
    }

    /// Starts a server with extra `serve` flags (the built client is served unless they
    /// name a `--web-dir`).
    pub async fn start_with(data_dir: &Path, extra: &[&str]) -> Result<Server> {
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let mut command = Command::new(server_binary());
        command
            .arg("serve")
            .args(["--bind", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir);
        if !extra.iter().any(|a| a == "--web-dir") {
            command.arg("--web-dir").arg(root().join("client/dist"));
        }
        let mut child = command
            .args(&extra)
            .env("COBOARD_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .context("starting coboard")?;
        let stdout = child.stdout.take().expect("piped");
        let mut lines = BufReader::new(stdout).lines();
        let addr = tokio::time::timeout(TIMEOUT, async {
            while let Some(line) = lines.next_line().await? {
                if let Some(rest) = line.strip_prefix("Coboard is running at http://") {
                    return Ok(rest.trim_end_matches('/').to_owned());
                }
            }
            bail!("coboard exited before it was ready")
        })
        .await
        .context("waiting for coboard to start")??;
        // Keep draining stdout so the child never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Server {
            child,
            addr,
            data_dir: data_dir.to_owned(),
            extra,
            tokens: Default::default(),
        })
    }

    /// The server's process id, for tools that read its CPU and memory from `/proc`.
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    pub fn http(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// An API request with a bearer token and an optional JSON body; answers the status
    /// and the body as text.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> Result<(u16, String)> {
        let mut req = reqwest::Client::new()
            .request(method, self.http(path))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await?;
        Ok((resp.status().as_u16(), resp.text().await?))
    }

    /// [`Server::call`], with the body read as JSON (`Null` when it is not JSON).
    pub async fn call_json(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> Result<(u16, serde_json::Value)> {
        let (status, text) = self.call(method, path, token, body).await?;
        Ok((status, serde_json::from_str(&text).unwrap_or_default()))
    }

    /// The WebSocket URL of a board, with the facilitator token if this harness created it.
    pub fn ws(&self, board: &str) -> String {
        match self.token(board) {
            Some(token) => self.ws_with(board, &token),
            None => format!("ws://{}/ws/{board}", self.addr),
        }
    }

    /// The WebSocket URL of a board with the given token.
    pub fn ws_with(&self, board: &str, token: &str) -> String {
        format!("ws://{}/ws/{board}?token={token}", self.addr)
    }

    /// The facilitator token of a board this harness created.
    pub fn token(&self, board: &str) -> Option<String> {
        self.tokens.lock().expect("lock").get(board).cloned()
    }

    /// Creates a blank board through the API and returns its id; its facilitator token is kept.
    pub async fn create_board(&self, title: &str) -> Result<String> {
        self.create_board_from(title, "blank").await
    }

    /// Creates a board from a template; returns its id and keeps its facilitator token.
    pub async fn create_board_from(&self, title: &str, template: &str) -> Result<String> {
        let resp = reqwest::Client::new()
            .post(self.http("/api/boards"))
            .json(&serde_json::json!({"title": title, "template": template}))
            .send()
            .await?;
        if resp.status() != 201 {
            bail!("create board: {}", resp.status());
        }
        let body: serde_json::Value = resp.json().await?;
        let id = body["id"].as_str().context("no id")?.to_owned();
        let token = body["facilitator_token"].as_str().context("no token")?;
        self.tokens
            .lock()
            .expect("lock")
            .insert(id.clone(), token.to_owned());
        Ok(id)
    }

    /// Today's attendance on `board` (`GET .../ledger/attendance`), once it lists someone:
    /// attendance is written in the background as people leave, so this waits up to 5 s.
    pub async fn attendance_today(&self, board: &str, token: &str) -> Result<serde_json::Value> {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;
        let today = coboard_shared::ledger::date_of(now.as_millis() as i64);
        let path = format!("/api/boards/{board}/ledger/attendance?date={today}");
        for _ in 0..50 {
            let (status, body) = self
                .call_json(reqwest::Method::GET, &path, token, None)
                .await?;
            anyhow::ensure!(status == 200, "attendance: {status} {body}");
            if body.as_array().is_some_and(|a| !a.is_empty()) {
                return Ok(body);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("no attendance recorded within 5 s")
    }

    /// Creates an invite with a facilitator token; returns the invite's JSON (with `token`).
    pub async fn invite(&self, board: &str, body: serde_json::Value) -> Result<serde_json::Value> {
        let resp = reqwest::Client::new()
            .post(self.http(&format!("/api/boards/{board}/invites")))
            .bearer_auth(self.token(board).context("unknown board")?)
            .json(&body)
            .send()
            .await?;
        if resp.status() != 201 {
            bail!("create invite: {} {}", resp.status(), resp.text().await?);
        }
        Ok(resp.json().await?)
    }

    /// SIGTERM, then waits for a clean exit.
    pub async fn stop(&mut self) -> Result<()> {
        let pid = self.child.id().context("already exited")?;
        std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()?;
        let status = tokio::time::timeout(TIMEOUT, self.child.wait()).await??;
        if !status.success() {
            bail!("coboard exited with {status} after SIGTERM");
        }
        Ok(())
    }

    /// SIGKILL: no chance to flush anything.
    pub async fn kill(&mut self) -> Result<()> {
        self.child.kill().await?;
        Ok(())
    }

    /// Starts a new server on the same data directory (and flags).
    pub async fn restart(mut self) -> Result<Server> {
        self.stop().await?;
        self.start_again().await
    }

    /// Starts a new server on this one's data directory after it was killed or stopped.
    pub async fn start_again(&self) -> Result<Server> {
        let extra: Vec<&str> = self.extra.iter().map(String::as_str).collect();
        self.start_again_with(&extra).await
    }

    /// Like [`Server::start_again`], with other flags.
    pub async fn start_again_with(&self, extra: &[&str]) -> Result<Server> {
        let mut server = Server::start_with(&self.data_dir, extra).await?;
        server.tokens = self.tokens.clone();
        Ok(server)
    }
}

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A WebSocket with no protocol on top, for tests that send raw frames.
pub type RawWs = Ws;

/// Connects a bare WebSocket (no sync handshake).
pub async fn raw(url: &str) -> Result<RawWs> {
    Ok(tokio_tungstenite::connect_async(url).await?.0)
}

/// Connects a bare WebSocket whose socket has a 4 KiB receive buffer, so that a test which
/// stops reading makes the server's writes back up quickly.
pub async fn raw_small_buffer(url: &str) -> Result<RawWs> {
    let host = url
        .strip_prefix("ws://")
        .and_then(|r| r.split('/').next())
        .context("a ws:// URL")?;
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.set_recv_buffer_size(4096)?;
    let stream = socket.connect(host.parse()?).await?;
    Ok(
        tokio_tungstenite::client_async(url, MaybeTlsStream::Plain(stream))
            .await?
            .0,
    )
}

/// A minimal Yjs client in Rust: its own `Doc`, the y-websocket protocol, nothing else.
pub struct YClient {
    pub doc: Doc,
    pub board: Board,
    ws: Ws,
    /// Awareness states seen, by client id (None once removed).
    pub awareness: std::collections::HashMap<ClientID, Option<String>>,
    pub closed: Option<(u16, String)>,
    /// The reason of a permission-denied auth message from the server, if one came.
    pub denied: Option<String>,
    /// Set once the server has answered our sync step 1.
    pub synced: bool,
    /// The numbers of the pongs received, in order (answers to our pings).
    pub pongs: Vec<u64>,
}

impl YClient {
    /// Connects and completes the initial sync (both directions).
    pub async fn connect(url: &str) -> Result<YClient> {
        Self::connect_with_doc(url, Doc::new()).await
    }

    /// Connects with an existing document, as a client coming back online does: edits the
    /// server lacks go up when the client answers the server's sync step 1.
    pub async fn connect_with_doc(url: &str, doc: Doc) -> Result<YClient> {
        // TCP_NODELAY on our side too, as browsers do: otherwise Nagle's algorithm delays
        // small updates by up to ~40 ms and benchmarks would measure our client, not the server.
        let (ws, _) = tokio_tungstenite::connect_async_with_config(url, None, true).await?;
        let board = Board::new(&doc);
        let mut c = YClient {
            doc,
            board,
            ws,
            awareness: Default::default(),
            closed: None,
            denied: None,
            synced: false,
            pongs: Vec::new(),
        };
        let sv = c.doc.transact().state_vector();
        c.send_msg(&Msg::SyncStep1(sv)).await?;
        // Synced once the server has answered our step 1.
        c.pump_until(|c| c.synced).await?;
        Ok(c)
    }

    pub async fn send_raw(&mut self, frame: Vec<u8>) -> Result<()> {
        self.ws.send(Message::Binary(frame.into())).await?;
        Ok(())
    }

    pub async fn send_msg(&mut self, msg: &Msg) -> Result<()> {
        self.send_raw(protocol::encode(msg)).await
    }

    /// Runs `f` in a transaction and sends the resulting update.
    pub async fn edit(&mut self, f: impl FnOnce(&Board, &mut yrs::TransactionMut)) -> Result<()> {
        let before = self.doc.transact().state_vector();
        {
            let mut txn = self.doc.transact_mut();
            f(&self.board, &mut txn);
        }
        let update = self.doc.transact().encode_state_as_update_v1(&before);
        self.send_msg(&Msg::Update(update)).await
    }

    /// Adds a note with the given id and text.
    pub async fn add_note(&mut self, id: &str, text: &str) -> Result<()> {
        let note = NewItem {
            kind: KIND_NOTE.to_owned(),
            text: text.to_owned(),
            x: 0.0,
            y: 0.0,
            colour: "yellow".to_owned(),
            author: Author::named("Rust test", ParticipantRole::Professional, "rust-test"),
            created_at: 0.0,
            ..NewItem::default()
        };
        self.edit(|b, txn| b.add_item(txn, id, &note)).await
    }

    /// Announces an awareness state for a made-up client id.
    pub async fn set_awareness(&mut self, client: u64, clock: u32, json: &str) -> Result<()> {
        let update = AwarenessUpdate {
            clients: [(
                ClientID::new(client),
                AwarenessUpdateEntry {
                    clock,
                    json: json.into(),
                },
            )]
            .into(),
        };
        self.send_msg(&Msg::Awareness(update)).await
    }

    pub fn items(&self) -> Vec<ItemView> {
        self.board.read_items(&self.doc.transact())
    }

    pub fn texts(&self) -> Vec<String> {
        let mut t: Vec<String> = self.items().into_iter().map(|i| i.text).collect();
        t.sort();
        t
    }

    /// Handles the next incoming frame (or fails on close, error or [`TIMEOUT`]).
    pub async fn recv_one(&mut self) -> Result<()> {
        // `pump_until` checks before each frame: false the first time, true after one frame.
        let checked = std::cell::Cell::new(false);
        self.pump_until(|_| checked.replace(true)).await
    }

    /// Handles incoming frames until `cond` holds, the socket closes, or [`TIMEOUT`].
    pub async fn pump_until(&mut self, cond: impl Fn(&YClient) -> bool) -> Result<()> {
        self.pump_until_within(TIMEOUT, cond).await
    }

    /// [`pump_until`](Self::pump_until) with a time limit of the caller's.
    pub async fn pump_until_within(
        &mut self,
        limit: Duration,
        cond: impl Fn(&YClient) -> bool,
    ) -> Result<()> {
        tokio::time::timeout(limit, async {
            while !cond(self) {
                match self.ws.next().await {
                    Some(Ok(Message::Binary(b))) => self.handle(&b).await?,
                    Some(Ok(Message::Close(frame))) => {
                        self.closed = Some(close_parts(frame));
                        if cond(self) {
                            return Ok(());
                        }
                        bail!("socket closed: {:?}", self.closed);
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => bail!("socket error: {e}"),
                    None => bail!("socket ended"),
                }
            }
            Ok(())
        })
        .await
        .context("timed out waiting for a condition")?
    }

    /// Waits for the server to close the socket and returns its code and reason.
    pub async fn expect_close(&mut self) -> Result<(u16, String)> {
        self.pump_until(|c| c.closed.is_some()).await?;
        Ok(self.closed.clone().expect("closed"))
    }

    async fn handle(&mut self, frame: &[u8]) -> Result<()> {
        for msg in protocol::decode_frame(frame)? {
            match msg {
                Msg::SyncStep1(sv) => {
                    let update = self.doc.transact().encode_state_as_update_v1(&sv);
                    self.send_msg(&Msg::SyncStep2(update)).await?;
                }
                Msg::SyncStep2(u) => {
                    self.doc
                        .transact_mut()
                        .apply_update(Update::decode_v1(&u)?)?;
                    self.synced = true;
                }
                Msg::Update(u) => {
                    self.doc
                        .transact_mut()
                        .apply_update(Update::decode_v1(&u)?)?;
                }
                Msg::Awareness(a) => {
                    for (id, e) in a.clients {
                        let state = (&*e.json != "null").then(|| e.json.to_string());
                        self.awareness.insert(id, state);
                    }
                }
                Msg::QueryAwareness => {}
                Msg::Auth(reason) => self.denied = reason,
                Msg::Pong(n) => self.pongs.push(n),
                Msg::Ping(_) => bail!("the server sent a ping"),
            }
        }
        Ok(())
    }

    /// What this client's document holds, client by client.
    pub fn state_vector(&self) -> StateVector {
        self.doc.transact().state_vector()
    }

    /// The full state of this client's document, for comparisons.
    pub fn state(&self) -> Vec<u8> {
        self.doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default())
    }
}

fn close_parts(frame: Option<CloseFrame>) -> (u16, String) {
    match frame {
        Some(f) => (u16::from(f.code), f.reason.to_string()),
        None => (1005, String::new()),
    }
}

/// Waits for the server to close `ws` and returns its close code and reason.
pub async fn close_of(ws: &mut Ws) -> Result<(u16, String)> {
    tokio::time::timeout(TIMEOUT, async {
        while let Some(msg) = ws.next().await {
            if let Message::Close(frame) = msg? {
                return Ok(close_parts(frame));
            }
        }
        bail!("closed without a close frame")
    })
    .await?
}

/// Connects without the sync handshake and returns how the server closed the socket.
pub async fn refused(url: &str) -> Result<(u16, String)> {
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await?;
    close_of(&mut ws).await
}

/// Runs a Node.js script from `tests/js` with arguments and returns its stdout.
pub async fn node(script: &str, args: &[&str]) -> Result<String> {
    node_within(script, args, Duration::from_secs(120)).await
}

/// Runs a browser script that starts the server binary itself, with the built web
/// client: `node <script> <coboard binary> <client/dist> <tests/output/<out>>`. Returns
/// the JSON report it prints, and where its screenshots are.
pub async fn browser_script(
    script: &str,
    out: &str,
    limit: Duration,
) -> Result<(serde_json::Value, PathBuf)> {
    let web = root().join("client/dist");
    anyhow::ensure!(
        web.join("sw.js").exists(),
        "the web client is not built: run `cargo xtask client` (cargo xtask test does)"
    );
    let out = root().join("tests/output").join(out);
    std::fs::create_dir_all(&out)?;
    let binary = server_binary();
    let path = |p: &Path| p.to_str().map(str::to_owned).context("a path is not UTF-8");
    let args = [path(&binary)?, path(&web)?, path(&out)?];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let report = node_within(script, &args, limit).await?;
    Ok((serde_json::from_str(report.trim())?, out))
}

/// [`node`] with a time limit of the caller's.
pub async fn node_within(script: &str, args: &[&str], limit: Duration) -> Result<String> {
    let dir = root().join("tests/js");
    anyhow::ensure!(
        dir.join("node_modules").exists(),
        "tests/js/node_modules is missing: run `npm ci` in tests/js (cargo xtask test does)"
    );
    let out = tokio::time::timeout(
        limit,
        Command::new("node")
            .arg(dir.join(script))
            .args(args)
            .current_dir(&dir)
            .kill_on_drop(true)
            .output(),
    )
    .await
    .context("node script timed out")??;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!(
            "{script} failed ({}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(stdout)
}
