//! What makes the web client work offline and update cleanly, seen from outside: the
//! cache policy of its files, and the server's answer to a ping.

use coboard_e2e::Server;

/// Content-named files are kept for a year and never stand in for each other; the page
/// and the service worker are checked on every load, so a release is seen at once.
#[tokio::test]
async fn content_named_files_are_immutable_and_the_page_is_always_revalidated() -> anyhow::Result<()>
{
    let data = tempfile::tempdir()?;
    let web = tempfile::tempdir()?;
    std::fs::create_dir(web.path().join("assets"))?;
    std::fs::write(
        web.path().join("index.html"),
        "<!doctype html><p>the page</p>",
    )?;
    std::fs::write(web.path().join("sw.js"), "// worker")?;
    std::fs::write(web.path().join("assets/app-0123abcd.js"), "// app")?;
    let dir = web.path().to_str().expect("utf-8 path");
    let server = Server::start_with(data.path(), &["--web-dir", dir]).await?;
    let get = |path: &str| reqwest::get(server.http(path));

    let asset = get("/assets/app-0123abcd.js").await?;
    assert_eq!(asset.status(), 200);
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    // A file of another release is a 404, not the page (which would then be kept a year).
    let missing = get("/assets/app-ffffffff.js").await?;
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()["cache-control"], "no-cache");

    let worker = get("/sw.js").await?;
    assert_eq!(worker.status(), 200);
    assert_eq!(worker.headers()["cache-control"], "no-cache");
    assert!(
        worker.headers()["content-type"]
            .to_str()?
            .contains("javascript")
    );
    for page in ["/", "/b/some-board"] {
        let resp = get(page).await?;
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["cache-control"], "no-cache", "{page}");
        assert!(resp.text().await?.contains("the page"));
    }
    Ok(())
}

/// The whole offline-first promise in headless Chromium: see `tests/js/offline.mjs`.
#[tokio::test]
async fn nothing_written_offline_is_lost_in_the_browser() -> anyhow::Result<()> {
    use coboard_e2e::{node_within, root, server_binary};
    let web = root().join("client/dist");
    assert!(
        web.join("sw.js").exists(),
        "the web client is not built: run `cargo xtask client` (cargo xtask test does)"
    );
    let out = root().join("tests/output/offline");
    std::fs::create_dir_all(&out)?;
    let binary = server_binary();
    let args = [
        binary.to_str().expect("utf-8 path"),
        web.to_str().expect("utf-8 path"),
        out.to_str().expect("utf-8 path"),
    ];
    let report = node_within("offline.mjs", &args, std::time::Duration::from_secs(320)).await?;
    let report: serde_json::Value = serde_json::from_str(report.trim())?;
    // The timings for docs/performance.md (seen with --nocapture).
    println!("{report}");
    let cut = report["cutStatus"].as_str().unwrap_or_default();
    assert!(
        cut.contains("saved on this device, not sent yet"),
        "{report}"
    );
    assert_eq!(report["warnedOnReload"], true, "{report}");
    assert!(
        report["stallNoticedMs"]
            .as_u64()
            .is_some_and(|ms| ms < 8_000),
        "{report}"
    );
    let refused = report["refusedOffline"].as_str().unwrap_or_default();
    assert!(refused.contains("did not accept"), "{report}");
    let merged = report["merged"].as_str().unwrap_or_default();
    assert!(
        merged.contains("[Ada]") && merged.contains("[Ben]"),
        "{report}"
    );
    for audit in report["audits"].as_array().expect("audits") {
        assert_eq!(audit["bad"].as_array().map(Vec::len), Some(0), "{audit}");
    }
    for shot in ["offline-status.png", "this-device.png", "unsent-rescue.png"] {
        std::fs::copy(out.join(shot), root().join("docs/screenshots").join(shot))?;
    }
    Ok(())
}
