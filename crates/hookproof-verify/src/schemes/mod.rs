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
/// | [`Scheme::gateway`] (`"gateway"`) | `X-Webhook-Signature: t=<ts>,v1=<sig>`, id `X-Webhook-Id` (required) | `{t}.{id}.{body}` | hex |
/// | [`Scheme::hex_body`] (`"hex"`) | the named header: `<sig>` | body | hex |
///
/// All HMAC schemes use HMAC-SHA256. Timestamps are unix seconds and
/// checked against the verifier's tolerance in both directions.
///
/// # Delivery ids and replays
///
/// Standard Webhooks (v1 and v1a) and the gateway format sign the delivery
/// id, so [`Verified::id`](crate::Verified::id) is a safe deduplication key:
/// a captured delivery resent under another id fails with
/// `signature_mismatch`, and resent as it is it is refused once the
/// timestamp leaves the tolerance.
///
/// **GitHub and Shopify do not sign their id headers and sign no
/// timestamp.** Anyone holding one captured delivery (a log line, a proxy,
/// a leaked request dump) can resend it, forever, under any new
/// `X-GitHub-Delivery` / `X-Shopify-Webhook-Id` value, and every copy
/// verifies. Deduplicating on that id runs the handler once per forged id.
/// Deduplicate instead on a business id inside the signed body (GitHub: the
/// object the event is about, e.g. the pull request's `id` plus `action`;
/// Shopify: the resource's `id` with its `updated_at`), and make the
/// handler idempotent. Stripe, Slack and the hex scheme send no id header:
/// key on the body's event id (Stripe's `id`); their signed timestamp (Stripe,
/// Slack) bounds how long a verbatim replay is accepted.
///
/// An empty or whitespace-only id is refused in every scheme that reads
/// one (`invalid_delivery_id`).
///
/// # Examples
///
/// Each scheme with its secret rule ([`Secret::for_scheme`](crate::Secret::for_scheme))
/// and the headers its sender sends (values from `tests/data/*.json`):
///
/// ```
/// use hookproof_verify::{Scheme, Secret, Verifier};
/// use std::time::{Duration, UNIX_EPOCH};
///
/// fn check(scheme: Scheme, secret: &str, headers: &[(&str, &str)], body: &str, now: u64) -> String {
///     let secret = Secret::for_scheme(&scheme, secret).unwrap();
///     let at = UNIX_EPOCH + Duration::from_secs(now);
///     let ok = Verifier::new(scheme.clone(), secret.clone()).verify_at(headers, body.as_bytes(), at).unwrap();
///     // Tampering is always caught.
///     let err = Verifier::new(scheme, secret).verify_at(headers, b"x", at).unwrap_err();
///     assert_eq!(err.code(), "signature_mismatch");
///     ok.scheme.into()
/// }
///
/// // Stripe: key = the whole `whsec_...` string.
/// let body = "{\n  \"id\": \"evt_test_webhook\",\n  \"object\": \"event\"\n}";
/// check(Scheme::Stripe, "whsec_test_secret", &[(
///     "Stripe-Signature",
///     "t=1700000000,v1=4f1cd7feda9826e746b7d482c4badebb657398df1099e1046364f6196a230150",
/// )], body, 1700000000);
///
/// // Slack: the example of Slack's documentation.
/// let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
/// check(Scheme::Slack, "8f742231b10e8888abcd99yyyzzz85a5", &[
///     ("X-Slack-Request-Timestamp", "1531420618"),
///     ("X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"),
/// ], body, 1531420618);
///
/// // Shopify: base64 HMAC of the body.
/// check(Scheme::Shopify, "test-webhook-secret", &[
///     ("X-Shopify-Hmac-Sha256", "QNyObTlKbMx2qDlPF/ZOZcBqg5OgPg+2oky3zldc0Gw="),
/// ], r#"{"id":1234567890,"email":"customer@example.com","total_price":"123.45"}"#, 0);
///
/// // The gateway format (the signature covers the id) and a plain hex
/// // HMAC of the body.
/// check(Scheme::gateway(), "gw-secret-2026", &[
///     ("X-Webhook-Id", "evt_1"),
///     ("X-Webhook-Signature", "t=1763800000,v1=7cdc9c661e93d2db24367dc4cc1f41bde3825a332de118d1ab1cd5ebd95f4fee"),
/// ], r#"{"id":"evt_1","type":"request.completed"}"#, 1763800000);
/// let name = check(Scheme::hex_body("x-keywordsai-signature"), "kw-secret", &[
///     ("x-keywordsai-signature", "7c9f6c5ce452a5431344c0d6ac41ce5edbb4375f7cb900f67313efc50fe708dc"),
/// ], r#"{"id":"log_1"}"#, 0);
/// assert_eq!(name, "hex");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scheme {
    /// Standard Webhooks v1 (HMAC); also what Svix and OpenAI send.
    StandardWebhooks,
    /// Standard Webhooks v1a (Ed25519), with `whpk_`/`whsk_` keys.
    ///
    /// ```
    /// use hookproof_verify::{Scheme, Secret, Signer, Verifier};
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// let scheme = Scheme::StandardWebhooksEd25519;
    /// let signing = Secret::for_scheme(&scheme, "whsk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").unwrap();
    /// let public = Secret::for_scheme(&scheme, "whpk_A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=").unwrap();
    /// let headers = Signer::new(scheme.clone(), signing).sign("msg_1", 1_700_000_000, b"{}");
    /// let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// assert!(Verifier::new(scheme, public).verify_at(&headers, b"{}", now).is_ok());
    /// ```
    #[cfg(feature = "ed25519")]
    StandardWebhooksEd25519,
    /// GitHub `X-Hub-Signature-256`. Signs neither the
    /// `X-GitHub-Delivery` id nor a timestamp: see
    /// [Delivery ids and replays](Scheme#delivery-ids-and-replays).
    GitHub,
    /// Stripe `Stripe-Signature`.
    Stripe,
    /// Slack `X-Slack-Signature`.
    Slack,
    /// Shopify `X-Shopify-Hmac-Sha256`. Signs neither the
    /// `X-Shopify-Webhook-Id` id nor a timestamp: see
    /// [Delivery ids and replays](Scheme#delivery-ids-and-replays).
    Shopify,
    /// A scheme described with [`CustomScheme::builder`].
    Custom(CustomScheme),
}

