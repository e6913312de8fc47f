//! The built web app in headless Chromium: two people co-editing one board, and a short
//! co-production session (aims, a vote, a decision), with
//! accessibility audits (axe-core) of the home and board pages. Screenshots go to
//! `tests/output/`.

use coboard_e2e::{Server, node, root};

#[tokio::test]
async fn two_people_co_edit_in_real_browsers() -> anyhow::Result<()> {
    assert!(
        root().join("client/dist/index.html").exists(),
        "the web client is not built: run `cargo xtask client` (cargo xtask test does)"
    );
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let out = root().join("tests/output");
    std::fs::create_dir_all(&out)?;
    let base = format!("http://{}", server.addr);
    let report = node("browser.mjs", &["session", &base, out.to_str().unwrap()]).await?;
    let report: serde_json::Value = serde_json::from_str(report.trim())?;
    assert_eq!(report["merged"], "Note: Buses are too early for carers");
    assert_eq!(report["audits"].as_array().map(Vec::len), Some(6));
    assert!(out.join("board.png").exists());
    Ok(())
}

/// The session: a public member and a professional, in two browsers, add aims,
/// vote on priorities, agree one, and both see the same ranking and decision.
#[tokio::test]
async fn a_public_member_and_a_professional_agree_priorities() -> anyhow::Result<()> {
    assert!(
        root().join("client/dist/index.html").exists(),
        "the web client is not built: run `cargo xtask client` (cargo xtask test does)"
    );
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let out = root().join("tests/output/workshop");
    std::fs::create_dir_all(&out)?;
    let base = format!("http://{}", server.addr);
    let report = node("workshop.mjs", &[&base, out.to_str().unwrap()]).await?;
    let report: serde_json::Value = serde_json::from_str(report.trim())?;
    assert_eq!(
        report["aims"],
        serde_json::json!([
            "Carers can get to clinic on time",
            "Fewer missed appointments"
        ])
    );
    assert_eq!(
        report["ranking"],
        serde_json::json!([[1, 3], [2, 2], [3, 1]])
    );
    let decision = report["decision"].as_str().unwrap();
    assert!(
        decision.contains("Buses that match clinic times"),
        "{decision}"
    );
    assert!(
        decision.contains("Asha") && decision.contains("Ben"),
        "{decision}"
    );
    // The agreed plan, downloaded in the browser: only the agreed priority is in it.
    let text = std::process::Command::new("pdftotext")
        .arg(out.join("plan.pdf"))
        .arg("-")
        .output()?;
    let text = String::from_utf8(text.stdout)?;
    assert!(text.contains("Buses that match clinic times"), "{text}");
    assert!(!text.contains("Evening appointments"), "{text}");
    Ok(())
}

/// Downloads from the toolbar, and the History tab: save, list, compare, open read-only,
/// download and restore a snapshot; a viewer sees history but cannot change it.
#[tokio::test]
async fn downloads_and_snapshot_history_in_the_browser() -> anyhow::Result<()> {
    assert!(
        root().join("client/dist/index.html").exists(),
        "the web client is not built: run `cargo xtask client` (cargo xtask test does)"
    );
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let out = root().join("tests/output/history");
    std::fs::create_dir_all(&out)?;
    let base = format!("http://{}", server.addr);
    let report = node("history.mjs", &[&base, out.to_str().unwrap()]).await?;
    let report: serde_json::Value = serde_json::from_str(report.trim())?;
    assert!(report["pdf"].as_str().unwrap().ends_with(".pdf"));
    assert!(report["csv"].as_str().unwrap().ends_with(".csv"));
    let snapshots = report["snapshots"].as_array().unwrap();
    assert!(
        snapshots
            .iter()
            .any(|s| s.as_str().unwrap().starts_with("Agreed: ")),
        "an automatic snapshot is listed: {snapshots:?}"
    );
    Ok(())
}

