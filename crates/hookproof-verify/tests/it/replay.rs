//! Replay through the delivery id, per scheme: one captured valid delivery
//! resent under a different id header. Where the scheme signs the id
//! (Standard Webhooks v1 and v1a, the gateway format, custom schemes with
//! `Part::Id`) that is `signature_mismatch`; where it does not (GitHub,
//! Shopify) the resent delivery verifies under the new id, which is what
//! the docs of `Verified::id` and of those schemes warn about. Schemes
//! without an id header (Stripe, Slack, hex) can only be replayed as they
//! are, which the idempotency store catches on their body id.

use hookproof_verify::Scheme;

use crate::negative::{BODY, Headers, T, at, code, millis_scheme, setup};

const CAPTURED_ID: &str = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";

/// The captured delivery `h` with its id header `name` set to `id`.
fn resent(h: &Headers, name: &str, id: &str) -> Headers {
    let mut out = h.clone();
    let slot = out
        .iter_mut()
        .find(|(k, _)| k == name)
        .unwrap_or_else(|| panic!("no {name} in {h:?}"));
    slot.1 = id.to_owned();
    out
}

/// Fresh ids an attacker might pick: another id, a prefix or extension of
/// the real one, one differing in case only.
fn fresh_ids() -> [String; 4] {
    [
        "msg_fresh_1".to_owned(),
        format!("{CAPTURED_ID}x"),
        CAPTURED_ID[..CAPTURED_ID.len() - 1].to_owned(),
        CAPTURED_ID.to_ascii_lowercase(),
    ]
}

#[test]
fn signed_ids_cannot_be_changed() {
    let cases = [
        (
            Scheme::StandardWebhooks,
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "webhook-id",
        ),
        (Scheme::gateway(), "gw-secret", "x-webhook-id"),
        (millis_scheme(), "acme-secret", "x-acme-id"),
    ];
    for (scheme, secret, id_header) in cases {
        let (v, captured) = setup(&scheme, secret);
        assert_eq!(code(v.verify_at(&captured, BODY, at(T))), "ok");
        for id in fresh_ids() {
            let replay = resent(&captured, id_header, &id);
            assert_eq!(
                code(v.verify_at(&replay, BODY, at(T))),
                "signature_mismatch",
                "{} resent as {id}",
                scheme.name()
            );
            // The headers alone look fine: only the signature catches it.
            assert!(v.precheck_at(&replay, at(T)).is_ok());
        }
    }
}

#[test]
fn gateway_replay_with_a_second_id_header_is_ambiguous() {
    let (v, captured) = setup(&Scheme::gateway(), "gw-secret");
    // A second id header next to the signed one is ambiguous.
    let mut two = captured.clone();
    two.push(("X-Webhook-Id".to_owned(), "msg_fresh".to_owned()));
    assert_eq!(code(v.verify_at(&two, BODY, at(T))), "malformed_header");
}

#[cfg(feature = "ed25519")]
#[test]
fn ed25519_signed_id_cannot_be_changed() {
    use hookproof_verify::{Secret, Signer, Verifier};
    let scheme = Scheme::StandardWebhooksEd25519;
    let sk = "whsk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    let pk = "whpk_A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=";
    let captured = Signer::new(scheme.clone(), Secret::for_scheme(&scheme, sk).unwrap()).sign(
        CAPTURED_ID,
        T,
        BODY,
    );
    let v = Verifier::new(scheme.clone(), Secret::for_scheme(&scheme, pk).unwrap());
    assert_eq!(code(v.verify_at(&captured, BODY, at(T))), "ok");
    for id in fresh_ids() {
        let replay = resent(&captured, "webhook-id", &id);
        assert_eq!(
            code(v.verify_at(&replay, BODY, at(T))),
            "signature_mismatch",
            "{id}"
        );
    }
}

/// What the docs say an attacker holding one captured GitHub or Shopify
/// delivery can do: resend it under any new id, and (no signed timestamp)
/// at any time later. The id is not evidence of anything; dedupe on a
/// business id from the body.
#[test]
fn unsigned_ids_can_be_changed_and_the_docs_say_so() {
    let ten_years = 10 * 365 * 86_400;
    for (scheme, secret, id_header) in [
        (
            Scheme::GitHub,
            "It's a Secret to Everybody",
            "x-github-delivery",
        ),
        (
            Scheme::Shopify,
            "shpss_0123456789abcdef",
            "x-shopify-webhook-id",
        ),
    ] {
        let (v, captured) = setup(&scheme, secret);
        for id in fresh_ids() {
            let replay = resent(&captured, id_header, &id);
            let ok = v
                .verify_at(&replay, BODY, at(T + ten_years))
                .unwrap_or_else(|e| panic!("{}: {e}", scheme.name()));
            assert_eq!(ok.id.as_deref(), Some(id.as_str()), "{}", scheme.name());
            assert_eq!(ok.timestamp, None, "{}", scheme.name());
        }
    }
}

#[test]
fn schemes_without_an_id_replay_only_verbatim_within_the_tolerance() {
    for (scheme, secret) in [
        (Scheme::Stripe, "whsec_test_secret"),
        (Scheme::Slack, "8f742231b10e8888abcd99yyyzzz85a5"),
    ] {
        let (v, captured) = setup(&scheme, secret);
        let ok = v.verify_at(&captured, BODY, at(T + 60)).unwrap();
        assert_eq!(ok.id, None, "{}", scheme.name());
        assert_eq!(
            code(v.verify_at(&captured, BODY, at(T + 301))),
            "timestamp_too_old",
            "{}",
            scheme.name()
        );
    }
}
