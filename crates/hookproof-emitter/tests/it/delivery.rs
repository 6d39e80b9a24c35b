//! Retry behaviour against a live receiver.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hookproof_emitter::{AttemptReport, AttemptResult, Emitter, EndpointRole, NextStep};

use crate::receiver::{Receiver, Reply, config, event, settled};

fn recorder() -> (
    Arc<Mutex<Vec<AttemptReport>>>,
    impl Fn(&AttemptReport) + Send + Sync + 'static,
) {
    let reports = Arc::new(Mutex::new(Vec::new()));
    let sink = reports.clone();
    (reports, move |r: &AttemptReport| {
        sink.lock().unwrap().push(r.clone())
    })
}

#[tokio::test]
async fn retries_after_500_with_the_same_id_and_fresh_signatures() {
    let rx = Receiver::start(|_, n| Reply::Status(if n < 3 { 500 } else { 204 })).await;
    let (reports, observer) = recorder();
    let emitter = Emitter::builder(config(&rx.url("/hook"), "", ""))
        .observer(observer)
        .start()
        .unwrap();
    emitter.send(event("evt_retry")).await.unwrap();
    let m = settled(&emitter).await;
    assert_eq!(
        (m.delivered, m.attempts, m.retries, m.dead_lettered),
        (1, 3, 2, 0)
    );
    assert!(m.is_balanced());
    assert!(m.latency_p50.is_some() && m.latency_p99 >= m.latency_p50);
    let hits = rx.hits();
    assert_eq!(hits.len(), 3);
    assert!(
        hits.iter().all(|h| h.id == "evt_retry" && h.verified),
        "{hits:?}"
    );
    let reports = reports.lock().unwrap().clone();
    let steps: Vec<_> = reports
        .iter()
        .map(|r| (r.attempt, r.result.clone()))
        .collect();
    assert_eq!(
        steps,
        vec![
            (1, AttemptResult::Status(500)),
            (2, AttemptResult::Status(500)),
            (3, AttemptResult::Status(204))
        ]
    );
    assert!(matches!(reports[0].next, NextStep::Retry(d) if d <= Duration::from_millis(50)));
    assert_eq!(reports[2].next, NextStep::Delivered);
    assert!(emitter.shutdown(Duration::from_secs(5)).await.is_empty());
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let rx = Receiver::start(|_, n| {
        if n == 1 {
            Reply::WithHeader(429, "retry-after", "1".to_owned())
        } else {
            Reply::Status(200)
        }
    })
    .await;
    // max_delay (5 s) is above Retry-After, the backoff (10 ms) below it.
    let mut cfg = config(&rx.url("/"), "", "");
    cfg.retry.max_delay = Duration::from_secs(5);
    let emitter = Emitter::start(cfg).unwrap();
    emitter.send(event("evt_429")).await.unwrap();
    let m = settled(&emitter).await;
    assert_eq!((m.delivered, m.attempts), (1, 2));
    let hits = rx.hits();
    let gap = hits[1].at - hits[0].at;
    assert!(
        gap >= Duration::from_millis(950),
        "second attempt after {gap:?}"
    );
    // Same delivery id, a fresh timestamp (and signature) per attempt.
    assert_eq!(hits[0].id, hits[1].id);
    assert_ne!(hits[0].timestamp, hits[1].timestamp);
    assert!(hits.iter().all(|h| h.verified));
}

#[tokio::test]
async fn retry_after_is_clamped_to_max_delay() {
    let rx = Receiver::start(|_, n| {
        if n == 1 {
            Reply::WithHeader(503, "retry-after", "3600".to_owned())
        } else {
            Reply::Status(200)
        }
    })
    .await;
    let emitter = Emitter::start(config(&rx.url("/"), "", "")).unwrap();
    emitter.send(event("evt_clamp")).await.unwrap();
    // Within the 10 s wait only because the hour is clamped to 50 ms.
    let m = settled(&emitter).await;
    assert_eq!((m.delivered, m.attempts), (1, 2));
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let rx = Receiver::start(|_, _| Reply::Status(422)).await;
    let emitter = Emitter::start(config(&rx.url("/"), "", "")).unwrap();
    emitter.send(event("evt_422")).await.unwrap();
    let m = settled(&emitter).await;
    assert_eq!((m.attempts, m.retries, m.dead_lettered), (1, 0, 1));
    let dead = emitter.dead_letters();
    assert_eq!(dead.len(), 1);
    assert_eq!((dead[0].last_status, dead[0].attempts), (Some(422), 1));
    assert_eq!(dead[0].endpoint, "test");
}

