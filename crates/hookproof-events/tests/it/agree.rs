//! Every decode route gives one answer for a body, whatever its key order:
//! [`decode`], [`Envelope::from_slice`], the other `from_slice` decoders,
//! and serde into each public type those produce (`serde_json::from_slice`,
//! `serde_path_to_error` as the axum extractor runs it, and
//! `serde_json::from_value`, which hands keys over sorted).
//!
//! The shape of a body depends only on which top-level keys it has (see
//! [`shape`]), never on their order; a repeated key is answered the same by
//! every route (an error wherever the decoder reads that field).
//!
//! A differential property test generates envelope-like bodies (fixture
//! bodies of every shape, mutated: fields dropped, set to other event types,
//! empty strings or wrong types, repeated, keys written with escapes) and
//! checks them in several key orders; a second test replays the fuzzer's
//! findings in `fuzz/regressions/decode_event/`.

use std::collections::BTreeSet;
use std::collections::hash_map::DefaultHasher;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::OnceLock;

use hookproof_events::legacy::{LegacyEvent, LegacyKind};
use hookproof_events::litellm::{BudgetAlert, LiteLlmEvent};
use hookproof_events::openai::{OpenAiEvent, OpenAiEventKind};
use hookproof_events::{AnyEvent, DecodeError, Envelope, GatewayEvent, decode};
use proptest::prelude::*;
use proptest::sample::Index;
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

/// One top-level entry of a body.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    /// The key as written: a JSON string token, maybe with escapes.
    key: String,
    /// The key's name (the token decoded).
    name: String,
    /// The value's JSON text.
    value: String,
}

impl Entry {
    fn new(name: &str, value: &str) -> Self {
        Entry {
            key: Value::from(name).to_string(),
            name: name.to_owned(),
            value: value.to_owned(),
        }
    }

    /// The key with its first character written as a `\u` escape.
    fn escaped(mut self) -> Self {
        let mut chars = self.name.chars();
        if let Some(c) = chars.next().filter(char::is_ascii) {
            let rest = Value::from(chars.as_str()).to_string();
            self.key = format!("\"\\u{:04x}{}", u32::from(c), &rest[1..]);
        }
        self
    }
}

fn render(entries: &[Entry]) -> Vec<u8> {
    let fields: Vec<String> = entries
        .iter()
        .map(|e| format!("{}:{}", e.key, e.value))
        .collect();
    format!("{{{}}}", fields.join(",")).into_bytes()
}

/// The top-level entries of a JSON object in order, repeated keys kept;
/// `None` when `bytes` is not a JSON object.
fn entries_of(bytes: &[u8]) -> Option<Vec<Entry>> {
    struct Entries;
    impl<'de> Visitor<'de> for Entries {
        type Value = Vec<Entry>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<Entry>, A::Error> {
            let mut out = Vec::new();
            while let Some(name) = map.next_key::<String>()? {
                let value: &RawValue = map.next_value()?;
                out.push(Entry::new(&name, value.get()));
            }
            Ok(out)
        }
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde::Deserializer::deserialize_map(&mut de, Entries).ok()
}

/// The same entries in another order: keys sorted by `rank`; the entries of
/// a repeated key keep their relative order (for most fields the last one
/// would win in a map, so that order is part of the body's meaning).
fn reordered(entries: &[Entry], rank: impl Fn(&str) -> u64) -> Vec<Entry> {
    let mut out = entries.to_vec();
    out.sort_by_key(|e| rank(&e.name));
    out
}

/// The shapes [`decode`] tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Gateway,
    OpenAi,
    LiteLlm,
    Legacy,
    Unknown,
}

/// The shape `decode` must pick, from the set of top-level keys alone (the
/// table in `decode`'s docs).
fn shape(names: &BTreeSet<&str>) -> Shape {
    let has = |k: &str| names.contains(k);
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

fn serde<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    serde_json::from_slice(bytes).ok()
}

/// What `axum`'s extractor runs.
fn path_to_error<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).ok()?;
    de.end().ok().map(|()| value)
}

