//! Hostile clients against the real binary: a link of any role sending frames made to crash,
//! exhaust or flood the server. Each time the server stays up, the offender alone is
//! affected, and everyone else carries on.

use std::time::{Duration, Instant};

use coboard_e2e::{Server, YClient};
use serde_json::json;
use yrs::encoding::write::Write;

/// A sync-update message carrying `update`, as y-websocket frames it.
fn update_msg(update: &[u8]) -> Vec<u8> {
    let mut msg = vec![0u8, 2];
    msg.write_buf(update);
    msg
}

/// A v1 update whose one map entry holds an array nested `depth` deep.
fn deep_update(depth: usize) -> Vec<u8> {
    let mut u = vec![1u8, 1, 1, 0, 0x28, 1, 5];
    u.extend(b"items");
    u.extend([1, b'a', 1]);
    u.extend([117u8, 1].repeat(depth));
    u.push(126);
    u.push(0);
    u
}

/// Peak resident memory of a process, in MiB, from `/proc`.
fn peak_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

#[tokio::test]
async fn a_viewer_cannot_crash_or_exhaust_the_server() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Hostile viewer").await?;
    let other = server.create_board("Another board").await?;
    let mut facilitator = YClient::connect(&server.ws(&board)).await?;
    let mut elsewhere = YClient::connect(&server.ws(&other)).await?;
    let viewer = server.invite(&board, json!({"role": "viewer"})).await?;
    let mut hostile =
        YClient::connect(&server.ws_with(&board, viewer["token"].as_str().unwrap())).await?;

    // About 20 KB: a value nested 10,000 deep (yrs decodes values recursively).
    hostile.send_raw(update_msg(&deep_update(10_000))).await?;
    // 60 eight-byte messages, each claiming 2^28 blocks, in two frames.
    let bomb = update_msg(&[0x80, 0x80, 0x80, 0x01]);
    for _ in 0..2 {
        hostile.send_raw(bomb.repeat(30)).await?;
    }

    let http = reqwest::Client::new();
    for _ in 0..5 {
        let started = Instant::now();
        let health = http.get(server.http("/healthz")).send().await?;
        assert!(health.status().is_success());
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "/healthz took {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let peak = peak_mib(server.pid().expect("running"));
    assert!(peak < 200, "peak memory {peak} MiB");

    // Everyone else carries on, on this board and on another.
    facilitator.add_note("n1", "still here").await?;
    elsewhere.add_note("n2", "unaffected").await?;
    let check = YClient::connect(&server.ws(&board)).await?;
    assert_eq!(check.texts(), ["still here"]);
    let check = YClient::connect(&server.ws(&other)).await?;
    assert_eq!(check.texts(), ["unaffected"]);
    Ok(())
}

/// An empty sync step 1 ("send me everything"), as a y-websocket message.
const STEP1: [u8; 4] = [0, 0, 1, 0];

/// Counts the binary frames `ws` receives within `window`, and how the server ended it.
async fn count_frames(
    ws: &mut coboard_e2e::RawWs,
    window: Duration,
) -> (usize, usize, Option<u16>) {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    let (mut frames, mut bytes) = (0, 0);
    let deadline = tokio::time::Instant::now() + window;
    while let Ok(Some(msg)) = tokio::time::timeout_at(deadline, ws.next()).await {
        match msg {
            Ok(Message::Binary(b)) => {
                frames += 1;
                bytes += b.len();
            }
            Ok(Message::Close(c)) => return (frames, bytes, c.map(|c| c.code.into())),
            Ok(_) => {}
            Err(_) => break,
        }
    }
    (frames, bytes, None)
}