#[tokio::test]
async fn a_public_member_withdraws_their_contribution_in_the_browser() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let out = root().join("tests/output/withdraw");
    std::fs::create_dir_all(&out)?;
    let base = format!("http://{}", server.addr);
    let report = node("withdraw.mjs", &[&base, out.to_str().unwrap()]).await?;
    let report: serde_json::Value = serde_json::from_str(report.trim())?;
    let removed = report["removed"].to_string();
    assert!(
        removed.contains("saved") || removed.contains("history"),
        "{removed}"
    );
    assert!(!report["kept"].as_array().unwrap().is_empty());
    Ok(())
}

/// Access needs, declared once on the home page, adapt every board the person opens; the
/// board's facilitator sees them only while the person consents to share them, and a
/// contributor never does; what the facilitator arranges for a need becomes Standards
/// evidence; needs declared 100 days ago bring up the review banner.
#[tokio::test]
async fn access_needs_declared_once_adapt_every_board() -> anyhow::Result<()> {
    assert!(
        root().join("client/dist/index.html").exists(),
        "the web client is not built: run `cargo xtask client` (cargo xtask test does)"
    );
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let out = root().join("tests/output/needs");
    std::fs::create_dir_all(&out)?;
    let base = format!("http://{}", server.addr);
    let report = node("needs.mjs", &[&base, out.to_str().unwrap()]).await?;
    let report: serde_json::Value = serde_json::from_str(report.trim())?;
    // Stored once, in this browser, with the codes, the date and the consent.
    assert_eq!(
        report["stored"]["needs"],
        serde_json::json!(["large_text", "more_time", "high_contrast"])
    );
    assert_eq!(report["stored"]["share_with_facilitators"], true);
    assert!(report["home_root_px"].as_f64().unwrap() >= 20.0, "{report}");
    // Bigger text than the professional's page, everywhere that was measured.
    for what in ["body", "note", "frame"] {
        let r = report["ratio"][what].as_f64().unwrap();
        assert!(r >= 1.2, "{what}: {r}");
    }
    // The second board is adapted too.
    let classes = report["second_board"]["classes"].to_string();
    assert!(
        classes.contains("needs-large-text") && classes.contains("needs-high-contrast"),
        "{classes}"
    );
    assert!(report["second_board"]["body_px"].as_f64().unwrap() >= 19.2);
    // The facilitator sees Pat's needs with what to do; the contributors see no list.
    let room = report["room"].as_array().unwrap();
    assert_eq!(room.len(), 1, "{room:?}");
    let pat = room[0].as_str().unwrap();
    for words in [
        "Pat",
        "Large text",
        "More time",
        "Fewer colours",
        "extra minutes",
    ] {
        assert!(pat.contains(words), "{words}: {pat}");
    }
    assert_eq!(report["others_see_room"], 0);
    // What Fay arranged for the need reached the board, and the Standards evidence.
    let arranged = report["arranged"].as_str().unwrap();
    assert!(
        arranged.contains("Access need \"More time\": Ten extra minutes on every timer"),
        "{arranged}"
    );
    // Ben declared a screen reader: his page told him what Pat added.
    assert!(
        report["announced"]
            .as_str()
            .unwrap()
            .contains("Pat added an aim"),
        "{report}"
    );
    // Consent withdrawn: Pat is still on the board, but no longer in the list.
    let after = report["room_after"].as_str().unwrap();
    assert!(!after.contains("Pat"), "{after}");
    assert_eq!(report["still_present"], true);
    // The review prompt, and "Still right" dates the needs today.
    assert!(
        report["review"]
            .as_str()
            .unwrap()
            .contains("Are your access needs still right?")
    );
    assert_eq!(report["review_cleared"], true);
    assert_eq!(report["audits"].as_array().map(Vec::len), Some(4));
    assert!(out.join("needs-large-text.png").exists());
    Ok(())
}

