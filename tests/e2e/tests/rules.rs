//! The board's rules (`coboard_shared::rules`) against the real binary, broken on purpose
//! by a modified Yjs client: every refused change is told to its sender (auth message,
//! close 4003), seen by nobody else, absent from the store after a restart and from the
//! exports; the honest path still works for both writing roles; and the author's own
//! changes (consent, removal) go through the server with the item's key.

use std::collections::HashMap;

use anyhow::{Context, Result};
use coboard_e2e::{Server, YClient};
use coboard_shared::close;
use coboard_shared::schema::{
    self, Author, Board, NewItem, ParticipantRole, Round, RoundState, Status, author_key_hash,
};
use serde_json::json;
use yrs::{Any, Array, Map, TransactionMut, WriteTxn};

const KEY: &str = "asha-item-key-0123456789";

fn asha() -> Author {
    Author::named("Asha", ParticipantRole::Public, "asha")
}

fn round(id: &str, sealed: bool) -> Round {
    Round {
        id: id.to_owned(),
        title: "What first?".into(),
        section: String::new(),
        budget: 3,
        sealed,
        state: RoundState::Open,
        created_at: 1.0,
        closed_at: None,
    }
}

/// A board with Asha's note `n` (agreed, with her key), a timer-free session, an open and
/// a sealed round, and an activity line; returns it with a contributor token.
async fn board(server: &Server) -> Result<(String, String)> {
    let board = server.create_board("Rules").await?;
    let invite = server
        .invite(&board, json!({"role": "contributor"}))
        .await?;
    let contributor = invite["token"].as_str().context("token")?.to_owned();
    let mut f = YClient::connect(&server.ws(&board)).await?;
    f.edit(|b, t| {
        let note = NewItem {
            kind: "note".into(),
            text: "Meet in the library".into(),
            colour: "yellow".into(),
            author: asha(),
            created_at: 1.0,
            author_key: author_key_hash(KEY),
            ..NewItem::default()
        };
        b.add_item(t, "n", &note);
        b.set_status(t, "n", Status::Agreed, &asha(), &[], 2.0)
            .unwrap();
        b.add_round(t, &round("open", false)).unwrap();
        b.add_round(t, &round("sealed", true)).unwrap();
        b.log(
            t,
            &schema::ActivityEntry {
                at: 1.0,
                who: asha(),
                action: schema::Action::Added,
                item: "n".into(),
                kind: "note".into(),
                detail: "Meet in the library".into(),
            },
        );
    })
    .await?;
    // Wait until the facilitator's own edit is on the board.
    let mut check = YClient::connect(&server.ws(&board)).await?;
    check.pump_until(|c| !c.items().is_empty()).await?;
    Ok((board, contributor))
}

type Breaking = (
    &'static str,
    &'static str,
    Box<dyn Fn(&Board, &mut TransactionMut)>,
);

fn map(pairs: &[(&str, Any)]) -> Any {
    Any::from(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<HashMap<_, _>>(),
    )
}

