//! Seeded mutations of corpus frames. Byte-level mutations alone mostly break the frame's
//! length prefix and die in `decode_frame`, so half the time the mutation is applied to a
//! message's *payload* and the frame is rebuilt around it, to reach the update decoder and
//! the CRDT itself.

use coboard_shared::protocol::{self, Msg};
use rand::Rng;
use rand::rngs::StdRng;
use yrs::encoding::write::Write;

/// Varint values that sit on yrs' arithmetic and allocation edges.
const EDGES: [u64; 10] = [
    0,
    1,
    127,
    128,
    (1 << 28) - 1,
    (1 << 30) + 7,
    i32::MAX as u64,
    u32::MAX as u64,
    1 << 32,
    u64::MAX,
];

/// One fuzz input derived from the corpus.
pub fn input(rng: &mut StdRng, corpus: &[Vec<u8>]) -> Vec<u8> {
    let pick = |rng: &mut StdRng| corpus[rng.random_range(0..corpus.len())].clone();
    match rng.random_range(0..20) {
        0 => {
            let n = rng.random_range(0..64);
            (0..n).map(|_| rng.random()).collect()
        }
        1..=9 => {
            let mut frame = pick(rng);
            for _ in 0..rng.random_range(1..4) {
                bytes(rng, &mut frame, corpus);
            }
            frame
        }
        _ => {
            let frame = pick(rng);
            let mut out = Vec::new();
            let Ok(msgs) = protocol::decode_frame(&frame) else {
                return frame;
            };
            for msg in msgs {
                payload(rng, msg, &mut out, corpus);
            }
            if rng.random_bool(0.1) {
                // Duplicate or reorder whole messages.
                let other = pick(rng);
                if rng.random_bool(0.5) {
                    out.extend(other);
                } else {
                    out.splice(0..0, other);
                }
            }
            out
        }
    }
}

/// Mutates one message's payload, and appends the re-framed message to `out`.
fn payload(rng: &mut StdRng, msg: Msg, out: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    let (tag, sub, mut body) = match msg {
        Msg::SyncStep1(_) | Msg::SyncStep2(_) | Msg::Update(_) | Msg::Awareness(_) => {
            let encoded = protocol::encode(&msg);
            let (tag, sub) = match msg {
                Msg::SyncStep1(_) => (0u8, Some(0u8)),
                Msg::SyncStep2(_) => (0, Some(1)),
                Msg::Update(_) => (0, Some(2)),
                _ => (1, None),
            };
            let header = if sub.is_some() { 2 } else { 1 };
            let mut cur = yrs::encoding::read::Cursor::new(&encoded[header..]);
            let body = yrs::encoding::read::Read::read_buf(&mut cur)
                .unwrap()
                .to_vec();
            (tag, sub, body)
        }
        other => {
            out.extend(protocol::encode(&other));
            return;
        }
    };
    for _ in 0..rng.random_range(1..5) {
        bytes(rng, &mut body, corpus);
    }
    out.write_var(tag);
    if let Some(sub) = sub {
        // Sometimes send an update as sync step 2 or the other way round.
        let sub = if tag == 0 && sub > 0 && rng.random_bool(0.1) {
            3 - sub
        } else {
            sub
        };
        out.write_var(sub);
    }
    out.write_buf(&body);
}

/// One byte-level mutation.
fn bytes(rng: &mut StdRng, buf: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    if buf.is_empty() {
        buf.push(rng.random());
        return;
    }
    let at = rng.random_range(0..buf.len());
    match rng.random_range(0..9) {
        0 => buf[at] ^= 1 << rng.random_range(0..8),
        1 => buf[at] = [0, 1, 0x7f, 0x80, 0xff, 7, 8, 10, 117, 118][rng.random_range(0..10)],
        2 => {
            let n = rng.random_range(1..8);
            for _ in 0..n {
                buf.insert(at, rng.random());
            }
        }
        3 => {
            let end = (at + rng.random_range(1..8)).min(buf.len());
            buf.drain(at..end);
        }
        4 => buf.truncate(at),
        5 => {
            // Replace the varint starting at `at` by an edge value.
            let mut end = at;
            while end < buf.len() && buf[end] & 0x80 != 0 {
                end += 1;
            }
            let end = (end + 1).min(buf.len());
            let mut v = Vec::new();
            v.write_var(EDGES[rng.random_range(0..EDGES.len())]);
            buf.splice(at..end, v);
        }
        6 => {
            // Splice: our prefix, another input's suffix.
            let other = &corpus[rng.random_range(0..corpus.len())];
            let from = rng.random_range(0..=other.len());
            buf.truncate(at);
            buf.extend_from_slice(&other[from..]);
        }
        7 => {
            // Duplicate a chunk in place.
            let end = (at + rng.random_range(1..16)).min(buf.len());
            let chunk = buf[at..end].to_vec();
            buf.splice(at..at, chunk);
        }
        _ => {
            // Deep nesting: the shape that overflows recursive decoders.
            let depth = rng.random_range(1..4000);
            let mut nest = Vec::with_capacity(depth * 2 + 1);
            for _ in 0..depth {
                nest.extend([117, 1]);
            }
            nest.push(126);
            buf.splice(at..at, nest);
        }
    }
}
