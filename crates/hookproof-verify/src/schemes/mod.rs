//! Signature schemes: one module per sender format, all run by the shared
//! engine in `crate::engine`.

pub(crate) mod custom;
#[cfg(feature = "ed25519")]
pub(crate) mod ed25519;
pub(crate) mod github;
pub(crate) mod shopify;
pub(crate) mod slack;
pub(crate) mod spec;
pub(crate) mod standard;
pub(crate) mod stripe;

use std::str::FromStr;

pub use custom::{CustomScheme, CustomSchemeBuilder};
pub use spec::{Encoding, Part, TimestampUnit};

/// Which sender format to verify or sign.
///
/// | variant | header(s) | signed content | encoding |
/// |---|---|---|---|
/// | `StandardWebhooks` (`"standard"`) | `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<sig> ...` (or `svix-*`) | `{id}.{ts}.{body}` | base64 |
/// | `StandardWebhooksEd25519` (`"standard-ed25519"`, feature `ed25519`) | same, `v1a,<sig>` | `{id}.{ts}.{body}` | base64 Ed25519 |
/// | `GitHub` (`"github"`) | `X-Hub-Signature-256: sha256=<sig>`, id `X-GitHub-Delivery` | body | hex |
/// | `Stripe` (`"stripe"`) | `Stripe-Signature: t=<ts>,v1=<sig>,...` | `{t}.{body}` | hex |
/// | `Slack` (`"slack"`) | `X-Slack-Signature: v0=<sig>`, `X-Slack-Request-Timestamp` | `v0:{ts}:{body}` | hex |
/// | `Shopify` (`"shopify"`) | `X-Shopify-Hmac-Sha256: <sig>`, id `X-Shopify-Webhook-Id` | body | base64 |
/// | [`Scheme::gateway`] (`"gateway"`) | `X-Webhook-Signature: t=<ts>,v1=<sig>`, id `X-Webhook-Id` | `{t}.{body}` | hex |
/// | [`Scheme::hex_body`] (`"hex"`) | the named header: `<sig>` | body | hex |
///
/// All HMAC schemes use HMAC-SHA256. Timestamps are unix seconds and
/// checked against the verifier's tolerance in both directions.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scheme {
    /// Standard Webhooks v1 (HMAC); also what Svix and OpenAI send.
    StandardWebhooks,
    /// Standard Webhooks v1a (Ed25519), with `whpk_`/`whsk_` keys.
    #[cfg(feature = "ed25519")]
    StandardWebhooksEd25519,
    /// GitHub `X-Hub-Signature-256`.
    GitHub,
    /// Stripe `Stripe-Signature`.
    Stripe,
    /// Slack `X-Slack-Signature`.
    Slack,
    /// Shopify `X-Shopify-Hmac-Sha256`.
    Shopify,
    /// A scheme described with [`CustomScheme::builder`].
    Custom(CustomScheme),
}

impl Scheme {
    /// The gateway format: `X-Webhook-Signature: t=<unix>,v1=<hex>` over
    /// `{t}.{body}`, delivery id in `X-Webhook-Id` (not signed).
    pub fn gateway() -> Scheme {
        Scheme::Custom(custom::gateway())
    }

    /// A plain hex HMAC-SHA256 of the body in `header` (Keywords AI style:
    /// `x-keywordsai-signature`). No timestamp, no id.
    pub fn hex_body(header: &str) -> Scheme {
        Scheme::Custom(custom::hex_body(header))
    }

    /// Short name: `"standard"`, `"standard-ed25519"`, `"github"`,
    /// `"stripe"`, `"slack"`, `"shopify"`, `"gateway"`, `"hex"`, or a custom
    /// scheme's name.
    pub fn name(&self) -> &str {
        match self {
            #[cfg(feature = "ed25519")]
            Scheme::StandardWebhooksEd25519 => "standard-ed25519",
            Scheme::Custom(c) => c.name(),
            other => other.hmac_spec().map(|s| s.name.as_ref()).unwrap_or(""),
        }
    }

    /// The HMAC description, or `None` for Ed25519.
    pub(crate) fn hmac_spec(&self) -> Option<&spec::Spec> {
        match self {
            Scheme::StandardWebhooks => Some(&standard::SPEC),
            #[cfg(feature = "ed25519")]
            Scheme::StandardWebhooksEd25519 => None,
            Scheme::GitHub => Some(&github::SPEC),
            Scheme::Stripe => Some(&stripe::SPEC),
            Scheme::Slack => Some(&slack::SPEC),
            Scheme::Shopify => Some(&shopify::SPEC),
            Scheme::Custom(c) => Some(&c.spec),
        }
    }
}

/// A scheme name that [`Scheme::from_str`] does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown scheme `{0}`; expected one of standard, standard-ed25519, github, stripe, slack, \
     shopify, gateway, hex"
)]
pub struct UnknownScheme(pub String);

impl UnknownScheme {
    /// Stable machine-readable code: `"unknown_scheme"`.
    pub fn code(&self) -> &'static str {
        "unknown_scheme"
    }
}

impl FromStr for Scheme {
    type Err = UnknownScheme;

    /// Accepts the names of [`Scheme::name`] (case-insensitive), plus
    /// `standard-webhooks`, `svix` and `openai` for `standard`. `"hex"`
    /// reads the header `x-webhook-signature`.
    fn from_str(s: &str) -> Result<Scheme, UnknownScheme> {
        match s.to_ascii_lowercase().as_str() {
            "standard" | "standard-webhooks" | "standardwebhooks" | "svix" | "openai" => {
                Ok(Scheme::StandardWebhooks)
            }
            #[cfg(feature = "ed25519")]
            "standard-ed25519" | "v1a" => Ok(Scheme::StandardWebhooksEd25519),
            "github" => Ok(Scheme::GitHub),
            "stripe" => Ok(Scheme::Stripe),
            "slack" => Ok(Scheme::Slack),
            "shopify" => Ok(Scheme::Shopify),
            "gateway" => Ok(Scheme::gateway()),
            "hex" => Ok(Scheme::hex_body("x-webhook-signature")),
            _ => Err(UnknownScheme(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in [
            "standard", "github", "stripe", "slack", "shopify", "gateway", "hex",
        ] {
            let s: Scheme = name.parse().unwrap();
            assert_eq!(s.name(), name);
        }
        assert_eq!(
            "OpenAI".parse::<Scheme>().unwrap(),
            Scheme::StandardWebhooks
        );
        assert_eq!(
            "nope".parse::<Scheme>().unwrap_err().code(),
            "unknown_scheme"
        );
    }
}
