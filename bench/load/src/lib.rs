//! Load generator for Coboard and the reference y-websocket server.
//!
//! - [`scenario`]: one load point (N clients over R boards at U updates/s), measured.
//! - [`client`]: one simulated person speaking the y-websocket protocol.
//! - [`record`]: send and arrival times, matched through the updates' own ids.
//! - [`procstat`]: CPU and memory of the server and of the generator, from `/proc`.
//! - [`target`]: Coboard (boards and tokens made through its API) or the reference server.
//! - [`sync`]: Coboard alone: how long a newcomer takes to sync boards of many items, and
//!   what newcomers who stay cost the server's memory (`coboard-load held`).
//! - [`suite`]: the whole side-by-side benchmark, servers started and pinned by it.

pub mod client;
pub mod procstat;
pub mod record;
pub mod scenario;
pub mod suite;
pub mod sync;
pub mod target;

/// WebSocket settings for the generator's clients: the library's default read buffer is
/// 128 KiB, zero-filled before every read, which would make the generator spend most of
/// its time in `memset` (as the server did before it set its own).
pub fn ws_config() -> tokio_tungstenite::tungstenite::protocol::WebSocketConfig {
    tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        // A 100,000-item board's full state is about 50 MB.
        .max_message_size(Some(512 << 20))
        .max_frame_size(Some(512 << 20))
}
