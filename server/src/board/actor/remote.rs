//! What other instances send this board (see [`crate::cluster`]): their clients' updates
//! and awareness, requests for ours, and catching up from the store after missed messages.
//!
//! A remote update is already durable (instances publish only what the store has), so it
//! is applied and relayed to local clients at once, and never stored or published again.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use coboard_shared::protocol::{self, Msg};
use tokio::time::Instant;
use yrs::sync::AwarenessUpdate;
use yrs::{ClientID, ReadTxn, Transact};

use super::BoardActor;
use crate::board::validate::{self, LiveError};
use crate::board::{BoardError, Outgoing};
use crate::cluster::{Kind, Remote};
use crate::store::StoreError;

/// A remote person's awareness state not renewed for this long is dropped, as a
/// y-websocket client drops a silent peer.
pub(super) const REMOTE_AWARENESS_TIMEOUT: Duration = Duration::from_secs(30);

impl BoardActor {
    pub(super) fn on_remote(&mut self, remote: Remote) -> Result<(), BoardError> {
        match remote {
            Remote::Frame { from, frame } => match protocol::decode_frame(&frame) {
                Ok(msgs) => {
                    for msg in msgs {
                        match msg {
                            Msg::Update(update) => {
                                self.apply_remote(&update, Some(frame.clone()))?;
                            }
                            Msg::Awareness(update) => self.remote_awareness(update, frame.clone()),
                            _ => {}
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(%from, error = %e, "ignored a bad frame from another instance")
                }
            },
            Remote::Hello => {
                let mine: Vec<ClientID> = self
                    .conns
                    .iter()
                    .flat_map(|(_, c)| c.clients.iter().copied())
                    .collect();
                if !mine.is_empty()
                    && let Ok(update) = self.awareness.update_with_clients(mine)
                {
                    let frame = protocol::encode(&Msg::Awareness(update));
                    self.cluster.publish(&self.id, Kind::Frame, frame.into());
                }
            }
            Remote::CatchUp => self.start_catch_up(),
            Remote::Revoke(invite) => self.revoke(&invite),
        }
        Ok(())
    }

    /// Applies an update that is already durable, and relays it to this instance's clients.
    /// `frame` is the update as a y-websocket frame, when the caller has one.
    pub(super) fn apply_remote(
        &mut self,
        bytes: &[u8],
        frame: Option<Bytes>,
    ) -> Result<(), BoardError> {
        let checked = match validate::check_update(bytes) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "ignored a bad update from another instance");
                return Ok(());
            }
        };
        if checked.update.is_empty() {
            return Ok(());
        }
        match validate::apply_live(self.awareness.doc(), &mut self.depths, checked) {
            Ok(()) => {}
            // Something before it was missed: the store has everything, read it.
            Err(LiveError::MissingDependencies) => {
                self.start_catch_up();
                return Ok(());
            }
            Err(LiveError::Rejected(e)) => {
                tracing::warn!(error = %e, "an update from another instance does not apply");
                return Ok(());
            }
            Err(LiveError::Poisoned(e)) => return Err(BoardError::Poisoned(e)),
        }
        let frame = frame.unwrap_or_else(|| protocol::encode_update(bytes).into());
        self.log.stored_elsewhere(frame.len());
        metrics::counter!("coboard_updates_total", "source" => "remote").increment(1);
        let _ = self
            .bcast
            .send(Arc::new(Outgoing::same(super::SERVER_ORIGIN, frame)));
        Ok(())
    }

    fn remote_awareness(&mut self, mut update: AwarenessUpdate, frame: Bytes) {
        let now = Instant::now();
        // Another instance never speaks for this instance's people.
        let before = update.clients.len();
        update.clients.retain(|c, _| !self.owners.is_local(c));
        if update.clients.is_empty() {
            return;
        }
        let frame = match update.clients.len() == before {
            true => frame,
            false => protocol::encode(&Msg::Awareness(update.clone())).into(),
        };
        for (client, entry) in &update.clients {
            (self.remote_people).renewed(*client, now, &*entry.json == "null");
        }
        let public = crate::board::private::public_frame(&update);
        if self.awareness.apply_update_summary(update).is_ok() {
            let _ = self.bcast.send(Arc::new(Outgoing {
                origin: super::SERVER_ORIGIN,
                frame,
                public,
            }));
        }
    }

    /// Drops remote awareness states that stopped being renewed (their instance died).
    pub(super) fn prune_remote_awareness(&mut self) {
        let stale = (self.remote_people).stale(Instant::now(), REMOTE_AWARENESS_TIMEOUT);
        if stale.is_empty() {
            return;
        }
        for client in &stale {
            self.awareness.remove_state(*client);
        }
        if let Ok(update) = self.awareness.update_with_clients(stale) {
            let _ = self.bcast.send(Arc::new(Outgoing::same(
                super::SERVER_ORIGIN,
                protocol::encode(&Msg::Awareness(update)).into(),
            )));
        }
    }

    /// Reads the store in the background and applies whatever this board lacks.
    pub(super) fn start_catch_up(&mut self) {
        let sv = self.doc().transact().state_vector();
        if self.catch_up.start(sv) {
            self.cluster.catching_up(&self.id);
            metrics::counter!("coboard_catch_ups_total").increment(1);
        }
    }

    /// A catch-up read the store: apply what was missing.
    pub(super) fn caught_up(
        &mut self,
        result: Result<Vec<u8>, StoreError>,
    ) -> Result<(), BoardError> {
        match result {
            Ok(update) => self.apply_remote(&update, None)?,
            Err(e) => {
                tracing::warn!(error = %e, "catch-up failed; the next reconnect or resync retries")
            }
        }
        if self.catch_up.take_again() {
            self.start_catch_up();
        }
        Ok(())
    }
}
