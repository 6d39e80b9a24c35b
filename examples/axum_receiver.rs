//! A complete webhook receiver for hookproof gateway events — the code to copy.
//!
//! `POST /webhooks` goes through [`WebhookLayer`]: the body is read once (256
//! KiB limit, 10 s read timeout), the `X-Webhook-Signature` HMAC and its
//! timestamp are checked (the signature covers the `X-Webhook-Id` delivery
//! id, so a captured delivery cannot be replayed under a fresh id), the
//! delivery id is claimed in a [`MemoryStore`] so a retried delivery runs
//! the handler once, and every refusal is `application/problem+json`. It runs
//! on `hookproof_axum::serve` rather than `axum::serve`, so a client that
//! trickles its headers, sends nothing or sits idle is disconnected, and at
//! most 512 connections are open at once. The handler then decodes any
//! supported shape
//! (gateway envelope, legacy flat gateway body, OpenAI, LiteLLM) and matches
//! on [`GatewayEvent`].
//!
//! ```text
//! HOOKPROOF_SECRET=whsec_... PORT=3000 cargo run --example axum_receiver
//! ```
//!
//! - `HOOKPROOF_SECRET`: the endpoint's signing secret (`whsec_...`). Without
//!   it the demo secret [`DEMO_SECRET`] is used and a warning is printed —
//!   never deploy with it. The gateway scheme keys the HMAC with the secret
//!   string's UTF-8 bytes, `whsec_` prefix included.
//! - `PORT`: where to listen on 127.0.0.1 (default 3000).
//! - `RUST_LOG`: log filter (default `info`); each delivery logs one
//!   `webhook` span with id, type, scheme, outcome and duration.
//!
//! At startup it prints a ready-to-run `curl` line with a freshly signed
//! `webhook.test` event (valid for the 5-minute tolerance); run it twice to
//! see the second answer replayed (`Idempotent-Replayed: true`).
//!
//! Reuse: [`app`] builds the whole router from a [`Verifier`], so tests can
//! drive it without a socket. The testkit's test includes this file with
//! `#[path = "../../../../examples/axum_receiver.rs"] mod receiver;` (add
//! `#[allow(dead_code)]`: `main` is unused there) and replays the `fixtures/`
//! catalogue into `receiver::app(verifier)`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use hookproof_axum::{VerifiedBody, WebhookLayer, WebhookRejection};
use hookproof_events::{AnyEvent, GatewayEvent};
use hookproof_idempotency::MemoryStore;
use hookproof_verify::{Scheme, Secret, Signer, Verifier};

/// The route deliveries are posted to.
pub const WEBHOOK_PATH: &str = "/webhooks";

/// Demo secret used when `HOOKPROOF_SECRET` is not set. Public knowledge:
/// anyone can sign with it.
pub const DEMO_SECRET: &str = "whsec_aG9va3Byb29mLWRlbW8tc2VjcmV0LWRvLW5vdC11c2U=";

/// The receiver: `POST /webhooks` behind the verifying, deduplicating layer.
pub fn app(verifier: Verifier) -> Router {
    let layer = WebhookLayer::new(verifier)
        .store(MemoryStore::new())
        .body_limit(256 * 1024)
        .read_timeout(Duration::from_secs(10))
        // Longer than the slowest handler run, so a live claim is never taken over.
        .lease(Duration::from_secs(30));
    Router::new()
        .route(WEBHOOK_PATH, post(receive))
        .route_layer(layer)
}

/// One verified delivery. Answering 2xx completes it in the store (a retry is
/// then answered from there); any other answer releases it so the sender's
/// retry runs this handler again.
async fn receive(delivery: VerifiedBody) -> Result<StatusCode, WebhookRejection> {
    // 400/422 problem+json (with a JSON pointer to the bad field) if the body
    // is not a known event shape.
    let event = hookproof_events::decode(&delivery.bytes)?;
    match event {
        AnyEvent::Gateway(envelope) => on_gateway_event(&envelope.id, &envelope.event),
        // OpenAI and LiteLLM shapes arrive at the same endpoint in some setups.
        other => {
            tracing::info!(event_type = other.event_type(), summary = %other.summary(), "other event")
        }
    }
    Ok(StatusCode::OK)
}

