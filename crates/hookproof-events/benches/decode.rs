//! Typed decoding vs `serde_json::Value` parsing, per fixture, in one run.
//!
//! For every file in `fixtures/{gateway,openai,litellm,legacy}` the body is
//! serialized to bytes once, then measured three ways in the same group:
//! - `value`: `serde_json::from_slice::<serde_json::Value>` (the baseline);
//! - `decode`: [`hookproof_events::decode`] (shape detection + typed decode);
//! - `typed`: the shape's own decoder (`Envelope::from_slice`,
//!   `OpenAiEvent::from_slice`, `BudgetAlert::from_slice`).
//!
//! Run: `cargo bench -p hookproof-events --bench decode -- --warm-up-time 0.5 --measurement-time 1`
//!
//! `HOOKPROOF_PAIRED=1` first prints an interleaved table (see [`paired`]),
//! which is robust on a noisy shared machine; `HOOKPROOF_PAIRED=only` prints
//! just that table and skips criterion.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group};
use hookproof_events::litellm::BudgetAlert;
use hookproof_events::openai::OpenAiEvent;
use hookproof_events::{Envelope, decode};

/// A JSON text without the whitespace between tokens (strings kept as is).
fn minify(json: &str) -> Vec<u8> {
    let (mut out, mut in_str, mut escaped) = (Vec::with_capacity(json.len()), false, false);
    for b in json.bytes() {
        if in_str {
            out.push(b);
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
        } else if !b.is_ascii_whitespace() {
            in_str = b == b'"';
            out.push(b);
        }
    }
    out
}

/// `(group, file stem, body bytes)` for every fixture. The body is what the
/// testkit sends: serde_json's compact re-serialization (keys sorted, so
/// `data` comes before `type`); with `HOOKPROOF_ORDER=file`, the fixture's
/// own key order (a sender's order: `type` before `data`), minified.
fn fixtures() -> Vec<(String, String, Vec<u8>)> {
    #[derive(serde::Deserialize)]
    struct File<'a> {
        #[serde(borrow)]
        body: &'a serde_json::value::RawValue,
    }
    let file_order = std::env::var("HOOKPROOF_ORDER").is_ok_and(|o| o == "file");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut out = Vec::new();
    for group in ["gateway", "openai", "litellm", "legacy"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(group))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p).unwrap();
            let body = if file_order {
                minify(serde_json::from_str::<File<'_>>(&text).unwrap().body.get())
            } else {
                let fixture: serde_json::Value = serde_json::from_str(&text).unwrap();
                serde_json::to_vec(&fixture["body"]).unwrap()
            };
            // Both orders hold the same JSON.
            assert_eq!(
                serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
                serde_json::from_str::<serde_json::Value>(&text).unwrap()["body"]
            );
            let stem = p.file_stem().unwrap().to_str().unwrap().to_owned();
            out.push((group.to_owned(), stem, body));
        }
    }
    out
}

/// Runs function `f` (0 = Value, 1 = `decode()`, 2 = shape decoder) once.
fn run(f: usize, group: &str, body: &[u8]) {
    match (f, group) {
        (0, _) => drop(black_box(
            serde_json::from_slice::<serde_json::Value>(black_box(body)).unwrap(),
        )),
        (1, _) => drop(black_box(decode(black_box(body)).unwrap())),
        (_, "gateway" | "legacy") => {
            drop(black_box(Envelope::from_slice(black_box(body)).unwrap()))
        }
        (_, "openai") => drop(black_box(OpenAiEvent::from_slice(black_box(body)).unwrap())),
        _ => drop(black_box(BudgetAlert::from_slice(black_box(body)).unwrap())),
    }
}

fn bench(c: &mut Criterion) {
    for (group, stem, body) in fixtures() {
        let mut g = c.benchmark_group(format!("{group}.{stem}"));
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_function("value", |b| b.iter(|| run(0, &group, &body)));
        g.bench_function("decode", |b| b.iter(|| run(1, &group, &body)));
        g.bench_function("typed", |b| b.iter(|| run(2, &group, &body)));
        g.finish();
    }
}

criterion_group!(benches, bench);

/// Rounds per fixture in the interleaved table (`HOOKPROOF_ROUNDS` overrides).
const ROUNDS: usize = 1000;
/// Target length of one timed batch, in bytes of input decoded.
const BATCH_BYTES: usize = 16 * 1024;

/// With `HOOKPROOF_PAIRED`: per fixture, every round times a short batch of
/// each function in turn (the order rotates between rounds), and the table
/// shows each function's minimum per-call time over all rounds. Sequential
/// criterion groups drift with the machine's load; interleaved batches see
/// the same conditions, and the minimum is the least disturbed figure.
fn paired() {
    let fixtures = fixtures();
    let rounds = std::env::var("HOOKPROOF_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(ROUNDS);
    println!(
        "| fixture | bytes | Value (µs) | `decode()` (µs) | decode/Value | shape decoder (µs) | typed/Value |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let (mut worst, mut decode_ratios, mut typed_ratios) = (0.0f64, Vec::new(), Vec::new());
    for (group, stem, body) in &fixtures {
        let batch = (BATCH_BYTES / body.len()).clamp(4, 64);
        for f in 0..3 {
            for _ in 0..batch {
                run(f, group, body); // warm up
            }
        }
        let mut best = [f64::MAX; 3];
        for round in 0..rounds {
            for k in 0..3 {
                let f = (round + k) % 3;
                let start = Instant::now();
                for _ in 0..batch {
                    run(f, group, body);
                }
                let per = start.elapsed().as_secs_f64() * 1e6 / batch as f64;
                best[f] = best[f].min(per);
            }
        }
        let (d, t) = (best[1] / best[0], best[2] / best[0]);
        worst = worst.max(d).max(t);
        decode_ratios.push(d);
        typed_ratios.push(t);
        println!(
            "| {group}.{stem} | {} | {:.3} | {:.3} | {d:.2} | {:.3} | {t:.2} |",
            body.len(),
            best[0],
            best[1],
            best[2]
        );
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "\nfixtures: {}; rounds: {rounds}; median decode/Value {:.2}; median typed/Value {:.2}; worst {:.2}",
        fixtures.len(),
        median(&mut decode_ratios),
        median(&mut typed_ratios),
        worst
    );
}

/// With `HOOKPROOF_LOOP=<group.stem>:<function>:<iterations>`: runs one
/// function (0 Value, 1 `decode()`, 2 shape decoder) on one fixture in a
/// loop and exits, for `perf record` or `valgrind --tool=callgrind`.
fn profile_loop(spec: &str) {
    let usage = "HOOKPROOF_LOOP=<group.stem>:<function>:<iterations>";
    let [name, f, n] = spec.split(':').collect::<Vec<_>>()[..] else {
        panic!("{usage}");
    };
    let (f, n): (usize, usize) = (f.parse().expect(usage), n.parse().expect(usage));
    let (group, _, body) = fixtures()
        .into_iter()
        .find(|(g, s, _)| format!("{g}.{s}") == name)
        .expect("no such fixture");
    for _ in 0..n {
        run(f, &group, &body);
    }
}

fn main() {
    if let Ok(spec) = std::env::var("HOOKPROOF_LOOP") {
        return profile_loop(&spec);
    }
    match std::env::var("HOOKPROOF_PAIRED").as_deref() {
        Ok("only") => return paired(),
        Ok(_) => paired(),
        Err(_) => {}
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
