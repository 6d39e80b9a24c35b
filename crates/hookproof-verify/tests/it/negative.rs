//! Negative cases for every scheme: tampered body, truncated signature,
//! wrong secret, stale and future timestamps with the exact tolerance
//! edge, malformed, missing and duplicated headers, empty signature lists.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hookproof_verify::{
    CustomScheme, MAX_HEADER_LEN, MAX_SIGNATURES, Part, Scheme, Secret, Signer, TimestampUnit,
    Verifier, VerifyError,
};

pub(crate) const T: i64 = 1_763_800_000;
pub(crate) const BODY: &[u8] = br#"{"id":"evt_1","type":"request.completed","data":{"tokens":42}}"#;

pub(crate) type Headers = Vec<(String, String)>;

pub(crate) fn at(secs: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs as u64)
}

pub(crate) fn millis_scheme() -> Scheme {
    Scheme::Custom(
        CustomScheme::builder()
            .name("acme")
            .signature_header("x-acme-signature")
            .prefix("sha256=")
            .id_header("x-acme-id")
            .timestamp_header("x-acme-time", TimestampUnit::Millis)
            .signed_content([
                Part::Id,
                Part::literal(":"),
                Part::Timestamp,
                Part::literal(":"),
                Part::Body,
            ])
            .build()
            .unwrap(),
    )
}

/// Every HMAC scheme with a secret string in its own format.
pub(crate) fn schemes() -> Vec<(Scheme, &'static str)> {
    vec![
        (
            Scheme::StandardWebhooks,
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        ),
        (Scheme::GitHub, "It's a Secret to Everybody"),
        (Scheme::Stripe, "whsec_test_secret"),
        (Scheme::Slack, "8f742231b10e8888abcd99yyyzzz85a5"),
        (Scheme::Shopify, "shpss_0123456789abcdef"),
        (Scheme::gateway(), "gw-secret"),
        (Scheme::hex_body("x-keywordsai-signature"), "kw-secret"),
        (millis_scheme(), "acme-secret"),
    ]
}

pub(crate) fn has_timestamp(s: &Scheme) -> bool {
    !matches!(s.name(), "github" | "shopify" | "hex")
}

pub(crate) fn setup(scheme: &Scheme, secret: &str) -> (Verifier, Headers) {
    let secret = Secret::for_scheme(scheme, secret).unwrap();
    let headers = Signer::new(scheme.clone(), secret.clone()).sign(
        "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
        T,
        BODY,
    );
    (Verifier::new(scheme.clone(), secret), headers)
}

pub(crate) fn code(r: Result<hookproof_verify::Verified, VerifyError>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(e) => e.code(),
    }
}

pub(crate) fn sig_index(h: &Headers) -> usize {
    h.len() - 1
}

#[test]
fn valid_delivery_verifies_for_every_scheme() {
    for (scheme, secret) in schemes() {
        let (v, h) = setup(&scheme, secret);
        let ok = v
            .verify_at(&h, BODY, at(T))
            .unwrap_or_else(|e| panic!("{}: {e}", scheme.name()));
        assert_eq!(ok.scheme, scheme.name());
        assert_eq!(
            ok.timestamp.is_some(),
            has_timestamp(&scheme),
            "{}",
            scheme.name()
        );
    }
}

#[test]
fn one_changed_body_byte_is_rejected() {
    for (scheme, secret) in schemes() {
        let (v, h) = setup(&scheme, secret);
        for i in [0, BODY.len() / 2, BODY.len() - 1] {
            let mut body = BODY.to_vec();
            body[i] ^= 0x20;
            assert_eq!(
                code(v.verify_at(&h, &body, at(T))),
                "signature_mismatch",
                "{}",
                scheme.name()
            );
        }
        assert_eq!(
            code(v.verify_at(&h, &BODY[..BODY.len() - 1], at(T))),
            "signature_mismatch"
        );
        assert_eq!(code(v.verify_at(&h, b"", at(T))), "signature_mismatch");
    }
}

