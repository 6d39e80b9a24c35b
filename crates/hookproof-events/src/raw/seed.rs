//! [`BodySeed`]: the serde visitor behind [`RawBody::scan`] and
//! `RawBody: Deserialize` — envelope slots and the fast mode's single-pass
//! decoding.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use super::{Flat, Raw, RawBody, Scanned, Target, plain_str};
use crate::event::GatewayEvent;
use crate::fast::{DataSeed, Out, rest_of_map};
use crate::legacy::{LegacyEvent, LegacyKind};
use crate::litellm::LiteLlmEvent;
use crate::openai::OpenAiEventKind;

enum Key<'de> {
    Type,
    Id,
    Timestamp,
    Version,
    Data,
    Event,
    Object,
    CreatedAt,
    EventGroup,
    /// Another field; the name is kept only in capture mode.
    Other(Option<String>),
    /// Another field, name borrowed from the body (borrow mode).
    Borrowed(&'de str),
}

impl Key<'_> {
    fn known(s: &str) -> Option<Key<'static>> {
        Some(match s {
            "type" => Key::Type,
            "id" => Key::Id,
            "timestamp" => Key::Timestamp,
            "version" => Key::Version,
            "data" => Key::Data,
            "event" => Key::Event,
            "object" => Key::Object,
            "created_at" => Key::CreatedAt,
            "event_group" => Key::EventGroup,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy)]
struct KeySeed {
    capture: bool,
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
        match Key::known(s) {
            Some(k) => Ok(k),
            None if self.capture => Ok(Key::Other(Some(s.to_owned()))),
            None => Ok(Key::Borrowed(s)),
        }
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
        Ok(Key::known(s).unwrap_or_else(|| Key::Other(self.capture.then(|| s.to_owned()))))
    }
}

/// How many entries before `event` a fast scan keeps to replay into a flat
/// decoder: key-sorted bodies have a few (`budget`, `chunk_index`, ...),
/// LiteLLM sends twelve fields before its `event`.
pub(super) const PREFIX: usize = 16;

/// Entries read before `event` in fast mode, both halves borrowed.
struct Prefix<'de> {
    entries: [Option<(&'de str, &'de RawValue)>; PREFIX],
    len: usize,
    /// False once an entry could not be kept (too many, escaped key, typed
    /// `data`): then a flat body is decoded from the bytes instead.
    ok: bool,
}

impl<'de> Prefix<'de> {
    fn new(fast: bool) -> Self {
        Prefix {
            entries: [None; PREFIX],
            len: 0,
            ok: fast,
        }
    }

    fn push(&mut self, key: &'de str, value: &'de RawValue) {
        match self.entries.get_mut(self.len) {
            Some(slot) => {
                *slot = Some((key, value));
                self.len += 1;
            }
            None => self.ok = false,
        }
    }

    /// Keeps a slot value, if it borrows the body.
    fn note(&mut self, key: &'static str, value: &Raw<'de>) {
        match value {
            Cow::Borrowed(v) => self.push(key, v),
            Cow::Owned(_) => self.ok = false,
        }
    }

    fn entries(&self) -> &[Option<(&'de str, &'de RawValue)>] {
        &self.entries[..self.len]
    }
}

/// Reads a body into a [`RawBody`].
///
/// - borrow mode (from a byte slice): slots borrow the body; fields outside
///   the envelope are skipped;
/// - capture mode (any `Deserializer`): slots are owned and other fields are
///   kept, so a legacy body can be rebuilt.
#[derive(Clone, Copy)]
pub(crate) struct BodySeed<'c> {
    borrow: bool,
    /// Fast mode (borrow mode only): single-pass decoding for this target,
    /// results written to the out slot.
    fast: Option<(Target, &'c Out)>,
}

/// Which table a `data` object is typed with in fast mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DataKind {
    Gateway,
    OpenAi,
}

