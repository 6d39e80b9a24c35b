//! hookproof facade (under construction).
#![forbid(unsafe_code)]
pub use hookproof_events as events;
pub use hookproof_verify as verify;
