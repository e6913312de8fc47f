//! "You said, we did" through the real server: outcomes written by a Yjs client come back
//! in the impact log (CSV, Markdown) and the draft GRIPP2 report, with consent honoured
//! and hostile text inert.

use anyhow::{Context, Result};
use coboard_e2e::{Server, YClient};
use coboard_shared::schema::{
    Attribution, Author, Consent, NewItem, Outcome, OutcomeState, ParticipantRole, Status,
};

#[tokio::test]
async fn outcomes_reach_the_impact_log_and_the_gripp2_draft() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let server = Server::start(dir.path()).await?;
    let board = server.create_board("Clinic plan").await?;
    let token = server.token(&board).context("token")?;
    let mut c = YClient::connect(&server.ws(&board)).await?;
    let asha = Author::named("Asha Begum", ParticipantRole::Public, "asha");
    let lee = Author::named("Dr Lee", ParticipantRole::Professional, "lee");
    c.edit(|b, txn| {
        for (id, kind, text, who) in [
            ("i1", "idea", "Evening appointments", &asha),
            (
                "i2",
                "idea",
                "=HYPERLINK(\"http://x\") <b>free parking</b>",
                &asha,
            ),
            ("i3", "idea", "Something Asha asked not to be quoted", &asha),
            ("a1", "aim", "Carers can reach the clinic", &lee),
        ] {
            let new = NewItem {
                kind: kind.into(),
                text: text.into(),
                author: who.clone(),
                ..NewItem::default()
            };
            b.add_item(txn, id, &new);
        }
        b.set_status(
            txn,
            "a1",
            Status::Agreed,
            &lee,
            std::slice::from_ref(&lee),
            1.0e12,
        )
        .unwrap();
        let outcome = |state, reason: &str| Outcome {
            state,
            reason: reason.into(),
            by: lee.clone(),
            at: 1.7e12,
        };
        b.set_outcome(txn, "i1", &outcome(OutcomeState::Adopted, ""))
            .unwrap();
        b.set_outcome(
            txn,
            "i2",
            &outcome(OutcomeState::NotAdopted, "The car park is not ours"),
        )
        .unwrap();
        let not_quoted = Consent {
            attribution: Attribution::NotQuoted,
            purposes: vec![],
            until: None,
        };
        b.set_consent(txn, "i3", &not_quoted).unwrap();
    })
    .await?;
    let mut other = YClient::connect(&server.ws(&board)).await?;
    other.pump_until(|o| o.items().len() == 4).await?;

    let get = |format: &str| {
        let url = server.http(&format!("/api/boards/{board}/impact?format={format}"));
        let token = token.clone();
        async move {
            let resp = reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await?;
            anyhow::Ok((resp.status().as_u16(), resp.text().await?))
        }
    };
    let (status, csv) = get("csv").await?;
    assert_eq!(status, 200);
    assert!(
        csv.contains("Evening appointments") && csv.contains("Adopted as you said it"),
        "{csv}"
    );
    assert!(csv.contains("'=HYPERLINK"), "formula not guarded: {csv}");
    assert!(csv.contains("The car park is not ours") && csv.contains("Dr Lee"));
    assert!(!csv.contains("asked not to be quoted"));

    let (_, md) = get("md").await?;
    assert!(
        md.contains("Evening appointments") && md.contains("Not adopted"),
        "{md}"
    );
    assert!(
        md.contains("\\<b\\>free parking\\</b\\>"),
        "HTML not escaped: {md}"
    );
    assert!(!md.contains("asked not to be quoted"));

    let (_, gripp2) = get("gripp2").await?;
    for part in [
        "## 1. Aim",
        "Carers can reach the clinic",
        "## 3. Results",
        "1 adopted as suggested",
        "1 not adopted",
        "## 4. Outcomes",
        "## 5. Critical reflection",
    ] {
        assert!(gripp2.contains(part), "{part} missing: {gripp2}");
    }
    assert_eq!(get("pdf").await?.0, 400);
    let anonymous = reqwest::get(server.http(&format!("/api/boards/{board}/impact"))).await?;
    assert_eq!(anonymous.status(), 401);
    Ok(())
}
