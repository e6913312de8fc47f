//! Presence: relaying awareness states, limiting them per connection, and removing a
//! connection's states when it leaves.

use std::sync::Arc;

use coboard_shared::close;
use coboard_shared::protocol::{self, Msg};
use yrs::ClientID;
use yrs::sync::AwarenessUpdate;

use super::BoardActor;
use crate::board::{ConnId, Outgoing};

/// Presence sent to someone joining goes out in frames of about this much JSON. One frame
/// for everyone on a busy board would be several KiB, and the WebSocket library keeps its
/// write buffer at the largest frame it has sent for as long as the connection lives.
const JOIN_PRESENCE_BYTES: usize = 1024;

/// The presence states in `update` as frames of about [`JOIN_PRESENCE_BYTES`] each.
pub(super) fn presence_frames(update: AwarenessUpdate) -> Vec<Vec<u8>> {
    let mut frames = Vec::new();
    let mut chunk = AwarenessUpdate {
        clients: Default::default(),
    };
    let mut bytes = 0;
    for (client, entry) in update.clients {
        bytes += entry.json.len();
        chunk.clients.insert(client, entry);
        if bytes >= JOIN_PRESENCE_BYTES {
            frames.push(protocol::encode(&Msg::Awareness(std::mem::replace(
                &mut chunk,
                AwarenessUpdate {
                    clients: Default::default(),
                },
            ))));
            bytes = 0;
        }
    }
    if !chunk.clients.is_empty() {
        frames.push(protocol::encode(&Msg::Awareness(chunk)));
    }
    frames
}

impl BoardActor {
    pub(super) fn awareness_update(&mut self, conn: ConnId, update: AwarenessUpdate) {
        let Some(state) = self.conns.get(conn) else {
            return;
        };
        // Only the connection's own states count; copies it relays of others' are dropped.
        let (remote, awareness) = (&self.remote_people, &self.awareness);
        let sorted = self.owners.sort(
            conn,
            update,
            |c| remote.contains(c),
            |c| awareness.meta(*c).map(|(clock, _)| clock),
        );
        // One person is one or two awareness clients (a page reload makes a new one); a
        // connection announcing many is filling everyone's presence list with bots.
        if state.clients.len() + sorted.claimed.len() > self.config.max_awareness_clients {
            return self.kick(
                conn,
                close::AWARENESS_TOO_BIG,
                "too many presence states from one connection".into(),
            );
        }
        let update = sorted.own;
        if update.clients.is_empty() {
            return;
        }
        let frame: bytes::Bytes = protocol::encode(&Msg::Awareness(update.clone())).into();
        let public = crate::board::private::public_frame(&update);
        let shown = update
            .clients
            .values()
            .map(|e| e.json.clone())
            .find(|j| &**j != "null");
        match self.awareness.apply_update_summary(update) {
            Ok(_) => {
                self.owners.claim(conn, &sorted.claimed);
                if let Some(state) = self.conns.get_mut(conn) {
                    state.clients.extend(sorted.claimed);
                }
                self.cluster.seen(&self.id, conn, shown.as_deref());
                self.cluster
                    .publish(&self.id, crate::cluster::Kind::Frame, frame.clone());
                // Echoed to the sender too: y-websocket counts it as a sign of life.
                let _ = self.bcast.send(Arc::new(Outgoing {
                    origin: 0,
                    frame,
                    public,
                }));
            }
            Err(e) => self.kick(conn, close::MALFORMED, format!("bad awareness update: {e}")),
        }
    }

    pub(super) fn leave(&mut self, conn: ConnId) {
        let Some(state) = self.conns.remove(conn) else {
            return;
        };
        let person = self.cluster.leave(&self.id, conn);
        self.record_attendance(person, &state.invite);
        let gone: Vec<ClientID> = state.clients.into_iter().collect();
        self.owners.release(&gone);
        if gone.is_empty() {
            return;
        }
        for &client in &gone {
            self.awareness.remove_state(client);
        }
        if let Ok(update) = self.awareness.update_with_clients(gone) {
            let frame: bytes::Bytes = protocol::encode(&Msg::Awareness(update)).into();
            self.cluster
                .publish(&self.id, crate::cluster::Kind::Frame, frame.clone());
            let _ = self.bcast.send(Arc::new(Outgoing::same(0, frame)));
        }
    }

    /// Keeps how long a named person was connected, for the contribution ledger's session
    /// minutes. Anonymous people, and connections that never said who they are, leave
    /// nothing. Written in the background: a lost record costs a correction by hand, and
    /// must not hold up the board.
    pub(super) fn record_attendance(
        &self,
        person: Option<coboard_shared::api::PresentPerson>,
        invite: &str,
    ) {
        let Some(p) = person else {
            return;
        };
        let Some(name) = p.name.filter(|_| !p.anonymous) else {
            return;
        };
        let until = crate::now_ms();
        let record = coboard_shared::ledger::Attendance {
            name,
            person: p.person,
            since: p.since,
            until,
            invite: invite.to_owned(),
            role: Some(p.role),
        };
        let Ok(body) = serde_json::to_string(&record) else {
            return;
        };
        // Kept under the day it began, so the ledger reads one day's records, not all.
        let id = format!(
            "{}-{:013}-{}",
            coboard_shared::ledger::date_of(p.since),
            p.since,
            hex::encode(rand::random::<[u8; 4]>())
        );
        let (store, board) = (self.store.clone(), self.id.clone());
        tokio::spawn(async move {
            if let Err(e) = store
                .put_record(&board, crate::store::kind::ATTENDANCE, &id, &body, false)
                .await
            {
                tracing::warn!(board = %board, error = %e, "attendance not recorded");
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::sync::awareness::AwarenessUpdateEntry;

    #[test]
    fn presence_on_joining_is_split_into_small_frames_and_loses_no_one() {
        let json = format!(r#"{{"user":{{"name":"{}"}}}}"#, "x".repeat(90));
        let update = AwarenessUpdate {
            clients: (1..=100u64)
                .map(|c| {
                    let entry = AwarenessUpdateEntry {
                        clock: 1,
                        json: json.clone().into(),
                    };
                    (ClientID::new(c), entry)
                })
                .collect(),
        };
        let frames = presence_frames(update);
        assert!(frames.len() > 5, "{} frames", frames.len());
        let mut seen = std::collections::HashSet::new();
        for frame in &frames {
            assert!(
                frame.len() < 2 * JOIN_PRESENCE_BYTES,
                "{} bytes",
                frame.len()
            );
            for msg in protocol::decode_frame(frame).expect("decodes") {
                let Msg::Awareness(u) = msg else {
                    panic!("not presence")
                };
                seen.extend(u.clients.keys().copied());
            }
        }
        assert_eq!(seen.len(), 100);
        assert!(
            presence_frames(AwarenessUpdate {
                clients: Default::default()
            })
            .is_empty()
        );
    }
}
