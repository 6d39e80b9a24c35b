//! `Verifier::precheck_at` against `Verifier::verify_at`: whenever the
//! precheck refuses a delivery, verification (with any body) refuses it
//! with the same code; the precheck never refuses a delivery verification
//! accepts. Checked over the negative cases of every scheme, the
//! known-answer vectors and random header mutations.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hookproof_verify::{MAX_HEADER_LEN, MAX_SIGNATURES, Scheme, Secret, Verifier};
use proptest::prelude::*;

use crate::negative::{BODY, Headers, T, at, schemes, setup};

/// Bodies verification is tried with: the signed one, none, another.
const BODIES: [&[u8]; 3] = [BODY, b"", b"{\"id\":\"evt_other\"}"];

/// Asserts the contract for one header set at one time: a refusal is
/// verification's refusal, and an accepted precheck verifies each body
/// exactly as `verify_at` does.
fn assert_contract(v: &Verifier, h: &Headers, now: SystemTime, what: &str) {
    for body in BODIES {
        let full = v.verify_at(h, body, now);
        match (v.precheck_at(h, now), &full) {
            (Err(p), Err(f)) => assert_eq!(p.code(), f.code(), "{what}: {p} / {f}"),
            (Err(p), Ok(_)) => panic!("{what}: precheck refused ({p}) what verify accepts"),
            (Ok(pre), _) => match (pre.verify_at(body, now), &full) {
                (Ok(two), Ok(one)) => assert_eq!(&two, one, "{what}"),
                (Err(two), Err(one)) => assert_eq!(two.code(), one.code(), "{what}"),
                (two, one) => panic!("{what}: prechecked {two:?}, verify_at {one:?}"),
            },
        }
    }
}

/// Variants of a valid delivery `h`: each header removed, duplicated,
/// blanked, truncated, padded, replaced with garbage.
fn variants(h: &Headers) -> Vec<(String, Headers)> {
    let mut out = vec![("as signed".to_owned(), h.clone())];
    for i in 0..h.len() {
        let name = &h[i].0;
        let mut removed = h.clone();
        removed.remove(i);
        out.push((format!("without {name}"), removed));
        let mut dup = h.clone();
        dup.push(h[i].clone());
        out.push((format!("{name} twice"), dup));
        for value in [
            String::new(),
            " ".to_owned(),
            "\u{3000}".to_owned(),
            "garbage".to_owned(),
            "v1,".to_owned(),
            "t=1,v1=zz".to_owned(),
            format!("t={T}"),
            format!("t={T},v1={}", "0".repeat(64)),
            format!("t={T},v1={}", "0".repeat(63)),
            "v1,AAAA v1a,BBBB".to_owned(),
            "sha256=".to_owned(),
            "x".repeat(MAX_HEADER_LEN + 1),
            h[i].1[..h[i].1.len() / 2].to_owned(),
            format!("{}0", h[i].1),
            h[i].1.to_uppercase(),
            vec!["v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="; MAX_SIGNATURES + 1].join(" "),
        ] {
            let mut changed = h.clone();
            changed[i].1 = value.clone();
            let shown: String = value.chars().take(24).collect();
            out.push((format!("{name} = {shown:?}"), changed));
        }
    }
    out
}

fn times() -> [SystemTime; 6] {
    [
        at(T),
        at(T + 300),
        at(T + 301),
        at(T - 301),
        at(T + 86_400),
        UNIX_EPOCH,
    ]
}

#[test]
fn precheck_agrees_with_verify_on_every_negative_case() {
    let mut checked = 0;
    for (scheme, secret) in schemes() {
        let (v, h) = setup(&scheme, secret);
        for (what, headers) in variants(&h) {
            for now in times() {
                assert_contract(&v, &headers, now, &format!("{} {what}", scheme.name()));
                checked += 1;
            }
        }
        // A valid delivery passes the precheck whatever the body.
        assert!(v.precheck_at(&h, at(T)).is_ok(), "{}", scheme.name());
    }
    assert!(checked > 1000, "{checked}");
}

