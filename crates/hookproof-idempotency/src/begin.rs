//! [`Begin`]: what [`IdempotencyStore::begin`](crate::IdempotencyStore::begin) found.

use std::time::Duration;

use crate::{Claim, Record};

/// The answer to `begin(key, lease)`.
#[derive(Debug)]
#[must_use = "an Acquired claim must be completed or released (or its lease will block the key)"]
pub enum Begin {
    /// The key was free: the caller now holds it and must run the handler,
    /// then [`complete`](crate::IdempotencyStore::complete) or
    /// [`release`](crate::IdempotencyStore::release) the claim.
    Acquired(Claim),
    /// Another holder is processing the key; ask the sender to retry later.
    InProgress {
        /// Time left on the current holder's lease (never more than the lease
        /// it was last set or renewed to).
        retry_after: Duration,
    },
    /// The key was processed already: replay this outcome, don't run the handler.
    Completed(Record),
}

impl Begin {
    /// Stable lower-case name of the variant (`"acquired"`, `"in_progress"`,
    /// `"completed"`), for logs and metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            Begin::Acquired(_) => "acquired",
            Begin::InProgress { .. } => "in_progress",
            Begin::Completed(_) => "completed",
        }
    }
}
