//! Address classification: which network an IP address belongs to, looking
//! through every IPv6 form that carries an IPv4 address.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What kind of network an address belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AddressClass {
    /// Routable on the public internet.
    Public,
    /// 127.0.0.0/8, ::1.
    Loopback,
    /// 10/8, 172.16/12, 192.168/16, fc00::/7 (unique local), fec0::/10
    /// (deprecated site-local), and NAT64 local-use prefixes whose IPv4
    /// position cannot be known (`64:ff9b:1::/48` outside its `/96` layout).
    Private,
    /// 169.254/16, fe80::/10.
    LinkLocal,
    /// 100.64/10 (carrier-grade NAT, shared address space).
    SharedCgnat,
    /// Cloud metadata and credential services: 169.254.169.254,
    /// fd00:ec2::254, 169.254.170.2 and 169.254.170.23 (AWS ECS / EKS
    /// credentials), fd00:ec2::23, 100.100.100.200, 168.63.129.16. Never
    /// allowed.
    Metadata,
    /// `0.0.0.0/8`, `::`, broadcast, multicast, documentation, benchmarking,
    /// IETF protocol assignments and other reserved ranges. Never allowed.
    Reserved,
}

impl AddressClass {
    /// How much a policy must allow to reach this class; the higher, the
    /// stricter. Used to pick the stricter of two embedded addresses.
    fn strictness(self) -> u8 {
        match self {
            Self::Public => 0,
            Self::Loopback => 1,
            Self::Private | Self::LinkLocal | Self::SharedCgnat => 2,
            Self::Reserved => 3,
            Self::Metadata => 4,
        }
    }

    fn stricter(self, other: Self) -> Self {
        if other.strictness() > self.strictness() {
            other
        } else {
            self
        }
    }
}

/// Cloud metadata and credential endpoints (IPv4).
const METADATA_V4: [Ipv4Addr; 5] = [
    Ipv4Addr::new(169, 254, 169, 254), // AWS, GCP, Azure, OCI, DigitalOcean IMDS
    Ipv4Addr::new(169, 254, 170, 2),   // AWS ECS task credentials
    Ipv4Addr::new(169, 254, 170, 23),  // AWS EKS Pod Identity
    Ipv4Addr::new(100, 100, 100, 200), // Alibaba Cloud
    Ipv4Addr::new(168, 63, 129, 16),   // Azure WireServer
];

/// Cloud metadata and credential endpoints (IPv6).
const METADATA_V6: [Ipv6Addr; 2] = [
    Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254), // AWS IMDS
    Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23),  // AWS EKS Pod Identity
];

