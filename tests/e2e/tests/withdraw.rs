//! Withdrawing a contribution against the real binary: the words leave the live board,
//! every saved version and the stored history, on the embedded store (every byte of its
//! files is searched after a clean stop) and on PostgreSQL (every stored blob is searched).

use anyhow::{Context, Result, bail};
use coboard_e2e::pg::{Schema, psql};
use coboard_e2e::{Server, YClient};
use coboard_shared::schema::{
    Author, NewItem, ParticipantRole, Status, WITHDRAWN, author_key_hash,
};
use serde_json::{Value, json};

const SECRET: &str = "the name of the school my son attends";
const KEY: &str = "asha-secret-key-0123456789";

async fn post(server: &Server, path: &str, token: &str, body: Value) -> Result<(u16, Value)> {
    server
        .call_json(reqwest::Method::POST, path, token, Some(body))
        .await
}

/// A board with Asha's agreed aim (holding the secret) in the live board, a named
/// snapshot and the update log; returns the board, its facilitator token and a
/// contributor token.
async fn board_with_secret(server: &Server) -> Result<(String, String, String)> {
    let board = server
        .create_board_from("Withdrawal", "coproduction-plan")
        .await?;
    let facilitator = server.token(&board).context("token")?;
    let invite = server
        .invite(&board, json!({"role": "contributor"}))
        .await?;
    let contributor = invite["token"].as_str().context("token")?.to_owned();
    let mut c = YClient::connect(&server.ws(&board)).await?;
    let asha = Author::named("Asha", ParticipantRole::Public, "asha");
    c.edit(|b, txn| {
        let aim = NewItem {
            kind: "aim".into(),
            section: "aims".into(),
            text: format!("Ask about {SECRET}"),
            author: asha.clone(),
            author_key: author_key_hash(KEY),
            ..NewItem::default()
        };
        b.add_item(txn, "a1", &aim);
        let other = NewItem {
            kind: "aim".into(),
            section: "aims".into(),
            text: "Someone else's aim".into(),
            ..NewItem::default()
        };
        b.add_item(txn, "a2", &other);
    })
    .await?;
    c.edit(|b, txn| {
        b.set_status(
            txn,
            "a1",
            Status::Agreed,
            &asha,
            std::slice::from_ref(&asha),
            1.0e12,
        )
        .unwrap();
    })
    .await?;
    let mut other = YClient::connect(&server.ws(&board)).await?;
    other
        .pump_until(|o| {
            o.items()
                .iter()
                .any(|i| i.id == "a1" && i.decision.is_some())
        })
        .await?;
    let (status, _) = post(
        server,
        &format!("/api/boards/{board}/snapshots"),
        &facilitator,
        json!({"name": "Before"}),
    )
    .await?;
    assert_eq!(status, 201);
    Ok((board, facilitator, contributor))
}

/// Withdraws a1 as its author, after the refusals, and checks the live board.
async fn withdraw_as_author(
    server: &Server,
    board: &str,
    facilitator: &str,
    contributor: &str,
) -> Result<Value> {
    let path = format!("/api/boards/{board}/items/a1/withdraw");
    let mut watcher = YClient::connect(&server.ws(board)).await?;
    assert_eq!(
        post(server, &path, contributor, json!({})).await?.0,
        403,
        "no key"
    );
    assert_eq!(
        post(server, &path, contributor, json!({"key": "wrong"}))
            .await?
            .0,
        403,
        "wrong key"
    );
    let missing = format!("/api/boards/{board}/items/nope/withdraw");
    assert_eq!(post(server, &missing, facilitator, json!({})).await?.0, 404);
    let (status, receipt) = post(server, &path, contributor, json!({"key": KEY})).await?;
    assert_eq!(status, 200, "{receipt}");
    let removed = receipt["removed"].to_string();
    assert!(
        removed.contains("decision") && removed.contains("saved version"),
        "{receipt}"
    );
    assert!(
        !receipt["not_removed"]
            .as_array()
            .context("list")?
            .is_empty()
    );
    watcher
        .pump_until(|c| {
            c.items()
                .iter()
                .any(|i| i.id == "a1" && i.text == WITHDRAWN)
        })
        .await?;
    let items = watcher.items();
    let a1 = items.iter().find(|i| i.id == "a1").context("a1")?;
    assert_eq!(a1.decision.as_ref().context("decision")?.what, WITHDRAWN);
    assert!(items.iter().any(|i| i.text == "Someone else's aim"));
    // The saved version and every export read from the board no longer hold the words.
    for path in [
        format!("/api/boards/{board}/export?format=md&scope=all"),
        format!("/api/boards/{board}/snapshots"),
    ] {
        let text = reqwest::Client::new()
            .get(server.http(&path))
            .bearer_auth(facilitator)
            .send()
            .await?
            .text()
            .await?;
        assert!(!text.contains(SECRET), "{path}: {text}");
    }
    Ok(receipt)
}

fn holds_secret(bytes: &[u8]) -> bool {
    bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes())
}

#[tokio::test]
async fn withdrawn_words_leave_every_file_of_the_embedded_store() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut server = Server::start(dir.path()).await?;
    let (board, facilitator, contributor) = board_with_secret(&server).await?;
    // Before: the words are in the store's files (so the search below can find them).
    let before: Vec<u8> = std::fs::read_dir(dir.path())?
        .flat_map(|e| std::fs::read(e.unwrap().path()).unwrap_or_default())
        .collect();
    assert!(
        holds_secret(&before),
        "the search must be able to find the words"
    );
    withdraw_as_author(&server, &board, &facilitator, &contributor).await?;
    server.stop().await?;
    for entry in std::fs::read_dir(dir.path())? {
        let path = entry?.path();
        if holds_secret(&std::fs::read(&path)?) {
            bail!("{} still holds the withdrawn words", path.display());
        }
    }
    Ok(())
}

#[tokio::test]
async fn withdrawn_words_leave_every_blob_stored_in_postgres() -> Result<()> {
    let scratch = Schema::new("coboard_withdraw")?;
    let schema = &scratch.0;
    let dir = tempfile::tempdir()?;
    let mut server = Server::start_with(dir.path(), &["--database-url", &scratch.url()]).await?;
    let (board, facilitator, contributor) = board_with_secret(&server).await?;
    let count = format!(
        "SELECT count(*) FROM (SELECT data AS b FROM {schema}.updates UNION ALL \
         SELECT data FROM {schema}.snapshots UNION ALL SELECT state FROM {schema}.named_snapshots) s \
         WHERE position(convert_to('{SECRET}', 'UTF8') in s.b) > 0"
    );
    assert_ne!(
        psql(&count)?,
        "0",
        "the search must be able to find the words"
    );
    withdraw_as_author(&server, &board, &facilitator, &contributor).await?;
    // The withdrawal vacuumed the tables it rewrote, so the old row versions that held the
    // words are not left for autovacuum to find some day.
    let vacuumed = format!(
        "SELECT count(*) FROM pg_stat_user_tables WHERE schemaname = '{schema}' \
         AND relname IN ('updates', 'snapshots', 'named_snapshots') AND last_vacuum IS NOT NULL"
    );
    let mut seen = String::new();
    for _ in 0..50 {
        seen = psql(&vacuumed)?;
        if seen == "3" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(seen, "3", "tables vacuumed after the withdrawal");
    server.stop().await?;
    assert_eq!(psql(&count)?, "0");
    Ok(())
}
