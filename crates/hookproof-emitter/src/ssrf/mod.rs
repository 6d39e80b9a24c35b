//! SSRF guard: refuse destinations on internal networks.
//!
//! A webhook URL is chosen by whoever configures a subscription, so a sender
//! must not let it reach the sender's own network (cloud metadata service,
//! admin ports on loopback, private ranges). The guard classifies every
//! address a host resolves to and refuses the host if any address is not
//! allowed. The HTTP client connects only to the addresses the guard checked
//! (it is the client's DNS resolver), so a second lookup that answers
//! differently (DNS rebinding) cannot bypass the check. IP literals in a URL
//! are never looked up; [`EmitterConfig::validate`] checks them instead.
//!
//! | class ([`AddressClass`]) | addresses | reachable with |
//! |---|---|---|
//! | `Public` | everything below not listed | always |
//! | `Loopback` | 127/8, `::1` | `allow_loopback` or `allow_private_network` |
//! | `Private` | 10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10 | `allow_private_network` |
//! | `LinkLocal` | 169.254/16, fe80::/10 | `allow_private_network` |
//! | `SharedCgnat` | 100.64/10 | `allow_private_network` |
//! | `Metadata` | 169.254.169.254, 169.254.170.2, 169.254.170.23, 100.100.100.200, 168.63.129.16, fd00:ec2::254, fd00:ec2::23 | never |
//! | `Reserved` | 0/8, 192.0.0/24, documentation (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20), 192.88.99/24, 198.18/15, multicast, 240/4, broadcast, `::`, 2001::/23, anything outside 2000::/3 | never |
//!
//! An IPv6 address that carries an IPv4 address is classified as that IPv4
//! address, so wrapping 10.0.0.1 or the metadata service in IPv6 does not
//! get past the guard: IPv4-mapped `::ffff:a.b.c.d`, IPv4-translated
//! `::ffff:0:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`
//! and `64:ff9b:1::/96` (other layouts of the local-use `64:ff9b:1::/48`
//! are `Private`), 6to4 `2002::/16` (IPv4 in bits 16..48) and Teredo
//! `2001::/32` (the stricter of the server IPv4 in bits 32..64 and the
//! client IPv4, the last 32 bits inverted).
//!
//! [`EmitterConfig::validate`]: crate::EmitterConfig::validate

mod classify;
mod policy;
mod resolver;

pub use classify::{AddressClass, classify};
pub(crate) use policy::DESTINATION_BLOCKED;
pub use policy::{AddressPolicy, BlockedAddress};
pub(crate) use resolver::{GuardedResolver, find_blocked};
