//! Which connection owns which awareness (presence) client id.
//!
//! The y-websocket protocol does not say whose a presence state is, and y-websocket 3.x
//! re-sends the states of *other* people whenever they renew (its awareness handler
//! broadcasts every added, updated and removed state, whatever their origin). So a
//! connection's frames mix its own state with copies of everyone else's. Counting them all
//! as its own closed every npm client on a board of more than eight people; applying them
//! all let any connection overwrite another person's state.
//!
//! The rule: an id belongs to the first connection that announces it while nobody else
//! holds it. A connection's later states for its own ids are applied; states it sends for
//! ids that belong to another connection, to another instance, or to someone who has left
//! are relays, and are dropped without counting against it.
//!
//! "Someone who has left" is read off the board's awareness clocks: when a state is removed
//! its clock moves one past the last state anyone was sent, so a relayed copy of it is never
//! newer, while the same person coming back (y-websocket keeps its id across reconnects)
//! renews with a newer clock and claims the id again.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;
use yrs::ClientID;
use yrs::sync::AwarenessUpdate;

use crate::board::ConnId;

#[derive(Default)]
pub(super) struct Owners {
    owner: HashMap<ClientID, ConnId>,
}

/// A connection's awareness update, sorted.
pub(super) struct Sorted {
    /// The entries for ids this connection owns (or now claims).
    pub own: AwarenessUpdate,
    /// Ids it claims for the first time.
    pub claimed: Vec<ClientID>,
}

impl Owners {
    /// Keeps only `conn`'s own entries of `update`. `remote(id)` tells whether another
    /// instance holds the id, `clock(id)` the board's awareness clock for it, if it has
    /// one. Nothing is claimed yet: see [`Owners::claim`].
    pub fn sort(
        &self,
        conn: ConnId,
        update: AwarenessUpdate,
        remote: impl Fn(&ClientID) -> bool,
        clock: impl Fn(&ClientID) -> Option<u32>,
    ) -> Sorted {
        let mut own = AwarenessUpdate {
            clients: Default::default(),
        };
        let mut claimed = Vec::new();
        for (client, entry) in update.clients {
            match self.owner.get(&client) {
                Some(&c) if c == conn => {}
                Some(_) => continue,
                None if remote(&client) => continue,
                None if clock(&client).is_some_and(|known| entry.clock <= known) => continue,
                // A removal of a state nobody here holds changes nothing.
                None if &*entry.json == "null" => continue,
                None => claimed.push(client),
            }
            own.clients.insert(client, entry);
        }
        Sorted { own, claimed }
    }

    /// Whether a connection of this instance holds `id`.
    pub fn is_local(&self, id: &ClientID) -> bool {
        self.owner.contains_key(id)
    }

    /// Records `conn` as the owner of `ids`.
    pub fn claim(&mut self, conn: ConnId, ids: &[ClientID]) {
        for &id in ids {
            self.owner.insert(id, conn);
        }
    }

    /// Forgets `ids`: their connection left.
    pub fn release(&mut self, ids: &[ClientID]) {
        for id in ids {
            self.owner.remove(id);
        }
    }
}

/// People on other instances: the awareness ids their instances relay, and when each was
/// last renewed. A state not renewed for a while is dropped, as a y-websocket client
/// drops a silent peer, so a crashed instance's people vanish here too.
#[derive(Default)]
pub(super) struct RemotePeople {
    seen: HashMap<ClientID, Instant>,
}

impl RemotePeople {
    /// Whether another instance holds `id`.
    pub fn contains(&self, id: &ClientID) -> bool {
        self.seen.contains_key(id)
    }

    /// Another instance renewed `id` at `at`, or (`gone`) removed it.
    pub fn renewed(&mut self, id: ClientID, at: Instant, gone: bool) {
        if gone {
            self.seen.remove(&id);
        } else {
            self.seen.insert(id, at);
        }
    }

