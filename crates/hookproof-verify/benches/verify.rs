//! Standard Webhooks verification cost against the raw HMAC floor and the
//! `svix` / `standardwebhooks` crates, at 256 B, 1 KiB, 16 KiB and 256 KiB,
//! all in one run on the same input.
//!
//! Rows per size:
//! - `floor_prekeyed`: clone a pre-keyed `Hmac<Sha256>`, feed
//!   `{id}.{ts}.{body}` in parts, finalize (what our verifier must at least do);
//! - `floor_keyed_per_call`: `Hmac::new_from_slice` + the same;
//! - `hookproof`: `Verifier::verify` on an `http::HeaderMap` (reads the
//!   system clock, as the peers do);
//! - `hookproof_verify_at`: `Verifier::verify_at` with `now` passed in;
//! - `hookproof_precheck_at`: `Verifier::precheck_at` alone (the body-free
//!   checks a server runs before it reads the body);
//! - `svix`, `standardwebhooks`: their `Webhook::verify` on the same map.
//!
//! `cargo bench -p hookproof-verify --bench verify`
//!
//! `HOOKPROOF_PAIRED=1` also prints an interleaved min-of-batches table
//! first (see [`paired`]), for noisy shared machines; `HOOKPROOF_LOOP`
//! runs one row in a loop for a profiler (see [`profile_loop`]).
//!
//! The `HeaderMap` holds what a receiver gets from a Svix-style sender:
//! eight ordinary request headers plus the three signed-delivery headers.
//! `svix` and `standardwebhooks` read the system clock inside `verify`
//! (`OffsetDateTime::now_utc()`); compare them with the `hookproof` row,
//! which does too.

use std::hint::black_box;
use std::time::{SystemTime, UNIX_EPOCH};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use hmac::{Hmac, KeyInit, Mac};
use hookproof_verify::{Scheme, Secret, Signer, Verifier};
use sha2::Sha256;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const KEY_B64: &str = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID: &str = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";

fn body(len: usize) -> Vec<u8> {
    let unit = br#"{"type":"request.completed","model":"gpt-4o","tokens":1234},"#;
    unit.iter().copied().cycle().take(len).collect()
}

/// The headers a receiver gets from a Svix-style sender: the usual request
/// headers (as a server's `HeaderMap` holds them, in arrival order) plus the
/// three signed-delivery headers.
fn header_map(pairs: &[(String, String)]) -> http::HeaderMap {
    let mut map = http::HeaderMap::new();
    for (k, v) in [
        ("host", "hooks.example.com"),
        (
            "user-agent",
            "Svix-Webhooks/1.62.0 (sender-abc123; +https://www.svix.com/http-sender/)",
        ),
        ("content-length", "1024"),
        ("accept", "*/*"),
        ("accept-encoding", "gzip"),
        ("content-type", "application/json"),
        ("x-forwarded-for", "203.0.113.7"),
        ("x-forwarded-proto", "https"),
    ] {
        map.append(k, http::HeaderValue::from_static(v));
    }
    for (k, v) in pairs {
        let name = http::HeaderName::from_bytes(k.as_bytes()).expect("header name");
        map.append(name, v.parse().expect("header value"));
    }
    map
}

