//! The y-websocket wire format (y-protocols), framed strictly.
//!
//! One WebSocket binary frame carries one or more messages back to back. yrs has its own
//! `MessageReader`, but it treats a message cut short at the end of a frame as the end of
//! the frame, which would silently drop half a message. This reader rejects it instead,
//! so a malformed frame always ends in a clear error.

use yrs::StateVector;
use yrs::encoding::read::{Cursor, Read};
use yrs::encoding::write::Write;
use yrs::sync::AwarenessUpdate;
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;

/// Top-level message tags.
pub const MSG_SYNC: u8 = 0;
pub const MSG_AWARENESS: u8 = 1;
pub const MSG_AUTH: u8 = 2;
pub const MSG_QUERY_AWARENESS: u8 = 3;
/// Coboard's own additions, outside the tags y-protocols uses. Standard Yjs clients never
/// send a ping, so they never receive a pong.
pub const MSG_PING: u8 = 100;
pub const MSG_PONG: u8 = 101;

/// Sync sub-message tags.
pub const SYNC_STEP1: u8 = 0;
pub const SYNC_STEP2: u8 = 1;
pub const SYNC_UPDATE: u8 = 2;

/// One decoded message. Payloads stay as bytes where the server only needs to relay them.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// "Here is my state vector; send me what I am missing."
    SyncStep1(StateVector),
    /// "Here is what you were missing" (a v1 update).
    SyncStep2(Vec<u8>),
    /// An incremental v1 update.
    Update(Vec<u8>),
    /// Awareness (presence) states.
    Awareness(AwarenessUpdate),
    /// "Send me everyone's awareness state."
    QueryAwareness,
    /// Auth message (y-protocols/auth): `Some(reason)` means permission denied. The server
    /// sends one to a view-only connection whose edit it refused.
    Auth(Option<String>),
    /// "Answer once everything I sent before this is stored" (Coboard's web client). The
    /// number is the sender's own, echoed back in the [`Msg::Pong`].
    Ping(u64),
    /// The answer to [`Msg::Ping`]: every update the connection sent before the ping with
    /// this number is durable on the server.
    Pong(u64),
}

/// Why a frame could not be read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FrameError {
    #[error("empty frame")]
    Empty,
    #[error("message cut short")]
    Truncated,
    #[error("unknown message type {0}")]
    UnknownType(u64),
    #[error("unknown sync message type {0}")]
    UnknownSyncType(u64),
    #[error("invalid {0}")]
    Invalid(&'static str),
}

impl From<yrs::encoding::read::Error> for FrameError {
    fn from(e: yrs::encoding::read::Error) -> Self {
        match e {
            yrs::encoding::read::Error::EndOfBuffer(_) => FrameError::Truncated,
            _ => FrameError::Invalid("encoding"),
        }
    }
}

/// Decodes every message in one frame, or fails on the first bad byte.
pub fn decode_frame(frame: &[u8]) -> Result<Vec<Msg>, FrameError> {
    if frame.is_empty() {
        return Err(FrameError::Empty);
    }
    let mut cur = Cursor::new(frame);
    let mut out = Vec::with_capacity(1);
    while cur.has_content() {
        out.push(decode_one(&mut cur)?);
    }
    Ok(out)
}

fn decode_one(cur: &mut Cursor<'_>) -> Result<Msg, FrameError> {
    let tag: u64 = cur.read_var()?;
    match tag {
        t if t == MSG_SYNC as u64 => {
            let sub: u64 = cur.read_var()?;
            let payload = cur.read_buf()?;
            match sub {
                s if s == SYNC_STEP1 as u64 => prescan(payload, false)
                    .and_then(|()| StateVector::decode_v1(payload).ok())
                    .map(Msg::SyncStep1)
                    .ok_or(FrameError::Invalid("state vector")),
                s if s == SYNC_STEP2 as u64 => Ok(Msg::SyncStep2(payload.to_vec())),
                s if s == SYNC_UPDATE as u64 => Ok(Msg::Update(payload.to_vec())),
                s => Err(FrameError::UnknownSyncType(s)),
            }
        }
        t if t == MSG_AWARENESS as u64 => {
            let payload = cur.read_buf()?;
            prescan(payload, true)
                .and_then(|()| AwarenessUpdate::decode_v1(payload).ok())
                .map(Msg::Awareness)
                .ok_or(FrameError::Invalid("awareness update"))
        }
        t if t == MSG_QUERY_AWARENESS as u64 => Ok(Msg::QueryAwareness),
        t if t == MSG_PING as u64 => Ok(Msg::Ping(cur.read_var()?)),
        t if t == MSG_PONG as u64 => Ok(Msg::Pong(cur.read_var()?)),
        t if t == MSG_AUTH as u64 => {
            let kind: u8 = cur.read_var()?;
            if kind == 0 {
                Ok(Msg::Auth(Some(cur.read_string()?.to_owned())))
            } else {
                Ok(Msg::Auth(None))
            }
        }
        t => Err(FrameError::UnknownType(t)),
    }
}

/// Largest client id yrs accepts: `ClientID::new` asserts (in debug builds) that ids fit in
/// 53 bits, and in release builds silently folds larger ones onto smaller ids.
const MAX_CLIENT_ID: u64 = (1 << 53) - 1;

