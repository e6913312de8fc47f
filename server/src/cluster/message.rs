//! What instances say to each other about one board, on its Redis channel.
//!
//! A message is `[version=1][kind][from: u8 length + instance id][sent at: i64 ms BE]`
//! followed by the payload. `Frame` carries a y-websocket frame exactly as local clients
//! receive it (a sync update or an awareness update), so the receiving instance can both
//! apply it and pass the same bytes on to its own clients.
//!
//! Every message ends with an HMAC-SHA256 tag over everything before it, keyed with the
//! cluster's shared secret ([`Key`]). Anyone who can reach Redis could otherwise PUBLISH an
//! update that every instance applies and relays past every role check (and never stores,
//! so instances and store diverge). The sender's instance id is inside what is signed.

use bytes::{BufMut, Bytes, BytesMut};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Bytes of the tag at the end of every message.
const TAG: usize = 32;

/// The cluster's shared secret (`--cluster-secret`), as an HMAC key.
#[derive(Clone)]
pub struct Key(Hmac<Sha256>);

impl Key {
    pub fn new(secret: &[u8]) -> Self {
        Self(Hmac::new_from_slice(secret).expect("HMAC takes a key of any length"))
    }

    /// The tag of `parts`, taken together (each is length-prefixed, so no two different
    /// lists of parts have the same tag).
    pub fn tag(&self, parts: &[&[u8]]) -> [u8; TAG] {
        self.mac(parts).finalize().into_bytes().into()
    }

    /// Whether `tag` is the tag of `parts` (compared in constant time).
    pub fn verify(&self, parts: &[&[u8]], tag: &[u8]) -> bool {
        self.mac(parts).verify_slice(tag).is_ok()
    }

    fn mac(&self, parts: &[&[u8]]) -> Hmac<Sha256> {
        let mut mac = self.0.clone();
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac
    }
}

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
    #[error("not signed with this cluster's secret")]
    Unauthenticated,
}

impl Message {
    pub fn encode(key: &Key, kind: Kind, from: &str, sent_at: i64, payload: &[u8]) -> Bytes {
        let from = &from.as_bytes()[..from.len().min(255)];
        let mut out = BytesMut::with_capacity(3 + from.len() + 8 + payload.len() + TAG);
        out.put_u8(VERSION);
        out.put_u8(kind as u8);
        out.put_u8(from.len() as u8);
        out.put_slice(from);
        out.put_i64(sent_at);
        out.put_slice(payload);
        let tag = key.tag(&[&out]);
        out.put_slice(&tag);
        out.freeze()
    }

    /// Reads a message, refusing any whose tag is not this cluster's.
    pub fn decode(key: &Key, bytes: &[u8]) -> Result<Self, MessageError> {
        let Some(split) = bytes.len().checked_sub(TAG) else {
            return Err(MessageError::Short);
        };
        let (bytes, tag) = bytes.split_at(split);
        if !key.verify(&[bytes], tag) {
            return Err(MessageError::Unauthenticated);
        }
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

    fn key() -> Key {
        Key::new(b"a shared secret for tests")
    }

    #[test]
    fn messages_round_trip() {
        let bytes = Message::encode(&key(), Kind::Frame, "a-1", 1_700_000_000_123, &[0, 2, 9]);
        let m = Message::decode(&key(), &bytes).unwrap();
        assert_eq!(m.kind, Kind::Frame);
        assert_eq!(m.from, "a-1");
        assert_eq!(m.sent_at, 1_700_000_000_123);
        assert_eq!(&m.payload[..], &[0, 2, 9]);
        let hello = Message::encode(&key(), Kind::Hello, "b", 5, &[]);
        let hello = Message::decode(&key(), &hello).unwrap();
        assert_eq!((hello.kind, hello.payload.len()), (Kind::Hello, 0));
        let revoke = Message::encode(&key(), Kind::Revoke, "b", 5, b"abc");
        assert_eq!(Message::decode(&key(), &revoke).unwrap().kind, Kind::Revoke);
    }

    /// Signs raw bytes as `encode` does, to build damaged messages with valid tags.
    fn signed(raw: &[u8]) -> Vec<u8> {
        let mut v = raw.to_vec();
        v.extend(key().tag(&[raw]));
        v
    }

    #[test]
    fn damaged_messages_are_errors() {
        let k = key();
        assert_eq!(Message::decode(&k, &[1, 1]), Err(MessageError::Short));
        assert_eq!(
            Message::decode(&k, &signed(&[1, 1])),
            Err(MessageError::Short)
        );
        assert_eq!(
            Message::decode(&k, &signed(&[9, 1, 0])),
            Err(MessageError::Version(9))
        );
        assert_eq!(
            Message::decode(&k, &signed(&[1, 7, 0])),
            Err(MessageError::Kind(7))
        );
        assert_eq!(
            Message::decode(&k, &signed(&[1, 1, 4, b'a'])),
            Err(MessageError::Short)
        );
        let mut bad = Message::encode(&k, Kind::Frame, "ab", 1, b"x").to_vec();
        bad.truncate(bad.len() - TAG);
        bad[3] = 0xff;
        assert_eq!(Message::decode(&k, &signed(&bad)), Err(MessageError::From));
    }

    #[test]
    fn a_message_not_signed_with_the_secret_is_refused() {
        let forged = Message::encode(&Key::new(b"someone else"), Kind::Frame, "a", 1, b"x");
        assert_eq!(
            Message::decode(&key(), &forged),
            Err(MessageError::Unauthenticated)
        );
        // Changing any byte of a genuine message, the sender's id included, breaks its tag.
        let genuine = Message::encode(&key(), Kind::Frame, "a", 1, b"payload").to_vec();
        for i in 0..genuine.len() {
            let mut changed = genuine.clone();
            changed[i] ^= 1;
            assert!(Message::decode(&key(), &changed).is_err(), "byte {i}");
        }
        // A message from before signing (no tag) is refused too.
        let mut unsigned = genuine.clone();
        unsigned.truncate(genuine.len() - TAG);
        assert!(Message::decode(&key(), &unsigned).is_err());
    }
}
