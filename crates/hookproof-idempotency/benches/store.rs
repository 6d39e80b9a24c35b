//! begin+complete pairs per second: memory store on 1 and 2 threads against
//! a raw-dashmap baseline measured in the same run; Redis with 1 and 32
//! concurrent tasks (needs `--features redis` and `HOOKPROOF_REDIS_URL`).
//!
//! Short run (noisy shared machine):
//! `cargo bench -p hookproof-idempotency --features redis --bench store -- --warm-up-time 1 --measurement-time 3`

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dashmap::DashMap;
use hookproof_idempotency::{Begin, IdempotencyStore, MemoryStore, Record};

const LEASE: Duration = Duration::from_secs(30);
const TTL: Duration = Duration::from_secs(3600);

/// Memory-store futures are always ready: poll once, no runtime in the
/// measurement.
fn ready<F: Future>(f: F) -> F::Output {
    match pin!(f).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("memory store futures are ready"),
    }
}

/// `evt_` + 16 hex digits of `i`, without allocating.
fn key(i: u64, buf: &mut [u8; 20]) -> &str {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    buf[..4].copy_from_slice(b"evt_");
    for (n, b) in buf[4..].iter_mut().enumerate() {
        *b = HEX[((i >> (60 - 4 * n)) & 0xf) as usize];
    }
    std::str::from_utf8(buf).expect("ascii")
}

fn pairs<S: IdempotencyStore>(store: &S, keys: std::ops::Range<u64>) {
    let mut buf = [0; 20];
    let record = Record::new(200);
    for i in keys {
        let Ok(Begin::Acquired(claim)) = ready(store.begin(key(i, &mut buf), LEASE)) else {
            panic!("fresh key");
        };
        ready(store.complete(claim, record.clone(), TTL)).expect("complete");
    }
}

/// Steady state: `RING` keys reused over and over; each record's TTL has
/// run out by the time its key comes round again, so every `begin` takes over
/// an expired entry (no map growth, no allocation of new map keys).
const RING: u64 = 1 << 16;

/// Pairs on keys `offset + i % len` of the ring, records expiring at once.
fn ring_pairs(store: &MemoryStore, offset: u64, len: u64, keys: std::ops::Range<u64>) {
    let mut buf = [0; 20];
    let record = Record::new(200);
    let ttl = Duration::from_nanos(1);
    for i in keys {
        let k = key(offset + i % len, &mut buf);
        let Ok(Begin::Acquired(claim)) = ready(store.begin(k, LEASE)) else {
            panic!("expired key");
        };
        ready(store.complete(claim, record.clone(), ttl)).expect("complete");
    }
}

/// The least a pair needs: allocate the key, insert a lease, overwrite it
/// with the outcome — on a bare `DashMap`, no state machine.
fn baseline(map: &DashMap<Arc<str>, (u64, Option<Record>, Instant)>, keys: std::ops::Range<u64>) {
    let mut buf = [0; 20];
    let record = Record::new(200);
    for i in keys {
        let k: Arc<str> = Arc::from(key(i, &mut buf));
        map.insert(Arc::clone(&k), (i, None, Instant::now() + LEASE));
        let mut e = map.get_mut(k.as_ref()).expect("present");
        *e = (i, Some(record.clone()), Instant::now() + TTL);
    }
}

/// Steady-state baseline: the two overwrites of a pair on a pre-filled bare
/// `DashMap` ring (no expiry check, no token, no futures).
fn baseline_ring(
    map: &DashMap<Arc<str>, (u64, Option<Record>, Instant)>,
    offset: u64,
    len: u64,
    keys: std::ops::Range<u64>,
) {
    let mut buf = [0; 20];
    let record = Record::new(200);
    for i in keys {
        let k = key(offset + i % len, &mut buf);
        *map.get_mut(k).expect("present") = (i, None, Instant::now() + LEASE);
        *map.get_mut(k).expect("present") = (i, Some(record.clone()), Instant::now() + TTL);
    }
}

/// Fresh keys: `iters` pairs in batches of at most `RING` (or
/// `HOOKPROOF_FRESH_BATCH`, to see a map grow past the caches), each batch
/// on a new, empty map (so the cost per pair does not depend on how many
/// iterations criterion picks). Creating and dropping the map is not timed.
fn in_batches<T>(iters: u64, mut batch: impl FnMut(u64) -> (Duration, T)) -> Duration {
    let most = std::env::var("HOOKPROOF_FRESH_BATCH")
        .ok()
        .and_then(|n| n.parse::<u64>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(RING);
    let mut total = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let n = left.min(most);
        let (t, map) = batch(n);
        total += t;
        drop(map);
        left -= n;
    }
    total
}

/// Run `work(thread index, range of key numbers)` on `threads` threads over key numbers `0..iters`,
/// returning the wall time (setup and teardown excluded).
fn on_threads(
    iters: u64,
    threads: u64,
    work: impl Fn(u64, std::ops::Range<u64>) + Sync,
) -> Duration {
    let per = iters.div_ceil(threads);
    let start = Instant::now();
    std::thread::scope(|s| {
        for t in 0..threads {
            let work = &work;
            s.spawn(move || work(t, t * per..(t + 1) * per));
        }
    });
    start.elapsed()
}