/// Walks a state vector (`awareness == false`) or an awareness update before yrs decodes it,
/// because yrs would misbehave on two kinds of hostile input, and `catch_unwind` is not
/// available on wasm (`panic = "abort"`): a client id over 53 bits (a debug-build panic), and
/// an entry count far larger than the payload (yrs reserves that many entries up front, so six
/// bytes could make it allocate and touch hundreds of megabytes).
fn prescan(payload: &[u8], awareness: bool) -> Option<()> {
    let mut cur = Cursor::new(payload);
    let count: u64 = cur.read_var().ok()?;
    // Each entry takes at least two bytes (client and clock), three with awareness' JSON.
    let min = if awareness { 3 } else { 2 };
    if count > (payload.len() / min) as u64 {
        return None;
    }
    for _ in 0..count {
        let client: u64 = cur.read_var().ok()?;
        if client > MAX_CLIENT_ID {
            return None;
        }
        let _clock: u32 = cur.read_var().ok()?;
        if awareness {
            cur.read_buf().ok()?;
        }
    }
    Some(())
}

/// Encodes one message as a frame.
pub fn encode(msg: &Msg) -> Vec<u8> {
    let mut buf = Vec::new();
    match msg {
        Msg::SyncStep1(sv) => sync(&mut buf, SYNC_STEP1, &sv.encode_v1()),
        Msg::SyncStep2(u) => sync(&mut buf, SYNC_STEP2, u),
        Msg::Update(u) => sync(&mut buf, SYNC_UPDATE, u),
        Msg::Awareness(a) => {
            buf.write_var(MSG_AWARENESS);
            buf.write_buf(a.encode_v1());
        }
        Msg::QueryAwareness => buf.write_var(MSG_QUERY_AWARENESS),
        Msg::Auth(reason) => {
            buf.write_var(MSG_AUTH);
            match reason {
                Some(reason) => {
                    buf.write_var(0u8);
                    buf.write_string(reason);
                }
                None => buf.write_var(1u8),
            }
        }
        Msg::Ping(n) => {
            buf.write_var(MSG_PING);
            buf.write_var(*n);
        }
        Msg::Pong(n) => {
            buf.write_var(MSG_PONG);
            buf.write_var(*n);
        }
    }
    buf
}

fn sync(buf: &mut Vec<u8>, sub: u8, payload: &[u8]) {
    buf.write_var(MSG_SYNC);
    buf.write_var(sub);
    buf.write_buf(payload);
}

/// Encodes an update message straight from its payload, without an intermediate `Msg`.
pub fn encode_update(update: &[u8]) -> Vec<u8> {
    let mut buf = Vec::with_capacity(update.len() + 8);
    sync(&mut buf, SYNC_UPDATE, update);
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_message_kind() {
        let msgs = [
            Msg::SyncStep1(StateVector::default()),
            Msg::SyncStep2(vec![0, 0]),
            Msg::Update(vec![1, 2, 3]),
            Msg::QueryAwareness,
            Msg::Auth(None),
            Msg::Auth(Some("view only".into())),
            Msg::Ping(7),
            Msg::Pong(u64::from(u32::MAX) + 1),
            Msg::Awareness(AwarenessUpdate {
                clients: Default::default(),
            }),
        ];
        let mut frame = Vec::new();
        for m in &msgs {
            frame.extend(encode(m));
        }
        assert_eq!(decode_frame(&frame).unwrap(), msgs.to_vec());
    }

    #[test]
    fn rejects_oversized_client_ids_and_counts() {
        // A client id over 53 bits trips an assertion inside yrs (debug builds).
        let mut sv = Vec::new();
        sv.write_var(1u32);
        sv.write_var(1u64 << 60);
        sv.write_var(3u32);
        let frame = sync_frame(SYNC_STEP1, &sv);
        assert_eq!(
            decode_frame(&frame),
            Err(FrameError::Invalid("state vector"))
        );
        // Six bytes claiming 2^28 awareness entries: yrs would reserve them all up front.
        let mut aw = vec![MSG_AWARENESS];
        let mut count = Vec::new();
        count.write_var(1u64 << 28);
        aw.write_buf(&count);
        assert_eq!(
            decode_frame(&aw),
            Err(FrameError::Invalid("awareness update"))
        );
    }

    fn sync_frame(sub: u8, payload: &[u8]) -> Vec<u8> {
        let mut buf = Vec::new();
        sync(&mut buf, sub, payload);
        buf
    }

    #[test]
    fn rejects_truncated_and_unknown_messages() {
        let mut frame = encode(&Msg::Update(vec![9; 10]));
        frame.truncate(frame.len() - 1);
        assert_eq!(decode_frame(&frame), Err(FrameError::Truncated));
        assert_eq!(decode_frame(&[]), Err(FrameError::Empty));
        assert_eq!(decode_frame(&[7]), Err(FrameError::UnknownType(7)));
        assert_eq!(
            decode_frame(&[0, 9, 0]),
            Err(FrameError::UnknownSyncType(9))
        );
        // A valid message followed by a stray byte is still an error.
        let mut two = encode(&Msg::QueryAwareness);
        two.push(0);
        assert_eq!(decode_frame(&two), Err(FrameError::Truncated));
    }
}
