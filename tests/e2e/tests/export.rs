//! Exports against the real binary: every format over HTTP, the PDF's text read back with
//! poppler's `pdftotext`, errors as JSON, and `coboard export` with no server running.

use coboard_e2e::{Server, YClient, server_binary};
use coboard_shared::schema::{Author, NewItem, ParticipantRole, Status};
use serde_json::Value;

const HOSTILE: &str = "<script>alert(1)</script> \"><img src=x onerror=alert(2)> שלום 🎉";

/// A project plan with one agreed aim, one draft aim and a hostile agreed aim.
async fn plan_board(server: &Server) -> anyhow::Result<String> {
    let board = server
        .create_board_from("Getting to appointments", "coproduction-plan")
        .await?;
    let mut c = YClient::connect(&server.ws(&board)).await?;
    let asha = Author::named("Asha", ParticipantRole::Public, "asha");
    c.edit(|b, txn| {
        for (id, text) in [
            ("a1", "Carers can get to clinic on time"),
            ("a2", "Draft aim still being written"),
            ("a3", HOSTILE),
        ] {
            let aim = NewItem {
                kind: "aim".into(),
                section: "aims".into(),
                text: text.into(),
                author: asha.clone(),
                ..NewItem::default()
            };
            b.add_item(txn, id, &aim);
        }
        for id in ["a1", "a3"] {
            b.set_status(
                txn,
                id,
                Status::Agreed,
                &asha,
                std::slice::from_ref(&asha),
                1.0e12,
            )
            .unwrap();
        }
    })
    .await?;
    // Seen by a second client, so the edit is durable before anyone exports.
    let mut other = YClient::connect(&server.ws(&board)).await?;
    other
        .pump_until(|o| o.items().iter().any(|i| i.id == "a3"))
        .await?;
    Ok(board)
}

async fn export(
    server: &Server,
    board: &str,
    token: &str,
    query: &str,
) -> anyhow::Result<reqwest::Response> {
    Ok(reqwest::Client::new()
        .get(server.http(&format!("/api/boards/{board}/export?{query}")))
        .bearer_auth(token)
        .send()
        .await?)
}

fn pdf_text(pdf: &[u8]) -> anyhow::Result<String> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("plan.pdf");
    std::fs::write(&path, pdf)?;
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .map_err(|e| anyhow::anyhow!("pdftotext (Debian poppler-utils) is needed: {e}"))?;
    anyhow::ensure!(out.status.success(), "pdftotext failed");
    // Long words carry invisible break opportunities, and table cells wrap: read back,
    // drop the former and join lines, so phrases can be found whole.
    let text = String::from_utf8(out.stdout)?.replace('\u{200B}', "");
    Ok(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[tokio::test]
async fn every_format_downloads_and_agreed_scope_leaves_drafts_out() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = plan_board(&server).await?;
    let token = server.token(&board).unwrap();
    for (format, mime) in [
        ("pdf", "application/pdf"),
        ("html", "text/html; charset=utf-8"),
        ("md", "text/markdown; charset=utf-8"),
        ("json", "application/json"),
        ("csv", "text/csv; charset=utf-8"),
    ] {
        let resp = export(
            &server,
            &board,
            &token,
            &format!("format={format}&scope=agreed"),
        )
        .await?;
        assert_eq!(resp.status(), 200, "{format}");
        assert_eq!(resp.headers()["content-type"], mime);
        let disposition = resp.headers()["content-disposition"].to_str()?.to_owned();
        assert!(
            disposition.contains(&format!("getting-to-appointments.{format}")),
            "{disposition}"
        );
        let body = resp.bytes().await?;
        match format {
            "pdf" => {
                assert!(body.starts_with(b"%PDF-"));
                let text = pdf_text(&body)?;
                assert!(text.contains("Getting to appointments"), "{text}");
                for stage in [
                    "Determining priorities",
                    "Design",
                    "Decision-making",
                    "Delivery",
                    "Evaluation, analysis and sharing",
                ] {
                    // pdftotext drops a hyphen where a line broke at it.
                    let unhyphenated = text.replace('-', "");
                    assert!(
                        unhyphenated.contains(&stage.replace('-', "")),
                        "stage {stage} missing:\n{text}"
                    );
                }
                assert!(text.contains("Carers can get to clinic on time"));
                assert!(
                    text.contains("<script>alert(1)</script>"),
                    "hostile text shown as text:\n{text}"
                );
                assert!(
                    text.contains("שלום") || text.contains("םולש"),
                    "Hebrew kept"
                );
                assert!(
                    !text.contains("Draft aim"),
                    "a draft aim leaked into scope=agreed"
                );
            }
            "json" => {
                let v: Value = serde_json::from_slice(&body)?;
                assert_eq!(v["version"], 1);
                assert_eq!(v["scope"], "agreed");
                let aims: Vec<&str> = v["sections"][0]["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["text"].as_str().unwrap())
                    .collect();
                assert_eq!(aims.len(), 2, "{aims:?}");
            }
            "html" => {
                let html = String::from_utf8(body.to_vec())?;
                assert!(!html.contains("<script"), "no script tag at all");
                assert!(!html.contains("<img"));
                assert!(!html.contains("Draft aim"));
            }
            _ => {
                let text = String::from_utf8(body.to_vec())?;
                assert!(!text.contains("Draft aim"), "{format}");
            }
        }
    }
    let all = export(&server, &board, &token, "format=md&scope=all")
        .await?
        .text()
        .await?;
    assert!(all.contains("Draft aim still being written") && all.contains("(Draft)"));
    Ok(())
}

#[tokio::test]
async fn export_errors_are_json_with_the_right_status() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Errors").await?;
    let token = server.token(&board).unwrap();
    let bad = export(&server, &board, &token, "format=docx").await?;
    assert_eq!(bad.status(), 400);
    let msg = bad.json::<Value>().await?["error"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(msg.contains("pdf, html, md, json, csv"), "{msg}");
    let bad_scope = export(&server, &board, &token, "format=md&scope=some").await?;
    assert_eq!(bad_scope.status(), 400);
    let missing = export(
        &server,
        "0123456789abcdef0123456789abcdef",
        &token,
        "format=md",
    )
    .await?;
    assert_eq!(missing.status(), 404);
    assert!(missing.json::<Value>().await?["error"].is_string());
    let anonymous =
        reqwest::get(server.http(&format!("/api/boards/{board}/export?format=md"))).await?;
    assert_eq!(anonymous.status(), 401);
    Ok(())
}

#[tokio::test]
async fn the_cli_exports_from_the_data_dir_with_no_server_running() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut server = Server::start(dir.path()).await?;
    let board = plan_board(&server).await?;
    server.stop().await?;
    let out = dir.path().join("plan.md");
    let status = std::process::Command::new(server_binary())
        .args([
            "export", &board, "--format", "md", "--scope", "agreed", "--out",
        ])
        .arg(&out)
        .arg("--data-dir")
        .arg(dir.path())
        .status()?;
    assert!(status.success());
    let md = std::fs::read_to_string(&out)?;
    assert!(md.starts_with("# Getting to appointments"));
    assert!(md.contains("Carers can get to clinic on time") && !md.contains("Draft aim"));
    let missing = std::process::Command::new(server_binary())
        .args([
            "export",
            "0123456789abcdef0123456789abcdef",
            "--format",
            "md",
            "--out",
        ])
        .arg(dir.path().join("x.md"))
        .arg("--data-dir")
        .arg(dir.path())
        .output()?;
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("not found"));
    Ok(())
}