/// Every route's answer for one body (`None`: an error).
#[derive(Debug, PartialEq)]
struct Routes {
    decode: Option<AnyEvent>,
    envelope: Option<Envelope>,
    envelope_serde: Option<Envelope>,
    envelope_path: Option<Envelope>,
    event_serde: Option<GatewayEvent>,
    event_path: Option<GatewayEvent>,
    openai: Option<OpenAiEvent>,
    openai_serde: Option<OpenAiEvent>,
    alert: Option<BudgetAlert>,
    alert_serde: Option<BudgetAlert>,
    /// `LegacyEvent` through serde, then `into_envelope`.
    legacy: Option<Envelope>,
}

impl Routes {
    fn of(bytes: &[u8]) -> Self {
        let decode = decode(bytes);
        let envelope = Envelope::from_slice(bytes);
        // Errors must be typed and printable, whichever route made them.
        for err in [&decode.as_ref().err(), &envelope.as_ref().err()]
            .into_iter()
            .flatten()
        {
            assert!(!err.code().is_empty() && !err.to_string().is_empty());
        }
        Routes {
            decode: decode.ok(),
            envelope: envelope.ok(),
            envelope_serde: serde(bytes),
            envelope_path: path_to_error(bytes),
            event_serde: serde(bytes),
            event_path: path_to_error(bytes),
            openai: OpenAiEvent::from_slice(bytes).ok(),
            openai_serde: serde(bytes),
            alert: BudgetAlert::from_slice(bytes).ok(),
            alert_serde: serde(bytes),
            legacy: serde::<LegacyEvent>(bytes).and_then(|l| l.into_envelope().ok()),
        }
    }
}

/// Checks that the routes agree on `entries` and give the same answers in
/// other key orders (`seed` picks one of them).
fn check(entries: &[Entry], seed: u64) {
    let body = render(entries);
    let text = String::from_utf8_lossy(&body);
    let routes = Routes::of(&body);
    let names: BTreeSet<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    let repeated = names.len() < entries.len();

    // Each type gets the same answer from its fast decoder and from serde.
    assert_eq!(routes.envelope, routes.envelope_serde, "Envelope: {text}");
    assert_eq!(routes.envelope, routes.envelope_path, "Envelope: {text}");
    assert_eq!(
        routes.event_serde, routes.event_path,
        "GatewayEvent: {text}"
    );
    if let Some(env) = &routes.envelope {
        assert_eq!(
            routes.event_serde.as_ref(),
            Some(&env.event),
            "GatewayEvent: {text}"
        );
    }
    assert_eq!(routes.openai, routes.openai_serde, "OpenAiEvent: {text}");
    assert_eq!(routes.alert, routes.alert_serde, "BudgetAlert: {text}");

    // `Envelope` reads the flat legacy shape when `event` has no `data`.
    if names.contains("event") && !names.contains("data") {
        assert_eq!(routes.envelope, routes.legacy, "Envelope as legacy: {text}");
    }

    // `decode` answers as the decoder of the shape the keys name.
    let expected = match shape(&names) {
        Shape::Gateway => routes.envelope.clone().map(AnyEvent::Gateway),
        Shape::OpenAi => routes.openai.clone().map(AnyEvent::OpenAi),
        Shape::LiteLlm => routes.alert.clone().map(AnyEvent::LiteLlm),
        Shape::Legacy => routes.legacy.clone().map(AnyEvent::Gateway),
        Shape::Unknown => None,
    };
    assert_eq!(
        routes.decode,
        expected,
        "decode as {:?}: {text}",
        shape(&names)
    );

    // A `serde_json::Value` hands the keys over sorted, and keeps the last
    // of a repeated key: the same answer for bodies without repeats.
    if !repeated {
        let value: Value = serde_json::from_slice(&body).expect("valid JSON");
        let env = serde_json::from_value::<Envelope>(value.clone()).ok();
        assert_eq!(env, routes.envelope, "Envelope from a Value: {text}");
        let event = serde_json::from_value::<GatewayEvent>(value).ok();
        assert_eq!(
            event, routes.event_serde,
            "GatewayEvent from a Value: {text}"
        );
    }

    // Other key orders: reversed, and shuffled by `seed`.
    let position = |name: &str| {
        entries
            .iter()
            .position(|e| e.name == name)
            .map_or(0, |i| i as u64)
    };
    let reversed = reordered(entries, |name| u64::MAX - position(name));
    let shuffled = reordered(entries, |name| {
        let mut h = DefaultHasher::new();
        (seed, name).hash(&mut h);
        h.finish()
    });
    for other in [reversed, shuffled] {
        let again = render(&other);
        assert_eq!(
            Routes::of(&again),
            routes,
            "key order changed an answer:\n  {text}\n  {}",
            String::from_utf8_lossy(&again)
        );
    }
}