#[test]
fn precheck_refuses_what_needs_no_body_with_the_verify_code() {
    let standard = (
        Scheme::StandardWebhooks,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    let (v, h) = setup(&standard.0, standard.1);
    let check = |h: &Headers, now: SystemTime, want: &str| {
        assert_eq!(v.precheck_at(h, now).unwrap_err().code(), want, "{h:?}");
        assert_eq!(v.verify_at(h, BODY, now).unwrap_err().code(), want, "{h:?}");
    };
    check(&h[1..].to_vec(), at(T), "missing_header");
    check(&h, at(T + 301), "timestamp_too_old");
    check(&h, at(T - 301), "timestamp_in_future");
    let mut blank = h.clone();
    blank[0].1 = " ".into();
    check(&blank, at(T), "invalid_delivery_id");
    let mut foreign = h.clone();
    foreign[2].1 = "v1a,AAAA".into();
    check(&foreign, at(T), "no_supported_signature");
    // Signatures of the checked version that cannot be a tag (truncated,
    // not base64): no body can match them.
    for bad in [
        "v1,",
        "v1,AAAA",
        "v1,!!!!",
        "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6m=",
    ] {
        let mut undecodable = h.clone();
        undecodable[2].1 = bad.into();
        check(&undecodable, at(T), "signature_mismatch");
    }
    let mut ts = h.clone();
    ts[1].1 = "soon".into();
    check(&ts, at(T), "malformed_header");
    // The timestamp is checked in the precheck, so a stale delivery costs
    // no body read.
    let (v, h) = setup(&Scheme::gateway(), "gw-secret");
    assert_eq!(
        v.precheck_at(&h, at(T + 3600)).unwrap_err().code(),
        "timestamp_too_old"
    );
}

#[test]
fn misconfigured_verifier_is_refused_by_the_precheck_too() {
    let key =
        Secret::from_ed25519_public("whpk_A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=").unwrap();
    let v = Verifier::new(Scheme::StandardWebhooks, key);
    let (_, h) = setup(
        &Scheme::StandardWebhooks,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    assert_eq!(
        v.precheck_at(&h, at(T)).unwrap_err().code(),
        "misconfigured"
    );
    assert_contract(&v, &h, at(T), "misconfigured");
}

#[test]
fn precheck_uses_the_system_clock() {
    let (v, h) = setup(
        &Scheme::StandardWebhooks,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    // Signed in 2025: long stale by the system clock.
    assert_eq!(v.precheck(&h).unwrap_err().code(), "timestamp_too_old");
    // GitHub has no timestamp: the clock does not matter.
    let (v, h) = setup(&Scheme::GitHub, "It's a Secret to Everybody");
    assert!(v.precheck(&h).is_ok());
}

#[test]
fn precheck_passes_every_known_answer_vector() {
    let dir = format!("{}/tests/data", env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let Ok(scheme) = file["scheme"].as_str().unwrap().parse::<Scheme>() else {
            // `standard-ed25519` without the feature.
            continue;
        };
        for vector in file["vectors"].as_array().unwrap() {
            let text = vector["secret"].as_str().unwrap();
            let secret = match vector["secret_rule"].as_str().unwrap() {
                "utf8" => Secret::from_utf8(text).unwrap(),
                _ => Secret::for_scheme(&scheme, text).unwrap(),
            };
            let v = Verifier::new(scheme.clone(), secret);
            let headers: Headers = vector["headers"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, val)| (k.clone(), val.as_str().unwrap().to_owned()))
                .collect();
            let now = UNIX_EPOCH + Duration::from_secs(vector["now"].as_u64().unwrap());
            let body = vector["body"].as_str().unwrap().as_bytes();
            assert!(v.verify_at(&headers, body, now).is_ok(), "{path:?}");
            assert!(v.precheck_at(&headers, now).is_ok(), "{path:?}");
            for (what, h) in variants(&headers) {
                assert_contract(&v, &h, now, &format!("{path:?} {what}"));
            }
            seen += 1;
        }
    }
    assert!(seen >= 8, "{seen} vectors");
}

#[cfg(feature = "ed25519")]
#[test]
fn precheck_agrees_with_verify_for_ed25519() {
    use hookproof_verify::Signer;
    let scheme = Scheme::StandardWebhooksEd25519;
    let sk = "whsk_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    let pk = "whpk_A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=";
    let h = Signer::new(scheme.clone(), Secret::for_scheme(&scheme, sk).unwrap())
        .sign("msg_ed", T, BODY);
    let v = Verifier::new(scheme.clone(), Secret::for_scheme(&scheme, pk).unwrap());
    assert!(v.precheck_at(&h, at(T)).is_ok());
    for (what, headers) in variants(&h) {
        for now in times() {
            assert_contract(&v, &headers, now, &format!("ed25519 {what}"));
        }
    }
    // A 64-byte v1a entry is the only syntax it accepts.
    let mut short = h.clone();
    short[2].1 = "v1a,AAAA".into();
    assert_eq!(
        v.precheck_at(&short, at(T)).unwrap_err().code(),
        "signature_mismatch"
    );
}

fn any_scheme() -> impl Strategy<Value = usize> {
    0..schemes().len()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Random edits of a valid delivery's header values and random clocks.
    #[test]
    fn precheck_never_contradicts_verify(
        which in any_scheme(),
        edits in proptest::collection::vec((0usize..4, "[ -~\u{A0}\u{3000}]{0,90}", 0usize..3), 0..3),
        skew in -400i64..400,
    ) {
        let (scheme, secret) = schemes().swap_remove(which);
        let (v, mut h) = setup(&scheme, secret);
        for (at_index, value, how) in edits {
            let i = at_index % h.len();
            match how {
                0 => h[i].1 = value,
                1 => h[i].1.push_str(&value),
                _ => h.push((h[i].0.clone(), value)),
            }
        }
        let now = at(T + skew);
        for body in BODIES {
            let full = v.verify_at(&h, body, now);
            let two_phase = v.precheck_at(&h, now).and_then(|pre| pre.verify_at(body, now));
            prop_assert_eq!(
                two_phase.as_ref().map_err(|e| e.code()),
                full.as_ref().map_err(|e| e.code())
            );
        }
    }
}

#[test]
fn a_prechecked_delivery_checks_its_timestamp_again_when_the_body_has_arrived() {
    for (scheme, secret) in schemes() {
        let (v, h) = setup(&scheme, secret);
        if scheme.name() == "github" || scheme.name() == "shopify" || scheme.name() == "hex" {
            continue; // no timestamp to go stale
        }
        let pre = v.precheck_at(&h, at(T)).expect("fresh at the head");
        let late = pre.verify_at(BODY, at(T + 3600)).unwrap_err();
        assert_eq!(late.code(), "timestamp_too_old", "{}", scheme.name());
    }
}
