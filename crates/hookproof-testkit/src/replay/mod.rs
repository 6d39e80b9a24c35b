//! Replaying fixtures through a tower service: the runner, the report and
//! the idempotency assertion.

mod idempotent;
mod report;
mod run;

pub use idempotent::assert_idempotent;
pub use report::{FixtureResult, Outcome, ReplayReport};
pub use run::{Answer, BoxError, REPLAYED_HEADER, ReplayBody, Replayer, SendError, replay};
