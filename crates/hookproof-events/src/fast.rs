//! Single-pass helpers for [`RawBody::scan`](crate::raw::RawBody): decode a
//! flat body's fields, or the `data` object of a known type, while the body
//! is being read, instead of keeping raw text and parsing it a second time.
//!
//! Nothing here reports paths: when the fast pass fails, the caller runs the
//! plain scan again, which names the field (errors are the cold path).

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::envelope::Envelope;
use crate::error::DecodeError;
use crate::event::GatewayEvent;
use crate::litellm::BudgetAlert;
use crate::openai::OpenAiEventKind;

/// An event table whose `data` object can be decoded from a map in progress.
pub(crate) trait DataTable: Sized {
    /// Decodes the entries of `map` (the `data` object) as `event_type`.
    fn visit_data<'de, A: MapAccess<'de>>(event_type: &str, map: A) -> Result<Self, A::Error>;
}

/// Where a fast scan leaves what it decoded, one slot per kind. Results are
/// large (hundreds of bytes): writing them here once, and taking only the
/// slot that was filled, is cheaper than returning them through every layer
/// of the deserializer.
#[derive(Default)]
pub(crate) struct Out {
    /// A flat legacy body, already mapped onto an envelope (the mapping's
    /// own error, an invalid timestamp, is kept for the caller).
    pub(crate) legacy: Cell<Option<Result<Envelope, DecodeError>>>,
    /// A LiteLLM alert.
    pub(crate) alert: Cell<Option<BudgetAlert>>,
    /// The `data` object, as a gateway event.
    pub(crate) gateway: Cell<Option<GatewayEvent>>,
    /// The `data` object, as an OpenAI event.
    pub(crate) openai: Cell<Option<OpenAiEventKind>>,
}

impl Out {
    /// Empties every slot (before a retry with the plain pass).
    pub(crate) fn clear(&self) {
        self.legacy.take();
        self.alert.take();
        self.gateway.take();
        self.openai.take();
    }
}

/// Decodes a `data` value as `T` for `event_type`; only a JSON object is
/// accepted (anything else fails, and the plain pass reports it).
pub(crate) struct DataSeed<'t, T> {
    pub(crate) event_type: &'t str,
    pub(crate) table: PhantomData<T>,
}

impl<'de, T: DataTable> DeserializeSeed<'de> for DataSeed<'_, T> {
    type Value = T;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: DataTable> Visitor<'de> for DataSeed<'_, T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a data object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::visit_data(self.event_type, map)
    }
}

/// Decodes a whole flat object from the entries already read (`prefix`,
/// values as raw JSON), an `event` entry whose value is `event`, and the rest
/// of `map`.
///
/// A key of `forbid` in the rest of `map` is an error: it would make the
/// body another shape than the one guessed from `event` (the shape depends
/// on which keys a body has, not on their order), and the plain pass decides.
pub(crate) fn rest_of_map<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    prefix: &[Option<(&'de str, &'de RawValue)>],
    event: &'de str,
    forbid: &[&str],
    map: A,
) -> Result<T, A::Error> {
    T::deserialize(MapAccessDeserializer::new(Replay {
        prefix: prefix.iter().flatten(),
        value: None,
        event: Some(event),
        event_value: None,
        forbid,
        map,
    }))
}

/// A map that yields the `prefix` entries, then `"event": event`, then the
/// rest of `map` (refusing the keys of `forbid`).
struct Replay<'p, 'de, A> {
    prefix: std::iter::Flatten<std::slice::Iter<'p, Option<(&'de str, &'de RawValue)>>>,
    /// The value of the prefix entry whose key was just yielded.
    value: Option<&'de RawValue>,
    event: Option<&'de str>,
    /// The `event` value, once its key was yielded.
    event_value: Option<&'de str>,
    forbid: &'p [&'p str],
    map: A,
}

/// A map key as text: borrowed from the body unless it has escapes.
struct KeyText;