/// What a modified contributor client tries, with the words its refusal must contain.
fn breaking() -> Vec<Breaking> {
    vec![
        (
            "rewrite the author",
            "Nobody can change",
            Box::new(|b, t| {
                b.item(t, "n").unwrap().insert(
                    t,
                    "author",
                    Author::named("Mallory", ParticipantRole::Public, "m").stored_any(),
                );
            }),
        ),
        (
            "claim the author key",
            "Nobody can change",
            Box::new(|b, t| {
                b.item(t, "n")
                    .unwrap()
                    .insert(t, "author_key", author_key_hash("mine now"));
            }),
        ),
        (
            "un-agree",
            "facilitators",
            Box::new(|b, t| {
                b.set_status(t, "n", Status::Proposed, &asha(), &[], 3.0)
                    .unwrap();
            }),
        ),
        (
            "rewrite the decision",
            "facilitators",
            Box::new(|b, t| {
                b.item(t, "n").unwrap().insert(
                    t,
                    "decision",
                    map(&[("what", Any::from("Meet online")), ("at", Any::from(3.0))]),
                );
            }),
        ),
        (
            "change someone's consent",
            "consent",
            Box::new(|b, t| {
                b.item(t, "n").unwrap().insert(
                    t,
                    "consent",
                    map(&[
                        ("use", Any::from("name")),
                        ("purposes", Any::from(Vec::<Any>::new())),
                    ]),
                );
            }),
        ),
        (
            "remove someone's note",
            "remove an item",
            Box::new(|b, t| {
                b.delete_item(t, "n").unwrap();
            }),
        ),
        (
            "set an outcome",
            "outcome",
            Box::new(|b, t| {
                b.item(t, "n").unwrap().insert(
                    t,
                    "outcome",
                    map(&[("state", Any::from("adopted"))]),
                );
            }),
        ),
        (
            "put a non-item in items",
            "must be an item",
            Box::new(|_, t| {
                t.get_or_insert_map(schema::ITEMS)
                    .insert(t, "junk", "not an item");
            }),
        ),
        (
            "close a sealed round",
            "voting round",
            Box::new(|b, t| {
                b.close_round(t, "sealed", 4.0).unwrap();
            }),
        ),
        (
            "raise a round's budget",
            "voting round",
            Box::new(|_, t| {
                t.get_or_insert_map(schema::ROUNDS).insert(
                    t,
                    "open",
                    map(&[
                        ("id", Any::from("open")),
                        ("budget", Any::from(100.0)),
                        ("state", Any::from("open")),
                    ]),
                );
            }),
        ),
        (
            "vote into a sealed round",
            "sealed",
            Box::new(|_, t| {
                t.get_or_insert_map(schema::VOTES).insert(
                    t,
                    "sealed/m",
                    map(&[("dots", map(&[("n", Any::from(3.0))]))]),
                );
            }),
        ),
        (
            "start the timer",
            "how the session is run",
            Box::new(|_, t| {
                t.get_or_insert_map(schema::FACILITATION).insert(
                    t,
                    "timer",
                    map(&[("label", Any::from("mine"))]),
                );
            }),
        ),
        (
            "take the lead",
            "who leads",
            Box::new(|_, t| {
                t.get_or_insert_map(schema::FACILITATION).insert(
                    t,
                    "lead",
                    map(&[("name", Any::from("Mallory"))]),
                );
            }),
        ),
        (
            "erase the activity",
            "activity",
            Box::new(|_, t| {
                t.get_or_insert_array(schema::ACTIVITY).remove(t, 0);
            }),
        ),
    ]
}

trait StoredAny {
    fn stored_any(&self) -> Any;
}

impl StoredAny for Author {
    fn stored_any(&self) -> Any {
        map(&[
            ("name", Any::from(self.name.as_str())),
            ("role", Any::from(self.role.as_str())),
            ("anonymous", Any::from(false)),
            ("id", Any::from(self.id.as_str())),
        ])
    }
}

/// What the board says about note `n` and the session (leaving out the honest notes
/// `m*` the test adds), as a plain string to compare.
fn record(c: &YClient) -> String {
    let t = yrs::Transact::transact(&c.doc);
    let b = &c.board;
    format!(
        "{:?} | {:?} | {:?} | {:?} | {:?} | {:?} | {} | {:?}",
        b.read_item(&t, "n")
            .map(|i| (i.author, i.status, i.decision.map(|d| d.what))),
        b.consent(&t, "n"),
        b.outcome(&t, "n"),
        b.read_rounds(&t),
        b.timer(&t),
        b.lead(&t),
        b.read_activity(&t, 100).len(),
        b.read_items(&t)
            .iter()
            .map(|i| i.id.clone())
            .filter(|id| !id.starts_with('m'))
            .collect::<Vec<_>>(),
    )
}

#[tokio::test]
async fn a_modified_client_breaks_no_rule() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start_with(dir.path(), &["--refusals-before-bar", "1000"]).await?;
    let (board, contributor) = board(&server).await?;
    let url = server.ws_with(&board, &contributor);
    let mut watcher = YClient::connect(&server.ws(&board)).await?;
    watcher.pump_until(|c| !c.items().is_empty()).await?;
    let before = record(&watcher);
    for (n, (what, says, change)) in breaking().into_iter().enumerate() {
        let mut bad = YClient::connect(&url).await?;
        bad.edit(|b, t| change(b, t)).await?;
        let (code, reason) = bad.expect_close().await?;
        assert_eq!(code, close::REFUSED, "{what}: {reason}");
        assert!(reason.contains(says), "{what}: {reason}");
        assert!(
            bad.denied.as_deref().is_some_and(|d| d.contains(says)),
            "{what}: the auth message said {:?}",
            bad.denied
        );
        // An honest edit after it: once the watcher has it, it would also have had the
        // refused change, had that been relayed.
        let mut honest = YClient::connect(&url).await?;
        let marker = format!("after {n}");
        honest.add_note(&format!("m{n}"), &marker).await?;
        watcher
            .pump_until(|c| c.texts().contains(&marker))
            .await
            .with_context(|| format!("after {what}"))?;
        assert_eq!(record(&watcher), before, "{what} reached another client");
    }
    // Nothing refused was stored: not after a restart, not in an export.
    let server = server.restart().await?;
    let fresh = YClient::connect(&server.ws(&board)).await?;
    assert_eq!(record(&fresh), before, "after a restart");
    assert_eq!(
        fresh.items().len(),
        1 + breaking().len(),
        "every honest note kept"
    );
    let token = server.token(&board).context("token")?;
    let (status, md) = server
        .call(
            reqwest::Method::GET,
            &format!("/api/boards/{board}/export?format=md&scope=all"),
            &token,
            None,
        )
        .await?;
    assert_eq!(status, 200);
    assert!(md.contains("Meet in the library"), "{md}");
    for refused in ["Mallory", "Meet online"] {
        assert!(!md.contains(refused), "the export holds {refused:?}:\n{md}");
    }
    Ok(())
}

