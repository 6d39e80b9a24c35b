//! The `hookproof` command line (under construction).
#![forbid(unsafe_code)]
fn main() {}
