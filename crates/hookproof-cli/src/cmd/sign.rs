//! `hookproof sign`: print the headers a real sender would send.

use std::process::ExitCode;

use crate::args::SignArgs;
use crate::body::BodySource;
use crate::curl::{CurlBody, curl_command};
use crate::error::{CliError, CliResult};
use crate::time_arg::now_unix;

/// Runs `sign`.
pub(crate) fn run(args: SignArgs) -> CliResult<ExitCode> {
    let scheme = args.scheme.resolve()?;
    let signer = args.secret.signer(&scheme)?;
    let source = BodySource::from_arg(args.body.as_deref())?;
    let body = source.read()?;
    let id = args.id.unwrap_or_else(crate::id::fresh_message_id);
    let timestamp = args.timestamp.unwrap_or_else(now_unix);

    let headers = signer.sign(&id, timestamp, &body);

    let Some(url) = args.curl else {
        for (name, value) in &headers {
            println!("{name}: {value}");
        }
        return Ok(ExitCode::SUCCESS);
    };
    let mut all = headers;
    all.push(("Content-Type".to_owned(), args.content_type));
    let text;
    let curl_body = match &source {
        BodySource::File(path) => CurlBody::File(path),
        BodySource::Stdin => {
            text = inline_text(body)?;
            CurlBody::Inline(&text)
        }
    };
    println!("{}", curl_command(&url, &all, &curl_body));
    Ok(ExitCode::SUCCESS)
}

/// A body read from stdin goes inline into the curl command, which needs
/// text without NUL bytes (argv cannot hold them).
fn inline_text(body: Vec<u8>) -> CliResult<String> {
    let text = String::from_utf8(body).map_err(|_| {
        CliError::usage("--curl with a body from standard input needs UTF-8 text; pass the body as a file instead")
    })?;
    if text.contains('\0') {
        return Err(CliError::usage(
            "--curl with a body from standard input cannot inline NUL bytes; pass the body as a file instead",
        ));
    }
    Ok(text)
}
