//! The two servers a run can target, and how each gets its boards.

use anyhow::{Context, Result, bail};
use serde::Serialize;

/// Which server is under load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Coboard: boards and their tokens are created through its HTTP API.
    Coboard,
    /// The reference Node.js server (`@y/websocket-server`): a board is any room name.
    Reference,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Coboard => "coboard",
            Kind::Reference => "reference",
        }
    }
}

/// A server at `addr` (host:port on loopback).
#[derive(Debug, Clone)]
pub struct Target {
    pub kind: Kind,
    pub addr: String,
}

impl Target {
    pub fn new(kind: Kind, addr: impl Into<String>) -> Self {
        Self {
            kind,
            addr: addr.into(),
        }
    }

    /// Makes `count` fresh boards and returns the WebSocket URL of each.
    pub async fn boards(&self, count: usize) -> Result<Vec<String>> {
        match self.kind {
            Kind::Coboard => {
                let http = reqwest::Client::new();
                let mut urls = Vec::with_capacity(count);
                for i in 0..count {
                    urls.push(self.create_coboard_board(&http, i).await?);
                }
                Ok(urls)
            }
            Kind::Reference => {
                // Rooms exist once someone joins; a random prefix keeps runs apart.
                let run: u32 = rand::random();
                Ok((0..count)
                    .map(|i| format!("ws://{}/load-{run:08x}-{i}", self.addr))
                    .collect())
            }
        }
    }

    async fn create_coboard_board(&self, http: &reqwest::Client, i: usize) -> Result<String> {
        let title = serde_json::json!({ "title": format!("Load test board {i}") });
        let board = post(
            http.post(format!("http://{}/api/boards", self.addr)),
            &title,
        )
        .await
        .context("creating a board")?;
        let id = board["id"].as_str().context("no board id")?;
        // A contributor's link, as most people in a session have, not the facilitator's.
        let token = board["facilitator_token"].as_str().context("no token")?;
        let role = serde_json::json!({ "role": "contributor", "label": "load test" });
        let url = format!("http://{}/api/boards/{id}/invites", self.addr);
        let invite = post(http.post(url).bearer_auth(token), &role)
            .await
            .context("making an invite")?;
        let token = invite["token"].as_str().context("no invite token")?;
        Ok(format!("ws://{}/ws/{id}?token={token}", self.addr))
    }
}

/// Sends `body` as JSON and returns the JSON answer, or the status and body as an error.
async fn post(req: reqwest::RequestBuilder, body: &serde_json::Value) -> Result<serde_json::Value> {
    let resp = req.json(body).send().await?;
    let status = resp.status();
    let answer: serde_json::Value = resp.json().await?;
    if !status.is_success() {
        bail!("{status}: {answer}");
    }
    Ok(answer)
}
