//! Several `coboard` processes on one board, sharing real Redis and PostgreSQL: co-editing
//! across instances, awareness and presence, an instance killed, Redis stopped and started
//! again mid-session, and `coboard export --database-url`.
//!
//! PostgreSQL is the machine's (127.0.0.1:5432, database `test`); each test works in a
//! schema of its own. Redis is the machine's (127.0.0.1:6379), except in the outage test,
//! which runs a private `redis-server` so it can stop it.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use coboard_e2e::pg::Schema;
use coboard_e2e::proxy::Proxy;
use coboard_e2e::{Server, YClient, server_binary};
use serde_json::Value;

const REDIS: &str = "redis://127.0.0.1:6379";
/// The secret the test instances sign their Redis messages with.
const SECRET: &str = "e2e-cluster-secret-0123456789";

/// Starts an instance of the cluster.
async fn instance(dir: &tempfile::TempDir, name: &str, db: &str, redis: &str) -> Result<Server> {
    Server::start_with(
        &dir.path().join(name),
        &[
            "--database-url",
            db,
            "--cluster-secret",
            SECRET,
            "--redis-url",
            redis,
            "--instance-id",
            name,
            "--presence-ttl-secs",
            "3",
        ],
    )
    .await
}

/// `GET /api/boards/{id}/presence` on `server`.
async fn presence(server: &Server, board: &str, token: &str) -> Result<Value> {
    let resp = reqwest::Client::new()
        .get(server.http(&format!("/api/boards/{board}/presence")))
        .bearer_auth(token)
        .send()
        .await?;
    if resp.status() != 200 {
        bail!("presence: {}", resp.status());
    }
    Ok(resp.json().await?)
}

