//! SSRF guard: refuse destinations on internal networks.
//!
//! A webhook URL is chosen by whoever configures a subscription, so a sender
//! must not let it reach the sender's own network (cloud metadata service,
//! admin ports on loopback, private ranges). The guard classifies every
//! address a host resolves to and refuses the host if any address is not
//! allowed. The HTTP client connects only to the addresses the guard checked
//! (it is the client's DNS resolver), so a second lookup that answers
//! differently (DNS rebinding) cannot bypass the check.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// What kind of network an address belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AddressClass {
    /// Routable on the public internet.
    Public,
    /// 127.0.0.0/8, ::1.
    Loopback,
    /// 10/8, 172.16/12, 192.168/16, fc00::/7.
    Private,
    /// 169.254/16, fe80::/10.
    LinkLocal,
    /// 100.64/10 (carrier-grade NAT, shared address space).
    SharedCgnat,
    /// Cloud metadata services: 169.254.169.254, fd00:ec2::254,
    /// 100.100.100.200, 168.63.129.16. Never allowed.
    Metadata,
    /// 0.0.0.0, ::, broadcast, multicast, documentation and other reserved
    /// ranges. Never allowed.
    Reserved,
}

/// Which internal networks a subscription may reach. The default allows
/// public addresses only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AddressPolicy {
    /// Loopback addresses are allowed (local receivers, tests).
    pub allow_loopback: bool,
    /// Private, link-local and CGNAT addresses are allowed (and loopback).
    pub allow_private_network: bool,
}

impl AddressPolicy {
    /// Public addresses only.
    #[must_use]
    pub fn public_only() -> Self {
        Self::default()
    }

    /// Public and loopback addresses.
    #[must_use]
    pub fn allow_loopback() -> Self {
        Self {
            allow_loopback: true,
            allow_private_network: false,
        }
    }

    /// Checks one address.
    ///
    /// # Errors
    ///
    /// [`BlockedAddress`] when the address's class is not allowed.
    ///
    /// # Examples
    ///
    /// ```
    /// use hookproof_emitter::ssrf::AddressPolicy;
    ///
    /// let policy = AddressPolicy::public_only();
    /// assert!(policy.check("93.184.216.34".parse().unwrap()).is_ok());
    /// assert!(policy.check("169.254.169.254".parse().unwrap()).is_err());
    /// ```
    pub fn check(&self, ip: IpAddr) -> Result<(), BlockedAddress> {
        let class = classify(ip);
        let allowed = match class {
            AddressClass::Public => true,
            AddressClass::Loopback => self.allow_loopback || self.allow_private_network,
            AddressClass::Private | AddressClass::LinkLocal | AddressClass::SharedCgnat => {
                self.allow_private_network
            }
            AddressClass::Metadata | AddressClass::Reserved => false,
        };
        if allowed {
            Ok(())
        } else {
            Err(BlockedAddress { ip, class })
        }
    }
}

/// A destination address refused by the SSRF guard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockedAddress {
    /// The refused address.
    pub ip: IpAddr,
    /// Why it is refused.
    pub class: AddressClass,
}

impl fmt::Display for BlockedAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "destination {} is a {:?} address, which this subscription may not reach",
            self.ip, self.class
        )
    }
}

impl std::error::Error for BlockedAddress {}

/// Classifies an address. IPv4 addresses embedded in IPv6 (mapped
/// `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`) are classified as the IPv4 address.
#[must_use]
pub fn classify(ip: IpAddr) -> AddressClass {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> AddressClass {
    let [a, b, c, d] = ip.octets();
    if matches!(
        (a, b, c, d),
        (169, 254, 169, 254) | (100, 100, 100, 200) | (168, 63, 129, 16)
    ) {
        AddressClass::Metadata
    } else if ip.is_loopback() {
        AddressClass::Loopback
    } else if ip.is_private() {
        AddressClass::Private
    } else if ip.is_link_local() {
        AddressClass::LinkLocal
    } else if a == 100 && (64..128).contains(&b) {
        AddressClass::SharedCgnat
    } else if a == 0
        || a >= 224
        || ip.is_documentation()
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b & 0xfe) == 18)
    {
        // 0/8, multicast, 240/4 + broadcast, documentation, IETF protocol
        // assignments, benchmarking.
        AddressClass::Reserved
    } else {
        AddressClass::Public
    }
}

fn classify_v6(ip: Ipv6Addr) -> AddressClass {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return classify_v4(v4);
    }
    let seg = ip.segments();
    if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let [a, b, c, d] = ip.octets()[12..] else {
            return AddressClass::Reserved;
        };
        return classify_v4(Ipv4Addr::new(a, b, c, d));
    }
    if ip == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254) {
        AddressClass::Metadata
    } else if ip.is_loopback() {
        AddressClass::Loopback
    } else if ip.is_unique_local() {
        AddressClass::Private
    } else if ip.is_unicast_link_local() {
        AddressClass::LinkLocal
    } else if ip.is_unspecified() || ip.is_multicast() || seg[0] == 0x2001 && seg[1] == 0xdb8 {
        AddressClass::Reserved
    } else if seg[0] & 0xe000 == 0x2000 {
        AddressClass::Public
    } else {
        // Outside global unicast 2000::/3: IPv4-compatible, discard, etc.
        AddressClass::Reserved
    }
}

