//! One module per command; [`run`] dispatches.

mod listen;
mod replay;
mod schema;
mod sign;
mod trigger;
mod verify;

use std::process::ExitCode;

use crate::args::{Cli, Command};
use crate::error::CliResult;

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli) -> CliResult<ExitCode> {
    match cli.command {
        Command::Sign(args) => sign::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Listen(args) => listen::run(args),
        Command::Replay(args) => replay::run(args),
        Command::Trigger(args) => trigger::run(args),
        Command::Schema(args) => schema::run(args),
    }
}

/// A multi-threaded tokio runtime for the network commands.
pub(crate) fn runtime() -> CliResult<tokio::runtime::Runtime> {
    tokio::runtime::Runtime::new().map_err(|e| {
        crate::error::CliError::Failed(anyhow::anyhow!("cannot start the async runtime: {e}"))
    })
}