#[test]
fn truncated_signature_never_matches() {
    for (scheme, secret) in schemes() {
        let (v, mut h) = setup(&scheme, secret);
        let i = sig_index(&h);
        h[i].1.pop();
        assert_eq!(
            code(v.verify_at(&h, BODY, at(T))),
            "signature_mismatch",
            "{}",
            scheme.name()
        );
    }
}

#[test]
fn wrong_secret_is_rejected_and_message_reveals_nothing() {
    for (scheme, secret) in schemes() {
        let (_, h) = setup(&scheme, secret);
        let other = Verifier::new(
            scheme.clone(),
            Secret::from_bytes(b"another-secret-entirely".to_vec()).unwrap(),
        );
        let err = other.verify_at(&h, BODY, at(T)).unwrap_err();
        assert_eq!(err.code(), "signature_mismatch", "{}", scheme.name());
        let msg = format!("{err} {err:?} {}", err.hint());
        let sig = &h[sig_index(&h)].1;
        assert!(!msg.contains(sig.as_str()), "{msg}");
        assert!(
            msg.contains(&h[sig_index(&h)].0),
            "error names the header: {msg}"
        );
    }
}

#[test]
fn tolerance_edges_are_inclusive_both_ways() {
    let tol = 300;
    for (scheme, secret) in schemes().into_iter().filter(|(s, _)| has_timestamp(s)) {
        let (v, h) = setup(&scheme, secret);
        let name = scheme.name().to_owned();
        assert_eq!(code(v.verify_at(&h, BODY, at(T + tol))), "ok", "{name}");
        assert_eq!(code(v.verify_at(&h, BODY, at(T - tol))), "ok", "{name}");
        assert_eq!(
            code(v.verify_at(&h, BODY, at(T + tol + 1))),
            "timestamp_too_old",
            "{name}"
        );
        assert_eq!(
            code(v.verify_at(&h, BODY, at(T - tol - 1))),
            "timestamp_in_future",
            "{name}"
        );
        match v.verify_at(&h, BODY, at(T + 3600)) {
            Err(VerifyError::TimestampTooOld {
                skew_secs,
                tolerance_secs,
                ..
            }) => {
                assert_eq!((skew_secs, tolerance_secs), (3600, 300), "{name}");
            }
            other => panic!("{name}: {other:?}"),
        }
        let msg = v.verify_at(&h, BODY, at(T - 7200)).unwrap_err().to_string();
        assert!(msg.contains("7200 s in the future"), "{msg}");
    }
}

#[test]
fn schemes_without_timestamp_ignore_the_clock() {
    for (scheme, secret) in schemes().into_iter().filter(|(s, _)| !has_timestamp(s)) {
        let (v, h) = setup(&scheme, secret);
        assert_eq!(
            code(v.verify_at(&h, BODY, at(T + 10 * 365 * 86_400))),
            "ok",
            "{}",
            scheme.name()
        );
    }
}

#[test]
fn custom_tolerance_applies() {
    let (scheme, secret) = (
        Scheme::StandardWebhooks,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    let v = Verifier::builder(scheme.clone())
        .secret(Secret::for_scheme(&scheme, secret).unwrap())
        .tolerance(Duration::from_secs(10))
        .build()
        .unwrap();
    let (_, h) = setup(&scheme, secret);
    assert_eq!(code(v.verify_at(&h, BODY, at(T + 10))), "ok");
    assert_eq!(code(v.verify_at(&h, BODY, at(T + 11))), "timestamp_too_old");
}

#[test]
fn missing_headers_are_named() {
    for (scheme, secret) in schemes() {
        let (v, h) = setup(&scheme, secret);
        // Without the signature header.
        let i = sig_index(&h);
        let mut without = h.clone();
        let (name, _) = without.remove(i);
        match v.verify_at(&without, BODY, at(T)) {
            Err(VerifyError::MissingHeader { header }) => assert_eq!(header, name),
            other => panic!("{}: {other:?}", scheme.name()),
        }
    }
    // Standard: each of the three.
    let (v, h) = setup(
        &Scheme::StandardWebhooks,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    for skip in 0..3 {
        let partial: Headers = h
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, p)| p.clone())
            .collect();
        assert_eq!(code(v.verify_at(&partial, BODY, at(T))), "missing_header");
    }
    // Slack without its timestamp header.
    let (v, h) = setup(&Scheme::Slack, "8f742231b10e8888abcd99yyyzzz85a5");
    assert_eq!(code(v.verify_at(&h[1..], BODY, at(T))), "missing_header");
}

