//! Integration tests: every command runs the real `hookproof` binary.

mod listen;
mod redaction;
mod replay;
mod schema;
mod sign_output;
mod sign_verify;
mod support;
mod trigger;
mod usage;
mod verify_errors;
