//! Refusing changes that break the board's rules (`coboard_shared::rules`), and putting
//! the live document back as it was.
//!
//! yrs cannot take back an applied update, so the rules are judged as the update is
//! applied (the guard sees the changes yrs reports) and a refused update leaves the live
//! document *stale*: it holds a change that was never stored or relayed. Before anything
//! else reads the document, the actor rebuilds it from the store ([`BoardActor::restore`]),
//! which holds every accepted update and nothing else. That costs a board load, paid only
//! for refused changes, which an honest client never makes; an address whose changes are
//! refused again and again is kept off the board for a while ([`Refusals`]).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::Duration;

use coboard_shared::close;
use coboard_shared::rules::{Breach, Guard};
use tokio::time::Instant;
use yrs::sync::Awareness;
use yrs::{Doc, Transact};

use super::apply::refuse;
use super::{Ack, BoardActor};
use crate::board::validate::{self, depth::TypeDepths};
use crate::board::{BoardError, ConnId};

/// Refusals remembered per address: enough for any `--refusals-before-bar` in use.
const KEEP: usize = 64;
/// How long a refusal counts against its address.
const WINDOW: Duration = Duration::from_secs(10 * 60);

/// Why connections from a barred address are closed.
pub(super) const BARRED: &str = "Changes from your network broke this board's rules several times; please wait a few minutes before joining again.";

/// Recent refusals, by address.
#[derive(Default)]
pub(super) struct Refusals {
    by_addr: HashMap<IpAddr, VecDeque<Instant>>,
}

impl Refusals {
    fn record(&mut self, addr: IpAddr, now: Instant) {
        let times = self.by_addr.entry(addr).or_default();
        times.push_back(now);
        while times.len() > KEEP {
            times.pop_front();
        }
        // Forget addresses whose refusals are all old, so the map stays small.
        self.by_addr
            .retain(|_, t| t.back().is_some_and(|&last| now - last < WINDOW));
    }

    /// Whether `addr` had `limit` changes refused within the last [`WINDOW`].
    pub(super) fn barred(&self, addr: IpAddr, now: Instant, limit: usize) -> bool {
        let Some(times) = self.by_addr.get(&addr) else {
            return false;
        };
        times.iter().filter(|&&t| now - t < WINDOW).count() >= limit
    }
}

impl BoardActor {
    /// A change broke a rule: its sender is told why and closed (so its client reloads the
    /// board without the change), and the live document is marked for rebuilding.
    pub(super) fn refuse_change(&mut self, conn: ConnId, breach: Breach, ack: Option<Ack>) {
        tracing::warn!(conn, %breach, "refused a change that breaks the board's rules");
        metrics::counter!("coboard_refused_changes_total").increment(1);
        self.kick(
            conn,
            close::REFUSED,
            format!("Your change was not saved: {breach}"),
        );
        if let Some(addr) = self.conns.addr(conn) {
            let now = Instant::now();
            self.refusals.record(addr, now);
            // Connections opened before the bar must not go on forcing rebuilds either.
            if self
                .refusals
                .barred(addr, now, self.config.refusals_before_bar)
            {
                self.conns.kick_addr(addr, close::TOO_MANY_REFUSED, BARRED);
            }
        }
        refuse(ack, breach.to_string());
        self.stale = true;
    }

    /// Rebuilds the live document from the store after a refused change, keeping presence.
    /// Appends still on their way are finished first, so the store holds every accepted
    /// update; the refused one was never sent there.
    pub(super) async fn restore(&mut self) -> Result<(), BoardError> {
        let start = std::time::Instant::now();
        while let Some((result, frame, ack)) = self.log.next_stored().await {
            let seq = result.map_err(|e| BoardError::Store(e.to_string()))?;
            self.durable(seq, frame);
            if let Some(ack) = ack {
                let _ = ack.send(Ok(()));
            }
        }
        let stored = self.store.load(&self.id).await.map_err(BoardError::from)?;
        let doc = Doc::new();
        let mut depths = TypeDepths::default();
        {
            let mut txn = doc.transact_mut();
            for bytes in stored.snapshot.iter().chain(&stored.updates) {
                validate::apply_stored(&mut txn, &mut depths, bytes).map_err(|detail| {
                    BoardError::Corrupt {
                        board: self.id.to_string(),
                        detail,
                    }
                })?;
            }
        }
        let presence = self.awareness.update().ok();
        let mut awareness = Awareness::new(doc);
        if let Some(p) = presence {
            let _ = awareness.apply_update(p);
        }
        self.awareness = awareness;
        self.depths = depths;
        self.snapshots.watch(self.awareness.doc());
        self.guard = Some(Guard::watch(self.awareness.doc()));
        self.stale = false;
        tracing::info!(
            ms = start.elapsed().as_millis() as u64,
            "rebuilt the board after a refused change"
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_barred_after_repeated_refusals_and_forgiven_later() {
        let mut r = Refusals::default();
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let t = Instant::now();
        for i in 0..3 {
            assert!(!r.barred(a, t, 3), "barred after {i}");
            r.record(a, t + Duration::from_secs(i));
        }
        assert!(r.barred(a, t + Duration::from_secs(10), 3));
        assert!(!r.barred(a, t + Duration::from_secs(10), 4));
        assert!(!r.barred(b, t, 3), "another address is not");
        assert!(!r.barred(a, t + WINDOW + Duration::from_secs(3), 3));
    }
}
