//! What instances say to each other about one board, on its Redis channel.
//!
//! A message is `[version=1][kind][from: u8 length + instance id][sent at: i64 ms BE]`
//! followed by the payload. `Frame` carries a y-websocket frame exactly as local clients
//! receive it (a sync update or an awareness update), so the receiving instance can both
//! apply it and pass the same bytes on to its own clients.

use bytes::{BufMut, Bytes, BytesMut};

const VERSION: u8 = 1;

/// What a message asks of the instances that have the board loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A y-websocket frame (document update or awareness update) to apply and relay.
    Frame = 1,
    /// An instance has just loaded the board: send it your people's awareness states.
    Hello = 2,
    /// An instance could not publish some of its updates: catch up from the store.
    Resync = 3,
    /// An invite was switched off: close its connections (the payload is the invite id).
    Revoke = 4,
}

/// One decoded message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub kind: Kind,
    /// The instance that sent it; an instance ignores its own messages.
    pub from: String,
    /// When it was published (ms since the Unix epoch), for the fan-out lag metric.
    pub sent_at: i64,
    pub payload: Bytes,
}

/// Why a message could not be read.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum MessageError {
    #[error("message too short")]
    Short,
    #[error("unknown message version {0}")]
    Version(u8),
    #[error("unknown message kind {0}")]
    Kind(u8),
    #[error("instance id is not UTF-8")]
    From,
}

impl Message {
    pub fn encode(kind: Kind, from: &str, sent_at: i64, payload: &[u8]) -> Bytes {
        let from = &from.as_bytes()[..from.len().min(255)];
        let mut out = BytesMut::with_capacity(3 + from.len() + 8 + payload.len());
        out.put_u8(VERSION);
        out.put_u8(kind as u8);
        out.put_u8(from.len() as u8);
        out.put_slice(from);
        out.put_i64(sent_at);
        out.put_slice(payload);
        out.freeze()
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, MessageError> {
        let [version, kind, len, rest @ ..] = bytes else {
            return Err(MessageError::Short);
        };
        if *version != VERSION {
            return Err(MessageError::Version(*version));
        }
        let kind = match kind {
            1 => Kind::Frame,
            2 => Kind::Hello,
            3 => Kind::Resync,
            4 => Kind::Revoke,
            k => return Err(MessageError::Kind(*k)),
        };
        let len = *len as usize;
        if rest.len() < len + 8 {
            return Err(MessageError::Short);
        }
        let from = std::str::from_utf8(&rest[..len]).map_err(|_| MessageError::From)?;
        let sent_at = i64::from_be_bytes(rest[len..len + 8].try_into().expect("8 bytes"));
        Ok(Self {
            kind,
            from: from.to_owned(),
            sent_at,
            payload: Bytes::copy_from_slice(&rest[len + 8..]),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip() {
        let bytes = Message::encode(Kind::Frame, "a-1", 1_700_000_000_123, &[0, 2, 9]);
        let m = Message::decode(&bytes).unwrap();
        assert_eq!(m.kind, Kind::Frame);
        assert_eq!(m.from, "a-1");
        assert_eq!(m.sent_at, 1_700_000_000_123);
        assert_eq!(&m.payload[..], &[0, 2, 9]);
        let hello = Message::decode(&Message::encode(Kind::Hello, "b", 5, &[])).unwrap();
        assert_eq!((hello.kind, hello.payload.len()), (Kind::Hello, 0));
    }

    #[test]
    fn damaged_messages_are_errors() {
        assert_eq!(Message::decode(&[1, 1]), Err(MessageError::Short));
        assert_eq!(Message::decode(&[9, 1, 0]), Err(MessageError::Version(9)));
        assert_eq!(Message::decode(&[1, 7, 0]), Err(MessageError::Kind(7)));
        assert_eq!(Message::decode(&[1, 1, 4, b'a']), Err(MessageError::Short));
        let mut bad = Message::encode(Kind::Frame, "ab", 1, b"x").to_vec();
        bad[3] = 0xff;
        assert_eq!(Message::decode(&bad), Err(MessageError::From));
    }
}