/// Classifies an address.
///
/// IPv6 addresses that carry an IPv4 address are classified by that IPv4
/// address: IPv4-mapped (`::ffff:a.b.c.d`), IPv4-translated
/// (`::ffff:0:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64
/// (`64:ff9b::/96`, and `64:ff9b:1::/48` in its `/96` layout), 6to4
/// (`2002:AABB:CCDD::/48`) and Teredo (`2001:0:S:S::/32`, by the stricter of
/// the server address and the de-obfuscated client address).
///
/// # Examples
///
/// ```
/// use hookproof_emitter::ssrf::{AddressClass, classify};
///
/// assert_eq!(classify("8.8.8.8".parse().unwrap()), AddressClass::Public);
/// // 6to4 around 10.0.0.1 is as private as 10.0.0.1.
/// assert_eq!(classify("2002:a00:1::1".parse().unwrap()), AddressClass::Private);
/// // NAT64 around the metadata service is the metadata service.
/// assert_eq!(classify("64:ff9b::a9fe:a9fe".parse().unwrap()), AddressClass::Metadata);
/// ```
#[must_use]
pub fn classify(ip: IpAddr) -> AddressClass {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> AddressClass {
    let [a, b, c, _] = ip.octets();
    if METADATA_V4.contains(&ip) {
        AddressClass::Metadata
    } else if ip.is_loopback() {
        AddressClass::Loopback
    } else if ip.is_private() {
        AddressClass::Private
    } else if ip.is_link_local() {
        AddressClass::LinkLocal
    } else if a == 100 && (64..128).contains(&b) {
        AddressClass::SharedCgnat
    } else if a == 0 // "this network"
        || a >= 224 // multicast, 240/4, broadcast
        || (a, b, c) == (192, 0, 0) // IETF protocol assignments
        || (a, b, c) == (192, 88, 99) // deprecated 6to4 relay anycast
        || (a == 198 && (b & 0xfe) == 18) // benchmarking 198.18/15
        // TEST-NET-1, -2, -3
        || ip.is_documentation()
    {
        AddressClass::Reserved
    } else {
        AddressClass::Public
    }
}

fn classify_v6(ip: Ipv6Addr) -> AddressClass {
    if let Some(class) = embedded_v4(ip) {
        return class;
    }
    let seg = ip.segments();
    if METADATA_V6.contains(&ip) {
        AddressClass::Metadata
    } else if ip.is_loopback() {
        AddressClass::Loopback
    } else if ip.is_unspecified() {
        AddressClass::Reserved
    } else if ip.is_unique_local() || seg[0] & 0xffc0 == 0xfec0 {
        // Unique local fc00::/7; deprecated site-local fec0::/10.
        AddressClass::Private
    } else if ip.is_unicast_link_local() {
        AddressClass::LinkLocal
    } else if ip.is_multicast()
        || (seg[0], seg[1]) == (0x2001, 0xdb8) // documentation 2001:db8::/32
        || (seg[0] == 0x3fff && seg[1] & 0xf000 == 0) // documentation 3fff::/20
        // IETF protocol assignments 2001::/23: benchmarking, ORCHID, AMT, …
        || (seg[0] == 0x2001 && seg[1] < 0x200)
    {
        AddressClass::Reserved
    } else if seg[0] & 0xe000 == 0x2000 {
        AddressClass::Public
    } else {
        // Outside global unicast 2000::/3: discard-only 100::/64, SRv6
        // 5f00::/16, unassigned space.
        AddressClass::Reserved
    }
}

/// The class of the IPv4 address an IPv6 address carries, if it carries one.
fn embedded_v4(ip: Ipv6Addr) -> Option<AddressClass> {
    let v4 = |hi: u16, lo: u16| classify_v4(Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo)));
    match ip.segments() {
        // IPv4-mapped ::ffff:a.b.c.d.
        [0, 0, 0, 0, 0, 0xffff, hi, lo]
        // IPv4-translated ::ffff:0:a.b.c.d (SIIT).
        | [0, 0, 0, 0, 0xffff, 0, hi, lo]
        // NAT64 well-known prefix 64:ff9b::/96.
        | [0x64, 0xff9b, 0, 0, 0, 0, hi, lo]
        // NAT64 local-use 64:ff9b:1::/48, in its /96 layout.
        | [0x64, 0xff9b, 1, 0, 0, 0, hi, lo]
        // 6to4 2002:AABB:CCDD::/48.
        | [0x2002, hi, lo, ..] => Some(v4(hi, lo)),
        // IPv4-compatible ::a.b.c.d (deprecated); `::` and `::1` are
        // themselves.
        [0, 0, 0, 0, 0, 0, hi, lo] if (hi, lo) != (0, 0) && (hi, lo) != (0, 1) => Some(v4(hi, lo)),
        // Another layout of the local-use NAT64 prefix (/48 to /64 per RFC
        // 6052): the operator's own translator, to an address that cannot be
        // read back without knowing its prefix length.
        [0x64, 0xff9b, 1, ..] => Some(AddressClass::Private),
        // Teredo 2001:0::/32: server IPv4 in bits 32..64, client IPv4
        // (inverted) in the last 32 bits.
        [0x2001, 0, server_hi, server_lo, _, _, client_hi, client_lo] => {
            Some(v4(server_hi, server_lo).stricter(v4(!client_hi, !client_lo)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AddressClass::{LinkLocal, Loopback, Metadata, Private, Public, Reserved, SharedCgnat};

    fn check(table: &[(&str, AddressClass)]) {
        let wrong: Vec<String> = table
            .iter()
            .filter_map(|&(text, want)| {
                let got = classify(text.parse().expect(text));
                (got != want).then(|| format!("{text}: got {got:?}, want {want:?}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn ipv4_ranges() {
        check(&[
            ("8.8.8.8", Public),
            ("1.1.1.1", Public),
            ("172.32.0.1", Public),
            ("100.128.0.1", Public),
            ("198.20.0.1", Public),
            ("192.0.1.1", Public),
            ("223.255.255.255", Public),
            ("127.0.0.1", Loopback),
            ("127.255.0.9", Loopback),
            ("10.1.2.3", Private),
            ("172.16.0.1", Private),
            ("172.31.255.255", Private),
            ("192.168.1.1", Private),
            ("169.254.1.1", LinkLocal),
            ("100.64.0.1", SharedCgnat),
            ("100.127.255.255", SharedCgnat),
            ("169.254.169.254", Metadata),
            ("169.254.170.2", Metadata),
            ("169.254.170.23", Metadata),
            ("100.100.100.200", Metadata),
            ("168.63.129.16", Metadata),
            ("0.0.0.0", Reserved),
            ("0.1.2.3", Reserved),
            ("255.255.255.255", Reserved),
            ("240.0.0.1", Reserved),
            ("224.0.0.1", Reserved),
            ("239.255.255.250", Reserved),
            ("192.0.0.8", Reserved),
            ("192.0.2.1", Reserved),
            ("192.88.99.1", Reserved),
            ("198.18.0.1", Reserved),
            ("198.19.255.255", Reserved),
            ("198.51.100.7", Reserved),
            ("203.0.113.9", Reserved),
        ]);
    }

    #[test]
    fn ipv6_ranges() {
        check(&[
            ("2606:4700::1111", Public),
            ("2a00:1450:4001::1", Public),
            ("2001:4860:4860::8888", Public),
            ("2001:200::1", Public),
            ("3fff:1000::1", Public),
            ("::1", Loopback),
            ("::", Reserved),
            ("fd12::1", Private),
            ("fc00::1", Private),
            ("fec0::1", Private),
            ("feff::1", Private),
            ("fe80::1", LinkLocal),
            ("febf::1", LinkLocal),
            ("fd00:ec2::254", Metadata),
            ("fd00:ec2::23", Metadata),
            ("ff02::1", Reserved),
            ("ff0e::1", Reserved),
            ("2001:db8::1", Reserved),
            ("3fff::1", Reserved),
            ("3fff:fff::1", Reserved),
            ("2001:2::1", Reserved),
            ("2001:10::1", Reserved),
            ("2001:20::1", Reserved),
            ("2001:2f::1", Reserved),
            ("100::1", Reserved),
            ("5f00::1", Reserved),
            ("4000::1", Reserved),
        ]);
    }

    #[test]
    fn mapped_translated_and_compatible_use_the_embedded_ipv4() {
        check(&[
            ("::ffff:8.8.8.8", Public),
            ("::ffff:10.0.0.1", Private),
            ("::ffff:127.0.0.1", Loopback),
            ("::ffff:169.254.169.254", Metadata),
            ("::ffff:0.0.0.0", Reserved),
            ("::ffff:0:8.8.8.8", Public),
            ("::ffff:0:192.168.0.1", Private),
            ("::ffff:0:127.0.0.1", Loopback),
            ("::8.8.8.8", Public),
            ("::10.0.0.1", Private),
            ("::127.0.0.1", Loopback),
            ("::169.254.169.254", Metadata),
            ("::0.0.0.2", Reserved),
        ]);
    }

    #[test]
    fn nat64_uses_the_embedded_ipv4() {
        check(&[
            ("64:ff9b::8.8.8.8", Public),
            ("64:ff9b::10.0.0.1", Private),
            ("64:ff9b::127.0.0.1", Loopback),
            ("64:ff9b::169.254.169.254", Metadata),
            ("64:ff9b::100.64.0.1", SharedCgnat),
            ("64:ff9b::192.0.2.1", Reserved),
            ("64:ff9b:1::8.8.8.8", Public),
            ("64:ff9b:1::10.1.2.3", Private),
            ("64:ff9b:1::127.0.0.1", Loopback),
            // Not the /96 layout: the IPv4 position depends on the operator.
            ("64:ff9b:1:808:8:800::", Private),
            ("64:ff9b:1:0:8:808:800:0", Private),
            // Inside 64:ff9b::/32 but not the well-known /96.
            ("64:ff9b:0:0:1::808:808", Reserved),
        ]);
    }

    #[test]
    fn six_to_four_uses_the_embedded_ipv4() {
        check(&[
            ("2002:808:808::1", Public),
            ("2002:5db8:d822:1::1", Public),
            ("2002:a00:1::1", Private),
            ("2002:c0a8:101::", Private),
            ("2002:7f00:1::1", Loopback),
            ("2002:a9fe:a9fe::1", Metadata),
            ("2002:a9fe:101::1", LinkLocal),
            ("2002:6440:1::1", SharedCgnat),
            ("2002::1", Reserved),
            ("2002:e000:1::1", Reserved),
        ]);
    }

    #[test]
    fn teredo_uses_the_stricter_of_server_and_client() {
        // Server 65.54.227.120; the client is the last 32 bits inverted.
        check(&[
            // client 8.8.8.8
            ("2001:0:4136:e378:8000:63bf:f7f7:f7f7", Public),
            // client 10.0.0.1
            ("2001:0:4136:e378:8000:63bf:f5ff:fffe", Private),
            // client 127.0.0.1
            ("2001:0:4136:e378:8000:63bf:80ff:fffe", Loopback),
            // client 169.254.169.254
            ("2001:0:4136:e378:8000:63bf:5601:5601", Metadata),
            // client 192.0.2.45 (the RFC 4380 example)
            ("2001:0:4136:e378:8000:63bf:3fff:fdd2", Reserved),
            // server 10.0.0.1, client 8.8.8.8
            ("2001:0:a00:1:8000:63bf:f7f7:f7f7", Private),
            // server 127.0.0.1, client 8.8.8.8
            ("2001:0:7f00:1::f7f7:f7f7", Loopback),
            // server 192.168.1.1, client 127.0.0.1: the stricter wins
            ("2001:0:c0a8:101::80ff:fffe", Private),
            // server 100.64.0.1, client 8.8.8.8
            ("2001:0:6440:1::f7f7:f7f7", SharedCgnat),
        ]);
    }

    #[test]
    fn stricter_prefers_the_class_a_policy_allows_less() {
        assert_eq!(Public.stricter(Loopback), Loopback);
        assert_eq!(Private.stricter(Loopback), Private);
        assert_eq!(Loopback.stricter(Private), Private);
        assert_eq!(Private.stricter(Reserved), Reserved);
        assert_eq!(Metadata.stricter(Reserved), Metadata);
        assert_eq!(Public.stricter(Public), Public);
    }
}
