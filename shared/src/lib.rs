//! Shared by the Coboard server and web client: the board schema (how a board is laid out
//! in its yrs document), the y-websocket wire format, and the JSON API types.
//! Builds for native targets and for `wasm32-unknown-unknown`.

pub mod api;
pub mod export;
pub mod history;
pub mod impact;
pub mod ledger;
pub mod protocol;
pub mod rules;
pub mod schema;
pub mod standards;
pub mod templates;

/// WebSocket close codes the server uses. 44xx codes mean "do not retry" to y-websocket
/// clients; other codes make them reconnect and resync.
pub mod close {
    /// A frame or update could not be decoded or applied.
    pub const MALFORMED: u16 = 4400;
    /// No token, or a token this server does not know.
    pub const UNAUTHORIZED: u16 = 4401;
    /// A revoked or expired token, or one for another board.
    pub const FORBIDDEN: u16 = 4403;
    /// No board with that id.
    pub const NOT_FOUND: u16 = 4404;
    /// The board's store could not be read (corrupt data); an operator must look.
    pub const BOARD_UNAVAILABLE: u16 = 4500;
    /// The board has reached its size limit; the edit was refused.
    pub const BOARD_FULL: u16 = 4413;
    /// The board has as many connections as it allows; try again later.
    pub const TOO_MANY_PEOPLE: u16 = 4503;
    /// A presence (awareness) state over the size limit, or too many of them.
    pub const AWARENESS_TOO_BIG: u16 = 4414;
    /// A frame holding more y-websocket messages than the server takes in one frame.
    pub const TOO_MANY_MESSAGES: u16 = 4429;
    /// An update built on changes the board has not seen; reconnecting resyncs them.
    pub const RESYNC: u16 = 4009;
    /// A change broke one of the board's rules ([`crate::rules`]) and was refused; the
    /// reason says which. Preceded by a y-protocols auth message with the same reason. A
    /// client should drop its copy of the board and load it afresh, without the change.
    pub const REFUSED: u16 = 4003;
    /// Refused changes came too often from this address; wait before joining again.
    pub const TOO_MANY_REFUSED: u16 = 4430;
    /// The client fell behind the board's stream; reconnecting resyncs it.
    pub const TOO_SLOW: u16 = 4008;
    /// Standard "normal closure": the client closed.
    pub const NORMAL: u16 = 1000;
    /// Standard "going away": the server is shutting down, or the client stopped answering.
    pub const GOING_AWAY: u16 = 1001;
    /// Standard "protocol error": the WebSocket framing itself was broken.
    pub const PROTOCOL_ERROR: u16 = 1002;
    /// Standard "abnormal closure": the connection dropped without a close frame. Never
    /// sent (the standard forbids it); the server uses it for connections it drops.
    pub const ABNORMAL: u16 = 1006;
    /// Standard "internal error": the board stopped or could not be opened; reconnect.
    pub const SERVER_ERROR: u16 = 1011;
    /// Standard "message too big".
    pub const TOO_BIG: u16 = 1009;
    /// Standard "unsupported data": a text frame where binary is expected.
    pub const UNSUPPORTED: u16 = 1003;
}
