//! Rust Yjs clients against the real `coboard` binary: convergence, late joiners,
//! concurrency, restarts and crashes.

use coboard_e2e::{Server, YClient};
use yrs::{GetString, Transact};

#[tokio::test]
async fn two_clients_converge_and_a_late_joiner_gets_everything() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Converge").await?;
    let mut a = YClient::connect(&server.ws(&board)).await?;
    let mut b = YClient::connect(&server.ws(&board)).await?;

    a.add_note("n1", "from a").await?;
    b.pump_until(|c| c.texts() == ["from a"]).await?;
    b.add_note("n2", "from b").await?;
    a.pump_until(|c| c.texts().len() == 2).await?;
    assert_eq!(a.texts(), b.texts());

    // The title the server seeded once at creation is there for everyone.
    let late = YClient::connect(&server.ws(&board)).await?;
    assert_eq!(late.texts(), ["from a", "from b"]);
    assert_eq!(
        late.board.title(&late.doc.transact()).as_deref(),
        Some("Converge")
    );
    Ok(())
}

#[tokio::test]
async fn three_clients_making_200_concurrent_edits_each_converge() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Busy").await?;
    let mut seed = YClient::connect(&server.ws(&board)).await?;
    seed.add_note("shared", "").await?;

    let mut handles = Vec::new();
    for who in 0..3u8 {
        let url = server.ws(&board);
        handles.push(tokio::spawn(async move {
            let mut c = YClient::connect(&url).await?;
            c.pump_until(|c| !c.items().is_empty()).await?;
            for i in 0..200 {
                // Half the edits type into one shared note, half add notes of their own.
                if i % 2 == 0 {
                    c.edit(|b, txn| {
                        let t = b.item_text(txn, "shared").expect("shared note");
                        yrs::Text::push(&t, txn, &format!("{}", (b'a' + who) as char));
                    })
                    .await?;
                } else {
                    c.add_note(&format!("c{who}-{i}"), &format!("{who}:{i}"))
                        .await?;
                }
            }
            anyhow::Ok(c)
        }));
    }
    let mut clients = Vec::new();
    for h in handles {
        clients.push(h.await??);
    }
    // Every client ends with 1 + 3 * 100 notes and 300 characters in the shared note.
    for c in &mut clients {
        c.pump_until(|c| {
            let txn = c.doc.transact();
            let shared = c
                .board
                .item_text(&txn, "shared")
                .map(|t| t.get_string(&txn));
            c.items().len() == 301 && shared.is_ok_and(|s| s.len() == 300)
        })
        .await?;
    }
    let first = clients[0].items();
    for c in &clients[1..] {
        assert_eq!(c.items(), first);
    }
    // A newcomer loads the same from the server.
    let fresh = YClient::connect(&server.ws(&board)).await?;
    assert_eq!(fresh.items(), first);
    Ok(())
}

#[tokio::test]
async fn state_survives_a_graceful_restart() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    // Compact often so both the snapshot and the log are exercised.
    let server = Server::start_with(dir.path(), &["--compact-every", "3"]).await?;
    let board = server.create_board("Restart").await?;
    let mut a = YClient::connect(&server.ws(&board)).await?;
    for i in 0..10 {
        a.add_note(&format!("n{i}"), &format!("note {i}")).await?;
    }
    let mut b = YClient::connect(&server.ws(&board)).await?;
    b.pump_until(|c| c.items().len() == 10).await?;
    drop((a, b));
    let restarted = server.restart().await?;
    let c = YClient::connect(&restarted.ws(&board)).await?;
    assert_eq!(c.items().len(), 10);
    assert!(c.texts().contains(&"note 9".to_owned()));
    Ok(())
}

#[tokio::test]
async fn nothing_another_client_received_is_lost_to_sigkill() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Crash").await?;
    let mut a = YClient::connect(&server.ws(&board)).await?;
    let mut b = YClient::connect(&server.ws(&board)).await?;
    for i in 0..50 {
        a.add_note(&format!("n{i}"), &format!("kept {i}")).await?;
    }
    // Once b has seen the last edit, the server had made all of them durable.
    b.pump_until(|c| c.items().len() == 50).await?;
    let mut server = server;
    server.kill().await?;
    let server = server.start_again().await?;
    let c = YClient::connect(&server.ws(&board)).await?;
    assert_eq!(c.items().len(), 50);
    assert_eq!(c.items(), b.items());
    Ok(())
}