    /// Forgets, and returns, the ids not renewed for longer than `timeout` by `now`.
    pub fn stale(&mut self, now: Instant, timeout: Duration) -> Vec<ClientID> {
        let stale: Vec<ClientID> = (self.seen.iter())
            .filter(|(_, seen)| now.duration_since(**seen) > timeout)
            .map(|(c, _)| *c)
            .collect();
        for id in &stale {
            self.seen.remove(id);
        }
        stale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_on_other_instances_go_when_their_instance_stops_renewing_them() {
        let mut people = RemotePeople::default();
        let start = Instant::now();
        let (a, b, c) = (ClientID::new(1), ClientID::new(2), ClientID::new(3));
        people.renewed(a, start, false);
        people.renewed(b, start, false);
        people.renewed(c, start, false);
        people.renewed(c, start, true);
        assert!(!people.contains(&c), "removed by its instance");
        let timeout = Duration::from_secs(30);
        people.renewed(b, start + Duration::from_secs(20), false);
        let gone = people.stale(start + Duration::from_secs(31), timeout);
        assert_eq!(gone, [a]);
        assert!(!people.contains(&a) && people.contains(&b));
        assert!(
            people
                .stale(start + Duration::from_secs(49), timeout)
                .is_empty()
        );
        assert_eq!(people.stale(start + Duration::from_secs(51), timeout), [b]);
    }
    use yrs::sync::awareness::AwarenessUpdateEntry;

    fn update(entries: &[(u64, u32, &str)]) -> AwarenessUpdate {
        AwarenessUpdate {
            clients: entries
                .iter()
                .map(|&(c, clock, json)| {
                    let entry = AwarenessUpdateEntry {
                        clock,
                        json: json.into(),
                    };
                    (ClientID::new(c), entry)
                })
                .collect(),
        }
    }

    fn ids(sorted: &Sorted) -> Vec<u64> {
        let mut v: Vec<u64> = sorted.own.clients.keys().map(|c| c.get()).collect();
        v.sort();
        v
    }

    #[test]
    fn relayed_states_are_dropped_and_not_claimed() {
        let mut owners = Owners::default();
        let no_remote = |_: &ClientID| false;
        let unknown = |_: &ClientID| None;
        let first = owners.sort(1, update(&[(10, 1, "{}")]), no_remote, unknown);
        assert_eq!(first.claimed, [ClientID::new(10)]);
        owners.claim(1, &first.claimed);

        // Connection 2 announces itself and relays 1's state, as y-websocket does.
        let known = |c: &ClientID| (*c == ClientID::new(10)).then_some(1);
        let second = owners.sort(2, update(&[(20, 1, "{}"), (10, 2, "{}")]), no_remote, known);
        assert_eq!(ids(&second), [20], "1's state is not 2's to change");
        assert_eq!(second.claimed, [ClientID::new(20)]);
        owners.claim(2, &second.claimed);

        // 1's renewal is its own, and claims nothing new.
        let renewal = owners.sort(
            1,
            update(&[(10, 2, "{}"), (20, 1, "null")]),
            no_remote,
            known,
        );
        assert_eq!(ids(&renewal), [10]);
        assert!(renewal.claimed.is_empty());

        // Another instance's person is never claimed.
        let remote = owners.sort(
            3,
            update(&[(30, 9, "{}")]),
            |c| *c == ClientID::new(30),
            unknown,
        );
        assert!(remote.own.clients.is_empty());

        // 2 leaves: its state was removed at clock 2. A relay of its last state (clock 1)
        // is not a claim; 2 itself coming back with a renewal (clock 3) is.
        owners.release(&[ClientID::new(20)]);
        let left = |c: &ClientID| (*c == ClientID::new(20)).then_some(2);
        let late = owners.sort(3, update(&[(20, 1, "{}")]), no_remote, left);
        assert!(late.own.clients.is_empty());
        let back = owners.sort(4, update(&[(20, 3, "{}")]), no_remote, left);
        assert_eq!(back.claimed, [ClientID::new(20)]);

        // Removing a state nobody holds is not a claim either.
        let null = owners.sort(3, update(&[(40, 1, "null")]), no_remote, unknown);
        assert!(null.own.clients.is_empty());
    }
}
