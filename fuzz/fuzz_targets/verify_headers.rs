//! Verification of arbitrary headers and bodies, for every scheme. The input
//! format (header lines, an empty line, the body) is described on [`Input`].
//!
//! Properties checked:
//!
//! 1. `Verifier::verify_at` never panics, whatever the headers, body, clock
//!    and tolerance; errors are typed (`code()`, `hint()` and `Display`
//!    work on every one).
//! 2. `http::HeaderMap` and a plain `(name, value)` list holding the same
//!    headers give the same result (two lookup paths in the crate).
//! 3. No header set verifies under both the test key and an unrelated key
//!    that signs nothing (that would be a signature bypass; a valid
//!    signature for a key the fuzzer never sees is out of its reach).
//! 4. Sign-then-verify round-trips: the headers `Signer::sign` makes for any
//!    body bytes and any id text verify at the signing time, as a header
//!    list and (when every value is a valid header value) as a `HeaderMap`,
//!    also with unrelated extra headers added; the reported id and
//!    timestamp are the signed ones. A blank id (empty or only whitespace)
//!    is refused with `invalid_delivery_id` instead.
//! 5. `Verifier::precheck_at` never contradicts `verify_at`: when it
//!    refuses, verification refuses with the same code; when verification
//!    accepts, it accepts; and the `Prechecked` it returns verifies the
//!    body exactly as `verify_at` does.
#![no_main]

use std::sync::LazyLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hookproof_verify::{
    DEFAULT_TOLERANCE, MAX_HEADER_LEN, Scheme, Secret, Signer, Verified, Verifier, VerifyError,
};
use http::{HeaderMap, HeaderName, HeaderValue};
use libfuzzer_sys::fuzz_target;

/// Every header name a built-in scheme reads; other headers are "extras"
/// that must not change a round trip's result.
const NAMES: &[&str] = &[
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
    "svix-id",
    "svix-timestamp",
    "svix-signature",
    "x-hub-signature-256",
    "x-github-delivery",
    "stripe-signature",
    "x-slack-signature",
    "x-slack-request-timestamp",
    "x-shopify-hmac-sha256",
    "x-shopify-webhook-id",
    "x-webhook-signature",
    "x-webhook-id",
    "x-keywordsai-signature",
];

/// The fixed signing time of the round-trip property.
const SIGNED_AT: i64 = 1_700_000_000;

/// Ed25519 test keys (from the crate's docs): a signing seed and its public key.
const ED25519_SIGNING: &str = "whsk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const ED25519_PUBLIC: &str = "whpk_A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=";
/// A second, unrelated Ed25519 key (the seed `[7; 32]`), signing nothing.
const ED25519_OTHER_SIGNING: &str = "whsk_BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=";

/// One scheme: its signer, a verifier with the signer's key and a verifier
/// with an unrelated key.
struct Case {
    scheme: Scheme,
    signer: Signer,
    verifier: Verifier,
    other: Verifier,
    has_id: bool,
    has_timestamp: bool,
    slow: bool,
}

/// The unrelated HMAC key of property 3. No seed is signed with it, so the
/// fuzzer cannot splice in a valid signature for it.
const OTHER_KEY: &[u8] = b"hookproof-fuzz: a key that signs nothing";

fn hmac_case(scheme: Scheme, secret: &str, has_id: bool, has_ts: bool) -> Case {
    let key = Secret::for_scheme(&scheme, secret).expect("test secret");
    let other = Secret::from_bytes(OTHER_KEY).expect("test secret");
    Case {
        signer: Signer::new(scheme.clone(), key.clone()),
        verifier: Verifier::new(scheme.clone(), key),
        other: Verifier::new(scheme.clone(), other),
        scheme,
        has_id,
        has_timestamp: has_ts,
        slow: false,
    }
}

