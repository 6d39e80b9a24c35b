//! Decoding of arbitrary delivery bodies with every public decoder of
//! `hookproof-events`.
//!
//! Properties checked:
//!
//! 1. No decoder panics; errors are typed (`code()`, `path()` and `Display`
//!    work on every one).
//! 2. Re-encoding a decoded value with `serde_json` and decoding that again
//!    gives an equal value (every decoded type implements `PartialEq`).
//! 3. Every route gives one answer (the same value, or an error from both;
//!    on a body that is not UTF-8, so not JSON, only values are compared:
//!    our decoders refuse it outright, serde_json skips a field it does not
//!    read without checking its bytes):
//!    `Envelope::from_slice` and serde (`from_slice`, `serde_path_to_error`)
//!    into `Envelope`; `OpenAiEvent::from_slice` and `BudgetAlert::from_slice`
//!    with serde; `decode` with the decoder of the shape the body's keys name
//!    (see `shape`); an envelope's event with `GatewayEvent` through serde.
//! 4. Key order does not matter: the body with its top-level entries in
//!    reverse order (a repeated key's entries keep their relative order)
//!    gets the same answers from every route.
#![no_main]

use std::collections::BTreeSet;
use std::fmt::{self, Debug};

use hookproof_events::legacy::LegacyEvent;
use hookproof_events::litellm::BudgetAlert;
use hookproof_events::openai::OpenAiEvent;
use hookproof_events::{AnyEvent, DecodeError, Envelope, GatewayEvent, decode};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde_json::value::RawValue;

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

/// Two routes to the same type give one answer: equal values, or both an
/// error. On a body that is not UTF-8 (so not JSON) only values are
/// compared: our decoders refuse such a body outright, while serde_json
/// skips a field it does not read without checking its bytes.
fn agree<T: PartialEq + Debug, E>(what: &str, a: &Result<T, DecodeError>, b: &Result<T, E>) {
    match (a, b) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{what}: decoders disagree"),
        (Ok(_), Err(_)) | (Err(_), Ok(_)) if UTF8.get() => {
            panic!("{what}: one decoder accepts what the other refuses")
        }
        _ => {}
    }
}

thread_local! {
    /// Whether the current input is UTF-8.
    static UTF8: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// What the axum extractor runs.
fn path_to_error<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).ok()?;
    de.end().ok().map(|()| value)
}

/// The top-level entries of a JSON object in order (key, raw value), repeats
/// kept; `None` when the body is not a JSON object.
fn entries(bytes: &[u8]) -> Option<Vec<(String, String)>> {
    struct Entries;
    impl<'de> Visitor<'de> for Entries {
        type Value = Vec<(String, String)>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(key) = map.next_key::<String>()? {
                let value: &RawValue = map.next_value()?;
                out.push((key, value.get().to_owned()));
            }
            Ok(out)
        }
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let out = serde::Deserializer::deserialize_map(&mut de, Entries).ok()?;
    de.end().ok().map(|()| out)
}

/// The shapes `decode` tells apart, from the set of top-level keys alone
/// (the table in `decode`'s docs).
#[derive(Debug, PartialEq)]
enum Shape {
    Gateway,
    OpenAi,
    LiteLlm,
    Legacy,
    Unknown,
}

fn shape(keys: &BTreeSet<&str>) -> Shape {
    let has = |k: &str| keys.contains(k);
    if has("type") && !has("event") {
        if has("object") || (has("created_at") && !has("timestamp")) {
            Shape::OpenAi
        } else {
            Shape::Gateway
        }
    } else if has("event") && has("event_group") {
        Shape::LiteLlm
    } else if has("event") && !has("data") {
        Shape::Legacy
    } else if has("type") {
        Shape::Gateway
    } else {
        Shape::Unknown
    }
}

/// Every route's answer (`None`: an error).
#[derive(Debug, PartialEq)]
struct Routes {
    decode: Option<AnyEvent>,
    envelope: Option<Envelope>,
    event: Option<GatewayEvent>,
    openai: Option<OpenAiEvent>,
    alert: Option<BudgetAlert>,
    legacy: Option<Envelope>,
}

impl Routes {
    fn of(data: &[u8]) -> Self {
        Routes {
            decode: decode(data).ok(),
            envelope: Envelope::from_slice(data).ok(),
            event: serde::<GatewayEvent>(data).ok(),
            openai: OpenAiEvent::from_slice(data).ok(),
            alert: BudgetAlert::from_slice(data).ok(),
            legacy: serde::<LegacyEvent>(data)
                .ok()
                .and_then(|l| l.into_envelope().ok()),
        }
    }
}

/// Properties 3 (`decode` against the shape) and 4.
fn check_routes(data: &[u8]) {
    if !UTF8.get() {
        return;
    }
    let Some(entries) = entries(data) else {
        return;
    };
    let routes = Routes::of(data);
    let keys: BTreeSet<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
    let expected = match shape(&keys) {
        Shape::Gateway => routes.envelope.clone().map(AnyEvent::Gateway),
        Shape::OpenAi => routes.openai.clone().map(AnyEvent::OpenAi),
        Shape::LiteLlm => routes.alert.clone().map(AnyEvent::LiteLlm),
        Shape::Legacy => routes.legacy.clone().map(AnyEvent::Gateway),
        Shape::Unknown => None,
    };
    assert_eq!(routes.decode, expected, "decode as {:?}", shape(&keys));
    if keys.contains("event") && !keys.contains("data") {
        assert_eq!(routes.envelope, routes.legacy, "Envelope as legacy");
    }
    if let (Some(env), Some(path)) = (&routes.envelope, path_to_error::<Envelope>(data)) {
        assert_eq!(env, &path, "Envelope through serde_path_to_error");
    }

    // The entries of each key, keys in reverse order of first appearance.
    let mut order: Vec<&str> = Vec::new();
    for (k, _) in &entries {
        if !order.contains(&k.as_str()) {
            order.push(k);
        }
    }
    let fields: Vec<String> = order
        .iter()
        .rev()
        .flat_map(|name| entries.iter().filter(move |(k, _)| k == name))
        .map(|(k, v)| format!("{}:{v}", serde_json::Value::from(k.as_str())))
        .collect();
    let reversed = format!("{{{}}}", fields.join(","));
    assert_eq!(
        Routes::of(reversed.as_bytes()),
        routes,
        "key order changed an answer; reversed: {reversed}"
    );
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
    if let (Ok(env), true) = (&fast, UTF8.get()) {
        assert_eq!(
            Some(&env.event),
            event.as_ref().ok(),
            "Envelope and GatewayEvent disagree"
        );
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
    UTF8.set(std::str::from_utf8(data).is_ok());
    check_any(data);
    check_envelope(data);
    check_openai(data);
    check_litellm(data);
    check_legacy(data);
    check_routes(data);
});