#[tokio::test]
async fn the_honest_paths_of_both_roles_are_never_refused() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let (board, contributor) = board(&server).await?;
    let mut c = YClient::connect(&server.ws_with(&board, &contributor)).await?;
    let me = Author::named("Sam", ParticipantRole::Public, "sam");
    c.add_note("s", "Sam's idea").await?;
    c.edit(|b, t| {
        let text = b.item_text(t, "n").unwrap();
        schema::splice_text(t, &text, "Meet in the library", "Meet in the big library");
        b.set_position(t, "s", 300.0, 20.0).unwrap();
        b.set_colour(t, "s", "blue").unwrap();
        b.set_status(t, "s", Status::Proposed, &me, &[], 5.0)
            .unwrap();
        b.add_comment(t, "c", "n", "Step-free, please", &me, 6.0)
            .unwrap();
        let ballot = schema::ballot_for(&me, "open", 7.0, [("n".to_owned(), 2)].into());
        b.cast_ballot(t, &ballot).unwrap();
    })
    .await?;
    let mut f = YClient::connect(&server.ws(&board)).await?;
    f.edit(|b, t| {
        b.set_status(t, "s", Status::Agreed, &me, &[], 8.0).unwrap();
        b.set_spotlight(t, Some("s"), 9.0);
        b.delete_item(t, "n").unwrap();
    })
    .await?;
    let mut watcher = YClient::connect(&server.ws(&board)).await?;
    watcher
        .pump_until(|w| {
            let items = w.items();
            items.len() == 1 && items[0].status == Status::Agreed
        })
        .await?;
    // Nobody was closed for any of it.
    for client in [&mut c, &mut f] {
        assert!(
            client
                .pump_until_within(std::time::Duration::from_millis(300), |c| c
                    .closed
                    .is_some())
                .await
                .is_err()
        );
        assert_eq!(client.closed, None);
    }
    Ok(())
}

#[tokio::test]
async fn authors_change_consent_and_remove_their_own_items_through_the_server() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let (board, contributor) = board(&server).await?;
    let consent =
        json!({"key": KEY, "consent": {"use": "initials", "purposes": ["report"], "until": null}});
    let path = |what: &str| format!("/api/boards/{board}/items/n/{what}");
    // The wrong key, or none, is refused; a facilitator may not change it either.
    let wrong = json!({"key": "guess", "consent": consent["consent"]});
    let (status, _) = server
        .call_json(
            reqwest::Method::PUT,
            &path("consent"),
            &contributor,
            Some(wrong),
        )
        .await?;
    assert_eq!(status, 403);
    let facilitator = server.token(&board).context("token")?;
    let (status, _) = server
        .call_json(
            reqwest::Method::POST,
            &path("remove"),
            &contributor,
            Some(json!({})),
        )
        .await?;
    assert_eq!(status, 403, "a contributor without the key");
    let (status, body) = server
        .call_json(
            reqwest::Method::PUT,
            &path("consent"),
            &contributor,
            Some(consent),
        )
        .await?;
    assert_eq!(status, 204, "{body}");
    let mut watcher = YClient::connect(&server.ws(&board)).await?;
    watcher
        .pump_until(|w| {
            let t = yrs::Transact::transact(&w.doc);
            w.board
                .consent(&t, "n")
                .is_some_and(|c| c.attribution == schema::Attribution::Initials)
        })
        .await?;
    let (status, body) = server
        .call_json(
            reqwest::Method::POST,
            &path("remove"),
            &contributor,
            Some(json!({"key": KEY})),
        )
        .await?;
    assert_eq!(status, 204, "{body}");
    watcher.pump_until(|w| w.items().is_empty()).await?;
    // In the bin, not gone: with who removed it; and its author can put it back.
    let bin = {
        let t = yrs::Transact::transact(&watcher.doc);
        watcher.board.read_bin(&t)
    };
    assert_eq!(bin.len(), 1);
    assert_eq!(
        (bin[0].0.text.as_str(), bin[0].1.by.name.as_str()),
        ("Meet in the library", "Asha")
    );
    let post = |what: &'static str, key: &'static str| {
        let (server, contributor, path) = (&server, &contributor, path(what));
        async move {
            server
                .call_json(
                    reqwest::Method::POST,
                    &path,
                    contributor,
                    Some(json!({"key": key})),
                )
                .await
        }
    };
    assert_eq!(post("restore", "wrong").await?.0, 403);
    assert_eq!(post("restore", KEY).await?.0, 204);
    watcher.pump_until(|w| w.items().len() == 1).await?;
    assert_eq!(post("remove", KEY).await?.0, 204);
    watcher.pump_until(|w| w.items().is_empty()).await?;
    // A facilitator removes without a key.
    let mut f = YClient::connect(&server.ws(&board)).await?;
    f.add_note("x", "to go").await?;
    watcher.pump_until(|w| w.items().len() == 1).await?;
    let (status, _) = server
        .call_json(
            reqwest::Method::POST,
            &format!("/api/boards/{board}/items/x/remove"),
            &facilitator,
            None,
        )
        .await?;
    assert_eq!(status, 204);
    watcher.pump_until(|w| w.items().is_empty()).await?;
    Ok(())
}