/// Polls presence until `cond` holds (at most `limit`).
async fn presence_until(
    server: &Server,
    board: &str,
    token: &str,
    limit: Duration,
    cond: impl Fn(&Value) -> bool,
) -> Result<Value> {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let p = presence(server, board, token).await?;
        if cond(&p) {
            return Ok(p);
        }
        if tokio::time::Instant::now() > deadline {
            bail!("presence never matched: {p}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn names(p: &Value) -> Vec<(String, String)> {
    p["people"]
        .as_array()
        .map(|people| {
            people
                .iter()
                .map(|x| {
                    (
                        x["name"].as_str().unwrap_or("-").to_owned(),
                        x["instance"].as_str().unwrap_or("-").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn has(c: &YClient, text: &str) -> bool {
    c.texts().iter().any(|t| t == text)
}

#[tokio::test]
async fn two_instances_co_edit_one_board_with_shared_presence() -> Result<()> {
    let schema = Schema::new("coboard_e2e")?;
    let dir = tempfile::tempdir()?;
    let a = instance(&dir, "a", &schema.url(), REDIS).await?;
    let b = instance(&dir, "b", &schema.url(), REDIS).await?;
    let board = a.create_board("Across instances").await?;
    let token = a.token(&board).context("token")?;

    let mut on_a = YClient::connect(&a.ws(&board)).await?;
    on_a.set_awareness(on_a.doc.client_id().get(), 1, r#"{"user":{"name":"Asha"}}"#)
        .await?;
    // B loads the board now; A answers its hello with Asha's awareness.
    let b_loaded = tokio::time::Instant::now();
    let mut on_b = YClient::connect(&b.ws_with(&board, &token)).await?;
    let asha = on_a.doc.client_id();
    on_b.pump_until(|c| {
        c.awareness
            .get(&asha)
            .is_some_and(|s| s.as_deref().is_some_and(|s| s.contains("Asha")))
    })
    .await
    .context("B's client sees A's person")?;

    on_a.add_note("n-a", "written on A").await?;
    on_b.add_note("n-b", "written on B").await?;
    on_a.pump_until(|c| has(c, "written on B")).await?;
    on_b.pump_until(|c| has(c, "written on A")).await?;
    assert_eq!(on_a.state_vector(), on_b.state_vector());

    // Awareness from B reaches A too.
    on_b.set_awareness(on_b.doc.client_id().get(), 1, r#"{"user":{"name":"Ben"}}"#)
        .await?;
    let ben = on_b.doc.client_id();
    on_a.pump_until(|c| c.awareness.get(&ben).is_some_and(|s| s.is_some()))
        .await?;

    // Access needs shared with facilitators cross instances to facilitators only: B's
    // facilitator gets Asha's, a contributor on B gets her state without them.
    let invite = a
        .invite(&board, serde_json::json!({"role": "contributor"}))
        .await?;
    let contributor = invite["token"].as_str().context("invite token")?;
    let mut carl_on_b = YClient::connect(&b.ws_with(&board, contributor)).await?;
    let needs = r#"{"user":{"name":"Asha","colour":"teal","needs":["more_time"]}}"#;
    on_a.set_awareness(asha.get(), 2, needs).await?;
    // Her new state is the one with a colour.
    let asha_user = |c: &YClient| -> Option<Value> {
        let state: Value = serde_json::from_str(c.awareness.get(&asha)?.as_deref()?).ok()?;
        (state["user"]["colour"] == "teal").then(|| state["user"].clone())
    };
    on_b.pump_until(|c| asha_user(c).is_some()).await?;
    carl_on_b.pump_until(|c| asha_user(c).is_some()).await?;
    assert_eq!(
        asha_user(&on_b).context("B")?["needs"],
        serde_json::json!(["more_time"])
    );
    assert_eq!(
        asha_user(&carl_on_b).context("Carl")?,
        serde_json::json!({"name": "Asha", "colour": "teal"})
    );

    // Presence asked of B lists Asha on A, and the other way round.
    let p = presence_until(&b, &board, &token, Duration::from_secs(5), |p| {
        names(p).contains(&("Asha".into(), "a".into()))
    })
    .await?;
    assert_eq!(p["source"], "cluster");
    presence_until(&a, &board, &token, Duration::from_secs(5), |p| {
        names(p).contains(&("Ben".into(), "b".into()))
    })
    .await?;

    // Metrics: both instances count updates; B saw fan-out arrive.
    let metrics = reqwest::get(b.http("/metrics")).await?.text().await?;
    for name in [
        "coboard_updates_total",
        "coboard_fanout_lag_seconds",
        "coboard_store_seconds",
        "coboard_redis_connected 1",
        "coboard_boards_loaded 1",
        "coboard_connections 2",
    ] {
        assert!(metrics.contains(name), "{name} missing from:\n{metrics}");
    }

    // The subscriptions stay up past their first ping with boards subscribed (Redis answers
    // a subscribed connection's PING differently), rather than reconnecting and having
    // every board reread the store.
    tokio::time::sleep_until(b_loaded + Duration::from_secs(7)).await;
    for server in [&a, &b] {
        let metrics = reqwest::get(server.http("/metrics")).await?.text().await?;
        assert!(
            metrics
                .lines()
                .any(|l| l == "coboard_redis_connects_total 1"),
            "the subscription reconnected:\n{metrics}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_killed_instance_loses_nothing_and_its_people_leave_presence() -> Result<()> {
    let schema = Schema::new("coboard_e2e")?;
    let dir = tempfile::tempdir()?;
    let mut a = instance(&dir, "a", &schema.url(), REDIS).await?;
    let b = instance(&dir, "b", &schema.url(), REDIS).await?;
    let board = a.create_board("Crash").await?;
    let token = a.token(&board).context("token")?;
    let mut on_a = YClient::connect(&a.ws(&board)).await?;
    on_a.set_awareness(on_a.doc.client_id().get(), 1, r#"{"user":{"name":"Asha"}}"#)
        .await?;
    let mut on_b = YClient::connect(&b.ws_with(&board, &token)).await?;
    for n in 0..20 {
        on_a.add_note(&format!("n{n}"), &format!("note {n}"))
            .await?;
    }
    // B relays only what is durable, so once B's client has every note, they are stored.
    on_b.pump_until(|c| has(c, "note 19")).await?;
    presence_until(&b, &board, &token, Duration::from_secs(5), |p| {
        names(p).iter().any(|(n, i)| n == "Asha" && i == "a")
    })
    .await?;

    // Asha's last sign of life: a renewed awareness state, which B's client receives.
    let asha = on_a.doc.client_id();
    on_a.set_awareness(asha.get(), 2, r#"{"user":{"name":"Asha","colour":"red"}}"#)
        .await?;
    on_b.pump_until(|c| {
        c.awareness
            .get(&asha)
            .is_some_and(|s| s.as_deref().is_some_and(|s| s.contains("red")))
    })
    .await?;
    let renewed = tokio::time::Instant::now();

    a.kill().await?;
    // A's person leaves presence once A's heartbeat key expires (TTL 3 s here).
    let gone = std::time::Instant::now();
    presence_until(&b, &board, &token, Duration::from_secs(10), |p| {
        !names(p).iter().any(|(_, i)| i == "a")
    })
    .await?;
    assert!(gone.elapsed() < Duration::from_secs(10));

    // Nothing was lost: a newcomer on B, and A's own client reconnecting to B, have it all.
    let fresh = YClient::connect(&b.ws_with(&board, &token)).await?;
    for n in 0..20 {
        assert!(has(&fresh, &format!("note {n}")), "note {n} lost");
    }
    let again = YClient::connect_with_doc(&b.ws_with(&board, &token), on_a.doc.clone()).await?;
    assert_eq!(again.texts().len(), 20);

    // Asha's cursor and name leave B's clients too. Her instance can no longer renew her
    // awareness state, and B drops a state from another instance 30 s after its last
    // renewal (as a Yjs client drops a silent peer), then tells its own clients.
    let limit = (renewed + Duration::from_secs(45)) - tokio::time::Instant::now();
    on_b.pump_until_within(limit, |c| {
        c.awareness.get(&asha).is_some_and(|s| s.is_none())
    })
    .await
    .context("Asha's awareness outlived her instance")?;
    assert!(
        renewed.elapsed() >= Duration::from_secs(29),
        "dropped {:?} after its last renewal",
        renewed.elapsed()
    );
    Ok(())
}

#[tokio::test]
async fn instances_compacting_one_board_lose_nothing() -> Result<()> {
    let schema = Schema::new("coboard_e2e")?;
    let dir = tempfile::tempdir()?;
    // Compact after every 2 appends, so both instances compact the board many times while
    // the other's updates are still in flight.
    let start = |name: &'static str| {
        let db = schema.url();
        let path = dir.path().join(name);
        async move {
            Server::start_with(
                &path,
                &[
                    "--database-url",
                    &db,
                    "--cluster-secret",
                    SECRET,
                    "--redis-url",
                    REDIS,
                    "--instance-id",
                    name,
                    "--compact-every",
                    "2",
                ],
            )
            .await
        }
    };
    let mut a = start("a").await?;
    let mut b = start("b").await?;
    let board = a.create_board("Compaction").await?;
    let token = a.token(&board).context("token")?;
    let mut on_a = YClient::connect(&a.ws(&board)).await?;
    let mut on_b = YClient::connect(&b.ws_with(&board, &token)).await?;
    for n in 0..15 {
        on_a.add_note(&format!("a{n}"), &format!("from A {n}"))
            .await?;
        on_b.add_note(&format!("b{n}"), &format!("from B {n}"))
            .await?;
    }
    on_a.pump_until(|c| c.texts().len() == 30).await?;
    on_b.pump_until(|c| c.texts().len() == 30).await?;
    drop((on_a, on_b));
    // Both stop (each writes a final compaction), and a third instance loads the board
    // from PostgreSQL alone.
    a.stop().await?;
    b.stop().await?;
    let c = start("c").await?;
    let fresh = YClient::connect(&c.ws_with(&board, &token)).await?;
    let mut texts = fresh.texts();
    texts.sort();
    let mut want: Vec<String> = (0..15)
        .flat_map(|n| [format!("from A {n}"), format!("from B {n}")])
        .collect();
    want.sort();
    assert_eq!(texts, want);
    Ok(())
}

/// A `redis-server` of the test's own, on a free port, that it can stop and start.
struct PrivateRedis {
    port: u16,
    child: Option<std::process::Child>,
}

impl PrivateRedis {
    fn start_on(port: u16) -> Result<Self> {
        let child = std::process::Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(std::process::Stdio::null())
            .spawn()
            .context("starting redis-server")?;
        let r = Self {
            port,
            child: Some(child),
        };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(r);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        bail!("redis-server did not start on {port}")
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

#[tokio::test]
async fn edits_made_while_redis_is_down_reach_every_instance_when_it_returns() -> Result<()> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut redis = PrivateRedis::start_on(port)?;
    let schema = Schema::new("coboard_e2e")?;
    let dir = tempfile::tempdir()?;
    let a = instance(&dir, "a", &schema.url(), &redis.url()).await?;
    let b = instance(&dir, "b", &schema.url(), &redis.url()).await?;
    let board = a.create_board("Outage").await?;
    let token = a.token(&board).context("token")?;
    let mut on_a = YClient::connect(&a.ws(&board)).await?;
    let mut on_b = YClient::connect(&b.ws_with(&board, &token)).await?;
    on_a.add_note("before", "before the outage").await?;
    on_b.pump_until(|c| has(c, "before the outage")).await?;

    redis.stop();
    // Editing carries on at both instances; each client sees its own instance's edits.
    on_a.add_note("a1", "A during the outage").await?;
    on_b.add_note("b1", "B during the outage").await?;
    let mut second_on_a = YClient::connect(&a.ws(&board)).await?;
    second_on_a
        .pump_until(|c| has(c, "A during the outage"))
        .await?;
    // Presence falls back to the answering instance.
    let p = presence(&b, &board, &token).await?;
    assert_eq!(p["source"], "local");

    let _redis = PrivateRedis::start_on(port)?;
    on_a.pump_until(|c| has(c, "B during the outage")).await?;
    on_b.pump_until(|c| has(c, "A during the outage")).await?;
    assert_eq!(on_a.state_vector(), on_b.state_vector());
    // And fan-out works again for new edits.
    on_b.add_note("after", "after the outage").await?;
    on_a.pump_until(|c| has(c, "after the outage")).await?;
    Ok(())
}

/// One instance loses Redis while the others keep it: what it stores meanwhile cannot be
/// published, so once it reaches Redis again it tells the others to resync, and they read
/// the store. Nothing else would bring the edit to them: no one edits afterwards, and the
/// other instance's own Redis connection never dropped.
#[tokio::test]
async fn an_instance_cut_off_from_redis_has_the_others_resync_when_it_is_back() -> Result<()> {
    let proxy = Proxy::start(6379).await?;
    let schema = Schema::new("coboard_e2e")?;
    let dir = tempfile::tempdir()?;
    let via_proxy = format!("redis://127.0.0.1:{}", proxy.port);
    let a = instance(&dir, "a", &schema.url(), &via_proxy).await?;
    let b = instance(&dir, "b", &schema.url(), REDIS).await?;
    let board = a.create_board("Cut off").await?;
    let token = a.token(&board).context("token")?;
    let mut on_a = YClient::connect(&a.ws(&board)).await?;
    let mut on_b = YClient::connect(&b.ws_with(&board, &token)).await?;
    on_a.add_note("before", "before the cut").await?;
    on_b.pump_until(|c| has(c, "before the cut")).await?;

    proxy.cut();
    on_a.add_note("during", "stored while A cannot publish")
        .await?;
    // A's own clients have it (it is stored); B's do not, since A could not publish it.
    let mut second_on_a = YClient::connect(&a.ws(&board)).await?;
    second_on_a
        .pump_until(|c| has(c, "stored while A cannot publish"))
        .await?;
    let early = on_b
        .pump_until_within(Duration::from_secs(2), |c| {
            has(c, "stored while A cannot publish")
        })
        .await;
    let waited = early.expect_err("the edit crossed the cut");
    assert!(format!("{waited:#}").contains("timed out"), "{waited:#}");
    assert!(!has(&on_b, "stored while A cannot publish"));

    proxy.restore();
    on_b.pump_until(|c| has(c, "stored while A cannot publish"))
        .await
        .context("B never resynced")?;
    assert_eq!(on_a.state_vector(), on_b.state_vector());
    Ok(())
}

#[tokio::test]
async fn export_reads_postgres_with_no_server_running() -> Result<()> {
    let schema = Schema::new("coboard_e2e")?;
    let dir = tempfile::tempdir()?;
    let mut server =
        Server::start_with(&dir.path().join("s"), &["--database-url", &schema.url()]).await?;
    let board = server.create_board("Kept in PostgreSQL").await?;
    let mut c = YClient::connect(&server.ws(&board)).await?;
    c.add_note("n", "a note in PostgreSQL").await?;
    let mut other = YClient::connect(&server.ws(&board)).await?;
    other.pump_until(|o| has(o, "a note in PostgreSQL")).await?;
    server.stop().await?;
    let out = dir.path().join("plan.json");
    let status = std::process::Command::new(server_binary())
        .args([
            "export", &board, "--format", "json", "--scope", "all", "--out",
        ])
        .arg(&out)
        .args(["--database-url", &schema.url()])
        .status()?;
    assert!(status.success());
    let json = std::fs::read_to_string(&out)?;
    assert!(
        json.contains("Kept in PostgreSQL") && json.contains("a note in PostgreSQL"),
        "{json}"
    );
    Ok(())
}

#[tokio::test]
async fn with_postgres_down_edits_are_refused_not_lost_and_service_recovers() -> Result<()> {
    let schema = Schema::new("coboard_e2e")?;
    let proxy = Proxy::start(5432).await?;
    let dir = tempfile::tempdir()?;
    let server = Server::start_with(
        &dir.path().join("s"),
        &["--database-url", &proxy.pg_url(&schema)],
    )
    .await?;
    let board = server.create_board("Database outage").await?;
    let mut writer = YClient::connect(&server.ws(&board)).await?;
    let mut other = YClient::connect(&server.ws(&board)).await?;
    writer.add_note("before", "before the outage").await?;
    other.pump_until(|c| has(c, "before the outage")).await?;

    proxy.cut();
    writer
        .add_note("during", "written while the database is down")
        .await?;
    // Not acknowledged: the writer is told, and nobody receives the edit.
    let (code, reason) = writer.expect_close().await?;
    assert_eq!(code, 1011, "{reason}");
    assert!(reason.contains("storage"), "{reason}");
    let _ = other.expect_close().await;
    assert!(!has(&other, "written while the database is down"));

    proxy.restore();
    // The writer's client kept its edit; reconnecting (as the web client does, with
    // backoff) sends it again, and this time it is stored.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let back = loop {
        match YClient::connect_with_doc(&server.ws(&board), writer.doc.clone()).await {
            Ok(c) if c.closed.is_none() => break c,
            _ if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            other => bail!("never reconnected: {:?}", other.err()),
        }
    };
    drop(back);
    let mut fresh = YClient::connect(&server.ws(&board)).await?;
    fresh
        .pump_until(|c| has(c, "written while the database is down"))
        .await?;
    assert!(has(&fresh, "before the outage"));
    Ok(())
}
