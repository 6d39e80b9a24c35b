//! Decoding of arbitrary delivery bodies with every public decoder of
//! `hookproof-events`.
//!
//! Properties checked:
//!
//! 1. No decoder panics; errors are typed (`code()`, `path()` and `Display`
//!    work on every one).
//! 2. Re-encoding a decoded value with `serde_json` and decoding that again
//!    gives an equal value (every decoded type implements `PartialEq`).
//! 3. The fast decoders agree with the plain serde path on bodies both
//!    accept: `Envelope::from_slice` with `serde_json::from_slice::<Envelope>`,
//!    `OpenAiEvent::from_slice` and `BudgetAlert::from_slice` with theirs,
//!    and `decode` with the typed decoder for the shape it picked.
#![no_main]

use std::fmt::Debug;

use hookproof_events::legacy::LegacyEvent;
use hookproof_events::litellm::BudgetAlert;
use hookproof_events::openai::OpenAiEvent;
use hookproof_events::{AnyEvent, DecodeError, Envelope, GatewayEvent, decode};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn inspect_error(e: &DecodeError) {
    assert!(!e.code().is_empty());
    let _ = (e.path(), e.to_string());
}

fn inspect<T>(r: &Result<T, DecodeError>) {
    if let Err(e) = r {
        inspect_error(e);
    }
}

/// Encodes `value` and decodes it again with `decode_again`: must succeed
/// and give an equal value.
fn round_trip<T, E>(what: &str, value: &T, decode_again: impl Fn(&[u8]) -> Result<T, E>)
where
    T: Serialize + PartialEq + Debug,
    E: Debug,
{
    let bytes = match serde_json::to_vec(value) {
        Ok(b) => b,
        Err(e) => panic!("{what}: decoded value does not re-encode: {e}\nvalue: {value:?}"),
    };
    match decode_again(&bytes) {
        Ok(again) => assert_eq!(
            &again,
            value,
            "{what}: re-decoded value differs; re-encoded as {}",
            String::from_utf8_lossy(&bytes)
        ),
        Err(e) => panic!(
            "{what}: re-encoded value does not decode: {e:?}\nre-encoded: {}\nvalue: {value:?}",
            String::from_utf8_lossy(&bytes)
        ),
    }
}

fn serde<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    serde_json::from_slice(bytes)
}

/// Two decoders that both accepted a body must agree.
fn agree<T: PartialEq + Debug, E>(what: &str, a: &Result<T, DecodeError>, b: &Result<T, E>) {
    if let (Ok(a), Ok(b)) = (a, b) {
        assert_eq!(a, b, "{what}: decoders disagree");
    }
}

fn check_any(data: &[u8]) {
    let any = decode(data);
    inspect(&any);
    let Ok(any) = any else { return };
    let _ = (any.event_type(), any.id(), any.source(), any.summary());
    match &any {
        AnyEvent::Gateway(e) => {
            agree(
                "decode vs Envelope::from_slice",
                &Ok(e.clone()),
                &Envelope::from_slice(data),
            );
            round_trip("decode/gateway", e, |b| match decode(b) {
                Ok(AnyEvent::Gateway(e)) => Ok(e),
                other => Err(other),
            });
        }
        AnyEvent::OpenAi(e) => {
            agree(
                "decode vs OpenAiEvent::from_slice",
                &Ok(e.clone()),
                &OpenAiEvent::from_slice(data),
            );
            round_trip("decode/openai", e, |b| match decode(b) {
                Ok(AnyEvent::OpenAi(e)) => Ok(e),
                other => Err(other),
            });
        }
        AnyEvent::LiteLlm(a) => {
            agree(
                "decode vs BudgetAlert::from_slice",
                &Ok(a.clone()),
                &BudgetAlert::from_slice(data),
            );
            round_trip("decode/litellm", a, |b| match decode(b) {
                Ok(AnyEvent::LiteLlm(a)) => Ok(a),
                other => Err(other),
            });
        }
        _ => {}
    }
}

fn check_envelope(data: &[u8]) {
    let fast = Envelope::from_slice(data);
    inspect(&fast);
    let plain = serde::<Envelope>(data);
    agree("Envelope::from_slice vs serde", &fast, &plain);
    for env in fast.iter().chain(plain.iter()) {
        let _ = env.event_type();
        round_trip("Envelope (from_slice)", env, Envelope::from_slice);
        round_trip("Envelope (serde)", env, serde::<Envelope>);
    }

    let event = serde::<GatewayEvent>(data);
    if let Ok(event) = &event {
        let _ = (event.event_type(), event.trace());
        round_trip("GatewayEvent", event, serde::<GatewayEvent>);
    }
    if let (Ok(env), Ok(event)) = (&fast, &event) {
        assert_eq!(&env.event, event, "Envelope and GatewayEvent disagree");
    }
}

fn check_openai(data: &[u8]) {
    let fast = OpenAiEvent::from_slice(data);
    inspect(&fast);
    let plain = serde::<OpenAiEvent>(data);
    agree("OpenAiEvent::from_slice vs serde", &fast, &plain);
    if let Ok(e) = &fast {
        let _ = e.event_type();
        round_trip("OpenAiEvent", e, OpenAiEvent::from_slice);
    }
}

fn check_litellm(data: &[u8]) {
    let fast = BudgetAlert::from_slice(data);
    inspect(&fast);
    let plain = serde::<BudgetAlert>(data);
    agree("BudgetAlert::from_slice vs serde", &fast, &plain);
    if let Ok(a) = &fast {
        let _ = a.percent_of_budget();
        round_trip("BudgetAlert", a, BudgetAlert::from_slice);
    }
}

fn check_legacy(data: &[u8]) {
    let Ok(legacy) = serde::<LegacyEvent>(data) else {
        return;
    };
    round_trip("LegacyEvent", &legacy, serde::<LegacyEvent>);
    let _ = legacy.timestamp.to_datetime();
    let event = legacy.clone().into_event();
    let _ = event.event_type();
    if let Ok(env) = legacy.into_envelope() {
        assert_eq!(env.event, event, "into_envelope and into_event disagree");
        round_trip("LegacyEvent::into_envelope", &env, Envelope::from_slice);
    }
}

fuzz_target!(|data: &[u8]| {
    check_any(data);
    check_envelope(data);
    check_openai(data);
    check_litellm(data);
    check_legacy(data);
});
