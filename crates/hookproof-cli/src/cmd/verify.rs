//! `hookproof verify`: check a delivery, explain a failure.

use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use hookproof_verify::Verifier;

use crate::args::VerifyArgs;
use crate::body::BodySource;
use crate::error::{CliError, CliResult};
use crate::headers::{expand, to_pairs};
use crate::time_arg::{describe, to_system_time};

/// Runs `verify`: exit 0 when verified, 1 when not.
pub(crate) fn run(args: VerifyArgs) -> CliResult<ExitCode> {
    let scheme = args.scheme.resolve()?;
    let secrets = args.secret.resolve_all(&scheme)?;
    let source = BodySource::from_arg(args.body.as_deref())?;
    if source == BodySource::Stdin && args.headers.iter().any(|h| h.is_stdin()) {
        return Err(CliError::usage(
            "standard input cannot hold both the headers (-H @-) and the body; pass the body as a file",
        ));
    }
    let headers = to_pairs(&expand(&args.headers)?);
    let body = source.read()?;
    let mut builder = Verifier::builder(scheme).secrets(secrets);
    if let Some(secs) = args.tolerance {
        builder = builder.tolerance(Duration::from_secs(secs));
    }
    let verifier = builder
        .build()
        .map_err(|e| CliError::usage(format!("invalid verifier settings: {e}")))?;
    let now = args.now.map_or_else(SystemTime::now, to_system_time);

    match verifier.verify_at(&headers, &body, now) {
        Ok(verified) => {
            println!("ok: signature verified");
            println!("scheme: {}", verified.scheme);
            println!(
                "id: {}",
                verified.id.as_deref().unwrap_or("(none in this scheme)")
            );
            match verified.timestamp {
                Some(t) => println!("timestamp: {}", describe(t)),
                None => println!("timestamp: (none in this scheme)"),
            }
            println!("key_index: {}", verified.key_index);
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            eprintln!("error: {}", err.code());
            eprintln!("detail: {err}");
            eprintln!("hint: {}", err.hint());
            Ok(ExitCode::from(1))
        }
    }
}
