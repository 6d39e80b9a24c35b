//! Delivering one event to one endpoint: the HTTP client, a single signed
//! attempt, and the retry loop across the primary and backup URLs.

mod attempt;
mod client;
mod task;

pub(crate) use client::build_client;
pub(crate) use task::{Outcome, deliver};
