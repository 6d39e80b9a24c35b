//! [`BodyBudget`]: a bound on the request-body bytes buffered at once,
//! across every delivery a layer (or several layers) is reading.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Default body budget of a [`WebhookLayer`](crate::WebhookLayer): 64 MiB of
/// request bodies buffered at once, across all deliveries in flight.
///
/// With the default 1 MiB body limit that is at least 64 full-size
/// deliveries at the same moment, far above what one sender pushes, while a
/// flood of stalled maximum-size bodies from clients that need no secret to
/// send them is held to 64 MiB instead of growing with the connection count.
pub const DEFAULT_BODY_BUDGET: usize = 64 * 1024 * 1024;

/// The total number of request-body bytes that may be buffered at once.
///
/// A body is read before its signature can be checked, so a stranger who
/// opens many connections and sends large bodies slowly can make a receiver
/// hold `connections × body limit` bytes. The layer charges every chunk it
/// buffers to a budget and gives the bytes back when the delivery is
/// answered; a delivery whose next chunk does not fit is answered
/// `503 body_budget_exhausted` with `Retry-After` (the sender retries later;
/// nothing is lost) and its connection's bytes are released.
///
/// Cheap to clone: clones share one budget, so several layers (routes) can
/// draw on one bound with [`WebhookLayer::body_budget`](crate::WebhookLayer::body_budget).
///
/// # Examples
///
/// ```
/// use hookproof_axum::{BodyBudget, WebhookLayer};
/// use hookproof_verify::{Scheme, Secret, Verifier};
///
/// let budget = BodyBudget::new(16 * 1024 * 1024);
/// let secret = Secret::from_utf8("It's a Secret to Everybody").unwrap();
/// let layer = WebhookLayer::new(Verifier::new(Scheme::GitHub, secret)).body_budget(budget.clone());
/// assert_eq!(budget.capacity(), 16 * 1024 * 1024);
/// assert_eq!(budget.in_use(), 0);
/// # let _ = layer;
/// ```
#[derive(Clone)]
pub struct BodyBudget {
    /// Bytes charged now; never above `capacity`. A counter, not a
    /// semaphore: a delivery that does not fit is refused, never queued.
    in_use: Arc<AtomicUsize>,
    capacity: usize,
}

impl BodyBudget {
    /// A budget of `capacity` bytes.
    pub fn new(capacity: usize) -> Self {
        Self {
            in_use: Arc::new(AtomicUsize::new(0)),
            capacity,
        }
    }

    /// The budget's size in bytes.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Bytes currently charged to deliveries that are being read or answered.
    pub fn in_use(&self) -> usize {
        self.in_use.load(Ordering::Relaxed)
    }

    /// Bytes that may still be charged.
    pub fn available(&self) -> usize {
        self.capacity.saturating_sub(self.in_use())
    }

    /// An empty reservation, grown chunk by chunk with [`Reservation::grow`].
    pub(crate) fn reserve(&self) -> Reservation<'_> {
        Reservation {
            budget: self,
            held: 0,
        }
    }
}

impl Default for BodyBudget {
    /// A budget of [`DEFAULT_BODY_BUDGET`] bytes.
    fn default() -> Self {
        Self::new(DEFAULT_BODY_BUDGET)
    }
}

impl fmt::Debug for BodyBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BodyBudget")
            .field("capacity", &self.capacity)
            .field("in_use", &self.in_use())
            .finish()
    }
}

/// The bytes one delivery holds of a [`BodyBudget`]; given back on drop.
pub(crate) struct Reservation<'a> {
    budget: &'a BodyBudget,
    held: usize,
}

/// The budget has no room for the next chunk.
#[derive(Debug)]
pub(crate) struct Exhausted;

impl Reservation<'_> {
    /// Charges `bytes` more, at once or not at all.
    pub(crate) fn grow(&mut self, bytes: usize) -> Result<(), Exhausted> {
        if bytes == 0 {
            return Ok(());
        }
        let capacity = self.budget.capacity;
        self.budget
            .in_use
            .fetch_update(Ordering::AcqRel, Ordering::Relaxed, |used| {
                used.checked_add(bytes).filter(|&total| total <= capacity)
            })
            .map_err(|_| Exhausted)?;
        self.held += bytes;
        Ok(())
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if self.held > 0 {
            self.budget.in_use.fetch_sub(self.held, Ordering::AcqRel);
        }
    }
}

impl fmt::Debug for Reservation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reservation")
            .field("bytes", &self.held)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reservations_charge_and_give_back() {
        let budget = BodyBudget::new(100);
        let mut a = budget.reserve();
        a.grow(60).expect("fits");
        a.grow(0).expect("nothing to charge");
        assert_eq!((budget.in_use(), budget.available()), (60, 40));
        let mut b = budget.reserve();
        assert!(b.grow(41).is_err(), "all or nothing");
        assert_eq!(budget.in_use(), 60, "a refused charge takes nothing");
        b.grow(40).expect("exactly the rest");
        assert_eq!(budget.available(), 0);
        drop(a);
        assert_eq!(budget.in_use(), 40);
        drop(b);
        assert_eq!(budget.in_use(), 0);
    }

    #[test]
    fn clones_share_one_budget() {
        let budget = BodyBudget::new(10);
        let clone = budget.clone();
        let mut held = clone.reserve();
        held.grow(7).expect("fits");
        assert_eq!(budget.in_use(), 7);
        assert!(format!("{budget:?}").contains("in_use: 7"));
    }

    #[test]
    fn charges_never_overflow_or_pass_the_capacity() {
        let budget = BodyBudget::new(usize::MAX - 1);
        let mut held = budget.reserve();
        held.grow(usize::MAX - 2).expect("fits");
        let mut other = budget.reserve();
        assert!(other.grow(2).is_err(), "would pass the capacity");
        assert!(other.grow(usize::MAX).is_err(), "would overflow");
        other.grow(1).expect("exactly the rest");
        drop((held, other));
        assert_eq!(budget.in_use(), 0);
    }
}
