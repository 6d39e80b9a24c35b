//! [`RawBody`]: one pass over a delivery body that keeps the envelope fields
//! and leaves `data` as raw JSON text, to be decoded by type afterwards.
//! This avoids `#[serde(flatten)]`/untagged buffering on the hot path.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::envelope::Envelope;
use crate::error::{DecodeError, decode_at};
use crate::event::GatewayEvent;
use crate::legacy::LegacyEvent;

/// The top-level fields of a delivery body, values kept as raw JSON.
#[derive(Debug, Default)]
pub(crate) struct RawBody {
    /// `type`, raw: a string in the envelope, anything in the legacy shape.
    pub(crate) event_type: Option<Box<RawValue>>,
    pub(crate) id: Option<Box<RawValue>>,
    pub(crate) timestamp: Option<Box<RawValue>>,
    pub(crate) version: Option<Box<RawValue>>,
    pub(crate) data: Option<Box<RawValue>>,
    /// Any other top-level field (the flat legacy shape lives here).
    pub(crate) rest: Vec<(String, Box<RawValue>)>,
    pub(crate) has_event: bool,
}

impl RawBody {
    /// Decodes an [`Envelope`] (or a legacy flat body) from `bytes`.
    pub(crate) fn envelope_from_slice(bytes: &[u8]) -> Result<Envelope, DecodeError> {
        let raw: RawBody = serde_json::from_slice(bytes).map_err(|e| DecodeError::from_json(&e))?;
        if raw.is_legacy() {
            // Legacy: parse the original bytes directly, no reassembly.
            let text = std::str::from_utf8(bytes).map_err(|_| DecodeError::Json {
                message: "body is not UTF-8".into(),
                line: 0,
                column: 0,
            })?;
            return decode_at::<LegacyEvent>(text, "")?.into_envelope();
        }
        raw.into_envelope()
    }

    /// The flat legacy shape has `event` and no `data`.
    fn is_legacy(&self) -> bool {
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
        let event_type: String = required(self.event_type.as_deref(), "type")?;
        let id: String = required(self.id.as_deref(), "id")?;
        let ts: String = required(self.timestamp.as_deref(), "timestamp")?;
        let timestamp = parse_rfc3339(&ts, "timestamp")?;
        let version: String = required(self.version.as_deref(), "version")?;
        let data = self.data.ok_or_else(|| DecodeError::missing("data"))?;
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
        let event_type: String = required(self.event_type.as_deref(), "type")?;
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

fn required<T: serde::de::DeserializeOwned>(
    raw: Option<&RawValue>,
    path: &str,
) -> Result<T, DecodeError> {
    let raw = raw.ok_or_else(|| DecodeError::missing(path))?;
    decode_at(raw.get(), path)
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
    Other(String),
}

impl Key {
    fn from_str(s: &str) -> Key {
        match s {
            "type" => Key::Type,
            "id" => Key::Id,
            "timestamp" => Key::Timestamp,
            "version" => Key::Version,
            "data" => Key::Data,
            "event" => Key::Event,
            other => Key::Other(other.to_owned()),
        }
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Key, E> {
        Ok(Key::from_str(s))
    }
}

struct BodyVisitor;

impl<'de> Visitor<'de> for BodyVisitor {
    type Value = RawBody;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a webhook body (JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawBody, A::Error> {
        let mut body = RawBody::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key {
                Key::Type => body.event_type = Some(map.next_value()?),
                Key::Id => body.id = Some(map.next_value()?),
                Key::Timestamp => body.timestamp = Some(map.next_value()?),
                Key::Version => body.version = Some(map.next_value()?),
                Key::Data => body.data = Some(map.next_value()?),
                Key::Event => {
                    body.has_event = true;
                    body.rest.push(("event".to_owned(), map.next_value()?));
                }
                Key::Other(k) => body.rest.push((k, map.next_value()?)),
            }
        }
        Ok(body)
    }
}

impl<'de> Deserialize<'de> for RawBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(BodyVisitor)
    }
}
