//! [`AddressPolicy`]: which classes of address a subscription may reach,
//! and the [`BlockedAddress`] error for the others.

use std::fmt;
use std::net::IpAddr;

use super::{AddressClass, classify};

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

/// The code of a refused destination, and of the attempt error it causes.
pub(crate) const DESTINATION_BLOCKED: &str = "destination_blocked";

impl BlockedAddress {
    /// The stable machine-readable code: `destination_blocked` (also the
    /// code of the attempt error it causes).
    #[must_use]
    pub fn code(&self) -> &'static str {
        DESTINATION_BLOCKED
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn policy_decisions() {
        let public = AddressPolicy::public_only();
        assert!(public.check(ip("8.8.8.8")).is_ok());
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
            assert_eq!(err.code(), "destination_blocked");
        }
    }

    #[test]
    fn embedded_addresses_get_the_embedded_decision() {
        let public = AddressPolicy::public_only();
        let private = AddressPolicy {
            allow_loopback: false,
            allow_private_network: true,
        };
        for wrapped in [
            "2002:a00:1::1",                        // 6to4 of 10.0.0.1
            "2001:0:4136:e378:8000:63bf:f5ff:fffe", // Teredo client 10.0.0.1
            "64:ff9b::a00:1",                       // NAT64 of 10.0.0.1
            "::ffff:10.0.0.1",
        ] {
            let err = public.check(ip(wrapped)).unwrap_err();
            assert_eq!(err.class, AddressClass::Private, "{wrapped}");
            assert!(private.check(ip(wrapped)).is_ok(), "{wrapped}");
        }
        for wrapped in ["2002:a9fe:a9fe::1", "64:ff9b::a9fe:a9fe"] {
            let err = private.check(ip(wrapped)).unwrap_err();
            assert_eq!(err.class, AddressClass::Metadata, "{wrapped}");
        }
        for public_inside in ["2002:808:808::1", "64:ff9b::808:808"] {
            assert!(public.check(ip(public_inside)).is_ok(), "{public_inside}");
        }
    }
}