fn on_gateway_event(id: &str, event: &GatewayEvent) {
    match event {
        GatewayEvent::RequestCompleted(done) => tracing::info!(
            id,
            model = %done.model,
            provider = %done.provider,
            total_tokens = done.usage.total_tokens,
            latency_ms = done.latency_ms,
            "request completed"
        ),
        GatewayEvent::RequestFailed(failed) => {
            tracing::warn!(id, request_id = %failed.request_id, message = %failed.message, "request failed")
        }
        GatewayEvent::BudgetThresholdReached(budget) => tracing::warn!(
            id,
            org_id = %budget.org_id,
            usage_percent = budget.usage_percent,
            current_spend = budget.current_spend,
            "budget threshold reached"
        ),
        GatewayEvent::GuardrailBlocked(blocked) => tracing::warn!(
            id,
            request_id = %blocked.request_id,
            guardrail = %blocked.guardrail,
            "guardrail blocked a request"
        ),
        GatewayEvent::ModelFallbackTriggered(fallback) => tracing::info!(
            id,
            from_model = %fallback.from_model,
            to_model = fallback.to_model.as_deref().unwrap_or("-"),
            "model fallback"
        ),
        GatewayEvent::WebhookTest(test) => {
            tracing::info!(
                id,
                message = test.message.as_deref().unwrap_or(""),
                "test event received"
            )
        }
        GatewayEvent::StreamToken(_)
        | GatewayEvent::UsageThresholdExceeded(_)
        | GatewayEvent::RateLimitExceeded(_)
        | GatewayEvent::EvalFailed(_)
        | GatewayEvent::AgentRunCompleted(_)
        | GatewayEvent::AgentRunFailed(_)
        | GatewayEvent::BatchCompleted(_) => {
            tracing::info!(id, event_type = event.event_type(), "event received")
        }
        // Types this build does not know yet: accept them, so the sender does
        // not retry forever, and look at them later.
        GatewayEvent::Unknown { event_type, .. } => {
            tracing::info!(id, event_type, "unknown event type accepted")
        }
        _ => tracing::info!(id, event_type = event.event_type(), "event received"),
    }
}

/// A signed `webhook.test` delivery as a ready-to-run curl command line.
fn curl_line(secret: &str, port: u16) -> anyhow::Result<String> {
    let scheme = Scheme::gateway();
    let signer = Signer::new(scheme.clone(), Secret::for_scheme(&scheme, secret)?);
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?;
    let timestamp = time::OffsetDateTime::from_unix_timestamp(i64::try_from(now.as_secs())?)?
        .format(&time::format_description::well_known::Rfc3339)?;
    let id = format!("evt_demo_{}", now.as_millis());
    let body = serde_json::json!({
        "id": id,
        "type": "webhook.test",
        "timestamp": timestamp,
        "version": "2026-11-01",
        "data": { "message": "Hello from the axum_receiver startup banner" },
    })
    .to_string();
    let mut line = format!(
        "curl -i http://127.0.0.1:{port}{WEBHOOK_PATH} -H 'content-type: application/json'"
    );
    for (name, value) in signer.sign(&id, i64::try_from(now.as_secs())?, body.as_bytes()) {
        line.push_str(&format!(" -H {}", shell_quote(&format!("{name}: {value}"))));
    }
    line.push_str(&format!(" --data-raw {}", shell_quote(&body)));
    Ok(line)
}

/// Single-quotes `text` for a POSIX shell: each `'` becomes `'\''`.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        // Colours only on a terminal, not in a log file or a pipe.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();

    let secret = match std::env::var("HOOKPROOF_SECRET") {
        Ok(secret) => secret,
        Err(_) => {
            eprintln!("warning: HOOKPROOF_SECRET is not set; using the public demo secret");
            DEMO_SECRET.to_owned()
        }
    };
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port
            .parse()
            .map_err(|e| anyhow::anyhow!("PORT={port:?} is not a port number: {e}"))?,
        Err(_) => 3000,
    };

    let scheme = Scheme::gateway();
    let verifier = Verifier::new(scheme.clone(), Secret::for_scheme(&scheme, &secret)?);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| {
            anyhow::anyhow!("cannot listen on 127.0.0.1:{port}: {e} (choose another with PORT=...)")
        })?;
    println!(
        "listening on http://{}{WEBHOOK_PATH}",
        listener.local_addr()?
    );
    println!(
        "send a signed test event (valid for 5 minutes):\n\n{}\n",
        curl_line(&secret, port)?
    );

    // Not `axum::serve`: this one closes slow, silent and idle connections
    // (10 s to send a request head, 20 s idle) and serves at most 512 at once.
    hookproof_axum::serve(listener, app(verifier))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
