//! Parsing of arbitrary fixture-file bytes with `Fixture::from_json_slice`
//! (what `hookproof_testkit::load` runs on every file it reads).
//!
//! Properties checked:
//!
//! 1. Parsing never panics; errors are typed (`code()`, `path()`, `field()`
//!    and `Display` work on every one, and the path names `<memory>`).
//! 2. A parsed fixture written back with `Fixture::to_json_pretty` parses to
//!    an equal fixture (documented on `to_json_pretty`).
//! 3. Re-signing works: `Fixture::signed_request` with a Standard Webhooks
//!    signer gives a request that verifies at the signing time, with the
//!    fixture's `delivery_id` as id, whenever that id can travel in a header
//!    unchanged (see the README).
#![no_main]

use std::sync::LazyLock;
use std::time::{Duration, UNIX_EPOCH};

use hookproof_testkit::Fixture;
use hookproof_verify::{MAX_HEADER_LEN, Scheme, Secret, Signer, Verifier};
use http::HeaderValue;
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

static SIGNER: LazyLock<Signer> = LazyLock::new(|| {
    Signer::new(
        Scheme::StandardWebhooks,
        Secret::from_standard(SECRET).expect("test secret"),
    )
});

static VERIFIER: LazyLock<Verifier> = LazyLock::new(|| {
    Verifier::new(
        Scheme::StandardWebhooks,
        Secret::from_standard(SECRET).expect("test secret"),
    )
});

/// Whether `id` reaches the verifier unchanged in a `webhook-id` header: a
/// valid header value, no surrounding spaces or tabs (trimmed as optional
/// whitespace), at most `MAX_HEADER_LEN` bytes.
fn id_survives_transport(id: &str) -> bool {
    HeaderValue::from_str(id).is_ok()
        && id.len() <= MAX_HEADER_LEN
        && id.trim_matches([' ', '\t']) == id
}

fuzz_target!(|data: &[u8]| {
    let fixture = match Fixture::from_json_slice(data) {
        Ok(f) => f,
        Err(e) => {
            assert!(!e.code().is_empty());
            assert_eq!(e.path(), "<memory>");
            let _ = (e.field(), e.to_string(), std::error::Error::source(&e));
            return;
        }
    };
    let _ = (fixture.to_string(), fixture.body.json());
    let body = fixture.body.to_bytes();
    let id = fixture.delivery_id();

    let text = fixture.to_json_pretty();
    match Fixture::from_json_slice(text.as_bytes()) {
        Ok(again) => assert_eq!(again, fixture, "written as:\n{text}"),
        Err(e) => panic!("to_json_pretty output does not parse: {e}\n{text}"),
    }

    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let request = fixture.signed_request(&SIGNER, now);
    assert_eq!(request.body(), &body);
    let verified = VERIFIER.verify_at(request.headers(), request.body(), now);
    if id_survives_transport(&id) {
        match verified {
            Ok(v) => assert_eq!(v.id.as_deref(), Some(id.as_str())),
            Err(e) => panic!("re-signed fixture does not verify: {e} (id {id:?})"),
        }
    }
});
