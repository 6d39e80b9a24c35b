//! Redirects, the SSRF guard at connect time, and filters.

use std::time::Duration;

use hookproof_emitter::{Emitter, EmitterConfig, OutgoingEvent};

use crate::receiver::{Receiver, Reply, SECRET, config, event, settled};

#[tokio::test]
async fn redirects_are_failures_and_not_followed() {
    let rx = Receiver::start(|hit, _| {
        if hit.path == "/moved" {
            Reply::WithHeader(307, "location", "/elsewhere".to_owned())
        } else {
            Reply::Status(200)
        }
    })
    .await;
    let emitter = Emitter::start(config(&rx.url("/moved"), "", "")).unwrap();
    emitter.send(event("evt_redirect")).await.unwrap();
    let m = settled(&emitter).await;
    assert_eq!((m.attempts, m.delivered, m.dead_lettered), (1, 0, 1));
    let paths: Vec<_> = rx.hits().into_iter().map(|h| h.path).collect();
    assert_eq!(paths, vec!["/moved"]);
    let dead = emitter.dead_letters();
    assert_eq!(dead[0].last_status, Some(307));
    assert!(
        dead[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("not followed")
    );
}

#[tokio::test]
async fn names_resolving_to_loopback_are_refused_without_retry() {
    let rx = Receiver::start(|_, _| Reply::Status(200)).await;
    // https to localhost without allow_loopback: the config is fine (a
    // name), the resolver refuses it at connect time.
    let text = format!(
        "[[endpoints]]\nurl = \"https://localhost:{}/\"\nsecret = \"{SECRET}\"\n[retry]\ninitial_delay_ms = 10\nmax_delay_ms = 50",
        rx.addr.port()
    );
    let emitter = Emitter::start(EmitterConfig::from_toml_str(&text).unwrap()).unwrap();
    emitter.send(event("evt_ssrf")).await.unwrap();
    let m = settled(&emitter).await;
    assert_eq!((m.attempts, m.dead_lettered), (1, 1));
    assert!(rx.hits().is_empty());
    let error = emitter.dead_letters()[0].last_error.clone().unwrap();
    assert!(error.contains("Loopback"), "{error}");
}

#[tokio::test]
async fn filters_select_the_events_an_endpoint_receives() {
    let rx = Receiver::start(|_, _| Reply::Status(200)).await;
    let events = "[endpoints.events]\nsubscribe = [\"request.*\"]\n[endpoints.events.filters]\nmin_tokens = 100";
    let emitter = Emitter::start(config(&rx.url("/"), events, "")).unwrap();
    let metrics = emitter.metrics_handle();
    emitter.send(event("evt_no_tokens")).await.unwrap();
    emitter
        .send(event("evt_big").with_tokens(500))
        .await
        .unwrap();
    emitter
        .send(OutgoingEvent::new("evt_other", "budget.exceeded", "{}").with_tokens(500))
        .await
        .unwrap();
    assert!(emitter.shutdown(Duration::from_secs(5)).await.is_empty());
    let m = metrics.snapshot();
    assert_eq!((m.sent, m.delivered, m.filtered), (1, 1, 2));
    let ids: Vec<_> = rx.hits().into_iter().map(|h| h.id).collect();
    assert_eq!(ids, vec!["evt_big"]);
}

#[tokio::test]
async fn an_event_goes_to_every_matching_endpoint() {
    let rx = Receiver::start(|_, _| Reply::Status(200)).await;
    let text = format!(
        "[[endpoints]]\nname = \"a\"\nurl = \"{}\"\nsecret = \"{SECRET}\"\nallow_loopback = true\n\
         [[endpoints]]\nname = \"b\"\nurl = \"{}\"\nsecret = \"{SECRET}\"\nallow_loopback = true\n\
         [[endpoints]]\nname = \"off\"\nurl = \"{}\"\nsecret = \"{SECRET}\"\nallow_loopback = true\nenabled = false\n",
        rx.url("/a"),
        rx.url("/b"),
        rx.url("/off")
    );
    let emitter = Emitter::start(EmitterConfig::from_toml_str(&text).unwrap()).unwrap();
    let metrics = emitter.metrics_handle();
    emitter.send(event("evt_fan")).await.unwrap();
    assert!(emitter.shutdown(Duration::from_secs(5)).await.is_empty());
    let m = metrics.snapshot();
    assert_eq!((m.sent, m.delivered), (2, 2));
    let mut paths: Vec<_> = rx.hits().into_iter().map(|h| h.path).collect();
    paths.sort();
    assert_eq!(paths, vec!["/a", "/b"]);
}
