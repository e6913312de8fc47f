//! What a run records: when each update was sent, when each copy of it arrived, and the
//! connect-and-sync time of each client.
//!
//! Every simulated client lives in this one process, so one monotonic clock times both
//! ends of every delivery. A sender writes its send time into a ring slot keyed by the
//! update's sequence number; a receiver finds the sender and the sequence number from the
//! update's own item id (each update adds exactly one item, so the sender's clock counts
//! its sends) and looks the time up. The update also carries the send time
//! in its value, as a real edit would carry its content, but reading it back would mean
//! integrating every update into a document, which would make the generator the bottleneck.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use serde::Serialize;

/// Yjs client ids of simulated client `i` are `CLIENT_BASE + i`: far from the random
/// 32-bit ids real clients pick, so a stray real client is never mistaken for one of ours.
pub const CLIENT_BASE: u64 = 1 << 40;

/// Send-time slots per client. A delivery slower than `RING / rate` seconds can no longer
/// be matched to its send and is counted as late instead.
const RING: usize = 4096;

/// Bits of a slot that hold the sequence number; the rest hold microseconds since the
/// recorder's epoch (2^40 µs is about 12 days).
const SEQ_BITS: u32 = 24;

fn pack(seq: u64, micros: u64) -> u64 {
    (micros << SEQ_BITS) | (seq & ((1 << SEQ_BITS) - 1))
}

fn unpack(slot: u64) -> (u64, u64) {
    (slot & ((1 << SEQ_BITS) - 1), slot >> SEQ_BITS)
}

/// Shared by every client of one run.
pub struct Recorder {
    epoch: Instant,
    /// Only sends inside `[start, end)` (µs since epoch) are counted; the rest are warm-up
    /// and drain.
    window: (AtomicU64, AtomicU64),
    slots: Vec<Box<[AtomicU64]>>,
    latency: Mutex<Histogram<u64>>,
    connect: Mutex<Histogram<u64>>,
    /// Updates sent inside the window.
    pub sent: AtomicU64,
    /// Copies of those updates the server should deliver (senders times peers).
    pub expected: AtomicU64,
    /// Copies of those updates that arrived.
    pub delivered: AtomicU64,
    /// Arrivals that could not be matched to a send (slot overwritten: extremely late).
    pub unmatched: AtomicU64,
    /// Bytes of full state received in sync answers.
    pub sync_bytes: AtomicU64,
    errors: Mutex<Vec<String>>,
    error_count: AtomicU64,
}

fn histogram() -> Histogram<u64> {
    // Microseconds, up to 10 minutes, three significant figures.
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid histogram bounds")
}

impl Recorder {
    pub fn new(clients: usize) -> Self {
        Self {
            epoch: Instant::now(),
            window: (AtomicU64::new(u64::MAX), AtomicU64::new(u64::MAX)),
            slots: (0..clients)
                .map(|_| (0..RING).map(|_| AtomicU64::new(0)).collect())
                .collect(),
            latency: Mutex::new(histogram()),
            connect: Mutex::new(histogram()),
            sent: AtomicU64::new(0),
            expected: AtomicU64::new(0),
            delivered: AtomicU64::new(0),
            unmatched: AtomicU64::new(0),
            sync_bytes: AtomicU64::new(0),
            errors: Mutex::new(Vec::new()),
            error_count: AtomicU64::new(0),
        }
    }

    /// Microseconds since this recorder was made.
    pub fn now_us(&self) -> u64 {
        self.epoch.elapsed().as_micros() as u64
    }

    /// The instant `micros` after the epoch.
    pub fn instant(&self, micros: u64) -> Instant {
        self.epoch + Duration::from_micros(micros)
    }

    /// Counts sends (and their deliveries) from `start` for `len`.
    pub fn set_window(&self, start: Instant, len: Duration) {
        let s = start.saturating_duration_since(self.epoch).as_micros() as u64;
        self.window.0.store(s, Ordering::Relaxed);
        self.window
            .1
            .store(s + len.as_micros() as u64, Ordering::Relaxed);
    }

    fn in_window(&self, micros: u64) -> bool {
        micros >= self.window.0.load(Ordering::Relaxed)
            && micros < self.window.1.load(Ordering::Relaxed)
    }

    /// Client `index` sent its update number `seq` (1-based) at `micros`, to be relayed to
    /// `peers` other clients.
    pub fn sent(&self, index: usize, seq: u64, micros: u64, peers: u64) {
        self.slots[index][seq as usize % RING].store(pack(seq, micros), Ordering::Relaxed);
        if self.in_window(micros) {
            self.sent.fetch_add(1, Ordering::Relaxed);
            self.expected.fetch_add(peers, Ordering::Relaxed);
        }
    }

