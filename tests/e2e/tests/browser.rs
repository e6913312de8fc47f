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