#[tokio::test]
async fn limits_count_messages_not_frames() -> anyhow::Result<()> {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Floods").await?;
    let mut facilitator = YClient::connect(&server.ws(&board)).await?;
    facilitator.add_note("n1", &"words ".repeat(2_000)).await?;
    let contributor = server
        .invite(&board, json!({"role": "contributor"}))
        .await?;
    let url = server.ws_with(&board, contributor["token"].as_str().unwrap());
    let mut watcher = YClient::connect(&url).await?;

    // One frame of 5,000 (empty) updates, and one of 500 sync step 1s: refused whole.
    for flood in [update_msg(&[0, 0]).repeat(5_000), STEP1.repeat(500)] {
        let mut ws = coboard_e2e::raw(&url).await?;
        ws.send(Message::Binary(flood.into())).await?;
        let (_, _, code) = count_frames(&mut ws, Duration::from_secs(5)).await;
        assert_eq!(code, Some(coboard_shared::close::TOO_MANY_MESSAGES));
    }

    // 100 sync step 1s (the most one frame may hold) are answered at a few a second, not
    // at once: what one client makes the server send is paced.
    let mut ws = coboard_e2e::raw(&url).await?;
    let (joining, _, _) = count_frames(&mut ws, Duration::from_millis(500)).await;
    ws.send(Message::Binary(STEP1.repeat(100).into())).await?;
    let (answers, bytes, code) = count_frames(&mut ws, Duration::from_secs(2)).await;
    assert_eq!(code, None, "not closed");
    assert!(joining >= 1);
    assert!(answers <= 14, "{answers} answers ({bytes} bytes) in 2 s");
    assert!(
        answers >= 8,
        "the first few are answered at once: {answers}"
    );

    // Nobody else was closed, and edits still flow.
    facilitator.add_note("n2", "after the floods").await?;
    watcher
        .pump_until(|c| c.texts().iter().any(|t| t == "after the floods"))
        .await?;
    Ok(())
}

#[tokio::test]
async fn a_client_that_never_reads_is_closed_and_frees_its_place() -> anyhow::Result<()> {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let dir = tempfile::tempdir()?;
    let server = Server::start_with(
        dir.path(),
        &[
            "--send-timeout-secs",
            "2",
            "--max-connections-per-board",
            "2",
        ],
    )
    .await?;
    let board = server.create_board("Stuck").await?;
    let mut writer = YClient::connect(&server.ws(&board)).await?;
    // About 3.6 MB: eight copies are far more than the sockets' buffers hold.
    for i in 0..4 {
        writer
            .add_note(&format!("big{i}"), &"x".repeat(900_000))
            .await?;
    }
    drop(writer);

    // Asks for the whole board eight times over, with a tiny receive buffer, and never reads.
    let mut stuck = coboard_e2e::raw_small_buffer(&server.ws(&board)).await?;
    stuck.send(Message::Binary(STEP1.repeat(8).into())).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let _other = YClient::connect(&server.ws(&board)).await?;
    let (code, _) = coboard_e2e::refused(&server.ws(&board)).await?;
    assert_eq!(
        code,
        coboard_shared::close::TOO_MANY_PEOPLE,
        "the board is full"
    );

    // Past the send timeout the stuck client is dropped, and its place is free again.
    let mut joined = None;
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        if let Ok(c) = YClient::connect(&server.ws(&board)).await {
            joined = Some(c);
            break;
        }
    }
    let joined = joined.expect("a place came free");
    assert_eq!(joined.items().len(), 4);
    Ok(())
}

#[tokio::test]
async fn viewers_cannot_fill_the_places_kept_for_facilitators() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start_with(
        dir.path(),
        &[
            "--max-connections-per-board",
            "5",
            "--facilitator-places",
            "2",
        ],
    )
    .await?;
    let board = server.create_board("Crowded").await?;
    let viewer = server.invite(&board, json!({"role": "viewer"})).await?;
    let url = server.ws_with(&board, viewer["token"].as_str().unwrap());
    let mut viewers = Vec::new();
    for _ in 0..3 {
        viewers.push(YClient::connect(&url).await?);
    }
    let (code, reason) = coboard_e2e::refused(&url).await?;
    assert_eq!(code, coboard_shared::close::TOO_MANY_PEOPLE, "{reason}");
    // The person running the session still gets in, twice (say, a laptop and a phone).
    let _one = YClient::connect(&server.ws(&board)).await?;
    let _two = YClient::connect(&server.ws(&board)).await?;
    let (code, _) = coboard_e2e::refused(&server.ws(&board)).await?;
    assert_eq!(code, coboard_shared::close::TOO_MANY_PEOPLE);
    Ok(())
}

