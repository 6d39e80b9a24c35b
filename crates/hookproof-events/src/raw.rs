//! [`RawBody`]: one pass over a delivery body that keeps the envelope fields
//! and leaves `data` as raw JSON text, to be decoded by type afterwards.
//! This avoids `#[serde(flatten)]`/untagged buffering on the hot path; when
//! decoding from a byte slice nothing is copied (the slots borrow the body).

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::envelope::Envelope;
use crate::error::{DecodeError, decode_at};
use crate::event::GatewayEvent;
use crate::legacy::{LegacyEvent, LegacyKind};
use crate::litellm::LiteLlmEvent;

type Raw<'a> = Cow<'a, RawValue>;

/// A flat shape recognised from its `event` value before any `type`/`data`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flat {
    /// `event` is a legacy kind (`completion`, `error`, ...).
    Legacy,
    /// `event` is a LiteLLM alert (`budget_crossed`, ...).
    LiteLlm,
}

/// What [`RawBody::scan`] found.
#[derive(Debug)]
pub(crate) enum Scanned<'a> {
    /// The whole body was read.
    Body(RawBody<'a>),
    /// A flat shape, recognised early.
    Flat(Flat),
}

/// The top-level fields of a delivery body, values kept as raw JSON.
#[derive(Debug, Default)]
pub(crate) struct RawBody<'a> {
    /// `type`: a string in the envelope, anything in the legacy shape.
    pub(crate) event_type: Option<Raw<'a>>,
    pub(crate) id: Option<Raw<'a>>,
    pub(crate) timestamp: Option<Raw<'a>>,
    pub(crate) version: Option<Raw<'a>>,
    pub(crate) data: Option<Raw<'a>>,
    /// OpenAI's `created_at`.
    pub(crate) created_at: Option<Raw<'a>>,
    /// Any other top-level field (the flat legacy shape lives here); only
    /// filled in capture mode (see [`BodySeed`]).
    pub(crate) rest: Vec<(String, Raw<'a>)>,
    pub(crate) has_event: bool,
    pub(crate) has_object: bool,
    pub(crate) has_event_group: bool,
}

impl<'a> RawBody<'a> {
    /// Decodes an [`Envelope`] (or a legacy flat body) from `bytes`.
    pub(crate) fn envelope_from_slice(bytes: &[u8]) -> Result<Envelope, DecodeError> {
        match RawBody::scan(bytes)? {
            Scanned::Body(raw) if !raw.is_legacy() => raw.into_envelope(),
            _ => RawBody::legacy_from_slice(bytes)?.into_envelope(),
        }
    }

    /// One pass over `bytes`: the envelope slots borrow from `bytes`, other
    /// fields are skipped without allocating. A flat body whose first
    /// envelope-relevant key is a known `event` stops the scan early (the
    /// typed decoder reads the bytes next anyway).
    pub(crate) fn scan(bytes: &'a [u8]) -> Result<Scanned<'a>, DecodeError> {
        let flat = Cell::new(None);
        // One up-front UTF-8 check is cheaper than serde_json's per-string
        // checks on a byte slice.
        let mut de = serde_json::Deserializer::from_str(utf8(bytes)?);
        let seed = BodySeed {
            borrow: true,
            flat: Some(&flat),
        };
        match seed
            .deserialize(&mut de)
            .and_then(|raw| de.end().map(|()| raw))
        {
            Ok(raw) => Ok(Scanned::Body(raw)),
            Err(e) => match flat.get() {
                Some(f) => Ok(Scanned::Flat(f)),
                None => Err(DecodeError::from_json(&e)),
            },
        }
    }

    /// Legacy (or any flat shape): parse the original bytes, no reassembly.
    pub(crate) fn legacy_from_slice(bytes: &[u8]) -> Result<LegacyEvent, DecodeError> {
        decode_at::<LegacyEvent>(utf8(bytes)?, "")
    }

    /// The flat legacy shape has `event` and no `data`.
    pub(crate) fn is_legacy(&self) -> bool {
        self.has_event && self.data.is_none()
    }

    fn check_shape(&self) -> Result<(), DecodeError> {
        if self.event_type.is_none() && !self.has_event {
            return Err(DecodeError::UnknownShape);
        }
        Ok(())
    }

    pub(crate) fn into_envelope(self) -> Result<Envelope, DecodeError> {
        self.check_shape()?;
        if self.is_legacy() {
            return self.legacy()?.into_envelope();
        }
        let event_type = required_str(self.event_type.as_deref(), "type")?;
        let id = required_str(self.id.as_deref(), "id")?.into_owned();
        let ts = required_str(self.timestamp.as_deref(), "timestamp")?;
        let timestamp = parse_rfc3339(&ts, "timestamp")?;
        let version = required_str(self.version.as_deref(), "version")?.into_owned();
        let data = self
            .data
            .as_deref()
            .ok_or_else(|| DecodeError::missing("data"))?;
        let event = GatewayEvent::from_data(&event_type, data.get())?;
        Ok(Envelope {
            id,
            timestamp,
            version,
            event,
        })
    }

    pub(crate) fn into_event(self) -> Result<GatewayEvent, DecodeError> {
        self.check_shape()?;
        if self.is_legacy() {
            return Ok(self.legacy()?.into_envelope()?.event);
        }
        let event_type = required_str(self.event_type.as_deref(), "type")?;
        let data = self
            .data
            .as_deref()
            .ok_or_else(|| DecodeError::missing("data"))?;
        GatewayEvent::from_data(&event_type, data.get())
    }

    /// Reassembles the flat legacy object from the captured fields.
    fn legacy(self) -> Result<LegacyEvent, DecodeError> {
        if !self.has_event {
            return Err(DecodeError::UnknownShape);
        }
        let mut text = String::from("{");
        let named = [
            ("type", self.event_type),
            ("id", self.id),
            ("timestamp", self.timestamp),
            ("version", self.version),
            ("data", self.data),
            ("created_at", self.created_at),
        ];
        let named = named
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v)));
        for (i, (k, v)) in named.chain(self.rest).enumerate() {
            if i > 0 {
                text.push(',');
            }
            // Keys came out of JSON as strings; re-encoding cannot fail.
            text.push_str(&serde_json::Value::String(k).to_string());
            text.push(':');
            text.push_str(v.get());
        }
        text.push('}');
        decode_at::<LegacyEvent>(&text, "")
    }
}