/// The HTTP client's DNS resolver: resolves with the system resolver, then
/// refuses the name if any address is not allowed by the policy. The client
/// connects only to the addresses returned here.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GuardedResolver {
    policy: AddressPolicy,
}

impl GuardedResolver {
    pub(crate) fn new(policy: AddressPolicy) -> Self {
        Self { policy }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            for addr in &addrs {
                policy.check(addr.ip())?;
            }
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// Finds a [`BlockedAddress`] in an error's source chain.
pub(crate) fn find_blocked(err: &(dyn std::error::Error + 'static)) -> Option<BlockedAddress> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(blocked) = e.downcast_ref::<BlockedAddress>() {
            return Some(*blocked);
        }
        current = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(s: &str) -> AddressClass {
        classify(s.parse().unwrap())
    }

    #[test]
    fn classifies_v4() {
        assert_eq!(class("8.8.8.8"), AddressClass::Public);
        assert_eq!(class("127.0.0.1"), AddressClass::Loopback);
        assert_eq!(class("127.255.0.9"), AddressClass::Loopback);
        assert_eq!(class("10.1.2.3"), AddressClass::Private);
        assert_eq!(class("172.16.0.1"), AddressClass::Private);
        assert_eq!(class("172.32.0.1"), AddressClass::Public);
        assert_eq!(class("192.168.1.1"), AddressClass::Private);
        assert_eq!(class("169.254.1.1"), AddressClass::LinkLocal);
        assert_eq!(class("169.254.169.254"), AddressClass::Metadata);
        assert_eq!(class("100.64.0.1"), AddressClass::SharedCgnat);
        assert_eq!(class("100.127.255.255"), AddressClass::SharedCgnat);
        assert_eq!(class("100.128.0.1"), AddressClass::Public);
        assert_eq!(class("100.100.100.200"), AddressClass::Metadata);
        assert_eq!(class("0.0.0.0"), AddressClass::Reserved);
        assert_eq!(class("255.255.255.255"), AddressClass::Reserved);
        assert_eq!(class("224.0.0.1"), AddressClass::Reserved);
        assert_eq!(class("192.0.2.1"), AddressClass::Reserved);
    }

    #[test]
    fn classifies_v6() {
        assert_eq!(class("2606:4700::1111"), AddressClass::Public);
        assert_eq!(class("::1"), AddressClass::Loopback);
        assert_eq!(class("::"), AddressClass::Reserved);
        assert_eq!(class("fd12::1"), AddressClass::Private);
        assert_eq!(class("fe80::1"), AddressClass::LinkLocal);
        assert_eq!(class("fd00:ec2::254"), AddressClass::Metadata);
        assert_eq!(class("ff02::1"), AddressClass::Reserved);
        assert_eq!(class("2001:db8::1"), AddressClass::Reserved);
        // IPv4 hidden inside IPv6 is unwrapped.
        assert_eq!(class("::ffff:169.254.169.254"), AddressClass::Metadata);
        assert_eq!(class("::ffff:127.0.0.1"), AddressClass::Loopback);
        assert_eq!(class("64:ff9b::10.0.0.1"), AddressClass::Private);
        assert_eq!(class("64:ff9b::8.8.8.8"), AddressClass::Public);
    }

    #[test]
    fn policy_decisions() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let public = AddressPolicy::public_only();
        assert!(public.check(ip("127.0.0.1")).is_err());
        assert!(public.check(ip("10.0.0.1")).is_err());
        let lo = AddressPolicy::allow_loopback();
        assert!(lo.check(ip("127.0.0.1")).is_ok());
        assert!(lo.check(ip("::1")).is_ok());
        assert!(lo.check(ip("10.0.0.1")).is_err());
        let private = AddressPolicy {
            allow_loopback: false,
            allow_private_network: true,
        };
        assert!(private.check(ip("10.0.0.1")).is_ok());
        assert!(private.check(ip("127.0.0.1")).is_ok());
        // Metadata and unspecified stay refused whatever is allowed.
        for bad in ["169.254.169.254", "fd00:ec2::254", "0.0.0.0", "::"] {
            let err = private.check(ip(bad)).unwrap_err();
            assert!(err.to_string().contains(bad), "{err}");
        }
    }

    #[tokio::test]
    async fn resolver_refuses_names_resolving_to_loopback() {
        let name: Name = "localhost".parse().unwrap();
        let err = GuardedResolver::new(AddressPolicy::public_only())
            .resolve(name)
            .await
            .err()
            .expect("localhost must be refused");
        let blocked = find_blocked(err.as_ref()).expect("a BlockedAddress");
        assert_eq!(blocked.class, AddressClass::Loopback);

        let name: Name = "localhost".parse().unwrap();
        let addrs: Vec<_> = GuardedResolver::new(AddressPolicy::allow_loopback())
            .resolve(name)
            .await
            .unwrap()
            .collect();
        assert!(!addrs.is_empty());
        assert!(addrs.iter().all(|a| a.ip().is_loopback()));
    }
}