/// Bodies to start from: every fixture's body, and an empty object.
fn bases() -> &'static [Vec<Entry>] {
    static BASES: OnceLock<Vec<Vec<Entry>>> = OnceLock::new();
    BASES.get_or_init(|| {
        let mut out = vec![Vec::new()];
        for group in ["gateway", "openai", "litellm", "legacy"] {
            for (_, bytes, _) in crate::fixtures::load(group) {
                out.push(entries_of(&bytes).expect("a fixture body is an object"));
            }
        }
        out
    })
}

fn quoted(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| Value::from(*v).to_string()).collect()
}

/// Field names, each with values to try: valid ones for every event type
/// and shape, empty strings and wrong types.
fn pool() -> &'static [(&'static str, Vec<String>)] {
    static POOL: OnceLock<Vec<(&'static str, Vec<String>)>> = OnceLock::new();
    POOL.get_or_init(|| {
        let junk = |mut v: Vec<String>, extra: &[&str]| {
            v.extend(extra.iter().map(|s| (*s).to_owned()));
            v
        };
        let mut types = quoted(GatewayEvent::KNOWN_TYPES);
        types.extend(quoted(OpenAiEventKind::KNOWN_TYPES));
        types.extend(quoted(LegacyKind::KNOWN));
        let mut events = quoted(LegacyKind::KNOWN);
        events.extend(quoted(LiteLlmEvent::KNOWN));
        events.extend(quoted(&["request.completed", "cache_hit"]));
        // Every fixture's `data`: valid data for each type, to pair with any.
        let mut data: Vec<String> = bases()
            .iter()
            .flatten()
            .filter(|e| e.name == "data")
            .map(|e| e.value.clone())
            .collect();
        data.extend(
            [
                "{}",
                "[]",
                "null",
                "\"\"",
                r#"{"id":7}"#,
                r#"{"request_id":"r","index":"x","content":"c"}"#,
            ]
            .map(str::to_owned),
        );
        vec![
            (
                "type",
                junk(types, &["\"\"", "\"cache.hit\"", "7", "null", "{}"]),
            ),
            ("event", junk(events, &["\"\"", "1", "null", "[]"])),
            (
                "id",
                junk(quoted(&["evt_1", "req_2"]), &["\"\"", "5", "null"]),
            ),
            (
                "timestamp",
                junk(
                    quoted(&["2026-11-22T17:04:11Z", "2026-11-22T17:04:11.532+01:00"]),
                    &[
                        "1763830800",
                        "1763830800123",
                        "-62167219201",
                        "\"\"",
                        "\"yesterday\"",
                        "null",
                        "1.5",
                    ],
                ),
            ),
            (
                "version",
                junk(quoted(&["2026-11-01", "legacy"]), &["\"\"", "1"]),
            ),
            ("data", data),
            (
                "created_at",
                vec![
                    "1750287018".into(),
                    "\"\"".into(),
                    "1.5".into(),
                    "null".into(),
                ],
            ),
            ("object", junk(quoted(&["event", ""]), &["1"])),
            (
                "event_group",
                junk(quoted(&["team", "key", ""]), &["3", "null"]),
            ),
            ("event_message", junk(quoted(&["m", ""]), &["2"])),
            (
                "spend",
                vec!["1.5".into(), "0".into(), "1e307".into(), "\"\"".into()],
            ),
            ("budget", vec!["10.0".into(), "0".into(), "\"a\"".into()]),
            (
                "max_budget",
                vec!["100.0".into(), "null".into(), "\"\"".into()],
            ),
            ("percent_used", vec!["50.0".into(), "\"x\"".into()]),
            ("request_id", junk(quoted(&["req_1", ""]), &["9"])),
            ("model", junk(quoted(&["gpt-4o", ""]), &["[]"])),
            (
                "tokens_used",
                vec!["42".into(), "\"many\"".into(), "-1".into()],
            ),
            (
                "prompt_tokens",
                vec!["18446744073709551615".into(), "3".into()],
            ),
            ("completion_tokens", vec!["1".into(), "\"\"".into()]),
            ("latency_ms", vec!["310".into(), "null".into()]),
            ("chunk_index", vec!["2".into(), "\"x\"".into()]),
            ("content", junk(quoted(&["hi", ""]), &["0"])),
            ("error", junk(quoted(&["upstream 503"]), &["{}"])),
            ("status_code", vec!["503".into(), "70000".into()]),
            ("retry_after", vec!["12".into(), "-3".into()]),
            ("limit", vec!["600".into()]),
            ("currency", junk(quoted(&["EUR", ""]), &[])),
            ("period", junk(quoted(&["daily", ""]), &["5"])),
            ("trace_id", quoted(&["4bf92f3577b34da6a3ce929d0e0e4736"])),
            (
                "extra",
                vec![r#"{"a":[1,{"b":null}]}"#.into(), "\"\"".into()],
            ),
        ]
    })
}

/// One change to a body.
#[derive(Clone, Debug)]
enum Op {
    /// Drop an entry.
    Remove(Index),
    /// Set a field: replace the value of its first entry, or add it.
    Set(Index, Index),
    /// Add an entry even if the key is there already (a repeated key).
    Add(Index, Index),
    /// Write an entry's key with an escape.
    Escape(Index),
}

impl Op {
    fn apply(&self, entries: &mut Vec<Entry>) {
        let field = |f: &Index, v: &Index| {
            let (name, values) = f.get(pool());
            Entry::new(name, v.get::<String>(values))
        };
        match self {
            Op::Remove(i) if !entries.is_empty() => {
                entries.remove(i.index(entries.len()));
            }
            Op::Set(f, v) => {
                let new = field(f, v);
                match entries.iter_mut().find(|e| e.name == new.name) {
                    Some(e) => e.value = new.value,
                    None => entries.push(new),
                }
            }
            Op::Add(f, v) => entries.push(field(f, v)),
            Op::Escape(i) if !entries.is_empty() => {
                let i = i.index(entries.len());
                entries[i] = entries[i].clone().escaped();
            }
            Op::Remove(_) | Op::Escape(_) => {}
        }
    }
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => any::<Index>().prop_map(Op::Remove),
        5 => (any::<Index>(), any::<Index>()).prop_map(|(f, v)| Op::Set(f, v)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(f, v)| Op::Add(f, v)),
        1 => any::<Index>().prop_map(Op::Escape),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Mutated bodies of every shape: all routes agree, in any key order.
    #[test]
    fn every_route_gives_one_answer_in_any_key_order(
        base in any::<Index>(),
        ops in prop::collection::vec(op(), 0..6),
        seed in any::<u64>(),
    ) {
        let mut entries = base.get(bases()).clone();
        for op in &ops {
            op.apply(&mut entries);
        }
        check(&entries, seed);
    }
}

/// The inputs `fuzz/` found (`fuzz/regressions/decode_event/`): the routes
/// agree on each, in its own key order, reversed and shuffled.
#[test]
fn fuzz_regressions_get_one_answer_from_every_route() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/decode_event");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 4, "{files:?}");
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let entries =
            entries_of(&bytes).unwrap_or_else(|| panic!("{}: not a JSON object", path.display()));
        // The file decodes as rendered here (no reformatting changed it).
        assert_eq!(
            Routes::of(&bytes),
            Routes::of(&render(&entries)),
            "{}",
            path.display()
        );
        for seed in 0..8 {
            check(&entries, seed);
        }
    }
}

