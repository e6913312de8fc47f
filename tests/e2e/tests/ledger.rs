//! The contribution ledger against the real binary: versioned rates that never change a
//! past row, minutes from presence, corrections, the finance CSV with totals, and each
//! person's own statement.

use std::time::Duration;

use coboard_e2e::{Server, YClient};
use coboard_shared::schema::author_key_hash;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn the_ledger_keeps_past_rows_pays_by_presence_and_exports_with_totals() -> anyhow::Result<()>
{
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Paid involvement").await?;
    let fac = server.token(&board).unwrap();
    let link = server
        .invite(&board, json!({"role": "contributor"}))
        .await?;
    let contributor = link["token"].as_str().unwrap().to_owned();
    let ledger = format!("/api/boards/{board}/ledger");
    let rates = format!("/api/boards/{board}/ledger/rates");
    let asha_key = "ashas-person-secret-0123456789";
    let asha = author_key_hash(asha_key);

    // Asha is on the board for a moment, named, with her person id: presence keeps it.
    let mut c = YClient::connect(&server.ws_with(&board, &contributor)).await?;
    let user = json!({"user": {"name": "Asha", "person": asha}}).to_string();
    c.set_awareness(77, 1, &user).await?;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    drop(c);
    let today = coboard_shared::ledger::date_of(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_millis() as i64,
    );
    let attendance = format!("/api/boards/{board}/ledger/attendance?date={today}");
    let seen = server.attendance_today(&board, &fac).await?;
    assert_eq!(seen[0]["name"], "Asha", "{seen}");
    assert_eq!(seen[0]["person"], asha.as_str());
    // The link and role come from the server's check of her link, not from her client.
    assert_eq!(seen[0]["invites"], json!([link["id"]]), "{seen}");
    assert_eq!(seen[0]["roles"], json!(["contributor"]), "{seen}");
    let ms = seen[0]["ms"].as_i64().unwrap();
    assert!((1400..60_000).contains(&ms), "{ms}");

    // No rows before there is a rate table to pay them at.
    let row = |date: &str, minutes: Option<u32>| {
        let mut r = json!({
            "person": "Asha", "person_id": asha, "date": date, "task": "Planning workshop",
            "prep_minutes": 30, "rate_id": "meeting", "expenses_pence": 640, "receipt": true,
        });
        if let Some(m) = minutes {
            r["session_minutes"] = json!(m);
        }
        r
    };
    let early = server
        .call_json(
            Method::POST,
            &ledger,
            &fac,
            Some(row("2026-11-02", Some(90))),
        )
        .await?;
    assert_eq!(early.0, 409, "{}", early.1);
    let v1 = json!({"basis": "NIHR payment guidance", "rates": [{"id": "meeting", "label": "Meetings", "pence_per_hour": 2500}]});
    let (s, body) = server
        .call_json(Method::POST, &rates, &fac, Some(v1))
        .await?;
    assert_eq!((s, &body["version"]), (201, &json!(1)), "{body}");
    let bad_rates = json!({"rates": [{"id": "a b", "label": "x", "pence_per_hour": 1}]});
    assert_eq!(
        server
            .call_json(Method::POST, &rates, &fac, Some(bad_rates))
            .await?
            .0,
        400
    );

    let (s, first) = server
        .call_json(
            Method::POST,
            &ledger,
            &fac,
            Some(row("2026-11-02", Some(90))),
        )
        .await?;
    assert_eq!(s, 201, "{first}");
    assert_eq!(first["offered_pence"], 5000);
    assert_eq!(first["minutes_from_presence"], false);
    // Today's row takes its session minutes from presence.
    let (s, from_presence) = server
        .call_json(Method::POST, &ledger, &fac, Some(row(&today, None)))
        .await?;
    assert_eq!(s, 201, "{from_presence}");
    assert_eq!(from_presence["minutes_from_presence"], true);
    assert_eq!(
        from_presence["session_minutes"], 0,
        "a moment rounds to no minutes"
    );

    // A new rate version: past rows keep the rate they were offered at.
    let v2 = json!({"basis": "NIHR payment guidance, updated", "rates": [{"id": "meeting", "label": "Meetings", "pence_per_hour": 3000}]});
    let (s, body) = server
        .call_json(Method::POST, &rates, &fac, Some(v2))
        .await?;
    assert_eq!((s, &body["version"]), (201, &json!(2)), "{body}");
    let (s, second) = server
        .call_json(
            Method::POST,
            &ledger,
            &fac,
            Some(row("2026-11-09", Some(90))),
        )
        .await?;
    assert_eq!(s, 201);
    assert_eq!(
        (
            second["rate_version"].as_u64(),
            second["offered_pence"].as_u64()
        ),
        (Some(2), Some(6000))
    );
    let (_, all) = server.call_json(Method::GET, &ledger, &fac, None).await?;
    let old = all["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == first["id"])
        .unwrap();
    assert_eq!(
        (old["rate_version"].as_u64(), old["offered_pence"].as_u64()),
        (Some(1), Some(5000))
    );
    let (_, versions) = server.call_json(Method::GET, &rates, &fac, None).await?;
    assert_eq!(
        versions[0]["rates"][0]["pence_per_hour"], 2500,
        "version 1 is kept as it was"
    );

    // Corrections and payment; the rate stays.
    let first_path = format!("{ledger}/{}", first["id"].as_str().unwrap());
    let (s, fixed) = server
        .call_json(
            Method::PATCH,
            &first_path,
            &fac,
            Some(json!({"session_minutes": 120, "choice": "voucher"})),
        )
        .await?;
    assert_eq!(s, 200, "{fixed}");
    assert_eq!(
        (
            fixed["offered_pence"].as_u64(),
            fixed["voucher_pence"].as_u64()
        ),
        (Some(6250), Some(6250))
    );
    assert_eq!(fixed["pence_per_hour"], 2500);
    let unpaid = server
        .call_json(
            Method::PATCH,
            &first_path,
            &fac,
            Some(json!({"status": "paid"})),
        )
        .await?;
    assert_eq!(unpaid.0, 400, "{}", unpaid.1);
    let (s, _) = server
        .call_json(
            Method::PATCH,
            &first_path,
            &fac,
            Some(json!({"status": "paid", "paid_on": "2026-11-20"})),
        )
        .await?;
    assert_eq!(s, 200);
    let missing = server
        .call_json(
            Method::PATCH,
            &format!("{ledger}/nope"),
            &fac,
            Some(json!({})),
        )
        .await?;
    assert_eq!(missing.0, 404);

    // The finance team's CSV for November 2026, with totals.
    let (s, csv) = server
        .call(
            Method::GET,
            &format!("{ledger}/export?from=2026-11-01&to=2026-11-30"),
            &fac,
            None,
        )
        .await?;
    assert_eq!(s, 200, "{csv}");
    let lines: Vec<&str> = csv.lines().collect();
    let in_november = 2 + usize::from(today.starts_with("2026-11"));
    assert_eq!(lines.len(), 1 + in_november + 1, "{csv}");
    assert!(lines[1].starts_with("2026-11-02,Asha,Planning workshop,30,120,entered,1,Meetings,25.00,62.50,voucher,62.50,62.50,6.40,yes,paid,2026-11-20"), "{}", lines[1]);
    assert!(lines.last().unwrap().starts_with("TOTAL,"), "{csv}");
    let bad = server
        .call(
            Method::GET,
            &format!("{ledger}/export?from=November"),
            &fac,
            None,
        )
        .await?;
    assert_eq!(bad.0, 400);

    // Contributors see no ledger, only their own statement, by their own key.
    for path in [
        ledger.clone(),
        format!("{ledger}/export"),
        rates.clone(),
        attendance.clone(),
    ] {
        assert_eq!(
            server.call(Method::GET, &path, &contributor, None).await?.0,
            403,
            "{path}"
        );
    }
    let statement = format!("{ledger}/statement");
    let (s, mine) = server
        .call(
            Method::POST,
            &statement,
            &contributor,
            Some(json!({"key": asha_key})),
        )
        .await?;
    assert_eq!(s, 200);
    assert_eq!(mine.lines().count(), 1 + 3 + 1, "{mine}");
    let (s, theirs) = server
        .call(
            Method::POST,
            &statement,
            &contributor,
            Some(json!({"key": "someone-elses-key-012345"})),
        )
        .await?;
    assert_eq!(s, 200);
    assert_eq!(theirs.lines().count(), 2, "{theirs}");
    assert!(theirs.lines().last().unwrap().starts_with("TOTAL,0 rows"));

    // None of it is in the board's document.
    let reader = YClient::connect(&server.ws(&board)).await?;
    let state = reader.state();
    assert!(!state.windows(17).any(|w| w == b"Planning workshop"));
    Ok(())
}

#[tokio::test]
async fn the_standards_page_gathers_evidence_from_the_board_and_the_ledger() -> anyhow::Result<()> {
    use coboard_shared::schema::{Author, NewItem, Outcome, OutcomeState, ParticipantRole, Status};
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Evidence").await?;
    let fac = server.token(&board).unwrap();
    let viewer = server.invite(&board, json!({"role": "viewer"})).await?["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/boards/{board}/standards");

    let asha = Author::named("Asha", ParticipantRole::Public, "asha-id");
    let sam = Author::named("Sam", ParticipantRole::Professional, "sam-id");
    let mut c = YClient::connect(&server.ws(&board)).await?;
    c.edit(|b, txn| {
        for (id, kind, who) in [("g1", "groundrule", &sam), ("a1", "aim", &asha)] {
            let new = NewItem {
                kind: kind.into(),
                text: format!("{kind} text"),
                author: who.clone(),
                created_at: 1.0,
                ..NewItem::default()
            };
            b.add_item(txn, id, &new);
        }
        b.set_status(
            txn,
            "g1",
            Status::Agreed,
            &sam,
            std::slice::from_ref(&asha),
            2.0,
        )
        .unwrap();
        let outcome = Outcome {
            state: OutcomeState::Adopted,
            reason: String::new(),
            by: sam.clone(),
            at: 3.0,
        };
        b.set_outcome(txn, "a1", &outcome).unwrap();
    })
    .await?;
    let rates = json!({"rates": [{"id": "meeting", "label": "Meetings", "pence_per_hour": 2500}]});
    let ledger = format!("/api/boards/{board}/ledger");
    assert_eq!(
        server
            .call_json(Method::POST, &format!("{ledger}/rates"), &fac, Some(rates))
            .await?
            .0,
        201
    );
    let row = json!({"person": "Asha", "date": "2026-11-02", "task": "Workshop", "session_minutes": 120, "rate_id": "meeting"});
    assert_eq!(
        server
            .call_json(Method::POST, &ledger, &fac, Some(row))
            .await?
            .0,
        201
    );

    // Anyone on the board may read it; it reads the live board.
    let (s, all) = server.call_json(Method::GET, &path, &viewer, None).await?;
    assert_eq!(s, 200, "{all}");
    let found = |id: &str| -> String {
        let e = all
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap();
        e["found"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    assert!(
        found("working-together").contains("1 ground rule(s) agreed"),
        "{all}"
    );
    // A viewer learns that people were paid, not how much (one person's total is their pay).
    let inclusive = found("inclusive-opportunities");
    assert!(
        inclusive.contains("Payment recorded for 1 person (1 row).") && !inclusive.contains('£'),
        "{all}"
    );
    let (s, theirs) = server.call_json(Method::GET, &path, &fac, None).await?;
    assert_eq!(s, 200);
    assert!(
        theirs.to_string().contains("1 person (1 row): £50.00"),
        "{theirs}"
    );
    assert!(
        found("impact").contains("1 contribution(s) adopted"),
        "{all}"
    );
    assert!(
        found("governance").contains("1 of 1 decisions were made with public members present"),
        "{all}"
    );

    let (s, md) = server
        .call(Method::GET, &format!("{path}?format=md"), &viewer, None)
        .await?;
    assert_eq!(s, 200);
    assert!(
        md.starts_with("# Evidence: evidence for the UK Standards for Public Involvement"),
        "{md}"
    );
    assert_eq!(md.matches("\n## ").count(), 6, "{md}");
    assert_eq!(
        server
            .call(Method::GET, &format!("{path}?format=pdf"), &viewer, None)
            .await?
            .0,
        400
    );
    let anonymous = reqwest::get(server.http(&path)).await?.status().as_u16();
    assert_eq!(anonymous, 401);
    Ok(())
}

/// Attendance past its keeping time is deleted when the server starts (and every few
/// hours after): kept 30 days, a session's record from 40 days ago goes, yesterday's
/// stays. (Where the line falls is `retention`'s unit test.)
#[tokio::test]
async fn attendance_past_its_keeping_time_is_deleted() -> anyhow::Result<()> {
    use coboard_e2e::pg::{Schema, psql};
    use coboard_shared::ledger::date_of;
    let schema = Schema::new("coboard_e2e")?;
    let dir = tempfile::tempdir()?;
    let url = schema.url();
    let flags = |days| ["--database-url", &url, "--attendance-keep-days", days];
    // Kept for ever at first, so nothing is swept while the records go in.
    let mut server = Server::start_with(dir.path(), &flags("0")).await?;
    let board = server.create_board("Keeping time").await?;
    let fac = server.token(&board).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis() as i64;
    // Two sessions, recorded as presence records them.
    let day = 24 * 60 * 60 * 1000;
    let (old, recent) = (now - 40 * day, now - day);
    for (since, name) in [(old, "Olu"), (recent, "Rae")] {
        let id = format!("{}-{since:013}-00000000", date_of(since));
        let body = json!({"name": name, "person": "", "since": since, "until": since + 3_600_000});
        psql(&format!(
            "INSERT INTO {}.records (board_id, kind, id, body) VALUES ('{board}', 'attendance', '{id}', '{body}')",
            schema.0
        ))?;
    }
    assert_eq!(names(&server, &board, &fac, old).await?, ["Olu"]);

    server.stop().await?;
    let server = Server::start_with(dir.path(), &flags("30")).await?;
    let mut left = names(&server, &board, &fac, old).await?;
    for _ in 0..100 {
        if left.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        left = names(&server, &board, &fac, old).await?;
    }
    assert!(left.is_empty(), "still kept: {left:?}");
    assert_eq!(names(&server, &board, &fac, recent).await?, ["Rae"]);
    let kept = psql(&format!(
        "SELECT count(*) FROM {}.records WHERE kind = 'attendance'",
        schema.0
    ))?;
    assert_eq!(kept, "1");
    Ok(())
}

/// The names in a board's attendance on the date of `ms`.
async fn names(server: &Server, board: &str, fac: &str, ms: i64) -> anyhow::Result<Vec<String>> {
    let date = coboard_shared::ledger::date_of(ms);
    let path = format!("/api/boards/{board}/ledger/attendance?date={date}");
    let (status, body) = server.call_json(Method::GET, &path, fac, None).await?;
    anyhow::ensure!(status == 200, "{body}");
    Ok(body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["name"].as_str().map(str::to_owned))
        .collect())
}