#[tokio::test]
async fn offline_edits_upload_on_reconnect() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Offline").await?;
    let mut a = YClient::connect(&server.ws(&board)).await?;
    a.add_note("online", "online").await?;
    // An edit made while disconnected lives only in a's document...
    let offline_doc = a.doc.clone();
    drop(a);
    {
        let board_refs = coboard_shared::schema::Board::new(&offline_doc);
        let mut txn = offline_doc.transact_mut();
        let note = coboard_shared::schema::NewItem {
            kind: "note".into(),
            text: "written offline".into(),
            x: 0.0,
            y: 0.0,
            colour: "blue".into(),
            author: Default::default(),
            created_at: 0.0,
            ..Default::default()
        };
        board_refs.add_item(&mut txn, "offline", &note);
    }
    // ...and reaches the server through the reconnect handshake (answering its step 1).
    let _back = YClient::connect_with_doc(&server.ws(&board), offline_doc).await?;
    let mut other = YClient::connect(&server.ws(&board)).await?;
    other
        .pump_until(|c| c.texts() == ["online", "written offline"])
        .await?;
    Ok(())
}

#[tokio::test]
async fn an_update_built_on_unseen_changes_asks_for_a_resync_and_then_converges()
-> anyhow::Result<()> {
    use coboard_shared::protocol::Msg;
    use coboard_shared::schema::{Board, NewItem};
    use yrs::ReadTxn;
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Tabs").await?;

    // Two changes made in one browser (think: two tabs sharing edits locally), of which
    // only the second reaches the server first.
    let doc = yrs::Doc::new();
    let refs = Board::new(&doc);
    let note = NewItem {
        kind: "note".into(),
        text: "base".into(),
        x: 0.0,
        y: 0.0,
        colour: "green".into(),
        author: Default::default(),
        created_at: 0.0,
        ..Default::default()
    };
    refs.add_item(&mut doc.transact_mut(), "n", &note);
    let after_first = doc.transact().state_vector();
    {
        let mut txn = doc.transact_mut();
        let text = refs.item_text(&txn, "n")?;
        yrs::Text::push(&text, &mut txn, " and more");
    }
    let second_only = doc.transact().encode_state_as_update_v1(&after_first);

    let mut tab = YClient::connect(&server.ws(&board)).await?;
    tab.send_msg(&Msg::Update(second_only)).await?;
    let (code, reason) = tab.expect_close().await?;
    assert_eq!(code, coboard_shared::close::RESYNC, "{reason}");

    // Reconnecting syncs both, in order.
    let _back = YClient::connect_with_doc(&server.ws(&board), doc).await?;
    let mut check = YClient::connect(&server.ws(&board)).await?;
    check.pump_until(|c| c.texts() == ["base and more"]).await?;
    Ok(())
}

/// The web client's acknowledgement: a pong means every update sent before its ping is
/// stored, so it survives the server being killed straight after.
#[tokio::test]
async fn a_pong_means_every_earlier_update_is_stored() -> anyhow::Result<()> {
    use coboard_shared::protocol::Msg;
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Acknowledged").await?;
    let mut a = YClient::connect(&server.ws(&board)).await?;
    for i in 0..40 {
        a.add_note(&format!("n{i}"), &format!("stored {i}")).await?;
    }
    a.send_msg(&Msg::Ping(41)).await?;
    a.pump_until(|c| !c.pongs.is_empty()).await?;
    assert_eq!(a.pongs, [41], "the pong echoes the ping's number");
    let mut server = server;
    server.kill().await?;
    let server = server.start_again().await?;
    let c = YClient::connect(&server.ws(&board)).await?;
    assert_eq!(c.items().len(), 40);
    assert_eq!(c.items(), a.items());
    // Standard Yjs clients never ping, so they never see a pong: none came unasked.
    assert!(c.pongs.is_empty());
    Ok(())
}
