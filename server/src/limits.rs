//! Limits that keep one careless or hostile client from hurting anyone else: request and
//! connection rates per IP address, message rates per connection, sizes, and the time a
//! new connection has to present its request (and so its token).

use std::io;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Sleep;

/// Every limit, with the defaults documented in `docs/security.md`.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest WebSocket message, in bytes.
    pub max_message_bytes: usize,
    /// Largest awareness (presence) state of one client, in bytes of JSON.
    pub max_awareness_bytes: usize,
    /// Sustained messages per second per connection; faster senders are slowed down.
    pub messages_per_sec: u32,
    /// Messages a connection may send in a burst above the sustained rate.
    pub message_burst: u32,
    /// Most y-websocket messages in one frame.
    pub max_messages_per_frame: usize,
    /// Sync step 1 and query-awareness messages per second per connection.
    pub replies_per_sec: u32,
    /// Bytes per second sent to one connection in answer to its own requests.
    pub reply_bytes_per_sec: u32,
    /// Bytes of answers a connection may have before the rate applies (a whole board).
    pub reply_bytes_burst: usize,
    /// New WebSocket connections per minute from one IP address.
    pub connections_per_minute_per_ip: u32,
    /// Boards created per hour from one IP address.
    pub boards_per_hour_per_ip: u32,
    /// Largest HTTP request body, in bytes.
    pub max_body_bytes: usize,
    /// Time a connection has to send each whole request: from accepting it, then from
    /// each response (which makes it the keep-alive idle time too).
    pub auth_timeout: Duration,
    /// Longest wait for a client to take one write before it is considered gone.
    pub send_timeout: Duration,
    /// How often a live connection's invite is checked again (revoked, expired).
    pub recheck_every: Duration,
    /// Most WebSocket connections on this server.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_message_bytes: 1024 * 1024,
            max_awareness_bytes: 4096,
            messages_per_sec: 100,
            message_burst: 500,
            max_messages_per_frame: 100,
            replies_per_sec: 2,
            reply_bytes_per_sec: 4 * 1024 * 1024,
            reply_bytes_burst: 32 * 1024 * 1024,
            connections_per_minute_per_ip: 120,
            boards_per_hour_per_ip: 60,
            max_body_bytes: 64 * 1024,
            auth_timeout: Duration::from_secs(10),
            send_timeout: Duration::from_secs(30),
            recheck_every: Duration::from_secs(30),
            max_connections: 10_000,
        }
    }
}

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).expect("at least 1")
}

/// A rate limit per IP address (token bucket).
pub struct PerIp(DefaultKeyedRateLimiter<IpAddr>);

impl PerIp {
    pub fn per_minute(n: u32) -> Self {
        Self(RateLimiter::keyed(Quota::per_minute(nz(n))))
    }

    pub fn per_hour(n: u32) -> Self {
        Self(RateLimiter::keyed(Quota::per_hour(nz(n))))
    }

    /// Takes one token for `ip`; false when its bucket is empty. IPv6 addresses share
    /// the bucket of their /64 (one household or host gets a whole /64, and can pick any
    /// address in it).
    pub fn allow(&self, ip: IpAddr) -> bool {
        let ok = self.0.check_key(&bucket(ip)).is_ok();
        // Forget addresses whose buckets are full again, so memory stays bounded.
        if self.0.len() > 10_000 {
            self.0.retain_recent();
        }
        ok
    }
}

/// The key of `ip`'s bucket: IPv4 as it is (also when mapped into IPv6), IPv6 by its /64.
pub fn bucket(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
        },
    }
}

/// The message rate of one connection.
pub fn message_limiter(limits: &Limits) -> DefaultDirectRateLimiter {
    RateLimiter::direct(
        Quota::per_second(nz(limits.messages_per_sec)).allow_burst(nz(limits.message_burst)),
    )
}

/// How often one connection may ask for answers (sync step 1, query awareness): a burst
/// of a few (a reconnecting client sends one or two), then `replies_per_sec`.
pub fn reply_limiter(limits: &Limits) -> DefaultDirectRateLimiter {
    RateLimiter::direct(Quota::per_second(nz(limits.replies_per_sec)).allow_burst(nz(8)))
}

/// Bytes sent back to one connection in answer to its requests, in cells of
/// [`REPLY_CELL`] bytes: a first allowance of a whole board, then `reply_bytes_per_sec`.
pub fn reply_bytes_limiter(limits: &Limits) -> DefaultDirectRateLimiter {
    let per_sec = (limits.reply_bytes_per_sec as usize / REPLY_CELL) as u32;
    let burst = (limits.reply_bytes_burst / REPLY_CELL).min(u32::MAX as usize) as u32;
    RateLimiter::direct(Quota::per_second(nz(per_sec)).allow_burst(nz(burst)))
}