/// A silent round in three browsers: nobody sees a card before the reveal, public
/// members' cards go on the board first, and the facilitator role is handed to a public
/// member, who reveals the rest. Then the timer (longer for everyone when one person
/// asked for more time), the speaking queue, talk time, the spotlight and "Follow me".
#[tokio::test]
async fn a_silent_round_reveals_public_members_first_and_the_role_is_handed_over()
-> anyhow::Result<()> {
    assert!(
        root().join("client/dist/index.html").exists(),
        "the web client is not built: run `cargo xtask client` (cargo xtask test does)"
    );
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let out = root().join("tests/output/silent");
    std::fs::create_dir_all(&out)?;
    let base = format!("http://{}", server.addr);
    let report = node("silent.mjs", &[&base, out.to_str().unwrap()]).await?;
    let report: serde_json::Value = serde_json::from_str(report.trim())?;
    assert_eq!(report["groundRules"], "ground-rules");
    assert_eq!(report["count"], "3 cards written so far.");
    assert_eq!(
        report["news"],
        "Public members' cards are now on the board."
    );
    assert_eq!(report["banner"], "Fay offers you the facilitator role");
    assert_eq!(report["lead"], "Facilitating: Pat (Public member)");
    assert_eq!(
        report["revealed"],
        serde_json::json!([
            "The bus comes after the clinic opens",
            "Letters are full of jargon",
            "Clinic slots are set centrally"
        ])
    );
    // Rav asked for more time: everyone's 10-minute round is 15 minutes.
    let timer = report["timer"].as_str().unwrap();
    assert!(
        timer.contains("Running") && timer.contains("as someone asked for more time"),
        "{timer}"
    );
    // Fay, not heard yet, speaks before Rav, who has spoken once.
    let queue = report["queue"].to_string();
    assert!(
        queue.starts_with("[\"Fay (Facilitator) not heard yet\",\"Rav (Professional) spoke once"),
        "{queue}"
    );
    assert_eq!(report["talk"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        report["spotlight"],
        "In the spotlight: Clinic slots are set centrally"
    );
    assert_eq!(report["audits"].as_array().map(Vec::len), Some(4));
    let shot = out.join("silent-public-revealed.png");
    assert!(shot.exists() && out.join("silent-writing.png").exists());
    std::fs::copy(&shot, root().join("docs/screenshots/silent-round.png"))?;
    Ok(())
}

/// "You said, we did": a public member chooses how his aim may be credited, a
/// facilitator records what became of it, and he is told when he comes back.
#[tokio::test]
async fn an_outcome_reaches_the_contributor_when_they_come_back() -> anyhow::Result<()> {
    assert!(
        root().join("client/dist/index.html").exists(),
        "the web client is not built: run `cargo xtask client` (cargo xtask test does)"
    );
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let out = root().join("tests/output/outcomes");
    std::fs::create_dir_all(&out)?;
    let base = format!("http://{}", server.addr);
    let report = node("outcomes.mjs", &[&base, out.to_str().unwrap()]).await?;
    let report: serde_json::Value = serde_json::from_str(report.trim())?;
    assert!(
        report["refusal"].as_str().unwrap().contains("Say why"),
        "{report}"
    );
    let told = report["told"].as_str().unwrap();
    assert!(told.contains("Adopted with changes"), "{told}");
    assert_eq!(report["audits"].as_array().map(Vec::len), Some(2));
    let shot = out.join("outcome-reached.png");
    assert!(shot.exists() && out.join("consent.png").exists());
    std::fs::copy(&shot, root().join("docs/screenshots/outcome-reached.png"))?;
    std::fs::copy(
        out.join("consent.png"),
        root().join("docs/screenshots/consent.png"),
    )?;
    Ok(())
}

/// A record people can trust: only a facilitator agrees; an agreed aim edited later is
/// marked and downloaded with its agreed words; a contributor cannot remove another's
/// note, removes their own with Undo; a facilitator's removal goes to the bin and comes
/// back; Ctrl+Z undoes one's own typing and move, never another person's.
#[tokio::test]
async fn the_record_holds_agreed_words_the_bin_and_undo() -> anyhow::Result<()> {
    assert!(
        root().join("client/dist/index.html").exists(),
        "the web client is not built: run `cargo xtask client` (cargo xtask test does)"
    );
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let out = root().join("tests/output/record");
    std::fs::create_dir_all(&out)?;
    let base = format!("http://{}", server.addr);
    let report = node("record.mjs", &[&base, out.to_str().unwrap()]).await?;
    let report: serde_json::Value = serde_json::from_str(report.trim())?;
    assert!(
        report["undo"].as_str().unwrap().contains("Bus fares"),
        "{report}"
    );
    assert!(
        report["bin"].as_str().unwrap().contains("removed by Fay"),
        "{report}"
    );
    assert!(
        report["refused"].as_str().unwrap().contains("not saved"),
        "{report}"
    );
    for audit in report["audits"].as_array().unwrap() {
        assert_eq!(audit["bad"].as_array().map(Vec::len), Some(0), "{audit}");
    }
    for shot in ["changed-since-agreed.png", "bin.png", "undo-removal.png"] {
        std::fs::copy(out.join(shot), root().join("docs/screenshots").join(shot))?;
    }
    Ok(())
}

/// The contribution ledger and the UK Standards evidence: a facilitator records a public
/// member's time at two versions of the rate table (the first row keeps its old rate),
/// marks a row paid and downloads the finance CSV; the public member sees only their own
/// statement; the Standards evidence shows the payment once it is recorded.
#[tokio::test]
async fn the_ledger_keeps_old_rates_and_the_standards_show_the_payment() -> anyhow::Result<()> {
    assert!(
        root().join("client/dist/index.html").exists(),
        "the web client is not built: run `cargo xtask client` (cargo xtask test does)"
    );
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let out = root().join("tests/output/ledger");
    std::fs::create_dir_all(&out)?;
    let base = format!("http://{}", server.addr);
    let report = node("ledger.mjs", &[&base, out.to_str().unwrap()]).await?;
    let report: serde_json::Value = serde_json::from_str(report.trim())?;
    let about = report["about"].as_str().unwrap();
    assert!(
        about.contains("no bank details") && about.contains("Only facilitators"),
        "{about}"
    );
    assert!(
        report["rate_hint"]
            .as_str()
            .unwrap()
            .contains("keep the rate they were offered at"),
        "{report}"
    );
    // "Fill in from presence" found Sam (typed as "sam") and linked the row to him.
    assert_eq!(report["linked_name"], "Sam");
    assert!(report["presence_minutes"].as_u64().is_some(), "{report}");
    // 120 minutes at £25 an hour (version 1), then at £30 an hour (version 2).
    assert_eq!(report["first"]["offered"], "£50.00");
    assert!(report["first"]["rate"].to_string().contains("version 1"));
    assert_eq!(report["first"]["choice"], "Voucher");
    assert_eq!(report["second"]["offered"], "£60.00");
    assert!(report["second"]["rate"].to_string().contains("version 2"));
    let totals = report["totals"].as_str().unwrap();
    assert!(
        totals.contains("£110.00") && totals.contains("Paid so far: £50.00"),
        "{totals}"
    );
    assert_eq!(report["csv"]["rows"], 2);
    assert!(
        report["csv"]["last"]
            .as_str()
            .unwrap()
            .starts_with("TOTAL,2 rows"),
        "{report}"
    );
    // Sam sees his statement (his two rows), not the ledger.
    assert_eq!(report["sam_sees_ledger"], 0);
    assert_eq!(report["statement"]["lines"], 4);
    // Six standards; the payment shows as evidence once it is recorded.
    assert_eq!(report["standards"].as_array().map(Vec::len), Some(6));
    assert_eq!(report["standards"][0], "Inclusive opportunities");
    assert!(
        !report["inclusive_before"]
            .as_str()
            .unwrap()
            .contains("Payment recorded")
    );
    let after = report["inclusive_after"].as_str().unwrap();
    assert!(
        after.contains("Payment recorded for 1 person (2 rows)"),
        "{after}"
    );
    assert_eq!(report["audits"].as_array().map(Vec::len), Some(3));
    let shot = out.join("ledger.png");
    assert!(shot.exists() && out.join("standards.png").exists());
    std::fs::copy(&shot, root().join("docs/screenshots/ledger.png"))?;
    std::fs::copy(
        out.join("standards.png"),
        root().join("docs/screenshots/standards.png"),
    )?;
    Ok(())
}
