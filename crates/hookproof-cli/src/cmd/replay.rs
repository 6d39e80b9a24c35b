//! `hookproof replay`: re-sign every fixture and POST it to a URL.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use anyhow::Context;
use hookproof_emitter::RedactedUrl;
use hookproof_testkit::Fixture;
use hookproof_verify::Signer;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::args::ReplayArgs;
use crate::error::{CliError, CliResult};

/// What one fixture got.
#[derive(Debug)]
struct Row {
    name: String,
    expected: u16,
    got: Result<u16, String>,
}

impl Row {
    fn passed(&self) -> bool {
        self.got.as_ref().is_ok_and(|s| *s == self.expected)
    }
}

/// Runs `replay`: exit 1 if any status differs from the expected one.
pub(crate) fn run(args: ReplayArgs) -> CliResult<ExitCode> {
    let scheme = args.scheme.resolve()?;
    let signer = args.secret.signer(&scheme)?;
    // The URL is shown without userinfo and query values, which may hold
    // credentials; text that is not a URL is not echoed at all.
    let url = args.to.url()?;
    let shown = RedactedUrl::new(&url);
    if !matches!(url.scheme(), "http" | "https") {
        return Err(CliError::usage(format!(
            "--to {shown}: only http and https URLs"
        )));
    }
    let fixtures = hookproof_testkit::load(&args.dir).map_err(|e| {
        CliError::usage(format!(
            "cannot load fixtures from {}: {e}",
            args.dir.display()
        ))
    })?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(args.timeout))
        .build()
        .context("cannot build the HTTP client")?;

    let bar = ProgressBar::new(fixtures.len() as u64);
    if std::io::stdout().is_terminal() {
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
            bar.set_style(style);
        }
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    let rows = super::runtime()?.block_on(async {
        let mut rows = Vec::with_capacity(fixtures.len());
        for fixture in &fixtures {
            bar.set_message(fixture.name.clone());
            rows.push(send(&client, &url, &signer, fixture).await);
            bar.inc(1);
        }
        rows
    });
    bar.finish_and_clear();

    print_table(&rows);
    let failed = rows.iter().filter(|r| !r.passed()).count();
    println!(
        "replayed {} fixtures to {shown}: {} as expected, {failed} differ",
        rows.len(),
        rows.len() - failed
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Signs with a fresh timestamp and sends one fixture.
async fn send(
    client: &reqwest::Client,
    url: &reqwest::Url,
    signer: &Signer,
    fixture: &Fixture,
) -> Row {
    let request = fixture.signed_request(signer, SystemTime::now());
    let (parts, body) = request.into_parts();
    let got = client
        .post(url.clone())
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .map(|response| response.status().as_u16())
        .map_err(|e| describe_error(&e));
    Row {
        name: fixture.name.clone(),
        expected: fixture.expected_status,
        got,
    }
}

/// A short reason for a failed request.
fn describe_error(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".to_owned()
    } else if e.is_connect() {
        "connection failed".to_owned()
    } else {
        "request failed".to_owned()
    }
}

/// `FIXTURE  EXPECTED  GOT  RESULT`, aligned.
fn print_table(rows: &[Row]) {
    let width = rows
        .iter()
        .map(|r| r.name.len())
        .chain(std::iter::once("FIXTURE".len()))
        .max()
        .unwrap_or(7);
    println!("{:<width$}  EXPECTED  GOT                RESULT", "FIXTURE");
    for row in rows {
        let got = match &row.got {
            Ok(status) => status.to_string(),
            Err(reason) => reason.clone(),
        };
        let result = if row.passed() { "ok" } else { "DIFFERS" };
        println!(
            "{:<width$}  {:<8}  {got:<17}  {result}",
            row.name, row.expected
        );
    }
}