/// A keep-alive connection that trickles its second request (one byte a second) is closed
/// once the request deadline passes, as the first request's would be; a WebSocket that
/// stays quiet longer than the deadline is not.
#[tokio::test]
async fn a_keep_alive_connection_trickling_its_next_request_is_closed() -> anyhow::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir()?;
    let server = Server::start_with(dir.path(), &["--auth-timeout-secs", "2"]).await?;
    let board = server.create_board("Keep-alive").await?;
    let mut conn = tokio::net::TcpStream::connect(&server.addr).await?;
    conn.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await?;
    let mut buf = vec![0u8; 4096];
    let n = conn.read(&mut buf).await?;
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));

    let started = Instant::now();
    let mut closed = false;
    for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
        .iter()
        .cycle()
        .take(30)
    {
        if conn.write_all(&[*byte]).await.is_err() {
            closed = true;
            break;
        }
        match tokio::time::timeout(Duration::from_secs(1), conn.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                closed = true;
                break;
            }
            _ => {}
        }
    }
    assert!(closed, "still open after {:?}", started.elapsed());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    // An upgraded connection has no such deadline.
    let mut ws = YClient::connect(&server.ws(&board)).await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    ws.add_note("n1", "after a quiet spell").await?;
    let check = YClient::connect(&server.ws(&board)).await?;
    assert_eq!(check.texts(), ["after a quiet spell"]);
    Ok(())
}

/// Boards, access needs and the ledger are readable by the server's user alone.
#[tokio::test]
async fn the_data_directory_and_its_files_are_private() -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");
    let server = Server::start(&data).await?;
    let board = server.create_board("Private").await?;
    let mut writer = YClient::connect(&server.ws(&board)).await?;
    writer.add_note("n1", "a person's words").await?;
    let mode = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.permissions().mode() & 0o777);
    assert_eq!(mode(&data)?, 0o700, "the data directory");
    let mut files = 0;
    for entry in std::fs::read_dir(&data)? {
        let path = entry?.path();
        assert_eq!(mode(&path)?, 0o600, "{}", path.display());
        files += 1;
    }
    assert!(files >= 1, "the database is there");
    Ok(())
}

/// A bare WebSocket to `url`, forwarded for `client` (the server trusts loopback proxies).
async fn open_as(url: &str, client: &str) -> anyhow::Result<coboard_e2e::RawWs> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut req = url.into_client_request()?;
    req.headers_mut().insert("x-forwarded-for", client.parse()?);
    Ok(tokio_tungstenite::connect_async(req).await?.0)
}

/// The close code the server sends `ws` within half a second, if any.
async fn closed_with(ws: &mut coboard_e2e::RawWs) -> Option<u16> {
    count_frames(ws, Duration::from_millis(500)).await.2
}