impl<'c> BodySeed<'c> {
    const CAPTURE: BodySeed<'static> = BodySeed {
        borrow: false,
        fast: None,
    };

    /// Borrow mode; `fast` enables single-pass decoding into its out slots.
    pub(super) fn borrowed(fast: Option<(Target, &'c Out)>) -> Self {
        BodySeed { borrow: true, fast }
    }

    fn raw<'de, A: MapAccess<'de>>(self, map: &mut A) -> Result<Raw<'de>, A::Error> {
        if self.borrow {
            map.next_value::<&'de RawValue>().map(Cow::Borrowed)
        } else {
            map.next_value::<Box<RawValue>>().map(Cow::Owned)
        }
    }

    fn other<'de, A: MapAccess<'de>>(
        self,
        map: &mut A,
        body: &mut RawBody<'de>,
        key: Option<String>,
    ) -> Result<(), A::Error> {
        match key {
            Some(k) => {
                let v = self.raw(map)?;
                body.rest.push((k, v));
            }
            None => {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        Ok(())
    }

    /// Reads the `data` value, typed by `type` when the fast pass can.
    fn data<'de, A: MapAccess<'de>>(
        self,
        map: &mut A,
        body: &mut RawBody<'de>,
    ) -> Result<(), A::Error> {
        if body.data.is_some() || body.typed.is_some() {
            body.repeated.push("data");
        }
        let Some((target, out)) = self.fast else {
            body.data = Some(self.raw(map)?);
            return Ok(());
        };
        if body.typed.take().is_some() {
            // A second `data` (refused as repeated by the decoders that
            // read it): the first one's result is dropped.
            out.clear();
        }
        match body.data_table(target) {
            Some((event_type, DataKind::Gateway)) => {
                let seed = DataSeed::<GatewayEvent> {
                    event_type,
                    table: PhantomData,
                };
                out.gateway.set(Some(map.next_value_seed(seed)?));
                body.typed = Some(DataKind::Gateway);
                body.data = None;
            }
            Some((event_type, DataKind::OpenAi)) => {
                let seed = DataSeed::<OpenAiEventKind> {
                    event_type,
                    table: PhantomData,
                };
                out.openai.set(Some(map.next_value_seed(seed)?));
                body.typed = Some(DataKind::OpenAi);
                body.data = None;
            }
            None => body.data = Some(self.raw(map)?),
        }
        Ok(())
    }

    fn name(self, name: &str) -> Option<String> {
        (!self.borrow).then(|| name.to_owned())
    }
}

impl<'de> DeserializeSeed<'de> for BodySeed<'_> {
    type Value = Scanned<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Scanned<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for BodySeed<'_> {
    type Value = Scanned<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a webhook body (JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scanned<'de>, A::Error> {
        let mut body = RawBody::default();
        let keys = KeySeed {
            capture: !self.borrow,
        };
        // Fast mode keeps the entries before `event`, so a flat body can be
        // decoded in this pass whatever its key order.
        let mut prefix = Prefix::new(self.fast.is_some());
        while let Some(key) = map.next_key_seed(keys)? {
            let keep = prefix.ok && !body.has_event;
            match key {
                Key::Type => {
                    body.stale |= body.typed.is_some();
                    // No flat body after `type` (see below).
                    prefix.ok = false;
                    let v = self.raw(&mut map)?;
                    if keep {
                        prefix.note("type", &v);
                    }
                    body.fill("type", v, !self.borrow);
                }
                Key::Id => {
                    let v = self.raw(&mut map)?;
                    if keep {
                        prefix.note("id", &v);
                    }
                    body.fill("id", v, !self.borrow);
                }
                Key::Timestamp => {
                    let v = self.raw(&mut map)?;
                    if keep {
                        prefix.note("timestamp", &v);
                    }
                    body.fill("timestamp", v, !self.borrow);
                }
                Key::Version => {
                    let v = self.raw(&mut map)?;
                    if keep {
                        prefix.note("version", &v);
                    }
                    body.fill("version", v, !self.borrow);
                }
                Key::CreatedAt => {
                    let v = self.raw(&mut map)?;
                    if keep {
                        prefix.note("created_at", &v);
                    }
                    body.fill("created_at", v, !self.borrow);
                }
                Key::Data => {
                    // No flat body after `data` (see below).
                    prefix.ok = false;
                    self.data(&mut map, &mut body)?;
                }
                Key::Event if keep && body.event_type.is_none() && body.data.is_none() => {
                    // Probably a flat body: decode it in this pass, replaying
                    // the entries before `event`. The shape depends on which
                    // keys the body has, not on their order (see `shape`):
                    // a key that makes it another shape fails this pass, and
                    // the plain pass decides.
                    let v: &'de RawValue = map.next_value()?;
                    let kind = plain_str(v.get());
                    match (kind.and_then(flat_kind), kind, self.fast) {
                        (Some(Flat::LiteLlm), Some(k), Some((Target::Any, out))) => {
                            // An alert needs `event_group`, which makes the
                            // body LiteLLM for `decode` whatever else it has.
                            let alert = rest_of_map(prefix.entries(), k, &[], map)?;
                            out.alert.set(Some(alert));
                            return Ok(Scanned::Done(Flat::LiteLlm));
                        }
                        (Some(_), Some(k), Some((target, out)))
                            if !(target == Target::Any && body.has_event_group) =>
                        {
                            // Legacy is `event` without `data` (and, for
                            // `decode`, without `event_group`).
                            let forbid: &[&str] = match target {
                                Target::Any => &["data", "event_group"],
                                Target::Envelope => &["data"],
                            };
                            let legacy: LegacyEvent =
                                rest_of_map(prefix.entries(), k, forbid, map)?;
                            out.legacy.set(Some(legacy.into_envelope()));
                            return Ok(Scanned::Done(Flat::Legacy));
                        }
                        _ => body.has_event = true,
                    }
                }
                Key::Event => {
                    body.has_event = true;
                    self.other(&mut map, &mut body, self.name("event"))?;
                }
                Key::Object if keep => {
                    body.has_object = true;
                    prefix.push("object", map.next_value()?);
                }
                Key::Object => {
                    body.has_object = true;
                    self.other(&mut map, &mut body, self.name("object"))?;
                }
                Key::EventGroup if keep => {
                    body.has_event_group = true;
                    prefix.push("event_group", map.next_value()?);
                }
                Key::EventGroup => {
                    body.has_event_group = true;
                    self.other(&mut map, &mut body, self.name("event_group"))?;
                }
                Key::Borrowed(k) if keep => prefix.push(k, map.next_value()?),
                Key::Borrowed(_) => {
                    map.next_value::<de::IgnoredAny>()?;
                }
                Key::Other(k) => {
                    prefix.ok = false;
                    self.other(&mut map, &mut body, k)?;
                }
            }
        }
        Ok(Scanned::Body(body))
    }
}

/// The flat shape an `event` value names, if it is a known one.
fn flat_kind(s: &str) -> Option<Flat> {
    if LegacyKind::KNOWN.contains(&s) {
        Some(Flat::Legacy)
    } else if LiteLlmEvent::KNOWN.contains(&s) {
        Some(Flat::LiteLlm)
    } else {
        None
    }
}

impl<'de> Deserialize<'de> for RawBody<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match BodySeed::CAPTURE.deserialize(d)? {
            Scanned::Body(body) => Ok(body),
            // Only fast mode decodes a flat body in the scan.
            Scanned::Done(_) => Err(de::Error::custom("flat body decoded in the scan")),
        }
    }
}
