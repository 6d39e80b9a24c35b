//! Property tests: sign→verify round trips for random secrets, ids and
//! bodies in every scheme; any change to the body, id or timestamp is
//! rejected.

use std::time::{Duration, UNIX_EPOCH};

use hookproof_verify::{Scheme, Secret, Signer, Verifier};
use proptest::prelude::*;

fn scheme() -> impl Strategy<Value = Scheme> {
    prop_oneof![
        Just(Scheme::StandardWebhooks),
        Just(Scheme::GitHub),
        Just(Scheme::Stripe),
        Just(Scheme::Slack),
        Just(Scheme::Shopify),
        Just(Scheme::gateway()),
        Just(Scheme::hex_body("x-keywordsai-signature")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn round_trip_and_tamper(
        scheme in scheme(),
        key in proptest::collection::vec(any::<u8>(), 1..80),
        id in "[A-Za-z0-9_]{1,40}",
        ts in 1_000_000_000i64..4_000_000_000,
        body in proptest::collection::vec(any::<u8>(), 0..2048),
        flip in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let secret = Secret::from_bytes(key).unwrap();
        let headers = Signer::new(scheme.clone(), secret.clone()).sign(&id, ts, &body);
        let verifier = Verifier::new(scheme.clone(), secret);
        let now = UNIX_EPOCH + Duration::from_secs(ts as u64);
        let ok = verifier.verify_at(&headers, &body, now).unwrap();
        prop_assert_eq!(ok.scheme.as_str(), scheme.name());

        let mut extended = body.clone();
        extended.push(b' ');
        prop_assert_eq!(verifier.verify_at(&headers, &extended, now).unwrap_err().code(), "signature_mismatch");
        if !body.is_empty() {
            let mut tampered = body.clone();
            tampered[flip.index(body.len())] ^= 1 << bit;
            prop_assert_eq!(verifier.verify_at(&headers, &tampered, now).unwrap_err().code(), "signature_mismatch");
        }
    }

    #[test]
    fn standard_id_and_timestamp_are_bound(
        key in proptest::collection::vec(any::<u8>(), 1..64),
        id in "[A-Za-z0-9_]{1,40}",
        other in "[A-Za-z0-9_]{1,40}",
        ts in 1_000_000_000i64..4_000_000_000,
        body in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        prop_assume!(id != other);
        let secret = Secret::from_bytes(key).unwrap();
        let mut headers = Signer::new(Scheme::StandardWebhooks, secret.clone()).sign(&id, ts, &body);
        let verifier = Verifier::new(Scheme::StandardWebhooks, secret);
        let now = UNIX_EPOCH + Duration::from_secs(ts as u64);
        headers[0].1 = other;
        prop_assert_eq!(verifier.verify_at(&headers, &body, now).unwrap_err().code(), "signature_mismatch");
        headers[0].1 = id;
        headers[1].1 = (ts + 1).to_string();
        prop_assert_eq!(verifier.verify_at(&headers, &body, now).unwrap_err().code(), "signature_mismatch");
    }

    #[test]
    fn garbage_headers_never_panic(
        scheme in scheme(),
        values in proptest::collection::vec(".{0,200}", 0..6),
        body in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let names = ["webhook-id", "webhook-timestamp", "webhook-signature", "stripe-signature",
            "x-hub-signature-256", "x-slack-signature"];
        let headers: Vec<(&str, &str)> = values.iter().enumerate().map(|(i, v)| (names[i % names.len()], v.as_str())).collect();
        let verifier = Verifier::new(scheme, Secret::from_utf8("s").unwrap());
        prop_assert!(verifier.verify(&headers, &body).is_err());
    }
}