impl<'de> DeserializeSeed<'de> for KeyText {
    type Value = Cow<'de, str>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyText {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(s))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(s.to_owned()))
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        if let Some(&(key, value)) = self.prefix.next() {
            self.value = Some(value);
            return seed
                .deserialize(BorrowedStrDeserializer::new(key))
                .map(Some);
        }
        if let Some(event) = self.event.take() {
            self.event_value = Some(event);
            return seed
                .deserialize(BorrowedStrDeserializer::new("event"))
                .map(Some);
        }
        // Nothing to refuse: hand the key straight to `seed` (no text copy).
        if self.forbid.is_empty() {
            return self.map.next_key_seed(seed);
        }
        let Some(key) = self.map.next_key_seed(KeyText)? else {
            return Ok(None);
        };
        if self.forbid.contains(&&*key) {
            return Err(de::Error::custom(format_args!(
                "`{key}` makes this another shape"
            )));
        }
        match key {
            Cow::Borrowed(k) => seed.deserialize(BorrowedStrDeserializer::new(k)),
            Cow::Owned(k) => seed.deserialize(StringDeserializer::new(k)),
        }
        .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        if let Some(raw) = self.value.take() {
            // Parsed a second time, from the body's own text.
            let mut de = serde_json::Deserializer::from_str(raw.get());
            return seed.deserialize(&mut de).map_err(de::Error::custom);
        }
        if let Some(event) = self.event_value.take() {
            return seed.deserialize(BorrowedStrDeserializer::new(event));
        }
        self.map.next_value_seed(seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::legacy::{LegacyEvent, LegacyKind};

    #[derive(Debug)]
    struct Flat(LegacyEvent);

    impl<'de> Deserialize<'de> for Flat {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Flat;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a map")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Flat, A::Error> {
                    let _: Option<&str> = map.next_key()?;
                    let chunk: &RawValue = map.next_value()?;
                    let _: Option<&str> = map.next_key()?;
                    let kind: &str = map.next_value()?;
                    rest_of_map(&[Some(("chunk_index", chunk))], kind, &["data"], map).map(Flat)
                }
            }
            d.deserialize_map(V)
        }
    }

    #[test]
    fn replayed_entries_and_the_rest_decode_as_one_object() {
        let Flat(e) = serde_json::from_str(
            r#"{"chunk_index":3,"event":"streaming","timestamp":1763831101,"content":"hi"}"#,
        )
        .unwrap();
        assert_eq!(e.event, LegacyKind::Streaming);
        assert_eq!((e.chunk_index, e.content.as_deref()), (Some(3), Some("hi")));
    }

    #[test]
    fn a_second_event_key_is_still_a_duplicate() {
        let err = serde_json::from_str::<Flat>(
            r#"{"chunk_index":3,"event":"streaming","timestamp":1,"event":"error"}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("duplicate field `event`"), "{err}");
    }

    #[test]
    fn a_forbidden_key_in_the_rest_fails_even_when_escaped() {
        for body in [
            r#"{"chunk_index":3,"event":"streaming","timestamp":1,"data":{}}"#,
            r#"{"chunk_index":3,"event":"streaming","d\u0061ta":null,"timestamp":1}"#,
        ] {
            let err = serde_json::from_str::<Flat>(body).unwrap_err();
            assert!(err.to_string().contains("`data` makes"), "{body}: {err}");
        }
        // Escaped keys that are not forbidden still reach the decoder.
        let Flat(e) = serde_json::from_str(
            r#"{"chunk_index":3,"event":"streaming","timest\u0061mp":1,"con\u0074ent":"hi"}"#,
        )
        .unwrap();
        assert_eq!(e.content.as_deref(), Some("hi"));
    }

    #[test]
    fn data_seed_refuses_a_non_object() {
        let mut de = serde_json::Deserializer::from_str("[1]");
        let seed = DataSeed::<GatewayEvent> {
            event_type: "webhook.test",
            table: PhantomData,
        };
        assert!(seed.deserialize(&mut de).is_err());
    }
}
