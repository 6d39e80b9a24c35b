//! Delivery ids: an empty or whitespace-only id is refused in every scheme
//! that reads one (`invalid_delivery_id`, before any signature work); ids up
//! to the header length limit keep verifying; the gateway format requires
//! its id.

use hookproof_verify::{
    CustomScheme, MAX_HEADER_LEN, Scheme, Secret, Signer, TimestampUnit, Verifier, VerifyError,
};

use crate::negative::{BODY, Headers, T, at, code, millis_scheme, setup};

/// A custom scheme whose id header is read but not signed.
fn unsigned_id_scheme() -> Scheme {
    Scheme::Custom(
        CustomScheme::builder()
            .name("acme-unsigned-id")
            .signature_header("x-acme-signature")
            .id_header("x-acme-id")
            .timestamp_header("x-acme-time", TimestampUnit::Seconds)
            .build()
            .unwrap(),
    )
}

/// Every scheme that reads a delivery id, with a secret and its id header.
fn id_schemes() -> Vec<(Scheme, &'static str, &'static str)> {
    vec![
        (
            Scheme::StandardWebhooks,
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "webhook-id",
        ),
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
        (Scheme::gateway(), "gw-secret", "x-webhook-id"),
        (millis_scheme(), "acme-secret", "x-acme-id"),
        (unsigned_id_scheme(), "acme-secret", "x-acme-id"),
    ]
}

/// Blank ids as they may arrive: empty, HTTP optional whitespace only, and
/// (from hand-built header lists) other Unicode whitespace only.
const BLANK: &[&str] = &["", " ", "\t", " \t  ", "\u{A0}", "\u{3000}", " \u{2003} "];

fn with_id(h: &Headers, name: &str, id: &str) -> Headers {
    h.iter()
        .map(|(k, v)| {
            let v = if k == name { id.to_owned() } else { v.clone() };
            (k.clone(), v)
        })
        .collect()
}

#[test]
fn blank_ids_are_refused_in_every_scheme_with_an_id() {
    for (scheme, secret, id_header) in id_schemes() {
        let (v, h) = setup(&scheme, secret);
        assert!(h.iter().any(|(k, _)| k == id_header), "{}", scheme.name());
        for blank in BLANK {
            let sent = with_id(&h, id_header, blank);
            match v.verify_at(&sent, BODY, at(T)) {
                Err(e @ VerifyError::InvalidDeliveryId { .. }) => {
                    assert_eq!(e.code(), "invalid_delivery_id");
                    assert!(e.to_string().contains(id_header), "{e}");
                    assert!(e.hint().contains("id"), "{}", e.hint());
                }
                other => panic!("{} {blank:?}: {other:?}", scheme.name()),
            }
            // Checked before the body matters: precheck says the same.
            assert_eq!(
                v.precheck_at(&sent, at(T)).unwrap_err().code(),
                "invalid_delivery_id",
                "{} {blank:?}",
                scheme.name()
            );
        }
    }
}