/// The unit [`reply_bytes_limiter`] counts in.
pub const REPLY_CELL: usize = 1024;

/// Cells of [`REPLY_CELL`] that `bytes` take, at least one and at most `limiter`'s burst.
pub fn reply_cells(bytes: usize, limits: &Limits) -> NonZeroU32 {
    let burst = (limits.reply_bytes_burst / REPLY_CELL).clamp(1, u32::MAX as usize);
    nz(bytes.div_ceil(REPLY_CELL).min(burst) as u32)
}

/// A socket that must deliver each HTTP request before a deadline.
///
/// The deadline runs from accepting the connection, and again from the server's last
/// write of each response: a client must send its whole next request (headers and body)
/// within `timeout`, or its reads fail. So a client cannot hold a connection by trickling
/// its first request (never presenting a token), nor by trickling the next request of a
/// keep-alive connection, nor by keeping one idle. A WebSocket upgrade (a `101` response)
/// ends the deadline for good: from then on the WebSocket's own pings decide.
pub struct RequestDeadline<S> {
    inner: S,
    timeout: Duration,
    /// `None` once the connection was upgraded.
    deadline: Option<Pin<Box<Sleep>>>,
}

impl<S> RequestDeadline<S> {
    pub fn new(inner: S, timeout: Duration) -> Self {
        Self {
            inner,
            timeout,
            deadline: Some(Box::pin(tokio::time::sleep(timeout))),
        }
    }

    /// A write is under way: an upgrade ends the deadline, anything else restarts it.
    fn wrote(&mut self, first: &[u8]) {
        if first.starts_with(b"HTTP/1.1 101") {
            self.deadline = None;
        } else if let Some(deadline) = self.deadline.as_mut() {
            deadline
                .as_mut()
                .reset(tokio::time::Instant::now() + self.timeout);
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for RequestDeadline<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if let Some(deadline) = self.deadline.as_mut()
            && deadline.as_mut().poll(cx).is_ready()
        {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "no complete request in time",
            )));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for RequestDeadline<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.wrote(buf);
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let first = bufs
            .iter()
            .find(|b| !b.is_empty())
            .map_or(&[][..], |b| &b[..]);
        self.wrote(first);
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[test]
    fn per_ip_buckets_are_separate() {
        let limit = PerIp::per_minute(2);
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        assert!(limit.allow(a));
        assert!(limit.allow(a));
        assert!(!limit.allow(a), "third in a minute is refused");
        assert!(limit.allow(b), "another address is unaffected");
    }

    #[test]
    fn ipv6_addresses_share_their_64s_bucket() {
        let limit = PerIp::per_minute(1);
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let same_64: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let other_64: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert!(limit.allow(a));
        assert!(!limit.allow(same_64), "another address of the same /64");
        assert!(limit.allow(other_64));
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert_eq!(bucket(mapped), "192.0.2.1".parse::<IpAddr>().unwrap());
    }

    #[tokio::test]
    async fn every_request_has_a_deadline_until_an_upgrade() {
        let (client, server) = tokio::io::duplex(64);
        let mut guarded = RequestDeadline::new(server, Duration::from_millis(50));
        let mut buf = [0u8; 8];
        let err = guarded.read(&mut buf).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        drop(client);

        // A keep-alive connection: the deadline starts again after each response.
        let (mut client, server) = tokio::io::duplex(64);
        let mut guarded = RequestDeadline::new(server, Duration::from_millis(50));
        client.write_all(b"GET /").await.unwrap();
        assert_eq!(guarded.read(&mut buf).await.unwrap(), 5);
        guarded.write_all(b"HTTP/1.1 200").await.unwrap();
        tokio::time::sleep(Duration::from_millis(30)).await;
        client.write_all(b"GET ").await.unwrap();
        assert_eq!(
            guarded.read(&mut buf).await.unwrap(),
            4,
            "within the new deadline"
        );
        tokio::time::sleep(Duration::from_millis(40)).await;
        let err = guarded.read(&mut buf).await.unwrap_err();
        assert_eq!(
            err.kind(),
            io::ErrorKind::TimedOut,
            "the rest came too late"
        );

        // After an upgrade there is no deadline.
        let (mut client, server) = tokio::io::duplex(64);
        let mut guarded = RequestDeadline::new(server, Duration::from_millis(50));
        client.write_all(b"GET /").await.unwrap();
        assert_eq!(guarded.read(&mut buf).await.unwrap(), 5);
        guarded.write_all(b"HTTP/1.1 101").await.unwrap();
        tokio::time::sleep(Duration::from_millis(80)).await;
        client.write_all(b"later").await.unwrap();
        assert_eq!(
            guarded.read(&mut buf).await.unwrap(),
            5,
            "no deadline once upgraded"
        );
    }
}
