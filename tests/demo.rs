//! Runs the core of `examples/gateway_demo.rs` (the README's first command)
//! and checks its delivery report, so a regression in any crate it wires
//! together (verify, events, idempotency, axum, emitter, testkit) is caught.

#[path = "../examples/gateway_demo.rs"]
#[allow(dead_code)]
mod gateway_demo;

use gateway_demo::{DemoConfig, always_fails, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_demo_delivers_every_event_once_despite_receiver_faults() {
    let events = 200;
    let report = run(DemoConfig {
        events,
        ..DemoConfig::default()
    })
    .await
    .expect("demo run");
    let shown = report.to_string();

    assert_eq!(report.sent, events as u64, "{shown}");
    // Every event ended: delivered or dead-lettered, nothing lost.
    assert_eq!(
        report.delivered + report.dead_lettered.len() as u64,
        events as u64,
        "{shown}"
    );
    // The events planned to fail on every attempt are the dead letters.
    let planned_dead: Vec<String> = (0..events)
        .filter(|i| always_fails(*i))
        .map(|i| format!("evt_demo_{i:04}"))
        .collect();
    assert!(!planned_dead.is_empty());
    for id in &planned_dead {
        assert!(
            report.dead_lettered.contains(id),
            "{id} not dead-lettered:\n{shown}"
        );
    }
    // The handler processed each delivered event exactly once, though the
    // emitter retried; lost acknowledgements were answered from the store.
    assert_eq!(report.handled_twice, 0, "{shown}");
    let handled: u64 = report.handled_by_type.values().sum();
    assert_eq!(handled, report.delivered, "{shown}");
    let (e500, e429, slow) = report.injected;
    assert!(e500 > 0 && e429 > 0 && slow > 0, "{shown}");
    assert!(report.duplicates_suppressed >= slow, "{shown}");
    assert!(
        report.retried >= e500 + e429 + slow - planned_dead.len() as u64,
        "{shown}"
    );
    // Several event types reached the typed handler.
    assert!(report.handled_by_type.len() >= 5, "{shown}");
    assert!(
        report.latency_p50.is_some() && report.latency_p99 >= report.latency_p50,
        "{shown}"
    );
    assert!(shown.contains("duplicates suppressed"), "{shown}");
}
