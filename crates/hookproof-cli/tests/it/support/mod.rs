//! Helpers: the binary, test secrets and bodies, command builders, and a
//! `hookproof listen` child process.

mod cmd;
mod http;
mod listener;

pub(crate) use cmd::{
    header_args, hookproof, lines, replay, shell, sign, sign_cmd, text, verify, verify_at,
};
pub(crate) use http::{pairs, post};
pub(crate) use listener::Listener;

/// A Standard Webhooks secret (`whsec_` + base64); other schemes use it as
/// plain text.
pub(crate) const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A body with a non-ASCII character and a trailing newline (signatures
/// cover every byte).
pub(crate) const BODY: &[u8] =
    b"{\"id\":\"evt_1\",\"type\":\"webhook.test\",\"data\":{\"note\":\"it's \\u00e9\"}}\n";

/// A fixed signing time: 2023-11-14T22:13:20Z.
pub(crate) const TS: i64 = 1_700_000_000;

/// The schemes whose sign -> verify round trip uses one shared secret.
pub(crate) const HMAC_SCHEMES: &[&str] = &[
    "standard", "github", "stripe", "slack", "shopify", "gateway", "hex",
];

/// Writes [`BODY`] to `body.json` in `dir`.
pub(crate) fn body_file(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = dir.path().join("body.json");
    std::fs::write(&path, BODY).expect("write body");
    path
}

/// Path of the built binary, for long-running children and shell pipelines.
pub(crate) fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_hookproof")
}
