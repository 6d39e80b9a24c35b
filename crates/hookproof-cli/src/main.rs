//! `hookproof`: the command line of the hookproof webhook toolkit.
//!
//! It signs payloads the way real senders do (`sign`, optionally as a ready
//! `curl` command), explains why a signature does not verify (`verify`), runs
//! a local receiver that prints and records what a gateway sends (`listen`),
//! re-sends recorded fixtures (`replay`), sends sample events through the
//! reference emitter with its retry policy (`trigger`) and prints the JSON
//! Schema of the events (`schema`). Run `hookproof <command> --help` for each
//! command's options and examples.
//!
//! The `trigger` catalogue: `build.rs` embeds the repository's
//! `fixtures/gateway/*.json` (paths relative to the crate's manifest
//! directory), one sample per gateway event type. A build from a packaged
//! crate (`cargo package`, crates.io) has no `fixtures/` beside it: it warns
//! at build time and gets an empty catalogue, and `trigger` then fails with
//! exit 2 asking for `--fixtures DIR` instead of listing nothing.
//!
//! Set `RUST_LOG` (e.g. `RUST_LOG=hookproof_axum=debug`) for library
//! traces on stderr.
//!
//! Exit codes: `0` success, `1` verification or delivery failed, `2` usage
//! errors (bad flags, unreadable inputs, unknown schemes or types).
//!
//! Security: secrets can be read from an environment variable
//! (`--secret-env`) or a file (`--secret-file`) so they stay out of `ps` and
//! shell history; they are never printed.
#![forbid(unsafe_code)]

mod args;
mod body;
mod catalogue;
mod cmd;
mod curl;
mod error;
mod headers;
mod id;
mod scheme;
mod secret;
mod time_arg;
mod url_arg;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    init_tracing();
    match cmd::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            err.exit_code()
        }
    }
}

/// Library traces (layer decisions, emitter attempts) on stderr when
/// `RUST_LOG` is set, e.g. `RUST_LOG=hookproof_axum=debug`; silent otherwise.
fn init_tracing() {
    let Ok(filter) = tracing_subscriber::EnvFilter::try_from_default_env() else {
        return;
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}
