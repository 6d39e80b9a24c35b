//! Queue, dead letters, redrive and shutdown.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use hookproof_emitter::{Emitter, SendError};

use crate::receiver::{Receiver, Reply, config, event, settled, wait_for};

#[tokio::test]
async fn dead_letters_can_be_redriven() {
    let healthy = Arc::new(AtomicBool::new(false));
    let flag = healthy.clone();
    let rx = Receiver::start(move |_, _| {
        Reply::Status(if flag.load(Ordering::SeqCst) {
            200
        } else {
            500
        })
    })
    .await;
    let emitter = Emitter::start(config(&rx.url("/"), "", "")).unwrap();
    emitter.send(event("evt_dl")).await.unwrap();
    settled(&emitter).await;
    let dead = emitter.dead_letters();
    assert_eq!(dead.len(), 1);
    assert_eq!(
        (
            dead[0].event.id.as_str(),
            dead[0].attempts,
            dead[0].last_status
        ),
        ("evt_dl", 3, Some(500))
    );

    let missing = emitter.redrive("evt_nope").await.unwrap_err();
    assert_eq!(missing.code(), "not_found");

    healthy.store(true, Ordering::SeqCst);
    emitter.redrive("evt_dl").await.unwrap();
    assert!(
        emitter.dead_letters().is_empty(),
        "redrive takes the letter out"
    );
    let m = wait_for(&emitter, |m| m.delivered == 1 && m.in_flight == 0).await;
    assert_eq!((m.sent, m.dead_lettered, m.attempts), (2, 1, 4));
    assert!(m.is_balanced());
    assert!(emitter.dead_letters().is_empty());
    let hits = rx.hits();
    assert!(hits.iter().all(|h| h.id == "evt_dl" && h.verified));
}

#[tokio::test]
async fn try_send_reports_a_full_queue_and_hands_the_event_back() {
    let release = Arc::new(AtomicBool::new(false));
    let gate = release.clone();
    let rx = Receiver::start(move |_, _| {
        if gate.load(Ordering::SeqCst) {
            Reply::Status(200)
        } else {
            Reply::SleepThen(Duration::from_millis(300), 200)
        }
    })
    .await;
    let cfg = config(
        &rx.url("/"),
        "",
        "[delivery]\nconcurrent_deliveries = 1\nqueue_size = 2",
    );
    let emitter = Emitter::start(cfg).unwrap();
    let mut accepted = 0;
    let refused = loop {
        match emitter.try_send(event(&format!("evt_q{accepted}"))) {
            Ok(()) => accepted += 1,
            Err(err) => break err,
        }
        assert!(accepted < 10, "the queue never filled");
    };
    assert_eq!(refused.code(), "queue_full");
    let SendError::QueueFull(back) = refused else {
        panic!("not QueueFull")
    };
    assert_eq!(back.id, format!("evt_q{accepted}"));
    // One in flight, one held by the dispatcher, two queued: at most four.
    assert!((2..=4).contains(&accepted), "{accepted}");
    release.store(true, Ordering::SeqCst);
    // `send` waits for room instead of failing.
    emitter.send(*back).await.unwrap();
    let m = wait_for(&emitter, |m| m.delivered == accepted + 1).await;
    assert!(m.is_balanced());
    assert!(emitter.shutdown(Duration::from_secs(5)).await.is_empty());
}

#[tokio::test]
async fn shutdown_hands_back_undelivered_events() {
    let rx = Receiver::start(|_, _| Reply::Status(500)).await;
    // Retries far in the future: nothing can finish before the deadline.
    let mut cfg = config(&rx.url("/"), "", "");
    cfg.retry.initial_delay = Duration::from_secs(30);
    cfg.retry.max_delay = Duration::from_secs(60);
    let emitter = Emitter::start(cfg).unwrap();
    let metrics = emitter.metrics_handle();
    for i in 0..3 {
        emitter.send(event(&format!("evt_sd{i}"))).await.unwrap();
    }
    let m = wait_for(&emitter, |m| m.waiting_for_retry == 3).await;
    assert!(m.oldest_retry_age.is_some());
    let mut back: Vec<_> = emitter
        .shutdown(Duration::from_millis(100))
        .await
        .into_iter()
        .map(|e| e.id)
        .collect();
    back.sort();
    assert_eq!(back, vec!["evt_sd0", "evt_sd1", "evt_sd2"]);
    let m = metrics.snapshot();
    assert_eq!((m.sent, m.handed_back, m.in_flight, m.lost), (3, 3, 0, 0));
    assert!(m.is_balanced());
    assert_eq!(m.waiting_for_retry, 0);
}

#[tokio::test]
async fn shutdown_hands_back_queued_events_too() {
    let rx = Receiver::start(|_, _| Reply::SleepThen(Duration::from_secs(5), 200)).await;
    let cfg = config(&rx.url("/"), "", "[delivery]\nconcurrent_deliveries = 1");
    let emitter = Emitter::start(cfg).unwrap();
    let metrics = emitter.metrics_handle();
    for i in 0..5 {
        emitter.send(event(&format!("evt_hq{i}"))).await.unwrap();
    }
    let back = emitter.shutdown(Duration::from_millis(200)).await;
    assert_eq!(back.len(), 5);
    let m = metrics.snapshot();
    assert_eq!(
        (m.handed_back, m.delivered, m.in_flight, m.lost),
        (5, 0, 0, 0)
    );
}

#[tokio::test]
async fn shutdown_finishes_deliveries_within_the_deadline() {
    let rx = Receiver::start(|_, n| Reply::Status(if n == 1 { 502 } else { 200 })).await;
    let emitter = Emitter::start(config(&rx.url("/"), "", "")).unwrap();
    let metrics = emitter.metrics_handle();
    for i in 0..20 {
        emitter.send(event(&format!("evt_fin{i}"))).await.unwrap();
    }
    assert!(emitter.shutdown(Duration::from_secs(10)).await.is_empty());
    let m = metrics.snapshot();
    assert_eq!(
        (m.sent, m.delivered, m.attempts, m.in_flight),
        (20, 20, 40, 0)
    );
    assert!(m.is_balanced());
}