#[test]
fn malformed_headers() {
    // Timestamp not plain digits.
    for bad in [
        "abc",
        "-1",
        "+1763800000",
        "1763800000.5",
        "1e9",
        "",
        "17638 00000",
    ] {
        let (v, mut h) = setup(
            &Scheme::StandardWebhooks,
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        );
        h[1].1 = bad.to_owned();
        assert_eq!(
            code(v.verify_at(&h, BODY, at(T))),
            "malformed_header",
            "{bad:?}"
        );
    }
    let (v, mut h) = setup(&Scheme::Stripe, "whsec_test_secret");
    h[0].1 = h[0].1.replacen(&format!("t={T}"), "t=soon", 1);
    assert_eq!(code(v.verify_at(&h, BODY, at(T))), "malformed_header");
    let (v, mut h) = setup(&Scheme::Stripe, "whsec_test_secret");
    h[0].1 = h[0].1.replacen(&format!("t={T},"), "", 1);
    assert_eq!(
        code(v.verify_at(&h, BODY, at(T))),
        "malformed_header",
        "no t="
    );
    let (v, mut h) = setup(&Scheme::Stripe, "whsec_test_secret");
    h[0].1 = format!("t={T},{}", h[0].1);
    assert_eq!(
        code(v.verify_at(&h, BODY, at(T))),
        "malformed_header",
        "t= twice"
    );
    // Too long, not UTF-8.
    let (v, mut h) = setup(&Scheme::GitHub, "It's a Secret to Everybody");
    let i = sig_index(&h);
    h[i].1.push_str(&" ".repeat(MAX_HEADER_LEN));
    assert_eq!(code(v.verify_at(&h, BODY, at(T))), "malformed_header");
    let raw = [("x-hub-signature-256", b"sha256=\xff\xfe".as_slice())];
    assert_eq!(code(v.verify_at(&raw, BODY, at(T))), "malformed_header");
}