static CASES: LazyLock<Vec<Case>> = LazyLock::new(|| {
    let ed = Scheme::StandardWebhooksEd25519;
    let ed_key = |s: &str| Secret::for_scheme(&ed, s).expect("test key");
    vec![
        hmac_case(
            Scheme::StandardWebhooks,
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            true,
            true,
        ),
        hmac_case(Scheme::GitHub, "It's a Secret to Everybody", true, false),
        hmac_case(Scheme::Stripe, "whsec_test_secret", false, true),
        hmac_case(
            Scheme::Slack,
            "8f742231b10e8888abcd99yyyzzz85a5",
            false,
            true,
        ),
        hmac_case(Scheme::Shopify, "test-webhook-secret", true, false),
        hmac_case(Scheme::gateway(), "gw-secret-2026", true, true),
        hmac_case(
            Scheme::hex_body("x-keywordsai-signature"),
            "kw-secret",
            false,
            false,
        ),
        Case {
            signer: Signer::new(ed.clone(), ed_key(ED25519_SIGNING)),
            verifier: Verifier::new(ed.clone(), ed_key(ED25519_PUBLIC)),
            other: Verifier::new(ed.clone(), ed_key(ED25519_OTHER_SIGNING)),
            scheme: ed,
            has_id: true,
            has_timestamp: true,
            slow: true,
        },
    ]
});

/// A fuzz input, read as text-like lines (so that seeds are real deliveries):
///
/// ```text
/// @now:1614265340          optional: unix seconds of `now` (default: the signing time)
/// @nanos:500               optional: sub-second part of `now`
/// @tolerance:60            optional: tolerance of an extra Standard Webhooks verifier
/// @id:msg_1                optional: delivery id for the round trip (`@idhex:` for any bytes)
/// @ed25519                 optional: include Ed25519 in the round trip (slow)
/// webhook-id:msg_1         header lines `name:value` (value = raw bytes to the newline)
///                          an empty line ends the headers
/// {"body": ...}            the rest is the body
/// ```
struct Input<'a> {
    headers: Vec<(String, &'a [u8])>,
    now: i64,
    nanos: u32,
    tolerance: Option<u64>,
    id: String,
    ed25519: bool,
    body: &'a [u8],
}

fn number<T: std::str::FromStr>(v: &[u8]) -> Option<T> {
    std::str::from_utf8(v).ok()?.parse().ok()
}

fn hex(v: &[u8]) -> Option<Vec<u8>> {
    let digit = |b: u8| (b as char).to_digit(16);
    v.chunks(2)
        .map(|p| match p {
            [a, b] => Some(u8::try_from(digit(*a)? * 16 + digit(*b)?).ok()?),
            _ => None,
        })
        .collect()
}

impl<'a> Input<'a> {
    fn parse(data: &'a [u8]) -> Input<'a> {
        let mut input = Input {
            headers: Vec::new(),
            now: SIGNED_AT,
            nanos: 0,
            tolerance: None,
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek".to_owned(),
            ed25519: false,
            body: &[],
        };
        let mut rest = data;
        while !rest.is_empty() {
            let (line, next) = match rest.iter().position(|b| *b == b'\n') {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &rest[rest.len()..]),
            };
            rest = next;
            if line.is_empty() {
                break;
            }
            let (key, value) = match line.iter().position(|b| *b == b':') {
                Some(i) => (&line[..i], &line[i + 1..]),
                None => (line, &line[line.len()..]),
            };
            match key {
                b"@now" => input.now = number(value).unwrap_or(input.now),
                b"@nanos" => input.nanos = number(value).unwrap_or(0),
                b"@tolerance" => input.tolerance = number(value),
                b"@id" => input.id = String::from_utf8_lossy(value).into_owned(),
                b"@idhex" => {
                    if let Some(id) = hex(value).and_then(|b| String::from_utf8(b).ok()) {
                        input.id = id;
                    }
                }
                b"@ed25519" => input.ed25519 = true,
                _ => {
                    if let Ok(name) = std::str::from_utf8(key) {
                        input.headers.push((name.to_owned(), value));
                    }
                }
            }
        }
        input.body = rest;
        input
    }
}