#[tokio::test]
async fn an_address_that_keeps_breaking_rules_is_kept_off_the_board() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let (board, contributor) = board(&server).await?;
    let url = server.ws_with(&board, &contributor);
    for _ in 0..3 {
        let mut bad = YClient::connect(&url).await?;
        bad.edit(|b, t| b.delete_item(t, "n").unwrap()).await?;
        assert_eq!(bad.expect_close().await?.0, close::REFUSED);
    }
    let (code, reason) = coboard_e2e::refused(&url).await?;
    assert_eq!(code, close::TOO_MANY_REFUSED, "{reason}");
    // Another board on the same server is not affected.
    let other = server.create_board("Other").await?;
    let mut ok = YClient::connect(&server.ws(&other)).await?;
    ok.add_note("a", "fine").await?;
    Ok(())
}

#[tokio::test]
async fn nobody_deletes_or_replaces_an_item_in_the_document_but_a_facilitator_deleting()
-> Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start_with(dir.path(), &["--refusals-before-bar", "100"]).await?;
    let (board, contributor) = board(&server).await?;
    let url = server.ws_with(&board, &contributor);
    // Not even a note the same connection just made: removing goes through the bin.
    let mut c = YClient::connect(&url).await?;
    c.add_note("oops", "typed in the wrong place").await?;
    c.edit(|b, t| b.delete_item(t, "oops").unwrap()).await?;
    assert_eq!(c.expect_close().await?.0, close::REFUSED);
    let mut watcher = YClient::connect(&server.ws(&board)).await?;
    watcher
        .pump_until(|w| w.texts().contains(&"typed in the wrong place".to_owned()))
        .await?;
    // A facilitator cannot replace Asha's note whole (a new author under the same id).
    let mut f = YClient::connect(&server.ws(&board)).await?;
    f.add_note("n", "Forged words").await?;
    let (code, reason) = f.expect_close().await?;
    assert_eq!(code, close::REFUSED, "{reason}");
    let fresh = YClient::connect(&server.ws(&board)).await?;
    let n = fresh
        .items()
        .into_iter()
        .find(|i| i.id == "n")
        .context("n")?;
    assert_eq!(
        (n.text.as_str(), n.author.name.as_str()),
        ("Meet in the library", "Asha")
    );
    Ok(())
}

#[tokio::test]
async fn an_agreed_item_edited_later_is_exported_with_the_agreed_words() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let (board, contributor) = board(&server).await?;
    let mut c = YClient::connect(&server.ws_with(&board, &contributor)).await?;
    c.edit(|b, t| {
        let text = b.item_text(t, "n").unwrap();
        schema::splice_text(t, &text, "Meet in the library", "Meet at the pub");
    })
    .await?;
    let mut watcher = YClient::connect(&server.ws(&board)).await?;
    watcher
        .pump_until(|w| w.texts() == ["Meet at the pub"])
        .await?;
    let token = server.token(&board).context("token")?;
    for format in ["md", "html", "json"] {
        let (status, out) = server
            .call(
                reqwest::Method::GET,
                &format!("/api/boards/{board}/export?format={format}&scope=agreed"),
                &token,
                None,
            )
            .await?;
        assert_eq!(status, 200, "{format}");
        assert!(out.contains("Meet in the library"), "{format}: {out}");
        assert!(
            !out.contains("the pub"),
            "{format} holds unagreed words: {out}"
        );
        assert!(
            out.contains("changed since agreed") || out.contains("changed_since_agreed"),
            "{format}: {out}"
        );
    }
    Ok(())
}
