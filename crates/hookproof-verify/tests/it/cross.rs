//! Cross-implementation: sign with the peer crates, verify with ours, and back.

use hookproof_verify::{Scheme, Secret, Signer, Verifier};

const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

fn header_map(pairs: &[(String, String)]) -> http::HeaderMap {
    let mut map = http::HeaderMap::new();
    for (k, v) in pairs {
        map.append(
            http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            v.parse().unwrap(),
        );
    }
    map
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn svix_signs_we_verify_and_back() {
    let body = br#"{"type":"request.completed","data":{"tokens":12}}"#;
    let ts = now_secs();
    let svix = svix::webhooks::Webhook::new(SECRET).unwrap();
    let sig = svix.sign("msg_abc", ts, body).unwrap();
    let headers = [
        ("svix-id".to_string(), "msg_abc".to_string()),
        ("svix-timestamp".to_string(), ts.to_string()),
        ("svix-signature".to_string(), sig),
    ];
    let ours = Verifier::new(
        Scheme::StandardWebhooks,
        Secret::from_standard(SECRET).unwrap(),
    );
    let ok = ours.verify(&headers, body).unwrap();
    assert_eq!(ok.id.as_deref(), Some("msg_abc"));

    let signed = Signer::new(
        Scheme::StandardWebhooks,
        Secret::from_standard(SECRET).unwrap(),
    )
    .sign("msg_abc", ts, body);
    svix.verify(body, &header_map(&signed)).unwrap();
    assert!(svix.verify(b"{}", &header_map(&signed)).is_err());
}

#[test]
fn standardwebhooks_signs_we_verify_and_back() {
    let body = br#"{"type":"batch.completed"}"#;
    let ts = now_secs();
    let peer = standardwebhooks::Webhook::new(SECRET).unwrap();
    let sig = peer.sign("msg_xyz", ts, body).unwrap();
    let headers = [
        ("webhook-id", "msg_xyz"),
        ("webhook-timestamp", &ts.to_string()),
        ("webhook-signature", &sig),
    ];
    let ours = Verifier::new(
        Scheme::StandardWebhooks,
        Secret::from_standard(SECRET).unwrap(),
    );
    assert_eq!(ours.verify(&headers[..], body).unwrap().timestamp, Some(ts));

    let signed = Signer::new(
        Scheme::StandardWebhooks,
        Secret::from_standard(SECRET).unwrap(),
    )
    .sign("msg_xyz", ts, body);
    peer.verify(body, &header_map(&signed)).unwrap();
}

#[test]
fn peers_accept_our_rotation_header_and_we_accept_theirs_among_others() {
    let body = br#"{"type":"request.failed"}"#;
    let ts = now_secs();
    let old = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let secrets = vec![
        Secret::from_standard(old).unwrap(),
        Secret::from_standard(SECRET).unwrap(),
    ];
    let signed = Signer::with_secrets(Scheme::StandardWebhooks, secrets)
        .unwrap()
        .sign("msg_rot", ts, body);
    assert_eq!(signed[2].1.split(' ').count(), 2);
    // Each peer, knowing only one of the two secrets, accepts the rotated header.
    svix::webhooks::Webhook::new(SECRET)
        .unwrap()
        .verify(body, &header_map(&signed))
        .unwrap();
    standardwebhooks::Webhook::new(old)
        .unwrap()
        .verify(body, &header_map(&signed))
        .unwrap();

    // A peer signature placed after a v1a entry and a stale v1 still verifies with us.
    let peer = svix::webhooks::Webhook::new(SECRET)
        .unwrap()
        .sign("msg_rot", ts, body)
        .unwrap();
    let header = format!("v1a,AAAA v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= {peer}");
    let headers = [
        ("webhook-id", "msg_rot".to_string()),
        ("webhook-timestamp", ts.to_string()),
        ("webhook-signature", header),
    ];
    let ours = Verifier::new(
        Scheme::StandardWebhooks,
        Secret::from_standard(SECRET).unwrap(),
    );
    ours.verify(&headers, body).unwrap();
}

#[test]
fn we_reject_what_peers_reject() {
    let ts = now_secs() - 301;
    let body = br#"{"a":1}"#;
    let peer = svix::webhooks::Webhook::new(SECRET).unwrap();
    let sig = peer.sign("msg_old", ts, body).unwrap();
    let headers = [
        ("webhook-id", "msg_old".to_string()),
        ("webhook-timestamp", ts.to_string()),
        ("webhook-signature", sig),
    ];
    let pairs: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    assert!(peer.verify(body, &header_map(&pairs)).is_err());
    let ours = Verifier::new(
        Scheme::StandardWebhooks,
        Secret::from_standard(SECRET).unwrap(),
    );
    assert_eq!(
        ours.verify(&headers, body).unwrap_err().code(),
        "timestamp_too_old"
    );
}
