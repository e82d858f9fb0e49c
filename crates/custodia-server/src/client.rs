//! Who is on the other end: the client's address and scheme, taken from the TCP
//! peer, or from the forwarding headers when (and only when) the peer is a trusted
//! proxy. Every limiter, the consent proof's network and the audit use this address.

use crate::ApiError;
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// A list of networks: the proxies whose forwarding headers are believed
/// (`trusted_proxies`), the clients that may read `/metrics` (`metrics_allow`).
#[derive(Debug, Clone, Default)]
pub struct Networks(Vec<IpNet>);

/// The proxies whose forwarding headers are believed.
pub type TrustedProxies = Networks;

impl Networks {
    /// Parses CIDRs (`10.0.0.0/8`, `::1/128`) or single addresses; the error names
    /// the entry at fault.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<TrustedProxies, String> {
        entries
            .iter()
            .map(|entry| {
                let entry = entry.as_ref().trim();
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map(|net| net.trunc())
                    .map_err(|_| {
                        format!("`{entry}` is not a CIDR such as 10.0.0.0/8 or an IP address")
                    })
            })
            .collect::<Result<_, _>>()
            .map(Networks)
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The client of a request, as the handlers see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr {
    pub ip: IpAddr,
    /// The client reached a trusted proxy over HTTPS (`X-Forwarded-Proto` or
    /// `Forwarded: proto=`); cookies are then marked `Secure`.
    pub https: bool,
}

impl ClientAddr {
    /// Resolves the client of a request that came from `peer`.
    pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> ClientAddr {
        let peer = peer.to_canonical();
        if !trusted.contains(peer) {
            return ClientAddr {
                ip: peer,
                https: false,
            };
        }
        // X-Forwarded-For first: it is what nginx, HAProxy, Caddy and Traefik write.
        // A proxy that writes only `Forwarded` must drop clients' X-Forwarded-For.
        let xff = hops(headers, "x-forwarded-for");
        let forwarded: Vec<String> = header_values(headers, "forwarded")
            .flat_map(|v| v.split(','))
            .map(str::to_owned)
            .collect();
        let list = if xff.is_empty() {
            forwarded.iter().filter_map(|e| param(e, "for")).collect()
        } else {
            xff
        };
        // The nearest proxy's word on the scheme.
        let proto = header_values(headers, "x-forwarded-proto")
            .flat_map(|v| v.split(','))
            .last()
            .map(|p| p.trim().to_owned())
            .or_else(|| forwarded.last().and_then(|e| param(e, "proto")));
        ClientAddr {
            ip: rightmost_untrusted(peer, &list, trusted),
            https: proto.is_some_and(|p| p.eq_ignore_ascii_case("https")),
        }
    }
}

fn header_values<'h>(headers: &'h HeaderMap, name: &str) -> impl Iterator<Item = &'h str> {
    headers.get_all(name).iter().filter_map(|v| v.to_str().ok())
}

fn hops(headers: &HeaderMap, name: &str) -> Vec<String> {
    header_values(headers, name)
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().to_owned())
        .collect()
}

/// The value of `key=` in one `Forwarded` element, unquoted.
fn param(element: &str, key: &str) -> Option<String> {
    element.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(key)
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]`,
/// `[2001:db8::1]:4711` or `2001:db8::1`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Ok(sa) = hop.parse::<SocketAddr>() {
        return Some(sa.ip().to_canonical());
    }
    hop.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .and_then(|h| h.parse::<IpAddr>().ok())
        .map(|ip| ip.to_canonical())
}

/// Walks the hops from the nearest one: the first that is not a trusted proxy is
/// the client. A hop that is not an address (`unknown`, garbage) ends the walk at
/// the last proxy that could be believed.
fn rightmost_untrusted(peer: IpAddr, hops: &[String], trusted: &TrustedProxies) -> IpAddr {
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            return client;
        };
        client = ip;
        if !trusted.contains(ip) {
            return ip;
        }
    }
    client
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<ClientAddr>()
            .copied()
            .ok_or_else(|| {
                ApiError::Internal("no client address: not served by custodia_server::serve".into())
            })
    }
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

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarding_headers_count_only_from_a_trusted_peer() {
        let trusted = TrustedProxies::parse(&["10.0.0.0/8", "::1"]).unwrap();
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.7, 10.1.1.1"),
            ("x-forwarded-proto", "https"),
        ]);
        let from_proxy = ClientAddr::resolve(ip("10.0.0.2"), &h, &trusted);
        assert_eq!(from_proxy.ip, ip("198.51.100.7"));
        assert!(from_proxy.https);
        let direct = ClientAddr::resolve(ip("203.0.113.9"), &h, &trusted);
        assert_eq!(direct.ip, ip("203.0.113.9"));
        assert!(!direct.https);
    }

    #[test]
    fn the_rightmost_untrusted_hop_wins_over_a_spoofed_leftmost() {
        let trusted = TrustedProxies::parse(&["10.0.0.0/8"]).unwrap();
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "198.51.100.7"),
        ]);
        let c = ClientAddr::resolve(ip("10.0.0.2"), &h, &trusted);
        assert_eq!(c.ip, ip("198.51.100.7"));
        let garbage = headers(&[("x-forwarded-for", "198.51.100.7, unknown")]);
        let c = ClientAddr::resolve(ip("10.0.0.2"), &garbage, &trusted);
        assert_eq!(c.ip, ip("10.0.0.2"));
    }

    #[test]
    fn forwarded_is_read_when_x_forwarded_for_is_absent() {
        let trusted = TrustedProxies::parse(&["127.0.0.1/32"]).unwrap();
        let h = headers(&[(
            "forwarded",
            "for=192.0.2.60;proto=http, for=\"[2001:db8:cafe::17]:4711\";proto=https",
        )]);
        let c = ClientAddr::resolve(ip("127.0.0.1"), &h, &trusted);
        assert_eq!(c.ip, ip("2001:db8:cafe::17"));
        assert!(c.https);
    }

    #[test]
    fn bad_cidrs_are_named() {
        let e = TrustedProxies::parse(&["10.0.0.0/8", "10.0.0.0/33"]).unwrap_err();
        assert!(e.contains("`10.0.0.0/33`"), "{e}");
    }
}
