//! My changes on their way to the server, until the server says it has stored them.
//!
//! Writing to a socket proves nothing: a phone losing signal keeps its socket "open" while
//! frames go nowhere. So a change counts as sent only once a pong covers it: the page
//! numbers its changes, pings with the highest number it has written to the current
//! connection, and the server answers that ping only once everything before it is stored
//! (`docs/protocol.md`). People see edits, not keystrokes: typing in one box without a
//! long pause is one edit however many updates it makes.

use std::collections::VecDeque;

/// Typing in the same box within this long of the last keystroke continues the same edit.
const SAME_EDIT_WITHIN_MS: f64 = 5_000.0;

struct Entry<K> {
    seq: u64,
    /// Where the device keeps it (None when the device keeps nothing).
    key: Option<K>,
    edit: u32,
}

pub(super) struct Outbox<K> {
    entries: VecDeque<Entry<K>>,
    next_seq: u64,
    next_edit: u32,
    /// The edit the last change belonged to, and when it was made.
    last: Option<(u32, f64)>,
    /// Highest change written to the current connection.
    sent_upto: u64,
    /// The ping waiting for its pong: its number and when it went.
    ping: Option<(u64, f64)>,
    /// When the last ping went, to space them out.
    last_ping_at: f64,
}

impl<K> Default for Outbox<K> {
    fn default() -> Self {
        Self {
            entries: VecDeque::new(),
            next_seq: 1,
            next_edit: 1,
            last: None,
            sent_upto: 0,
            ping: None,
            last_ping_at: f64::NEG_INFINITY,
        }
    }
}

impl<K> Outbox<K> {
    /// The edit a change made `now` belongs to: the last one if it continues typing in the
    /// same box (`same_box`: this change and the last were both typed there), else a new
    /// one.
    pub fn edit_for(&mut self, now: f64, same_box: bool) -> u32 {
        let edit = match self.last {
            Some((edit, at)) if same_box && now - at < SAME_EDIT_WITHIN_MS => edit,
            _ => {
                let e = self.next_edit;
                self.next_edit = self.next_edit.wrapping_add(1);
                e
            }
        };
        self.last = Some((edit, now));
        edit
    }

    /// A restored change from an earlier visit: `edit` is its number then, mapped onto a
    /// fresh one (consecutive restored changes of one edit stay one edit).
    pub fn restore(&mut self, key: Option<K>, old_edit: u32, prev_old: Option<u32>) -> u64 {
        let edit = match (prev_old, self.entries.back()) {
            (Some(prev), Some(back)) if prev == old_edit => back.edit,
            _ => {
                let e = self.next_edit;
                self.next_edit = self.next_edit.wrapping_add(1);
                e
            }
        };
        self.push(key, edit)
    }

    /// Adds a change; returns its number.
    pub fn push(&mut self, key: Option<K>, edit: u32) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.entries.push_back(Entry { seq, key, edit });
        seq
    }

    /// The change numbered `seq` was written to the current connection.
    pub fn written(&mut self, seq: u64) {
        self.sent_upto = self.sent_upto.max(seq);
    }

    /// Everything so far was written to the current connection (the answer to the
    /// server's sync step 1 carries every change it lacked).
    pub fn all_written(&mut self) {
        self.sent_upto = self.next_seq - 1;
    }

    /// The highest change written to the current connection.
    pub fn written_upto(&self) -> u64 {
        self.sent_upto
    }

    /// A new connection: nothing is written to it yet, and no ping is waiting.
    pub fn reconnected(&mut self) {
        self.sent_upto = 0;
        self.ping = None;
    }

    /// Changes people would count: distinct edits not yet stored by the server.
    pub fn edits(&self) -> u32 {
        let mut n = 0;
        let mut last = None;
        for e in &self.entries {
            if last != Some(e.edit) {
                n += 1;
                last = Some(e.edit);
            }
        }
        n
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The ping to send now, if one is due: changes were written that no pong has covered
    /// yet, no ping is waiting, and the last went at least `spacing` ms ago.
    pub fn ping_due(&mut self, now: f64, spacing: f64) -> Option<u64> {
        let unconfirmed = self
            .entries
            .front()
            .is_some_and(|e| e.seq <= self.sent_upto);
        if !unconfirmed || self.ping.is_some() || now - self.last_ping_at < spacing {
            return None;
        }
        Some(self.ping_now(now))
    }

    /// Sends a ping whatever is waiting (to check the connection is alive).
    pub fn ping_now(&mut self, now: f64) -> u64 {
        let n = self.sent_upto;
        self.ping = Some((n, now));
        self.last_ping_at = now;
        n
    }

    /// How long the waiting ping has waited, if one is.
    pub fn ping_waited(&self, now: f64) -> Option<f64> {
        self.ping.map(|(_, at)| now - at)
    }

    /// The server stored everything written before ping `n`: drops those changes and
    /// returns their device keys.
    pub fn pong(&mut self, n: u64) -> Vec<K> {
        if self.ping.is_some_and(|(p, _)| p == n) {
            self.ping = None;
        }
        let mut keys = Vec::new();
        while self.entries.front().is_some_and(|e| e.seq <= n) {
            if let Some(key) = self.entries.pop_front().and_then(|e| e.key) {
                keys.push(key);
            }
        }
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_in_one_box_is_one_edit_and_a_click_is_another() {
        let mut o = Outbox::<u32>::default();
        for i in 0..20 {
            let edit = o.edit_for(f64::from(i) * 100.0, true);
            o.push(Some(i), edit);
        }
        assert_eq!(o.edits(), 1, "twenty keystrokes in one box");
        let edit = o.edit_for(2_500.0, false);
        o.push(Some(99), edit);
        assert_eq!(o.edits(), 2, "a change outside a text box is its own edit");
        // A long pause starts a new edit even in the same box.
        let e1 = o.edit_for(3_000.0, true);
        let e2 = o.edit_for(9_000.0, true);
        assert_ne!(e1, e2);
    }

    #[test]
    fn only_a_pong_takes_changes_off_and_only_those_written_before_its_ping() {
        let mut o = Outbox::<u32>::default();
        let a = o.push(Some(1), 1);
        let b = o.push(Some(2), 2);
        assert_eq!(o.ping_due(0.0, 1_000.0), None, "nothing written yet");
        o.written(a);
        let n = o.ping_due(0.0, 1_000.0).expect("a ping is due");
        assert_eq!(n, a);
        assert_eq!(o.ping_due(10.0, 0.0), None, "one ping at a time");
        o.written(b);
        assert_eq!(o.pong(n), vec![1]);
        assert_eq!(
            o.edits(),
            1,
            "the change written after the ping still waits"
        );
        assert_eq!(o.ping_due(500.0, 1_000.0), None, "pings are spaced out");
        assert_eq!(o.ping_due(1_000.0, 1_000.0), Some(b));
        // A reconnect forgets what was written to the old connection.
        o.reconnected();
        assert_eq!(o.ping_due(5_000.0, 0.0), None);
        o.all_written();
        assert_eq!(o.ping_due(5_000.0, 0.0), Some(b));
        assert_eq!(o.pong(b), vec![2]);
        assert!(o.is_empty());
    }

    #[test]
    fn restored_changes_keep_their_edits_apart() {
        let mut o = Outbox::<u32>::default();
        o.restore(Some(1), 7, None);
        o.restore(Some(2), 7, Some(7));
        o.restore(Some(3), 9, Some(7));
        o.all_written();
        assert_eq!(o.edits(), 2);
        assert_eq!(o.pong(3), [1, 2, 3]);
    }
}