/// The fuzzer's key-order finding: a known legacy `event` beside `data` and
/// `type` is an envelope (it has `data`), whichever key comes first; this
/// one lacks `id`, so every route refuses it as an envelope.
#[test]
fn a_known_legacy_event_beside_data_is_an_envelope_in_any_order() {
    let bodies = [
        r#"{"event":"budget","type":"","timestamp":"2026-11-22T17:04:11Z","data":{}}"#,
        r#"{"type":"","event":"budget","timestamp":"2026-11-22T17:04:11Z","data":{}}"#,
        r#"{"data":{},"timestamp":"2026-11-22T17:04:11Z","type":"","event":"budget"}"#,
    ];
    for body in bodies {
        let missing_id = DecodeError::MissingField { path: "id".into() };
        assert_eq!(decode(body.as_bytes()).unwrap_err(), missing_id, "{body}");
        assert_eq!(
            Envelope::from_slice(body.as_bytes()).unwrap_err(),
            missing_id,
            "{body}"
        );
        let err = serde_json::from_str::<Envelope>(body).unwrap_err();
        assert!(err.to_string().contains("missing field `id`"), "{err}");
        // `GatewayEvent` needs no id: the empty type is an unknown event.
        let event: GatewayEvent = serde_json::from_str(body).unwrap();
        assert_eq!(
            event,
            GatewayEvent::Unknown {
                event_type: String::new(),
                raw: serde_json::json!({})
            }
        );
    }
    // With an id and a version it decodes, as the same envelope every way.
    let body = br#"{"event":"budget","id":"evt_1","version":"1","type":"webhook.test","timestamp":"2026-11-22T17:04:11Z","data":{}}"#;
    let env = Envelope::from_slice(body).unwrap();
    assert_eq!(env.event_type(), "webhook.test");
    assert_eq!(decode(body).unwrap(), AnyEvent::Gateway(env.clone()));
    assert_eq!(serde_json::from_slice::<Envelope>(body).unwrap(), env);
}

