//! The command-line grammar (clap derive). Each command's long help
//! (`--help`) ends with examples; `-h` shows the short form.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::headers::{HeaderInput, parse_header_input};
use crate::scheme::SchemeArgs;
use crate::secret::SecretArgs;
use crate::time_arg::parse_unix;
use crate::url_arg::UrlArg;

/// The longest `listen` timeout, in seconds: the server's own bound.
const MAX_TIMEOUT_SECS: u64 = hookproof_axum::MAX_TIMEOUT.as_secs();

/// Sign, verify, receive, replay and trigger webhooks from LLM / AI gateways.
#[derive(Debug, Parser)]
#[command(
    name = "hookproof",
    version,
    about,
    long_about = "Sign, verify, receive, replay and trigger webhooks from LLM / AI gateways.\n\n\
        Schemes are named the same in every command (--scheme, default standard): standard, \
        standard-ed25519, github, stripe, slack, shopify, gateway, hex. Secrets come from --secret, --secret-env NAME \
        or --secret-file PATH (prefer the last two: argv shows in `ps` and shell history).\n\n\
        Exit codes: 0 success, 1 verification or delivery failed, 2 usage error. \
        Set RUST_LOG (e.g. RUST_LOG=hookproof_axum=debug) for library traces on stderr.",
    after_long_help = "Examples:\n  \
        hookproof listen --port 8787 --scheme standard --secret-env WEBHOOK_SECRET\n  \
        hookproof sign --scheme standard --secret-env WEBHOOK_SECRET --curl http://127.0.0.1:8787/webhooks body.json | sh\n  \
        hookproof verify --scheme github --secret-file secret.txt -H 'X-Hub-Signature-256: sha256=...' body.json"
)]
pub(crate) struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Sign a payload: print the headers a real sender would send.
    #[command(
        long_about = "Sign a payload and print the signature headers, one `Name: value` line per \
            header, exactly as the scheme's real sender sends them. With --curl URL, print a \
            ready curl command instead (the body is passed with --data-binary @FILE, or inline \
            when read from standard input)."
    )]
    Sign(SignArgs),
    /// Verify a delivery's headers and body; explain a failure.
    #[command(
        long_about = "Verify a delivery: give its headers with -H (a header given twice is passed \
            as two values, as HTTP would) and its exact body. Exit 0 prints the verified id, \
            timestamp, scheme and key index; exit 1 prints `error: <code>` and a hint on what to \
            check."
    )]
    Verify(VerifyArgs),
    /// Run a local receiver that prints (and records) each delivery.
    #[command(
        long_about = "Run a local webhook receiver (the hookproof axum layer with an in-memory \
            idempotency store) on loopback. Every delivery, to any path, is printed as it arrives: \
            time, event type, id, verification result and a short summary; rejections are printed \
            with their code and hint. Verified deliveries can be recorded as fixtures, and a \
            share of them can be answered with 500 to exercise a sender's retries. Prints its URL \
            on start (`--port 0` picks a free port). Slow, silent and idle connections are closed \
            (--header-read-timeout, --idle-timeout) and at most --max-connections are served at \
            once. Stops cleanly on Ctrl-C."
    )]
    Listen(ListenArgs),
    /// Re-sign and send every fixture in a directory to a URL.
    #[command(
        long_about = "Re-sign every fixture in a directory (recursively) with the given secret and \
            a fresh timestamp, send it to a URL, and print a summary table of the statuses. Exit 1 \
            if any fixture's status differs from its expected_status (default 200). A progress \
            bar is shown when standard output is a terminal."
    )]
    Replay(ReplayArgs),
    /// Send a sample event from the catalogue through the emitter.
    #[command(
        long_about = "Send the catalogue's sample gateway event of a type to a URL through the reference \
            emitter, so its signing and retry policy apply, printing each attempt's status. Exit 1 \
            if the event ends dead-lettered. The catalogue is built into the binary (the \
            repository's fixtures/gateway/, one sample per type); --fixtures DIR reads another one. `--list` lists the types."
    )]
    Trigger(TriggerArgs),
    /// Print the JSON Schema of the events (all, or one type).
    #[command(
        long_about = "Print the JSON Schema of the events: one object keyed by name \
            (gateway/<type>, openai/<type>, litellm, legacy), or the schema of one (a bare gateway \
            type such as guardrail.blocked works too). An unknown type exits 2 and lists the \
            known ones."
    )]
    Schema(SchemaArgs),
}

/// `hookproof sign`.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
        hookproof sign --scheme standard --secret-env WEBHOOK_SECRET body.json\n  \
        echo '{\"type\":\"webhook.test\"}' | hookproof sign --scheme gateway --secret-file secret.txt -\n  \
        hookproof sign --scheme github --secret s3cr3t --curl http://127.0.0.1:8787/webhooks body.json | sh\n  \
        hookproof sign --secret-env S body.json | curl -H @- -H 'Content-Type: application/json' --data-binary @body.json http://127.0.0.1:8787/webhooks\n  \
        hookproof sign --scheme standard-ed25519 --secret-file signing-key.txt body.json   # whsk_... key; verify with whpk_...")]