#[test]
fn whitespace_around_header_values_is_not_part_of_them() {
    let (v, h) = setup(
        &Scheme::StandardWebhooks,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    let padded: Headers = h
        .iter()
        .map(|(k, val)| (k.clone(), format!(" \t{val} ")))
        .collect();
    assert_eq!(
        v.verify_at(&padded, BODY, at(T)).unwrap().id.as_deref(),
        Some("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W")
    );
}

#[test]
fn too_many_signatures_are_refused() {
    let (v, h) = setup(
        &Scheme::StandardWebhooks,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    let mut many = h.clone();
    let filler = vec!["v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="; MAX_SIGNATURES].join(" ");
    many[2].1 = format!("{filler} {}", h[2].1);
    assert_eq!(code(v.verify_at(&many, BODY, at(T))), "malformed_header");
    // At the cap it still verifies.
    let filler =
        vec!["v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="; MAX_SIGNATURES - 1].join(" ");
    many[2].1 = format!("{filler} {}", h[2].1);
    assert_eq!(code(v.verify_at(&many, BODY, at(T))), "ok");
}

#[test]
fn duplicated_headers() {
    // An id or timestamp given twice is ambiguous.
    for i in [0, 1] {
        let (v, h) = setup(
            &Scheme::StandardWebhooks,
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        );
        let mut dup = h.clone();
        dup.push(h[i].clone());
        assert_eq!(
            code(v.verify_at(&dup, BODY, at(T))),
            "malformed_header",
            "header {i}"
        );
    }
    let (v, h) = setup(&Scheme::Slack, "8f742231b10e8888abcd99yyyzzz85a5");
    let mut dup = h.clone();
    dup.push((h[0].0.to_uppercase(), (T + 1).to_string()));
    assert_eq!(code(v.verify_at(&dup, BODY, at(T))), "malformed_header");
    // Standard: every signature header line is read.
    let (v, h) = setup(
        &Scheme::StandardWebhooks,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    let mut two = h.clone();
    two.insert(
        2,
        (
            "Webhook-Signature".into(),
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=".into(),
        ),
    );
    assert_eq!(code(v.verify_at(&two, BODY, at(T))), "ok");
    // GitHub: a wrong value then the right one still verifies.
    let (v, h) = setup(&Scheme::GitHub, "It's a Secret to Everybody");
    let mut two = h.clone();
    two.insert(0, (h[1].0.clone(), format!("sha256={}", "0".repeat(64))));
    assert_eq!(code(v.verify_at(&two, BODY, at(T))), "ok");
    // Stripe: a second Stripe-Signature would carry a second timestamp.
    let (v, h) = setup(&Scheme::Stripe, "whsec_test_secret");
    let mut two = h.clone();
    two.push(h[0].clone());
    assert_eq!(code(v.verify_at(&two, BODY, at(T))), "malformed_header");
}

#[test]
fn empty_or_foreign_signature_lists() {
    let cases: Vec<(Scheme, &str, Vec<&str>)> = vec![
        (
            Scheme::StandardWebhooks,
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            vec!["", " ", "v1a,AAAA", "v2,abc"],
        ),
        (Scheme::GitHub, "s", vec!["", "sha1=0123", "0123abcd"]),
        (Scheme::Slack, "s", vec!["", "v1=abcdef"]),
        (Scheme::Shopify, "s", vec![""]),
        (Scheme::Stripe, "whsec_x", vec![]),
    ];
    for (scheme, secret, values) in cases {
        let (v, h) = setup(&scheme, secret);
        for value in values {
            let mut h = h.clone();
            let i = sig_index(&h);
            h[i].1 = value.to_owned();
            assert_eq!(
                code(v.verify_at(&h, BODY, at(T))),
                "no_supported_signature",
                "{} {value:?}",
                scheme.name()
            );
        }
    }
    let (v, _) = setup(&Scheme::Stripe, "whsec_x");
    let h = [("stripe-signature", format!("t={T},v0=abcd"))];
    assert_eq!(code(v.verify_at(&h, BODY, at(T))), "no_supported_signature");
    // `v1,` with an empty signature is a v1 entry that cannot match.
    let (v, mut h) = setup(
        &Scheme::StandardWebhooks,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    h[2].1 = "v1,".into();
    assert_eq!(code(v.verify_at(&h, BODY, at(T))), "signature_mismatch");
}

#[test]
fn svix_family_headers_are_not_mixed() {
    let (v, h) = setup(
        &Scheme::StandardWebhooks,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    let svix: Headers = h
        .iter()
        .map(|(k, v)| (k.replace("webhook-", "svix-"), v.clone()))
        .collect();
    assert_eq!(
        v.verify_at(&svix, BODY, at(T)).unwrap().id.as_deref(),
        Some("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W")
    );
    // webhook-signature present, id only as svix-id: the webhook-* family is incomplete.
    let mixed = vec![svix[0].clone(), h[1].clone(), h[2].clone()];
    match v.verify_at(&mixed, BODY, at(T)) {
        Err(VerifyError::MissingHeader { header }) => assert_eq!(header, "webhook-id"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn changed_id_or_timestamp_is_rejected_where_signed() {
    let (v, mut h) = setup(
        &Scheme::StandardWebhooks,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    h[0].1.push('x');
    assert_eq!(code(v.verify_at(&h, BODY, at(T))), "signature_mismatch");
    let (v, mut h) = setup(
        &Scheme::StandardWebhooks,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    h[1].1 = (T + 1).to_string();
    assert_eq!(code(v.verify_at(&h, BODY, at(T))), "signature_mismatch");
    let (v, mut h) = setup(&millis_scheme(), "acme-secret");
    h[0].1.push('x');
    assert_eq!(code(v.verify_at(&h, BODY, at(T))), "signature_mismatch");
    let (v, mut h) = setup(&Scheme::Slack, "8f742231b10e8888abcd99yyyzzz85a5");
    h[0].1 = (T - 1).to_string();
    assert_eq!(code(v.verify_at(&h, BODY, at(T))), "signature_mismatch");
}

#[test]
fn rotation_reports_the_matching_key() {
    let scheme = Scheme::Stripe;
    let old = Secret::for_scheme(&scheme, "whsec_old").unwrap();
    let new = Secret::for_scheme(&scheme, "whsec_new").unwrap();
    let signed = Signer::with_secrets(scheme.clone(), vec![old.clone(), new.clone()])
        .unwrap()
        .sign("", T, BODY);
    assert_eq!(signed[0].1.matches(",v1=").count(), 2);
    for (secrets, index) in [
        (vec![new.clone()], 0),
        (vec![old.clone()], 0),
        (vec![new.clone(), old.clone()], 0),
    ] {
        let v = Verifier::builder(scheme.clone())
            .secrets(secrets)
            .build()
            .unwrap();
        assert_eq!(v.verify_at(&signed, BODY, at(T)).unwrap().key_index, index);
    }
    // Only the old secret signed; the verifier knows new then old.
    let only_old = Signer::new(scheme.clone(), old.clone()).sign("", T, BODY);
    let v = Verifier::builder(scheme.clone())
        .secrets([new, old])
        .build()
        .unwrap();
    assert_eq!(v.verify_at(&only_old, BODY, at(T)).unwrap().key_index, 1);
    // Single-signature schemes cannot sign with two secrets.
    let two = vec![
        Secret::from_utf8("a").unwrap(),
        Secret::from_utf8("b").unwrap(),
    ];
    assert_eq!(
        Signer::with_secrets(Scheme::GitHub, two)
            .unwrap_err()
            .code(),
        "single_signature_scheme"
    );
}

#[test]
fn secret_kind_must_fit_the_scheme() {
    let public = "whpk_A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=";
    let key = Secret::from_ed25519_public(public).unwrap();
    let err = Verifier::builder(Scheme::StandardWebhooks)
        .secret(key.clone())
        .build()
        .unwrap_err();
    assert_eq!(err.code(), "key_type_mismatch");
    let v = Verifier::new(Scheme::StandardWebhooks, key.clone());
    let (_, h) = setup(
        &Scheme::StandardWebhooks,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    assert_eq!(code(v.verify_at(&h, BODY, at(T))), "misconfigured");
    assert_eq!(
        Signer::try_new(Scheme::GitHub, key).unwrap_err().code(),
        "key_type_mismatch"
    );
}

#[test]
fn every_error_has_a_hint() {
    let (v, h) = setup(
        &Scheme::StandardWebhooks,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    let err = v
        .verify_at(&h, b"{\"reserialized\": true}", at(T))
        .unwrap_err();
    assert!(err.hint().contains("raw body"), "{}", err.hint());
    assert!(err.hint().contains("API key"), "{}", err.hint());
    let err = v.verify_at(&h, BODY, at(T + 999)).unwrap_err();
    assert!(err.hint().contains("clock"), "{}", err.hint());
}