#[test]
fn svix_family_blank_id_is_refused_too() {
    let (v, h) = setup(
        &Scheme::StandardWebhooks,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    let svix: Headers = h
        .iter()
        .map(|(k, val)| {
            let val = if k == "webhook-id" {
                "  ".to_owned()
            } else {
                val.clone()
            };
            (k.replace("webhook-", "svix-"), val)
        })
        .collect();
    match v.verify_at(&svix, BODY, at(T)) {
        Err(VerifyError::InvalidDeliveryId { header, .. }) => assert_eq!(header, "svix-id"),
        other => panic!("{other:?}"),
    }
}

#[cfg(feature = "ed25519")]
#[test]
fn ed25519_blank_id_is_refused() {
    let scheme = Scheme::StandardWebhooksEd25519;
    let sk = "whsk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    let pk = "whpk_A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=";
    let signer = Signer::new(scheme.clone(), Secret::for_scheme(&scheme, sk).unwrap());
    let v = Verifier::new(scheme.clone(), Secret::for_scheme(&scheme, pk).unwrap());
    let h = signer.sign("msg_ed", T, BODY);
    assert_eq!(code(v.verify_at(&h, BODY, at(T))), "ok");
    for blank in BLANK {
        let sent = with_id(&h, "webhook-id", blank);
        assert_eq!(
            code(v.verify_at(&sent, BODY, at(T))),
            "invalid_delivery_id",
            "{blank:?}"
        );
    }
    // Signed with a blank id: refused the same way, never a panic.
    let blank = signer.sign(" ", T, BODY);
    assert_eq!(
        code(v.verify_at(&blank, BODY, at(T))),
        "invalid_delivery_id"
    );
}

#[test]
fn signing_a_blank_id_gives_a_delivery_the_verifier_refuses() {
    for (scheme, secret, id_header) in id_schemes() {
        let secret = Secret::for_scheme(&scheme, secret).unwrap();
        let signer = Signer::new(scheme.clone(), secret.clone());
        let v = Verifier::new(scheme.clone(), secret);
        for blank in ["", "   ", "\u{3000}"] {
            let h = signer.sign(blank, T, BODY);
            // The id header is sent as given (see `Signer::sign`).
            assert!(
                h.iter().any(|(k, val)| k == id_header && val == blank),
                "{}: {h:?}",
                scheme.name()
            );
            assert_eq!(
                code(v.verify_at(&h, BODY, at(T))),
                "invalid_delivery_id",
                "{} {blank:?}",
                scheme.name()
            );
        }
    }
}

#[test]
fn ids_up_to_the_header_limit_verify() {
    for (scheme, secret, id_header) in id_schemes() {
        let secret = Secret::for_scheme(&scheme, secret).unwrap();
        let signer = Signer::new(scheme.clone(), secret.clone());
        let v = Verifier::new(scheme.clone(), secret);
        for len in [1, 64, 65, 503, 504, 1024, MAX_HEADER_LEN] {
            let id: String = "id_0123456789abcdef-".chars().cycle().take(len).collect();
            let h = signer.sign(&id, T, BODY);
            let ok = v
                .verify_at(&h, BODY, at(T))
                .unwrap_or_else(|e| panic!("{} len {len}: {e}", scheme.name()));
            assert_eq!(ok.id.as_deref(), Some(id.as_str()), "{}", scheme.name());
            assert!(v.precheck_at(&h, at(T)).is_ok());
        }
        // One byte over the limit is a malformed header, not a mismatch.
        let id = "x".repeat(MAX_HEADER_LEN + 1);
        let h = signer.sign(&id, T, BODY);
        match v.verify_at(&h, BODY, at(T)) {
            Err(VerifyError::MalformedHeader { header, .. }) => assert_eq!(header, id_header),
            other => panic!("{}: {other:?}", scheme.name()),
        }
    }
}

#[test]
fn ids_with_inner_spaces_or_unicode_are_not_blank() {
    for (scheme, secret, _) in id_schemes() {
        let secret = Secret::for_scheme(&scheme, secret).unwrap();
        let signer = Signer::new(scheme.clone(), secret.clone());
        let v = Verifier::new(scheme.clone(), secret);
        for id in ["a b", "évt_1", "\u{3000}x", "0"] {
            let h = signer.sign(id, T, BODY);
            let ok = v.verify_at(&h, BODY, at(T)).unwrap();
            assert_eq!(ok.id.as_deref(), Some(id), "{}", scheme.name());
        }
    }
}

#[test]
fn the_gateway_format_requires_its_id() {
    let (v, h) = setup(&Scheme::gateway(), "gw-secret");
    assert_eq!(h[0].0, "x-webhook-id");
    let without: Headers = h[1..].to_vec();
    match v.verify_at(&without, BODY, at(T)) {
        Err(VerifyError::MissingHeader { header }) => assert_eq!(header, "x-webhook-id"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        v.precheck_at(&without, at(T)).unwrap_err().code(),
        "missing_header"
    );
}

#[test]
fn unsigned_ids_stay_optional_where_the_sender_may_omit_them() {
    // GitHub and Shopify: the id header is informational (not signed); a
    // delivery without it verifies and reports no id.
    for (scheme, secret) in [
        (Scheme::GitHub, "It's a Secret to Everybody"),
        (Scheme::Shopify, "shpss_0123456789abcdef"),
    ] {
        let (v, h) = setup(&scheme, secret);
        let without: Headers = h[1..].to_vec();
        let ok = v.verify_at(&without, BODY, at(T)).unwrap();
        assert_eq!(ok.id, None, "{}", scheme.name());
    }
}