fn memory(c: &mut Criterion) {
    let mut g = c.benchmark_group("memory begin+complete");
    g.throughput(Throughput::Elements(1));
    for threads in [1, 2] {
        g.bench_function(
            format!("dashmap baseline fresh keys/{threads} thread(s)"),
            |b| {
                b.iter_custom(|iters| {
                    in_batches(iters, |keys| {
                        let map = DashMap::new();
                        let t = on_threads(keys, threads, |_, r| baseline(&map, r));
                        (t, map)
                    })
                });
            },
        );
        g.bench_function(format!("MemoryStore fresh keys/{threads} thread(s)"), |b| {
            b.iter_custom(|iters| {
                in_batches(iters, |keys| {
                    let store = MemoryStore::builder().capacity(usize::MAX).build();
                    let t = on_threads(keys, threads, |_, r| pairs(&store, r));
                    (t, store)
                })
            });
        });
    }
    // Steady state: a pre-filled ring, one store for all samples.
    let store = MemoryStore::builder().capacity(usize::MAX).build();
    ring_pairs(&store, 0, RING, 0..RING);
    let map = DashMap::new();
    baseline(&map, 0..RING);
    std::thread::sleep(Duration::from_millis(1));
    for threads in [1, 2] {
        g.bench_function(
            format!("dashmap baseline steady 64k keys/{threads} thread(s)"),
            |b| {
                b.iter_custom(|iters| {
                    let len = RING / threads;
                    on_threads(iters, threads, |t, r| baseline_ring(&map, t * len, len, r))
                });
            },
        );
        g.bench_function(
            format!("MemoryStore steady 64k keys/{threads} thread(s)"),
            |b| {
                b.iter_custom(|iters| {
                    // Each thread cycles through its own part of the ring.
                    let len = RING / threads;
                    on_threads(iters, threads, |t, r| ring_pairs(&store, t * len, len, r))
                });
            },
        );
    }
    // Full: a store of RING keys, full of live records, taking fresh keys;
    // the default policy forgets the oldest quarter of the records each time it
    // fills up. One store for all samples, keys never reused.
    let full = MemoryStore::builder().capacity(RING as usize).build();
    pairs(&full, 0..RING);
    let mut next = RING;
    g.bench_function(
        "MemoryStore full of live records, evicting/1 thread(s)",
        |b| {
            b.iter_custom(|iters| {
                let keys = next..next + iters;
                next += iters;
                on_threads(iters, 1, |_, _| pairs(&full, keys.clone()))
            });
        },
    );
    g.finish();
}

/// Redis records expire quickly so the shared Redis does not fill up.
#[cfg(feature = "redis")]
const REDIS_TTL: Duration = Duration::from_secs(2);

#[cfg(feature = "redis")]
fn redis(c: &mut Criterion) {
    use hookproof_idempotency::RedisStore;
    use std::sync::atomic::{AtomicU64, Ordering};

    let Ok(url) = std::env::var("HOOKPROOF_REDIS_URL") else {
        eprintln!("skipping Redis benches: HOOKPROOF_REDIS_URL is not set");
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let prefix = format!("hookproof-bench:{}:", std::process::id());
    let store = rt
        .block_on(
            RedisStore::builder(url.as_str())
                .prefix(prefix.as_str())
                .connect(),
        )
        .expect("connect to HOOKPROOF_REDIS_URL");
    let next = Arc::new(AtomicU64::new(0));
    let mut g = c.benchmark_group("redis begin+complete");
    g.throughput(Throughput::Elements(1));
    for tasks in [1_u64, 32] {
        g.bench_function(format!("RedisStore/{tasks} task(s)"), |b| {
            b.to_async(&rt).iter_custom(|iters| {
                let (store, next) = (store.clone(), Arc::clone(&next));
                async move {
                    let per = iters.div_ceil(tasks);
                    let start = Instant::now();
                    let mut handles = Vec::new();
                    for _ in 0..tasks {
                        let (store, next) = (store.clone(), Arc::clone(&next));
                        handles.push(tokio::spawn(async move {
                            let mut buf = [0; 20];
                            for _ in 0..per {
                                let i = next.fetch_add(1, Ordering::Relaxed);
                                let Ok(Begin::Acquired(claim)) =
                                    store.begin(key(i, &mut buf), LEASE).await
                                else {
                                    panic!("fresh key");
                                };
                                store
                                    .complete(claim, Record::new(200), REDIS_TTL)
                                    .await
                                    .expect("complete");
                            }
                        }));
                    }
                    for h in handles {
                        h.await.expect("task");
                    }
                    start.elapsed()
                }
            });
        });
    }
    g.finish();
    // Remove the fence counter; records expire after `REDIS_TTL`.
    rt.block_on(async {
        let client = redis::Client::open(url.as_str()).expect("url");
        let mut conn = client
            .get_multiplexed_async_connection()
            .await
            .expect("conn");
        let _: () = redis::cmd("DEL")
            .arg(format!("{prefix}fence"))
            .query_async(&mut conn)
            .await
            .expect("DEL");
    });
}

#[cfg(not(feature = "redis"))]
fn redis(_: &mut Criterion) {
    eprintln!("skipping Redis benches: built without the `redis` feature");
}

criterion_group!(benches, memory, redis);
criterion_main!(benches);
