//! Integration tests: every command runs the real `hookproof` binary.

mod listen;
mod replay;
mod schema;
mod sign_verify;
mod support;
mod trigger;
mod usage;
