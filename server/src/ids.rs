//! Ids the server's parts share, and fresh random ids for what the server names: boards,
//! invites, snapshots, ledger rows. None of them is a secret (tokens are, and live in
//! [`crate::auth`]); they only need to be unique, and a board id unguessable enough that
//! ids cannot be listed by trying.

/// Identifies one WebSocket connection within this process (never 0).
pub type ConnId = u64;

/// A board id: 128 random bits as 32 hex digits (see `coboard_shared::api::is_board_id`).
pub fn board() -> String {
    random_hex::<16>()
}

/// An invite id: it names an invite in lists and URLs.
pub fn invite() -> String {
    random_hex::<8>()
}

/// A snapshot id, named or automatic.
pub fn snapshot() -> String {
    random_hex::<8>()
}

/// A ledger row id.
pub fn ledger_row() -> String {
    random_hex::<8>()
}

/// An id for something the server writes into a board (a seeded item or section).
pub fn board_entry() -> String {
    random_hex::<8>()
}

/// `N` random bytes as hex digits.
fn random_hex<const N: usize>() -> String {
    hex::encode(rand::random::<[u8; N]>())
}
