//! Standard Webhooks v1a (Ed25519), feature `ed25519`.

use std::time::{Duration, UNIX_EPOCH};

use hookproof_verify::{Scheme, Secret, Signer, Verifier};

const SK: &str = "whsk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const PK: &str = "whpk_A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=";
const T: i64 = 1_700_000_000;

#[test]
fn sign_and_verify_with_public_key() {
    let scheme = Scheme::StandardWebhooksEd25519;
    let signer = Signer::new(scheme.clone(), Secret::for_scheme(&scheme, SK).unwrap());
    let headers = signer.sign("msg_ed", T, b"{}");
    assert!(headers[2].1.starts_with("v1a,"));
    let v = Verifier::new(scheme.clone(), Secret::for_scheme(&scheme, PK).unwrap());
    let now = UNIX_EPOCH + Duration::from_secs(T as u64);
    let ok = v.verify_at(&headers, b"{}", now).unwrap();
    assert_eq!(
        (ok.scheme.as_str(), ok.id.as_deref()),
        ("standard-ed25519", Some("msg_ed"))
    );
    assert_eq!(
        v.verify_at(&headers, b"{ }", now).unwrap_err().code(),
        "signature_mismatch"
    );
    assert_eq!(
        v.verify_at(&headers, b"{}", now + Duration::from_secs(301))
            .unwrap_err()
            .code(),
        "timestamp_too_old"
    );
    // A v1-only header has no v1a entry.
    let hmac = Signer::new(
        Scheme::StandardWebhooks,
        Secret::from_standard("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap(),
    )
    .sign("msg_ed", T, b"{}");
    assert_eq!(
        v.verify_at(&hmac, b"{}", now).unwrap_err().code(),
        "no_supported_signature"
    );
    // Another key pair does not verify.
    let other =
        Secret::from_ed25519_signing("whsk_BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=").unwrap();
    let v2 = Verifier::new(scheme.clone(), other);
    assert_eq!(
        v2.verify_at(&headers, b"{}", now).unwrap_err().code(),
        "signature_mismatch"
    );
}

#[test]
fn key_kinds_are_checked() {
    let scheme = Scheme::StandardWebhooksEd25519;
    assert_eq!(
        Secret::for_scheme(&scheme, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .unwrap_err()
            .code(),
        "wrong_key_type"
    );
    let public = Secret::for_scheme(&scheme, PK).unwrap();
    assert_eq!(
        Signer::try_new(scheme.clone(), public).unwrap_err().code(),
        "key_type_mismatch"
    );
    let hmac = Secret::from_utf8("plain").unwrap();
    assert_eq!(
        Verifier::builder(scheme)
            .secret(hmac)
            .build()
            .unwrap_err()
            .code(),
        "key_type_mismatch"
    );
}