fn system_time(secs: i64, nanos: u32) -> Option<SystemTime> {
    let base = if secs >= 0 {
        UNIX_EPOCH.checked_add(Duration::from_secs(secs.unsigned_abs()))?
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs()))?
    };
    base.checked_add(Duration::from_nanos(u64::from(nanos % 1_000_000_000)))
}

/// Exercises everything an error offers; none of it may panic.
fn inspect(result: &Result<Verified, VerifyError>) {
    match result {
        Ok(v) => {
            let _ = (v.id.as_deref(), v.scheme.as_str(), v.timestamp, v.key_index);
        }
        Err(e) => {
            assert!(!e.code().is_empty());
            assert!(!e.hint().is_empty());
            let _ = e.to_string();
        }
    }
}

/// Whether `id` can reach a verifier unchanged: header values are trimmed
/// of spaces and tabs (RFC 9110 optional whitespace) and bounded by
/// `MAX_HEADER_LEN`. See the README for why these two are excluded.
fn id_survives_transport(id: &str) -> bool {
    id.len() <= MAX_HEADER_LEN && id.trim_matches([' ', '\t']) == id
}

/// Whether the verifier refuses `id` as blank (`invalid_delivery_id`):
/// empty or only whitespace once the header's spaces and tabs are trimmed.
fn id_is_blank(id: &str) -> bool {
    id.trim().is_empty()
}

fn to_header_map(pairs: &[(String, Vec<u8>)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(value),
        ) else {
            continue;
        };
        let _ = map.try_append(name, value);
    }
    map
}

fn arbitrary_headers(input: &Input) {
    let Some(now) = system_time(input.now, input.nanos) else {
        return;
    };
    // Only headers a `HeaderMap` accepts, so both forms hold the same set.
    let pairs: Vec<(String, Vec<u8>)> = input
        .headers
        .iter()
        .map(|(n, v)| (n.clone(), v.to_vec()))
        .filter(|(n, v)| {
            HeaderName::from_bytes(n.as_bytes()).is_ok() && HeaderValue::from_bytes(v).is_ok()
        })
        .take(64)
        .collect();
    let map = to_header_map(&pairs);
    let body = input.body;

    for case in CASES.iter() {
        let by_map = case.verifier.verify_at(&map, body, now);
        let by_pairs = case.verifier.verify_at(&pairs, body, now);
        inspect(&by_map);
        let pre = case.verifier.precheck_at(&map, now);
        let pre_code = pre.as_ref().err().map(|e| e.code());
        match (pre, &by_map) {
            (Err(p), Err(v)) => assert_eq!(
                p.code(),
                v.code(),
                "{}: precheck and verify disagree",
                case.scheme.name()
            ),
            (Err(p), Ok(_)) => panic!(
                "{}: precheck refused ({p}) what verify accepts",
                case.scheme.name()
            ),
            // The two-phase path answers exactly as `verify_at` does.
            (Ok(prechecked), _) => {
                let two_phase = prechecked.verify_at(body, now);
                match (&two_phase, &by_map) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "{}", case.scheme.name()),
                    (Err(a), Err(b)) => assert_eq!(a.code(), b.code(), "{}", case.scheme.name()),
                    _ => panic!(
                        "{}: prechecked {two_phase:?}, verify_at {by_map:?}",
                        case.scheme.name()
                    ),
                }
            }
        }
        assert_eq!(
            pre_code,
            case.verifier
                .precheck_at(&pairs, now)
                .as_ref()
                .err()
                .map(|e| e.code()),
            "{}: precheck: HeaderMap and pair list disagree",
            case.scheme.name()
        );
        assert_eq!(
            by_map,
            by_pairs,
            "{}: HeaderMap and pair list disagree",
            case.scheme.name()
        );
        let other = case.other.verify_at(&map, body, now);
        inspect(&other);
        assert!(
            !(by_map.is_ok() && other.is_ok()),
            "{}: verified under two unrelated keys: {by_map:?} / {other:?}",
            case.scheme.name()
        );
    }

    let Some(tolerance) = input.tolerance.map(Duration::from_secs) else {
        return;
    };
    let standard = &CASES[0];
    if let Ok(v) = Verifier::builder(Scheme::StandardWebhooks)
        .secret(
            Secret::from_standard("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("test secret"),
        )
        .tolerance(tolerance)
        .build()
    {
        let r = v.verify_at(&map, body, now);
        inspect(&r);
        // The tolerance changes only whether a timestamp is fresh enough,
        // and a wider one accepts everything a narrower one does.
        let default = standard.verifier.verify_at(&map, body, now);
        let (wide, narrow) = if tolerance >= DEFAULT_TOLERANCE {
            (&r, &default)
        } else {
            (&default, &r)
        };
        if let Ok(n) = narrow {
            assert_eq!(wide.as_ref(), Ok(n), "tolerance {tolerance:?}");
        }
    }
}

