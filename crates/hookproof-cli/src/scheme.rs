//! `--scheme NAME` and `--signature-header NAME`: naming a signature scheme
//! the same way in every command.

use std::str::FromStr;

use clap::Args;
use hookproof_verify::Scheme;

use crate::error::{CliError, CliResult};

/// Scheme names accepted by `--scheme` (shown in help and errors).
pub(crate) const SCHEME_NAMES: &str =
    "standard, standard-ed25519, github, stripe, slack, shopify, gateway, hex";

/// Scheme selection shared by all commands.
#[derive(Debug, Clone, Args)]
pub(crate) struct SchemeArgs {
    /// Signature scheme: standard, standard-ed25519, github, stripe, slack,
    /// shopify, gateway, hex.
    ///
    /// standard is Standard Webhooks v1 (also what OpenAI and Svix send);
    /// standard-ed25519 is its v1a (sign with a whsk_ key, verify with
    /// whpk_); gateway is `X-Webhook-Signature: t=<unix>,v1=<hex>` over
    /// "{t}.{id}.{body}" with the id from X-Webhook-Id (required, so it is
    /// signed); hex is a plain hex HMAC-SHA256 of the body.
    #[arg(long, value_name = "NAME", default_value = "standard")]
    scheme: String,

    /// Signature header name, for schemes where it is configurable (hex).
    ///
    /// Default x-webhook-signature; e.g. x-keywordsai-signature for
    /// Keywords AI.
    #[arg(long, value_name = "NAME")]
    signature_header: Option<String>,
}

impl SchemeArgs {
    /// Builds the scheme; an unknown name or a header override on a scheme
    /// with a fixed header is a usage error.
    pub(crate) fn resolve(&self) -> CliResult<Scheme> {
        let scheme = Scheme::from_str(&self.scheme).map_err(|e| {
            CliError::usage(format!(
                "unknown scheme {:?} ({e}); known schemes: {SCHEME_NAMES}",
                self.scheme
            ))
        })?;
        let Some(header) = &self.signature_header else {
            return Ok(scheme);
        };
        if crate::headers::parse_header(&format!("{header}: x")).is_err() || header.contains(':') {
            return Err(CliError::usage(format!(
                "--signature-header {header:?} is not a valid header name"
            )));
        }
        match scheme.name() {
            "hex" => Ok(Scheme::hex_body(header)),
            other => Err(CliError::usage(format!(
                "--signature-header only applies to schemes with a configurable header \
                 (hex); scheme {other} always uses its own header"
            ))),
        }
    }
}
