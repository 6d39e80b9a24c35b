//! Integration tests: the emitter against local receivers on 127.0.0.1.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod config_file;
mod delivery;
mod lifecycle;
mod receiver;
mod redaction;
mod safety;
