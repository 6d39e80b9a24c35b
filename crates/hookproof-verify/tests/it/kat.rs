//! Known-answer vectors from `tests/data/*.json`: one generated test per
//! scheme. Each vector must verify, a one-byte change of its body must not,
//! and (where `signature_header` is set) our signer must reproduce the
//! published signature header byte for byte.

use std::collections::BTreeMap;
use std::time::{Duration, UNIX_EPOCH};

use hookproof_verify::{Scheme, Secret, Signer, Verifier};
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    scheme: String,
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    name: String,
    source: String,
    secret: String,
    secret_rule: String,
    #[serde(default)]
    signing_key: Option<String>,
    headers: BTreeMap<String, String>,
    body: String,
    now: u64,
    id: Option<String>,
    timestamp: Option<i64>,
    signature_header: Option<String>,
}

fn run(file: &str) {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let file: File = serde_json::from_str(&text).unwrap();
    let scheme: Scheme = file.scheme.parse().unwrap();
    assert!(!file.vectors.is_empty(), "{path} has no vectors");
    for v in file.vectors {
        assert!(!v.source.is_empty(), "{}: cite the source", v.name);
        let secret = match v.secret_rule.as_str() {
            "for_scheme" => Secret::for_scheme(&scheme, &v.secret).unwrap(),
            "utf8" => Secret::from_utf8(&v.secret).unwrap(),
            other => panic!("unknown secret_rule {other}"),
        };
        let headers: Vec<(String, String)> = v.headers.clone().into_iter().collect();
        let now = UNIX_EPOCH + Duration::from_secs(v.now);
        let verifier = Verifier::new(scheme.clone(), secret.clone());
        let ok = verifier
            .verify_at(&headers, v.body.as_bytes(), now)
            .unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(ok.id.as_deref(), v.id.as_deref(), "{}", v.name);
        assert_eq!(ok.timestamp, v.timestamp, "{}", v.name);
        assert_eq!(ok.scheme, file.scheme, "{}", v.name);
        assert_eq!(ok.key_index, 0);

        let mut tampered = v.body.clone().into_bytes();
        tampered[0] ^= 0x01;
        let err = verifier.verify_at(&headers, &tampered, now).unwrap_err();
        assert_eq!(err.code(), "signature_mismatch", "{}", v.name);

        let signing = match &v.signing_key {
            Some(k) => Secret::for_scheme(&scheme, k).unwrap(),
            None => secret,
        };
        let signed = Signer::new(scheme.clone(), signing).sign(
            v.id.as_deref().unwrap_or(""),
            v.timestamp.unwrap_or(0),
            v.body.as_bytes(),
        );
        let (name, value) = signed.last().unwrap();
        let published = v
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v);
        match &v.signature_header {
            Some(h) => {
                assert_eq!(name, h, "{}", v.name);
                assert_eq!(Some(value), published, "{}: signer output differs", v.name);
            }
            None if v.signing_key.is_some() => {
                let published = published.unwrap();
                assert!(
                    published.split(' ').any(|e| e == value),
                    "{}: {value} not in {published}",
                    v.name
                );
            }
            None => {}
        }
        // Whatever we sign for this delivery verifies too.
        assert!(
            verifier.verify_at(&signed, v.body.as_bytes(), now).is_ok() || v.signing_key.is_some()
        );
    }
}

macro_rules! kat {
    ($($(#[$m:meta])* $name:ident => $file:literal,)*) => {
        $( $(#[$m])* #[test] fn $name() { run($file); } )*
    };
}

kat! {
    standard_webhooks => "standard.json",
    github => "github.json",
    stripe => "stripe.json",
    slack => "slack.json",
    shopify => "shopify.json",
    gateway => "gateway.json",
    hex_body => "hex.json",
    #[cfg(feature = "ed25519")]
    standard_webhooks_ed25519 => "standard-ed25519.json",
}