pub(crate) struct SignArgs {
    #[command(flatten)]
    pub(crate) scheme: SchemeArgs,
    #[command(flatten)]
    pub(crate) secret: SecretArgs,
    /// Delivery id for schemes that carry one (default: a fresh msg_... id).
    #[arg(long, value_name = "ID")]
    pub(crate) id: Option<String>,
    /// Signing time, unix seconds or RFC 3339 (default: now).
    #[arg(long, value_name = "T", value_parser = parse_unix, allow_hyphen_values = true)]
    pub(crate) timestamp: Option<i64>,
    /// Print a curl command that POSTs the signed body to this URL.
    #[arg(long, value_name = "URL")]
    pub(crate) curl: Option<String>,
    /// Content-Type added to the curl command.
    #[arg(
        long,
        value_name = "TYPE",
        default_value = "application/json",
        requires = "curl"
    )]
    pub(crate) content_type: String,
    /// Body file, or `-` for standard input (default: standard input when piped).
    #[arg(value_name = "BODY_FILE")]
    pub(crate) body: Option<PathBuf>,
}

/// `hookproof verify`.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
        hookproof verify --scheme standard --secret-env WEBHOOK_SECRET \\\n    \
        -H 'webhook-id: msg_2K...' -H 'webhook-timestamp: 1700000000' \\\n    \
        -H 'webhook-signature: v1,K5o...' --now 1700000010 body.json\n  \
        hookproof verify --scheme stripe --secret-file whsec.txt --tolerance 600 -H \"Stripe-Signature: $SIG\" - < body.json\n  \
        hookproof sign --secret-env S body.json | hookproof verify --secret-env S -H @- body.json")]
pub(crate) struct VerifyArgs {
    #[command(flatten)]
    pub(crate) scheme: SchemeArgs,
    #[command(flatten)]
    pub(crate) secret: SecretArgs,
    /// A header, `name: value`; repeat for several (same name twice = two
    /// values). `@FILE` reads one header per line from a file, `@-` from
    /// standard input (then the body must be a file).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", value_parser = parse_header_input)]
    pub(crate) headers: Vec<HeaderInput>,
    /// Verify as if the time were T (unix seconds or RFC 3339; default: now).
    #[arg(long, value_name = "T", value_parser = parse_unix, allow_hyphen_values = true)]
    pub(crate) now: Option<i64>,
    /// Accepted clock difference in seconds (default: the verifier's, 300).
    #[arg(long, value_name = "SECS")]
    pub(crate) tolerance: Option<u64>,
    /// Body file, or `-` for standard input (default: standard input when piped).
    #[arg(value_name = "BODY_FILE")]
    pub(crate) body: Option<PathBuf>,
}

/// `hookproof listen`.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
        hookproof listen --scheme standard --secret-env WEBHOOK_SECRET\n  \
        hookproof listen --port 0 --scheme gateway --secret-file secret.txt --record fixtures/recorded\n  \
        hookproof listen --scheme standard --secret-env S --fail-rate 0.3 --seed 7")]
pub(crate) struct ListenArgs {
    #[command(flatten)]
    pub(crate) scheme: SchemeArgs,
    #[command(flatten)]
    pub(crate) secret: SecretArgs,
    /// TCP port (0 = any free port, printed on start).
    #[arg(long, default_value_t = 8787)]
    pub(crate) port: u16,
    /// Address to bind (loopback by default).
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) host: std::net::IpAddr,
    /// Accepted clock difference in seconds (default: the verifier's, 300).
    #[arg(long, value_name = "SECS")]
    pub(crate) tolerance: Option<u64>,
    /// Record each verified delivery as a fixture file in this directory.
    ///
    /// Only content-type, user-agent and the senders' event-type and
    /// delivery-id headers are written; signatures, timestamps and
    /// credential headers (authorization, cookie, x-api-key, …) are dropped.
    #[arg(long, value_name = "DIR")]
    pub(crate) record: Option<PathBuf>,
    /// With --record, also write this header to the fixture files
    /// (repeatable). Never name a header that carries a credential.
    #[arg(long, value_name = "NAME", requires = "record")]
    pub(crate) record_header: Vec<String>,
    /// Answer this share of verified deliveries (0.0 to 1.0) with 500.
    #[arg(long, value_name = "R", default_value_t = 0.0, value_parser = parse_rate)]
    pub(crate) fail_rate: f64,
    /// Seed for --fail-rate, for a reproducible sequence of failures.
    #[arg(long, value_name = "N")]
    pub(crate) seed: Option<u64>,
    /// Largest accepted body in bytes (413 past it).
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024)]
    pub(crate) body_limit: usize,
    /// Disconnect a client that has not sent a whole request head this many
    /// seconds after connecting or after the previous response.
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = hookproof_axum::DEFAULT_HEADER_READ_TIMEOUT.as_secs(),
        value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT_SECS)
    )]
    pub(crate) header_read_timeout: u64,
    /// Close a connection with no request in progress after this many
    /// seconds without traffic.
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = hookproof_axum::DEFAULT_IDLE_TIMEOUT.as_secs(),
        value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT_SECS)
    )]
    pub(crate) idle_timeout: u64,
    /// Connections served at once; more wait in the kernel's backlog until
    /// one closes. Keep it below the open-file limit (`ulimit -n`).
    #[arg(
        long,
        value_name = "N",
        default_value_t = hookproof_axum::DEFAULT_MAX_CONNECTIONS,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..)
    )]
    pub(crate) max_connections: usize,
}

