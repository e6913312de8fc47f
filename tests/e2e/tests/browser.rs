//! The built web app in headless Chromium: two people co-editing one board, with
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