fn bench(c: &mut Criterion) {
    let secret = Secret::from_standard(SECRET).expect("secret");
    let key = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(KEY_B64)
            .expect("key")
    };
    let verifier = Verifier::new(Scheme::StandardWebhooks, secret.clone());
    let signer = Signer::new(Scheme::StandardWebhooks, secret);
    let svix = svix::webhooks::Webhook::new(SECRET).expect("svix");
    let sw = standardwebhooks::Webhook::new(SECRET).expect("standardwebhooks");
    let prekeyed = Hmac::<Sha256>::new_from_slice(&key).expect("hmac");

    let mut group = c.benchmark_group("standard_verify");
    for size in [256usize, 1024, 16 * 1024, 256 * 1024] {
        let body = body(size);
        let ts = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock")
            .as_secs() as i64;
        let ts_text = ts.to_string();
        let map = header_map(&signer.sign(ID, ts, &body));
        assert!(verifier.verify(&map, &body).is_ok());
        assert!(svix.verify(&body, &map).is_ok());
        assert!(sw.verify(&body, &map).is_ok());
        group.throughput(Throughput::Bytes(size as u64));

        group.bench_with_input(
            BenchmarkId::new("floor_prekeyed", size),
            &body,
            |b, body| {
                b.iter(|| {
                    let mut mac = prekeyed.clone();
                    mac.update(ID.as_bytes());
                    mac.update(b".");
                    mac.update(ts_text.as_bytes());
                    mac.update(b".");
                    mac.update(black_box(body));
                    black_box(mac.finalize().into_bytes())
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("floor_keyed_per_call", size),
            &body,
            |b, body| {
                b.iter(|| {
                    let mut mac = Hmac::<Sha256>::new_from_slice(black_box(&key)).expect("hmac");
                    mac.update(ID.as_bytes());
                    mac.update(b".");
                    mac.update(ts_text.as_bytes());
                    mac.update(b".");
                    mac.update(black_box(body));
                    black_box(mac.finalize().into_bytes())
                })
            },
        );
        group.bench_with_input(BenchmarkId::new("hookproof", size), &body, |b, body| {
            b.iter(|| black_box(verifier.verify(black_box(&map), black_box(body))).is_ok())
        });
        let now = SystemTime::now();
        group.bench_with_input(
            BenchmarkId::new("hookproof_verify_at", size),
            &body,
            |b, body| {
                b.iter(|| {
                    black_box(verifier.verify_at(black_box(&map), black_box(body), now)).is_ok()
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("hookproof_precheck_at", size),
            &body,
            |b, _| b.iter(|| black_box(verifier.precheck_at(black_box(&map), now)).is_ok()),
        );
        group.bench_with_input(BenchmarkId::new("svix", size), &body, |b, body| {
            b.iter(|| black_box(svix.verify(black_box(body), black_box(&map))).is_ok())
        });
        group.bench_with_input(
            BenchmarkId::new("standardwebhooks", size),
            &body,
            |b, body| b.iter(|| black_box(sw.verify(black_box(body), black_box(&map))).is_ok()),
        );
    }
    group.finish();
}

criterion_group!(benches, bench);

/// Everything one row needs, for the interleaved table and the profiling loop.
struct Setup {
    key: Vec<u8>,
    verifier: Verifier,
    signer: Signer,
    svix: svix::webhooks::Webhook,
    sw: standardwebhooks::Webhook,
    prekeyed: Hmac<Sha256>,
}

/// One body size's input, shared by every row.
struct Input {
    body: Vec<u8>,
    ts_text: String,
    map: http::HeaderMap,
    now: SystemTime,
}

impl Setup {
    fn new() -> Setup {
        let secret = Secret::from_standard(SECRET).expect("secret");
        let key = {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .decode(KEY_B64)
                .expect("key")
        };
        Setup {
            verifier: Verifier::new(Scheme::StandardWebhooks, secret.clone()),
            signer: Signer::new(Scheme::StandardWebhooks, secret),
            svix: svix::webhooks::Webhook::new(SECRET).expect("svix"),
            sw: standardwebhooks::Webhook::new(SECRET).expect("standardwebhooks"),
            prekeyed: Hmac::<Sha256>::new_from_slice(&key).expect("hmac"),
            key,
        }
    }

    fn input(&self, size: usize) -> Input {
        let body = body(size);
        let ts = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock")
            .as_secs() as i64;
        Input {
            map: header_map(&self.signer.sign(ID, ts, &body)),
            ts_text: ts.to_string(),
            body,
            now: SystemTime::now(),
        }
    }

    /// Runs row `row` once (the row order of the interleaved table).
    fn run(&self, row: usize, i: &Input) {
        match row {
            0 => {
                let mut mac = self.prekeyed.clone();
                mac.update(ID.as_bytes());
                mac.update(b".");
                mac.update(i.ts_text.as_bytes());
                mac.update(b".");
                mac.update(black_box(&i.body));
                black_box(mac.finalize().into_bytes());
            }
            1 => {
                let mut mac = Hmac::<Sha256>::new_from_slice(black_box(&self.key)).expect("hmac");
                mac.update(ID.as_bytes());
                mac.update(b".");
                mac.update(i.ts_text.as_bytes());
                mac.update(b".");
                mac.update(black_box(&i.body));
                black_box(mac.finalize().into_bytes());
            }
            2 => assert!(
                black_box(self.verifier.verify(black_box(&i.map), black_box(&i.body))).is_ok()
            ),
            3 => assert!(
                black_box(
                    self.verifier
                        .verify_at(black_box(&i.map), black_box(&i.body), i.now)
                )
                .is_ok()
            ),
            4 => {
                assert!(black_box(self.svix.verify(black_box(&i.body), black_box(&i.map))).is_ok())
            }
            6 => assert!(black_box(self.verifier.precheck_at(black_box(&i.map), i.now)).is_ok()),
            _ => assert!(black_box(self.sw.verify(black_box(&i.body), black_box(&i.map))).is_ok()),
        }
    }
}

/// With `HOOKPROOF_PAIRED=1`: before the criterion run, measure the same
/// rows interleaved (every round times a short batch of each row in turn)
/// and print the minimum per-iteration time of each row over all rounds.
/// On a shared, noisy machine the minimum of interleaved batches is far
/// less disturbed by other processes than sequential criterion rows.
/// `HOOKPROOF_ROUNDS` sets the number of rounds (default 300).
fn paired() {
    use std::time::Instant;
    let setup = Setup::new();
    let rounds: usize = std::env::var("HOOKPROOF_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(300);
    println!(
        "| body | floor pre-keyed | floor keyed/call | hookproof verify | hookproof verify_at | svix | standardwebhooks | precheck_at | ours/floor | verify_at/floor | svix/ours | sw/ours |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for size in [256usize, 1024, 16 * 1024, 256 * 1024] {
        let input = setup.input(size);
        let batch = (16 * 1024 / size).clamp(1, 64);
        let mut best = [f64::MAX; 7];
        for _ in 0..rounds {
            for (row, slot) in best.iter_mut().enumerate() {
                let start = Instant::now();
                for _ in 0..batch {
                    setup.run(row, &input);
                }
                let per = start.elapsed().as_secs_f64() * 1e6 / batch as f64;
                *slot = slot.min(per);
            }
        }
        let us = |v: f64| format!("{v:.3} µs");
        println!(
            "| {size} B | {} | {} | {} | {} | {} | {} | {} | {:.2}× | {:.2}× | {:.1}× | {:.1}× |",
            us(best[0]),
            us(best[1]),
            us(best[2]),
            us(best[3]),
            us(best[4]),
            us(best[5]),
            us(best[6]),
            best[2] / best[0],
            best[3] / best[0],
            best[4] / best[2],
            best[5] / best[2],
        );
    }
}

/// With `HOOKPROOF_LOOP=<row>:<size>:<iterations>`: runs one row of the
/// interleaved table in a loop and exits, for `perf record` or
/// `valgrind --tool=callgrind` (rows: 0 floor pre-keyed, 1 floor keyed per
/// call, 2 verify, 3 verify_at, 4 svix, 5 standardwebhooks, 6 precheck_at).
fn profile_loop(spec: &str) {
    let nums: Vec<usize> = spec
        .split(':')
        .map(|n| n.parse().expect("HOOKPROOF_LOOP=<row>:<size>:<iterations>"))
        .collect();
    let [row, size, iterations] = nums[..] else {
        panic!("HOOKPROOF_LOOP=<row>:<size>:<iterations>");
    };
    let setup = Setup::new();
    let input = setup.input(size);
    for _ in 0..iterations {
        setup.run(row, &input);
    }
}

fn main() {
    if let Ok(spec) = std::env::var("HOOKPROOF_LOOP") {
        return profile_loop(&spec);
    }
    if std::env::var_os("HOOKPROOF_PAIRED").is_some() {
        paired();
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