#[tokio::test]
async fn no_address_no_link_and_no_crowd_can_take_every_place() -> anyhow::Result<()> {
    use coboard_shared::close::TOO_MANY_PEOPLE;
    let dir = tempfile::tempdir()?;
    let server = Server::start_with(
        &dir.path().join("caps"),
        &[
            "--trusted-proxies",
            "127.0.0.1",
            "--max-connections-per-address",
            "2",
            "--max-connections-per-invite",
            "3",
        ],
    )
    .await?;
    let board = server.create_board("Shared").await?;
    let mut held = Vec::new();

    // One address: two places, then "from your network"; another address is unaffected.
    for _ in 0..2 {
        let mut ws = open_as(&server.ws(&board), "203.0.113.1").await?;
        assert_eq!(closed_with(&mut ws).await, None);
        held.push(ws);
    }
    let mut third = open_as(&server.ws(&board), "203.0.113.1").await?;
    assert_eq!(closed_with(&mut third).await, Some(TOO_MANY_PEOPLE));

    // One link: three places, whatever the addresses.
    let link = server
        .invite(&board, json!({"role": "contributor"}))
        .await?;
    let url = server.ws_with(&board, link["token"].as_str().unwrap());
    for i in 0..3 {
        let mut ws = open_as(&url, &format!("198.51.100.{i}")).await?;
        assert_eq!(closed_with(&mut ws).await, None, "person {i}");
        held.push(ws);
    }
    let mut fourth = open_as(&url, "198.51.100.9").await?;
    assert_eq!(closed_with(&mut fourth).await, Some(TOO_MANY_PEOPLE));

    // The whole server: two connections at most, across boards.
    let small = Server::start_with(&dir.path().join("small"), &["--max-connections", "2"]).await?;
    let (one, two) = (
        small.create_board("One").await?,
        small.create_board("Two").await?,
    );
    let _a = YClient::connect(&small.ws(&one)).await?;
    let _b = YClient::connect(&small.ws(&two)).await?;
    let (code, reason) = coboard_e2e::refused(&small.ws(&two)).await?;
    assert_eq!(code, TOO_MANY_PEOPLE);
    assert!(reason.contains("server is full"), "{reason}");
    drop(_a);
    tokio::time::sleep(Duration::from_millis(300)).await;
    YClient::connect(&small.ws(&two)).await?;
    Ok(())
}

/// Presence belongs to the connection that announced it: another connection can neither
/// overwrite it nor be credited with it in the ledger's attendance.
#[tokio::test]
async fn one_connection_cannot_overwrite_or_borrow_another_persons_presence() -> anyhow::Result<()>
{
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Whose presence").await?;
    let fac = server.token(&board).unwrap();
    let link = |role: &'static str| server.invite(&board, json!({ "role": role }));
    let (asha_link, other_link) = (link("contributor").await?, link("viewer").await?);
    let url = |l: &serde_json::Value| server.ws_with(&board, l["token"].as_str().unwrap());
    let mut watcher = YClient::connect(&server.ws(&board)).await?;
    let mut asha = YClient::connect(&url(&asha_link)).await?;
    asha.set_awareness(10, 1, r#"{"user":{"name":"Asha"}}"#)
        .await?;
    let asha_id = yrs::ClientID::new(10);
    let says = |c: &YClient, who: &str| {
        c.awareness
            .get(&asha_id)
            .is_some_and(|s| s.as_deref().is_some_and(|s| s.contains(who)))
    };
    watcher.pump_until(|c| says(c, "Asha")).await?;

    // Another connection sends a newer state for Asha's id: dropped as a relay.
    let mut other = YClient::connect(&url(&other_link)).await?;
    other
        .set_awareness(10, 5, r#"{"user":{"name":"Mallory"}}"#)
        .await?;
    let changed = watcher
        .pump_until_within(Duration::from_millis(800), |c| says(c, "Mallory"))
        .await;
    assert!(changed.is_err(), "Asha's presence was overwritten");
    assert!(says(&watcher, "Asha"));

    drop(other);
    drop(asha);
    let seen = server.attendance_today(&board, &fac).await?;
    // Only Asha's own connection is credited to her: one link, a contributor's.
    assert_eq!(seen.as_array().map(Vec::len), Some(1), "{seen}");
    assert_eq!(seen[0]["name"], "Asha");
    assert_eq!(seen[0]["invites"], json!([asha_link["id"]]), "{seen}");
    assert_eq!(seen[0]["roles"], json!(["contributor"]));
    Ok(())
}