impl Scheme {
    /// The gateway format (what hookproof's emitter sends):
    /// `X-Webhook-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]`, each `v1` the
    /// hex HMAC-SHA256 of `{t}.{id}.{body}` where `id` is the `X-Webhook-Id`
    /// header's value, keyed with the secret's UTF-8 bytes. The id is
    /// signed, so it is a safe deduplication key: the same delivery under
    /// another id does not verify. `X-Webhook-Id` is required
    /// (`missing_header` without it, `invalid_delivery_id` when blank).
    ///
    /// ```
    /// use hookproof_verify::{Scheme, Secret, Signer, Verifier};
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// let secret = Secret::for_scheme(&Scheme::gateway(), "gw-secret-2026")?;
    /// let mut headers = Signer::new(Scheme::gateway(), secret.clone()).sign("evt_1", 1_700_000_000, b"{}");
    /// assert_eq!(headers[0], ("x-webhook-id".to_string(), "evt_1".to_string()));
    /// let verifier = Verifier::new(Scheme::gateway(), secret);
    /// let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// assert_eq!(verifier.verify_at(&headers, b"{}", now)?.id.as_deref(), Some("evt_1"));
    ///
    /// // Replayed under a fresh id: refused.
    /// headers[0].1 = "evt_2".to_string();
    /// assert_eq!(verifier.verify_at(&headers, b"{}", now).unwrap_err().code(), "signature_mismatch");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
            other => other.hmac_spec().map(|s| s.name.as_str()).unwrap_or(""),
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
