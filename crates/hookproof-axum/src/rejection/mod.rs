//! [`WebhookRejection`]: why a delivery was refused, rendered as RFC 9457
//! `application/problem+json`.

mod cases;
mod pointer;
mod problem;

pub use problem::{PROBLEM_JSON, PROBLEM_TYPE_BASE, WebhookRejection};
