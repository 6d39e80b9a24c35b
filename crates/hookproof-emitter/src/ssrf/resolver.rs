//! The HTTP client's DNS resolver, which checks every address it returns.

use std::net::SocketAddr;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::{AddressPolicy, BlockedAddress};

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
    use crate::ssrf::AddressClass;

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