/// The body as UTF-8 text (JSON is UTF-8; serde_json validated it already).
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, DecodeError> {
    std::str::from_utf8(bytes).map_err(|e| DecodeError::Json {
        message: format!("body is not UTF-8 ({e})"),
        line: 0,
        column: 0,
    })
}

/// Decodes a required top-level field; `path` names it in errors.
pub(crate) fn required<T: serde::de::DeserializeOwned>(
    raw: Option<&RawValue>,
    path: &str,
) -> Result<T, DecodeError> {
    let raw = raw.ok_or_else(|| DecodeError::missing(path))?;
    decode_at(raw.get(), path)
}

/// A required string field, borrowed from the raw text unless it has escapes.
pub(crate) fn required_str<'r>(
    raw: Option<&'r RawValue>,
    path: &str,
) -> Result<Cow<'r, str>, DecodeError> {
    let raw = raw.ok_or_else(|| DecodeError::missing(path))?;
    match serde_json::from_str::<&str>(raw.get()) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(_) => decode_at::<String>(raw.get(), path).map(Cow::Owned),
    }
}

/// Parses an RFC 3339 timestamp; `path` names the field in errors.
pub(crate) fn parse_rfc3339(s: &str, path: &str) -> Result<OffsetDateTime, DecodeError> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|e| DecodeError::InvalidField {
        path: path.to_owned(),
        message: format!("not an RFC 3339 timestamp ({e})"),
    })
}

enum Key {
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
}

#[derive(Clone, Copy)]
struct KeySeed {
    capture: bool,
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Key, E> {
        Ok(match s {
            "type" => Key::Type,
            "id" => Key::Id,
            "timestamp" => Key::Timestamp,
            "version" => Key::Version,
            "data" => Key::Data,
            "event" => Key::Event,
            "object" => Key::Object,
            "created_at" => Key::CreatedAt,
            "event_group" => Key::EventGroup,
            other => Key::Other(self.capture.then(|| other.to_owned())),
        })
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
    /// Where to report an early-recognised flat shape (borrow mode only).
    flat: Option<&'c Cell<Option<Flat>>>,
}

impl<'c> BodySeed<'c> {
    const CAPTURE: BodySeed<'static> = BodySeed {
        borrow: false,
        flat: None,
    };

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

    fn name(self, name: &str) -> Option<String> {
        (!self.borrow).then(|| name.to_owned())
    }
}

impl<'de> DeserializeSeed<'de> for BodySeed<'_> {
    type Value = RawBody<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawBody<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for BodySeed<'_> {
    type Value = RawBody<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a webhook body (JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawBody<'de>, A::Error> {
        let mut body = RawBody::default();
        let keys = KeySeed {
            capture: !self.borrow,
        };
        while let Some(key) = map.next_key_seed(keys)? {
            match key {
                Key::Type => body.event_type = Some(self.raw(&mut map)?),
                Key::Id => body.id = Some(self.raw(&mut map)?),
                Key::Timestamp => body.timestamp = Some(self.raw(&mut map)?),
                Key::Version => body.version = Some(self.raw(&mut map)?),
                Key::Data => body.data = Some(self.raw(&mut map)?),
                Key::CreatedAt => body.created_at = Some(self.raw(&mut map)?),
                Key::Event => {
                    body.has_event = true;
                    match self.flat {
                        Some(cell) if body.event_type.is_none() && body.data.is_none() => {
                            let v: &'de RawValue = map.next_value()?;
                            if let Some(f) = flat_kind(v) {
                                cell.set(Some(f));
                                // Stop reading: the caller decodes the bytes.
                                return Err(de::Error::custom("flat body recognised"));
                            }
                        }
                        _ => self.other(&mut map, &mut body, self.name("event"))?,
                    }
                }
                Key::Object => {
                    body.has_object = true;
                    self.other(&mut map, &mut body, self.name("object"))?;
                }
                Key::EventGroup => {
                    body.has_event_group = true;
                    self.other(&mut map, &mut body, self.name("event_group"))?;
                }
                Key::Other(k) => self.other(&mut map, &mut body, k)?,
            }
        }
        Ok(body)
    }
}

/// The flat shape an `event` value names, if it is a known one.
fn flat_kind(v: &RawValue) -> Option<Flat> {
    let s = serde_json::from_str::<&str>(v.get()).ok()?;
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
        BodySeed::CAPTURE.deserialize(d)
    }
}