    /// An update from Yjs client `client` ending at `clock` arrived at `now` (µs).
    /// Returns false when the client is not one of ours.
    pub fn arrived(&self, client: u64, clock: u32, now: u64) -> bool {
        let Some(index) = client.checked_sub(CLIENT_BASE) else {
            return false;
        };
        let Some(ring) = self.slots.get(index as usize) else {
            return false;
        };
        let seq = u64::from(clock);
        let (slot_seq, sent) = unpack(ring[seq as usize % RING].load(Ordering::Relaxed));
        if slot_seq != seq & ((1 << SEQ_BITS) - 1) || sent == 0 {
            self.unmatched.fetch_add(1, Ordering::Relaxed);
            return true;
        }
        if self.in_window(sent) {
            self.delivered.fetch_add(1, Ordering::Relaxed);
            let micros = now.saturating_sub(sent).max(1);
            self.latency
                .lock()
                .expect("latency histogram")
                .saturating_record(micros);
        }
        true
    }

    /// A client finished connecting and syncing, taking `took`.
    pub fn connected(&self, took: Duration, state_bytes: usize) {
        self.sync_bytes
            .fetch_add(state_bytes as u64, Ordering::Relaxed);
        self.connect
            .lock()
            .expect("connect histogram")
            .saturating_record(took.as_micros().max(1) as u64);
    }

    /// Something went wrong for one client; the first few reasons are kept.
    pub fn error(&self, what: impl Into<String>) {
        self.error_count.fetch_add(1, Ordering::Relaxed);
        let mut errors = self.errors.lock().expect("errors");
        if errors.len() < 5 {
            errors.push(what.into());
        }
    }

    pub fn error_count(&self) -> u64 {
        self.error_count.load(Ordering::Relaxed)
    }

    pub fn error_samples(&self) -> Vec<String> {
        self.errors.lock().expect("errors").clone()
    }

    pub fn latency(&self) -> Summary {
        Summary::of(&self.latency.lock().expect("latency histogram"))
    }

    pub fn connect_times(&self) -> Summary {
        Summary::of(&self.connect.lock().expect("connect histogram"))
    }
}

/// Percentiles of a histogram of microseconds, reported in milliseconds.
#[derive(Debug, Clone, Copy, Default, Serialize, serde::Deserialize, PartialEq)]
pub struct Summary {
    pub count: u64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Summary {
    pub fn of(h: &Histogram<u64>) -> Self {
        if h.is_empty() {
            return Self::default();
        }
        let ms = |us: u64| (us as f64 / 10.0).round() / 100.0;
        Self {
            count: h.len(),
            p50_ms: ms(h.value_at_quantile(0.50)),
            p95_ms: ms(h.value_at_quantile(0.95)),
            p99_ms: ms(h.value_at_quantile(0.99)),
            max_ms: ms(h.max()),
        }
    }

    /// Percentiles of a list of durations.
    pub fn of_durations(samples: &[Duration]) -> Self {
        let mut h = histogram();
        for d in samples {
            h.saturating_record(d.as_micros().max(1) as u64);
        }
        Self::of(&h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_keeps_sequence_and_time_apart() {
        let slot = pack(4097, 123_456_789);
        assert_eq!(unpack(slot), (4097, 123_456_789));
    }

    #[test]
    fn only_sends_inside_the_window_are_counted() {
        let r = Recorder::new(2);
        let start = r.instant(1_000);
        r.set_window(start, Duration::from_micros(1_000));
        r.sent(0, 1, 500, 1); // warm-up
        r.sent(0, 2, 1_500, 1); // measured
        r.sent(1, 1, 2_500, 1); // drain
        assert_eq!(r.sent.load(Ordering::Relaxed), 1);
        assert_eq!(r.expected.load(Ordering::Relaxed), 1);
        assert!(r.arrived(CLIENT_BASE, 1, 900));
        assert!(r.arrived(CLIENT_BASE, 2, 4_500));
        assert!(r.arrived(CLIENT_BASE + 1, 1, 2_600));
        assert_eq!(r.delivered.load(Ordering::Relaxed), 1);
        let l = r.latency();
        assert_eq!(l.count, 1);
        assert_eq!(l.max_ms, 3.0);
    }

    #[test]
    fn strangers_and_overwritten_slots_are_not_timed() {
        let r = Recorder::new(1);
        r.set_window(r.instant(0), Duration::from_secs(60));
        assert!(!r.arrived(42, 1, 10), "a real client's id is not ours");
        assert!(!r.arrived(CLIENT_BASE + 5, 1, 10), "past the last client");
        r.sent(0, 1, 10, 1);
        r.sent(0, 1 + RING as u64, 20, 1);
        assert!(r.arrived(CLIENT_BASE, 1, 30));
        assert_eq!(r.unmatched.load(Ordering::Relaxed), 1);
        assert_eq!(r.delivered.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn summaries_report_milliseconds() {
        let s = Summary::of_durations(&[
            Duration::from_millis(1),
            Duration::from_millis(2),
            Duration::from_millis(100),
        ]);
        assert_eq!(s.count, 3);
        assert_eq!(s.p50_ms, 2.0);
        assert!((s.max_ms - 100.0).abs() < 0.1, "{s:?}");
    }
}
