//! The address a request comes from, for the per-address limits.
//!
//! Behind a reverse proxy every request arrives from the proxy, so per-address limits
//! would count a whole organisation as one person. When the peer is one of the
//! `--trusted-proxies`, the client's address is read from the headers the proxy sets
//! (`X-Forwarded-For`, else `Forwarded`): the right-most address that is not itself a
//! trusted proxy, since everything to its left was written by the client and can be
//! anything. From any other peer those headers are ignored.

use std::net::IpAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

use super::{AppState, PeerAddr};
use crate::error::AppError;

/// The client's address, as [`client_ip`] decides it.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let ConnectInfo(PeerAddr(peer)) = parts
            .extensions
            .get::<ConnectInfo<PeerAddr>>()
            .copied()
            .ok_or_else(|| AppError::Internal("no peer address".into()))?;
        Ok(ClientIp(client_ip(
            peer.ip(),
            &parts.headers,
            &state.trusted_proxies,
        )))
    }
}

/// The client's address: `peer`, or when `peer` is a trusted proxy, the nearest untrusted
/// address in the forwarding headers.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let forwarded_for: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let chain = if forwarded_for.is_empty() {
        headers
            .get_all("forwarded")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split([',', ';']))
            .filter_map(forwarded_for_param)
            .collect()
    } else {
        forwarded_for
    };
    chain
        .into_iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .unwrap_or(peer)
}

/// The address of one `for=` parameter of a `Forwarded` header (RFC 7239): `for=1.2.3.4`,
/// `for="1.2.3.4:80"`, `for="[2001:db8::1]:443"`.
fn forwarded_for_param(param: &str) -> Option<IpAddr> {
    let (name, value) = param.trim().split_once('=')?;
    if !name.trim().eq_ignore_ascii_case("for") {
        return None;
    }
    let value = value.trim().trim_matches('"');
    if let Some(rest) = value.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    value
        .parse()
        .ok()
        .or_else(|| value.rsplit_once(':')?.0.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn forwarding_headers_count_only_from_trusted_proxies() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let proxy: IpAddr = "10.1.2.3".parse().unwrap();
        let stranger: IpAddr = "192.0.2.9".parse().unwrap();
        let xff = headers(&[("x-forwarded-for", "203.0.113.5, 198.51.100.7")]);

        assert_eq!(client_ip(stranger, &xff, &trusted), stranger, "ignored");
        assert_eq!(client_ip(proxy, &xff, &[]), proxy, "no proxies trusted");
        // The right-most address the proxy added, not what the client wrote before it.
        assert_eq!(
            client_ip(proxy, &xff, &trusted),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        // A chain of trusted proxies is walked through.
        let chain = headers(&[("x-forwarded-for", "203.0.113.5, 10.9.9.9")]);
        assert_eq!(
            client_ip(proxy, &chain, &trusted),
            "203.0.113.5".parse::<IpAddr>().unwrap()
        );
        // Nothing usable: the proxy itself.
        let junk = headers(&[("x-forwarded-for", "not an address")]);
        assert_eq!(client_ip(proxy, &junk, &trusted), proxy);
    }

    #[test]
    fn the_forwarded_header_is_read_too() {
        let trusted: Vec<IpNet> = vec!["127.0.0.1/32".parse().unwrap()];
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        let h = headers(&[(
            "forwarded",
            "for=192.0.2.60;proto=https, for=\"[2001:db8:cafe::17]:4711\"",
        )]);
        assert_eq!(
            client_ip(proxy, &h, &trusted),
            "2001:db8:cafe::17".parse::<IpAddr>().unwrap()
        );
        let h = headers(&[("forwarded", "for=\"192.0.2.43:80\"")]);
        assert_eq!(
            client_ip(proxy, &h, &trusted),
            "192.0.2.43".parse::<IpAddr>().unwrap()
        );
    }
}
