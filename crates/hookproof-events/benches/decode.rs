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
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hookproof_events::litellm::BudgetAlert;
use hookproof_events::openai::OpenAiEvent;
use hookproof_events::{Envelope, decode};

fn fixtures() -> Vec<(String, String, Vec<u8>)> {
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
            let fixture: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
            let body = serde_json::to_vec(&fixture["body"]).unwrap();
            let stem = p.file_stem().unwrap().to_str().unwrap().to_owned();
            out.push((group.to_owned(), stem, body));
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    for (group, stem, body) in fixtures() {
        let mut g = c.benchmark_group(format!("{group}.{stem}"));
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_function("value", |b| {
            b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)).unwrap())
        });
        g.bench_function("decode", |b| b.iter(|| decode(black_box(&body)).unwrap()));
        match group.as_str() {
            "gateway" | "legacy" => g.bench_function("typed", |b| {
                b.iter(|| Envelope::from_slice(black_box(&body)).unwrap())
            }),
            "openai" => g.bench_function("typed", |b| {
                b.iter(|| OpenAiEvent::from_slice(black_box(&body)).unwrap())
            }),
            _ => g.bench_function("typed", |b| {
                b.iter(|| BudgetAlert::from_slice(black_box(&body)).unwrap())
            }),
        };
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