/// `hookproof replay`.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
        hookproof replay fixtures --to http://127.0.0.1:8787/webhooks --scheme standard --secret-env WEBHOOK_SECRET\n  \
        hookproof replay recorded/ --to http://127.0.0.1:8787/webhooks --scheme gateway --secret-file secret.txt")]
pub(crate) struct ReplayArgs {
    /// Directory of fixture files (or one fixture file).
    #[arg(value_name = "DIR")]
    pub(crate) dir: PathBuf,
    /// URL to POST each fixture to.
    #[arg(long, value_name = "URL")]
    pub(crate) to: UrlArg,
    #[command(flatten)]
    pub(crate) scheme: SchemeArgs,
    #[command(flatten)]
    pub(crate) secret: SecretArgs,
    /// Per-request timeout in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 10)]
    pub(crate) timeout: u64,
}

/// `hookproof trigger`.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
        hookproof trigger --list\n  \
        hookproof trigger guardrail.blocked --to http://127.0.0.1:8787/webhooks --allow-http --scheme standard --secret-env WEBHOOK_SECRET\n  \
        hookproof trigger request.completed --to http://127.0.0.1:8787/webhooks --allow-http --max-attempts 5 --scheme gateway --secret-file secret.txt\n  \
        hookproof trigger budget.threshold_reached --config emitter.toml   # endpoints, secrets, filters, retry from the file")]
pub(crate) struct TriggerArgs {
    /// List the event types of the catalogue and exit.
    #[arg(long, conflicts_with_all = ["event_type", "to", "config"])]
    pub(crate) list: bool,
    /// Event type to send (see --list).
    #[arg(value_name = "TYPE", required_unless_present = "list")]
    pub(crate) event_type: Option<String>,
    /// Endpoint URL.
    #[arg(long, value_name = "URL", required_unless_present_any = ["list", "config"])]
    pub(crate) to: Option<UrlArg>,
    /// Emitter config file (TOML, the shape documented in hookproof-emitter's
    /// `config` module): the event goes to every endpoint it subscribes to,
    /// with the file's secrets, schemes, filters, retry and delivery
    /// settings. `${VAR}` in URLs and secrets reads the environment.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = [
            "to", "scheme", "signature_header", "secret", "secret_env", "secret_file",
            "max_attempts", "retry_delay_ms", "allow_http", "timeout",
        ]
    )]
    pub(crate) config: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) scheme: SchemeArgs,
    #[command(flatten)]
    pub(crate) secret: SecretArgs,
    /// Attempts before the event is dead-lettered.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub(crate) max_attempts: u32,
    /// Delay before the first retry, in milliseconds (doubles each retry).
    #[arg(long, value_name = "MS", default_value_t = 500)]
    pub(crate) retry_delay_ms: u64,
    /// Allow plain http:// to loopback (localhost) endpoints, for local testing.
    #[arg(long)]
    pub(crate) allow_http: bool,
    /// Timeout of one attempt in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 10)]
    pub(crate) timeout: u64,
    /// Read the catalogue from this directory instead of the built-in one.
    #[arg(long, value_name = "DIR")]
    pub(crate) fixtures: Option<PathBuf>,
}

/// `hookproof schema`.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:\n  \
        hookproof schema > schemas.json\n  \
        hookproof schema guardrail.blocked")]
pub(crate) struct SchemaArgs {
    /// Event type (default: all types).
    #[arg(value_name = "TYPE")]
    pub(crate) event_type: Option<String>,
}

/// `--fail-rate` must be a probability.
fn parse_rate(s: &str) -> Result<f64, String> {
    let r: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=1.0).contains(&r) {
        Ok(r)
    } else {
        Err(format!("{r} is not between 0.0 and 1.0"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_grammar_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn fail_rate_must_be_a_probability() {
        assert_eq!(parse_rate("0.25"), Ok(0.25));
        assert!(parse_rate("1.5").is_err());
        assert!(parse_rate("x").is_err());
    }

    #[test]
    fn listen_limits_default_to_the_servers_and_refuse_zero() {
        let cli = Cli::try_parse_from(["hookproof", "listen", "--secret", "s"]).expect("parses");
        let Command::Listen(args) = cli.command else {
            panic!("not listen")
        };
        assert_eq!(args.header_read_timeout, 10);
        assert_eq!(args.idle_timeout, 20);
        assert_eq!(args.max_connections, 512);
        for flag in [
            "--header-read-timeout",
            "--idle-timeout",
            "--max-connections",
        ] {
            let parsed = Cli::try_parse_from(["hookproof", "listen", "--secret", "s", flag, "0"]);
            assert!(parsed.is_err(), "{flag} 0 accepted");
        }
    }
}