/// A repeated field is refused by every decoder that reads it (serde's
/// derived decoders refuse theirs; the envelope scan used to keep the last),
/// whichever of the two comes first.
#[test]
fn a_repeated_field_is_refused_where_it_is_read() {
    let openai = r#"{"object":"event","id":"evt_1","type":"batch.completed","created_at":1,"data":{"id":"b"},"id":"evt_2"}"#;
    let err = decode(openai.as_bytes()).unwrap_err();
    assert_eq!((err.code(), err.path()), ("invalid_field", Some("id")));
    assert!(OpenAiEvent::from_slice(openai.as_bytes()).is_err());

    let gateway = r#"{"id":"e","type":"webhook.test","timestamp":"2026-11-22T17:00:00Z","version":"1","data":{},"type":"cache.hit"}"#;
    let err = Envelope::from_slice(gateway.as_bytes()).unwrap_err();
    assert_eq!(err.path(), Some("type"));
    assert!(serde_json::from_str::<Envelope>(gateway).is_err());
    assert!(serde_json::from_str::<GatewayEvent>(gateway).is_err());
    // `GatewayEvent` does not read `id`: a repeated one is no concern of it.
    let ids = r#"{"id":"e","type":"webhook.test","timestamp":"2026-11-22T17:00:00Z","version":"1","data":{},"id":"f"}"#;
    assert!(Envelope::from_slice(ids.as_bytes()).is_err());
    assert!(serde_json::from_str::<GatewayEvent>(ids).is_ok());

    // Legacy: a repeated `timestamp` through the bytes and through a
    // rebuilt body (serde) alike.
    let legacy = r#"{"event":"completion","timestamp":1,"model":"m","timestamp":2}"#;
    assert!(decode(legacy.as_bytes()).is_err());
    assert!(Envelope::from_slice(legacy.as_bytes()).is_err());
    assert!(serde_json::from_str::<Envelope>(legacy).is_err());
    assert!(serde_json::from_str::<GatewayEvent>(legacy).is_err());
    for seed in 0..4 {
        for body in [openai, gateway, ids, legacy] {
            check(&entries_of(body.as_bytes()).unwrap(), seed);
        }
    }
}