#[tokio::test]
async fn exhausted_retries_dead_letter_with_the_last_status() {
    let rx = Receiver::start(|_, _| Reply::Status(503)).await;
    let emitter = Emitter::start(config(&rx.url("/"), "", "")).unwrap();
    emitter.send(event("evt_503")).await.unwrap();
    let m = settled(&emitter).await;
    assert_eq!(
        (m.attempts, m.retries, m.dead_lettered, m.delivered),
        (3, 2, 1, 0)
    );
    assert_eq!(m.success_rate, Some(0.0));
    let dead = emitter.dead_letters();
    assert_eq!((dead[0].last_status, dead[0].attempts), (Some(503), 3));
    assert_eq!(dead[0].last_error.as_deref(), Some("HTTP 503"));
}

#[tokio::test]
async fn gone_disables_the_endpoint_and_is_reported() {
    let rx = Receiver::start(|_, _| Reply::Status(410)).await;
    let (reports, observer) = recorder();
    let emitter = Emitter::builder(config(&rx.url("/"), "", ""))
        .observer(observer)
        .start()
        .unwrap();
    emitter.send(event("evt_gone_1")).await.unwrap();
    settled(&emitter).await;
    emitter.send(event("evt_gone_2")).await.unwrap();
    let m = crate::receiver::wait_for(&emitter, |m| m.in_flight == 0 && m.sent == 2).await;
    // One attempt in total: the second event is not sent to a disabled URL.
    assert_eq!(
        (m.attempts, m.dead_lettered, m.endpoints_disabled),
        (1, 2, 1)
    );
    assert_eq!(rx.hits().len(), 1);
    assert_eq!(emitter.disabled_endpoints(), vec!["test".to_owned()]);
    let reports = reports.lock().unwrap();
    assert_eq!(reports.len(), 1);
    assert!(reports[0].endpoint_disabled);
    assert_eq!(reports[0].next, NextStep::DeadLetter);
    let dead = emitter.dead_letters();
    assert!(
        dead[1].last_error.as_deref().unwrap().contains("410"),
        "{dead:?}"
    );
}

#[tokio::test]
async fn timeouts_are_retried() {
    let rx = Receiver::start(|_, n| {
        if n == 1 {
            Reply::SleepThen(Duration::from_secs(2), 200)
        } else {
            Reply::Status(200)
        }
    })
    .await;
    let (reports, observer) = recorder();
    let cfg = config(&rx.url("/"), "", "[delivery]\ntimeout_ms = 200");
    let emitter = Emitter::builder(cfg).observer(observer).start().unwrap();
    emitter.send(event("evt_slow")).await.unwrap();
    let m = settled(&emitter).await;
    assert_eq!((m.delivered, m.attempts), (1, 2));
    let reports = reports.lock().unwrap();
    assert!(
        matches!(
            &reports[0].result,
            AttemptResult::Error {
                code: "timeout",
                ..
            }
        ),
        "{:?}",
        reports[0].result
    );
}

#[tokio::test]
async fn connection_errors_are_retried_then_dead_lettered() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (reports, observer) = recorder();
    let cfg = config(&format!("http://127.0.0.1:{port}/"), "", "");
    let emitter = Emitter::builder(cfg).observer(observer).start().unwrap();
    emitter.send(event("evt_refused")).await.unwrap();
    let m = settled(&emitter).await;
    assert_eq!((m.attempts, m.dead_lettered), (3, 1));
    assert!(reports.lock().unwrap().iter().all(|r| matches!(
        r.result,
        AttemptResult::Error {
            code: "connect",
            ..
        }
    )));
    assert_eq!(emitter.dead_letters()[0].last_status, None);
}

#[tokio::test]
async fn backup_gets_the_event_when_the_primary_gives_up() {
    let rx =
        Receiver::start(|hit, _| Reply::Status(if hit.path == "/primary" { 500 } else { 200 }))
            .await;
    let (reports, observer) = recorder();
    let backup = format!("backup_url = \"{}\"", rx.url("/backup"));
    let emitter = Emitter::builder(config(&rx.url("/primary"), &backup, ""))
        .observer(observer)
        .start()
        .unwrap();
    emitter.send(event("evt_backup")).await.unwrap();
    let m = settled(&emitter).await;
    assert_eq!((m.delivered, m.dead_lettered, m.attempts), (1, 0, 4));
    let paths: Vec<_> = rx.hits().into_iter().map(|h| h.path).collect();
    assert_eq!(paths, vec!["/primary", "/primary", "/primary", "/backup"]);
    let reports = reports.lock().unwrap();
    assert_eq!(reports[2].next, NextStep::Backup);
    assert_eq!(reports[3].role, EndpointRole::Backup);
    assert_eq!(reports[3].next, NextStep::Delivered);
}