fn round_trip(input: &Input) {
    let now = UNIX_EPOCH + Duration::from_secs(SIGNED_AT.unsigned_abs());
    let body = input.body;
    let id = input.id.as_str();
    // Extra headers that no scheme reads.
    let extras: Vec<(String, Vec<u8>)> = input
        .headers
        .iter()
        .map(|(n, v)| (n.clone(), v.to_vec()))
        .filter(|(n, _)| !NAMES.iter().any(|k| k.eq_ignore_ascii_case(n)))
        .take(16)
        .collect();

    for case in CASES.iter() {
        if case.slow && !input.ed25519 {
            continue;
        }
        let signed = case.signer.sign(id, SIGNED_AT, body);
        let result = case.verifier.verify_at(&signed, body, now);
        inspect(&result);
        if case.has_id && id.len() <= MAX_HEADER_LEN && id_is_blank(id) {
            assert_eq!(
                result.as_ref().map_err(VerifyError::code).err(),
                Some("invalid_delivery_id"),
                "{}: blank id {id:?}",
                case.scheme.name()
            );
            continue;
        }
        if case.has_id && !id_survives_transport(id) {
            continue;
        }
        let verified = match result {
            Ok(v) => v,
            Err(e) => panic!(
                "{}: signed delivery does not verify: {e} (id {id:?}, headers {signed:?})",
                case.scheme.name()
            ),
        };
        assert_eq!(verified.scheme.as_str(), case.scheme.name());
        assert_eq!(verified.key_index, 0);
        if case.has_id {
            assert_eq!(verified.id.as_deref(), Some(id), "{}", case.scheme.name());
        } else {
            assert_eq!(verified.id, None, "{}", case.scheme.name());
        }
        let ts = case.has_timestamp.then_some(SIGNED_AT);
        assert_eq!(verified.timestamp, ts, "{}", case.scheme.name());

        // The other key never accepts it.
        assert!(case.other.verify_at(&signed, body, now).is_err());

        // Through a HeaderMap, when every value is a valid header value.
        let pairs: Vec<(String, Vec<u8>)> = signed
            .iter()
            .map(|(n, v)| (n.clone(), v.clone().into_bytes()))
            .collect();
        if pairs
            .iter()
            .all(|(_, v)| HeaderValue::from_bytes(v).is_ok())
        {
            let mut map = to_header_map(&pairs);
            assert_eq!(
                case.verifier.verify_at(&map, body, now).as_ref(),
                Ok(&verified),
                "{}: HeaderMap",
                case.scheme.name()
            );
            for (n, v) in &extras {
                if let (Ok(n), Ok(v)) = (
                    HeaderName::from_bytes(n.as_bytes()),
                    HeaderValue::from_bytes(v),
                ) {
                    let _ = map.try_append(n, v);
                }
            }
            assert_eq!(
                case.verifier.verify_at(&map, body, now).as_ref(),
                Ok(&verified),
                "{}: with extra headers",
                case.scheme.name()
            );
        }
        let mut with_extras = extras.clone();
        with_extras.extend(pairs);
        assert_eq!(
            case.verifier.verify_at(&with_extras, body, now).as_ref(),
            Ok(&verified),
            "{}: pair list with extra headers",
            case.scheme.name()
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let input = Input::parse(data);
    arbitrary_headers(&input);
    round_trip(&input);
});
