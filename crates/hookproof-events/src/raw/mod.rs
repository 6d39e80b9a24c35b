//! [`RawBody`]: one pass over a delivery body that keeps the envelope fields.
//! This avoids `#[serde(flatten)]`/untagged buffering; when decoding from a
//! byte slice nothing is copied (the slots borrow the body).
//!
//! From a byte slice the scan first runs in fast mode: a flat body with a
//! known `event` before any `type`/`data` is decoded in the same pass, and a
//! `data` object that follows its `type` is decoded by type as it is read.
//! Any failure of the fast pass (or a body whose shape turns out different
//! from the guess made at `event` or `data`) runs the plain pass, which keeps
//! `data` as raw text and names the offending field in errors.
//!
//! The shape of a body depends only on which keys it has (see
//! [`RawBody::shape`]), never on their order: the fast pass may guess early,
//! but a guess the rest of the body contradicts is dropped.

use std::borrow::Cow;

use serde::de::DeserializeSeed;
use serde_json::value::RawValue;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::envelope::Envelope;
use crate::error::{DecodeError, decode_at};
use crate::event::GatewayEvent;
use crate::fast::Out;
use crate::legacy::LegacyEvent;

mod seed;

use seed::{BodySeed, DataKind};

type Raw<'a> = Cow<'a, RawValue>;

/// A flat shape guessed from its `event` value before any `type`/`data`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flat {
    /// `event` is a legacy kind (`completion`, `error`, ...).
    Legacy,
    /// `event` is a LiteLLM alert (`budget_crossed`, ...).
    LiteLlm,
}

/// Which decoder a scan is for (decides how a flat body is read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// [`decode`](crate::decode): any shape.
    Any,
    /// [`Envelope::from_slice`]: gateway envelope or legacy.
    Envelope,
}

/// The shape [`decode`](crate::decode) picks for a scanned body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    OpenAi,
    Gateway,
    LiteLlm,
    Legacy,
    Unknown,
}

/// What [`RawBody::scan`] found.
#[derive(Debug)]
pub(crate) enum Scanned<'a> {
    /// The whole body was read.
    Body(RawBody<'a>),
    /// A flat body decoded in the scan: the result is in the [`Out`] slot
    /// for that shape (`legacy` or `alert`).
    Done(Flat),
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
    /// `data` was decoded during a fast scan, into the out slot (then
    /// `data` is `None`).
    typed: Option<DataKind>,
    /// A `type` came after the typed `data`: the fast result is unusable.
    stale: bool,
    /// OpenAI's `created_at`.
    pub(crate) created_at: Option<Raw<'a>>,
    /// Any other top-level field (the flat legacy shape lives here); only
    /// filled in capture mode (see [`BodySeed`]).
    pub(crate) rest: Vec<(String, Raw<'a>)>,
    pub(crate) has_event: bool,
    pub(crate) has_object: bool,
    pub(crate) has_event_group: bool,
    /// The slot keys the body repeats: refused by a decoder that reads
    /// that field, as serde's derived decoders refuse theirs.
    repeated: Vec<&'static str>,
}

impl<'a> RawBody<'a> {
    /// Decodes an [`Envelope`] (or a legacy flat body) from `bytes`.
    pub(crate) fn envelope_from_slice(bytes: &[u8]) -> Result<Envelope, DecodeError> {
        let out = Out::default();
        match RawBody::scan(bytes, Target::Envelope, &out)? {
            Scanned::Body(raw) if !raw.is_legacy() => raw.into_envelope(Some(&out)),
            Scanned::Done(_) => match out.legacy.take() {
                Some(envelope) => envelope,
                None => RawBody::legacy_from_slice(bytes)?.into_envelope(),
            },
            _ => RawBody::legacy_from_slice(bytes)?.into_envelope(),
        }
    }

    /// One pass over `bytes`: the envelope slots borrow from `bytes`, other
    /// fields are skipped without allocating. Fast mode first (see the
    /// module docs); on any failure, or when the typed `data` does not match
    /// the final shape, the plain pass.
    pub(crate) fn scan(
        bytes: &'a [u8],
        target: Target,
        out: &Out,
    ) -> Result<Scanned<'a>, DecodeError> {
        // One up-front UTF-8 check is cheaper than serde_json's per-string
        // checks on a byte slice.
        let text = utf8(bytes)?;
        let scanned = Self::scan_text(text, Some((target, out)));
        let retry = match &scanned {
            Ok(Scanned::Body(raw)) => !raw.typed_fits(target),
            Ok(_) => false,
            Err(_) => true,
        };
        if retry {
            out.clear();
            return Self::scan_text(text, None);
        }
        scanned
    }

    /// One scan; `fast` enables the single-pass decoding.
    fn scan_text(text: &'a str, fast: Option<(Target, &Out)>) -> Result<Scanned<'a>, DecodeError> {
        let mut de = serde_json::Deserializer::from_str(text);
        BodySeed::borrowed(fast)
            .deserialize(&mut de)
            .and_then(|raw| de.end().map(|()| raw))
            .map_err(|e| DecodeError::from_json(&e))
    }

    /// Keeps the value of slot `name` (`type`, `id`, `timestamp`, `version`
    /// or `created_at`). A repeat is noted and the first value kept; in
    /// capture mode the repeat also goes to `rest`, so a rebuilt legacy
    /// body repeats it too.
    pub(super) fn fill(&mut self, name: &'static str, value: Raw<'a>, capture: bool) {
        let slot = match name {
            "type" => &mut self.event_type,
            "id" => &mut self.id,
            "timestamp" => &mut self.timestamp,
            "version" => &mut self.version,
            _ => &mut self.created_at,
        };
        if slot.is_none() {
            *slot = Some(value);
            return;
        }
        self.repeated.push(name);
        if capture {
            self.rest.push((name.to_owned(), value));
        }
    }

    /// Refuses a body that repeats one of `fields` (a decoder's fields):
    /// which of two values is meant is not for us to guess.
    pub(crate) fn refuse_repeated(&self, fields: &[&str]) -> Result<(), DecodeError> {
        // The first of `fields` repeated, whatever the key order.
        match fields.iter().find(|f| self.repeated.contains(f)) {
            Some(name) => Err(DecodeError::InvalidField {
                path: (*name).to_owned(),
                message: "the field appears more than once".to_owned(),
            }),
            None => Ok(()),
        }
    }

    /// Whether a fast scan typed `data` as an OpenAI event.
    pub(crate) fn typed_openai(&self) -> bool {
        self.typed == Some(DataKind::OpenAi)
    }

    /// The shape [`decode`](crate::decode) gives this body: a function of
    /// which keys it has (the table in `decode`'s docs), not of their order
    /// or of the `event` value.
    pub(crate) fn shape(&self) -> Shape {
        let typed = self.event_type.is_some();
        if typed && !self.has_event {
            let openai = self.has_object || (self.created_at.is_some() && self.timestamp.is_none());
            return if openai {
                Shape::OpenAi
            } else {
                Shape::Gateway
            };
        }
        if self.has_event && self.has_event_group {
            Shape::LiteLlm
        } else if self.is_legacy() {
            Shape::Legacy
        } else if typed {
            Shape::Gateway
        } else {
            Shape::Unknown
        }
    }

    /// Whether data typed during the scan (if any) is what the decoder for
    /// `target` would have made of the whole body.
    fn typed_fits(&self, target: Target) -> bool {
        match (self.typed, target) {
            (None, _) => true,
            _ if self.stale => false,
            (Some(DataKind::Gateway), Target::Envelope) => true,
            (Some(DataKind::Gateway), Target::Any) => self.shape() == Shape::Gateway,
            (Some(DataKind::OpenAi), Target::Any) => self.shape() == Shape::OpenAi,
            (Some(DataKind::OpenAi), Target::Envelope) => false,
        }
    }

    /// The decoder to type `data` with as it is read, if the shape is clear
    /// from the keys seen so far and `type` is a plain string.
    fn data_table(&self, target: Target) -> Option<(&'a str, DataKind)> {
        let Some(Cow::Borrowed(raw)) = &self.event_type else {
            return None;
        };
        let raw: &'a RawValue = raw;
        let event_type = plain_str(raw.get())?;
        let kind = match target {
            Target::Envelope => DataKind::Gateway,
            Target::Any if self.has_event => return None,
            Target::Any => match self.shape() {
                Shape::OpenAi => DataKind::OpenAi,
                _ => DataKind::Gateway,
            },
        };
        Some((event_type, kind))
    }

    /// Legacy (or any flat shape): parse the original bytes, no reassembly.
    pub(crate) fn legacy_from_slice(bytes: &[u8]) -> Result<LegacyEvent, DecodeError> {
        decode_at::<LegacyEvent>(utf8(bytes)?, "")
    }

    /// The flat legacy shape has `event` and no `data`.
    pub(crate) fn is_legacy(&self) -> bool {
        self.has_event && self.data.is_none() && self.typed.is_none()
    }

    fn check_shape(&self) -> Result<(), DecodeError> {
        if self.event_type.is_none() && !self.has_event {
            return Err(DecodeError::UnknownShape);
        }
        Ok(())
    }

    /// The envelope; `out` holds what a fast scan typed, if it did.
    pub(crate) fn into_envelope(self, out: Option<&Out>) -> Result<Envelope, DecodeError> {
        self.check_shape()?;
        if self.is_legacy() {
            return self.legacy()?.into_envelope();
        }
        self.refuse_repeated(&["type", "id", "timestamp", "version", "data"])?;
        let event_type = required_str(self.event_type.as_deref(), "type")?;
        let id = required_str(self.id.as_deref(), "id")?.into_owned();
        let ts = required_str(self.timestamp.as_deref(), "timestamp")?;
        let timestamp = parse_rfc3339(&ts, "timestamp")?;
        let version = required_str(self.version.as_deref(), "version")?.into_owned();
        let typed = match (self.typed, out) {
            (Some(DataKind::Gateway), Some(out)) => out.gateway.take(),
            _ => None,
        };
        let event = match typed {
            Some(event) => event,
            None => {
                let data = self
                    .data
                    .as_deref()
                    .ok_or_else(|| DecodeError::missing("data"))?;
                GatewayEvent::from_data(&event_type, data.get())?
            }
        };
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
        self.refuse_repeated(&["type", "data"])?;
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
    // A JSON string without a backslash is its own text between the quotes
    // (RawValue holds valid JSON, so no parser is needed for that case).
    if let Some(s) = plain_str(raw.get()) {
        return Ok(Cow::Borrowed(s));
    }
    match serde_json::from_str::<&str>(raw.get()) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(_) => decode_at::<String>(raw.get(), path).map(Cow::Owned),
    }
}

/// The content of a JSON string token without escapes, else `None`.
fn plain_str(json: &str) -> Option<&str> {
    let inner = json.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then_some(inner)
}

/// Parses an RFC 3339 timestamp; `path` names the field in errors.
pub(crate) fn parse_rfc3339(s: &str, path: &str) -> Result<OffsetDateTime, DecodeError> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|e| DecodeError::InvalidField {
        path: path.to_owned(),
        message: format!("not an RFC 3339 timestamp ({e})"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast<'a>(body: &'a str, target: Target, out: &Out) -> Scanned<'a> {
        RawBody::scan_text(body, Some((target, out))).unwrap()
    }

    #[test]
    fn fast_pass_types_data_and_flat_bodies_in_one_pass() {
        let gateway = r#"{"id":"e","type":"webhook.test","timestamp":"2026-11-22T17:00:00Z","version":"1","data":{"message":"m"}}"#;
        let out = Out::default();
        let Scanned::Body(b) = fast(gateway, Target::Any, &out) else {
            panic!("not a body")
        };
        assert!(matches!(
            out.gateway.take(),
            Some(GatewayEvent::WebhookTest(_))
        ));
        assert!(b.typed_fits(Target::Any));
        let openai = r#"{"object":"event","id":"evt_1","type":"batch.completed","created_at":1,"data":{"id":"b"}}"#;
        let Scanned::Body(b) = fast(openai, Target::Any, &out) else {
            panic!("not a body")
        };
        assert!(out.openai.take().is_some());
        assert!(b.typed_fits(Target::Any));
        let legacy = r#"{"event":"streaming","request_id":"r","chunk_index":1,"content":"x","timestamp":1763831101512}"#;
        assert!(matches!(
            fast(legacy, Target::Any, &out),
            Scanned::Done(Flat::Legacy)
        ));
        assert!(out.legacy.take().is_some());
        assert!(matches!(
            fast(legacy, Target::Envelope, &out),
            Scanned::Done(Flat::Legacy)
        ));
        assert!(out.legacy.take().is_some());
        // Key-sorted (as serde_json re-serializes): entries before `event`
        // are replayed.
        let sorted = r#"{"chunk_index":1,"content":"x","event":"streaming","request_id":"r","timestamp":1763831101512}"#;
        assert!(matches!(fast(sorted, Target::Any, &out), Scanned::Done(_)));
        let Some(Ok(e)) = out.legacy.take() else {
            panic!("not legacy")
        };
        let GatewayEvent::StreamToken(t) = e.event else {
            panic!("not a stream token")
        };
        assert_eq!((t.index, t.content.as_str()), (1, "x"));
        let litellm =
            r#"{"event":"budget_crossed","event_group":"team","event_message":"m","spend":1.0}"#;
        assert!(matches!(
            fast(litellm, Target::Any, &out),
            Scanned::Done(Flat::LiteLlm)
        ));
        assert!(out.alert.take().is_some());
    }

    #[test]
    fn a_guess_proved_wrong_by_later_keys_is_not_used() {
        // `type` again after `data`: the typed data belongs to the old type.
        let body = r#"{"id":"e","type":"webhook.test","timestamp":"2026-11-22T17:00:00Z","version":"1","data":{"message":"m"},"type":"cache.hit"}"#;
        let Scanned::Body(b) = fast(body, Target::Any, &Out::default()) else {
            panic!("not a body")
        };
        assert!(!b.typed_fits(Target::Any));
        // `object` after `data` makes it an OpenAI event.
        let body = r#"{"id":"e","type":"webhook.test","created_at":1,"timestamp":"2026-11-22T17:00:00Z","data":{"message":"m"},"object":"event"}"#;
        let Scanned::Body(b) = fast(body, Target::Any, &Out::default()) else {
            panic!("not a body")
        };
        assert!(!b.typed_fits(Target::Any));
        // Either way the plain pass decides, as without the fast pass.
        let e = crate::decode(body.as_bytes()).unwrap();
        assert_eq!(e.source(), "openai");
    }

    #[test]
    fn a_flat_guess_proved_wrong_by_later_keys_is_not_used() {
        // Found by fuzz/ (decode_event): a known legacy `event` first, then
        // `data`, was decoded as legacy in the scan; with `data` it is an
        // envelope (here without an id), as the plain pass and serde say.
        let body = r#"{"event":"budget","type":"","timestamp":"2026-11-22T17:04:11Z","data":{}}"#;
        for target in [Target::Any, Target::Envelope] {
            assert!(RawBody::scan_text(body, Some((target, &Out::default()))).is_err());
        }
        let missing_id = DecodeError::missing("id");
        assert_eq!(crate::decode(body.as_bytes()).unwrap_err(), missing_id);
        assert_eq!(
            Envelope::from_slice(body.as_bytes()).unwrap_err(),
            missing_id
        );
        // `event_group` after a legacy `event` makes it LiteLLM for `decode`
        // (here invalid: no `event_message`), but `Envelope` reads it as
        // legacy, since it has no `data`.
        let body = r#"{"event":"completion","timestamp":1,"event_group":"team","spend":1}"#;
        assert!(RawBody::scan_text(body, Some((Target::Any, &Out::default()))).is_err());
        assert_eq!(
            crate::decode(body.as_bytes()).unwrap_err(),
            DecodeError::missing("event_message")
        );
        assert_eq!(
            Envelope::from_slice(body.as_bytes()).unwrap().version,
            "legacy"
        );
    }

    #[test]
    fn a_flat_body_with_many_keys_before_event_still_decodes() {
        let extra: String = (0..2 * super::seed::PREFIX)
            .map(|i| format!(r#""x{i}":{i},"#))
            .collect();
        let long = format!(
            r#"{{{extra}"event":"streaming","request_id":"r","chunk_index":2,"timestamp":1}}"#
        );
        let short = r#"{"event":"streaming","request_id":"r","chunk_index":2,"timestamp":1}"#;
        // Too many to replay: the whole body is scanned, then the bytes are
        // decoded again; same result.
        let Ok(Scanned::Body(b)) = RawBody::scan_text(&long, Some((Target::Any, &Out::default())))
        else {
            panic!("not a body")
        };
        assert_eq!(b.shape(), Shape::Legacy);
        assert_eq!(
            crate::decode(long.as_bytes()).unwrap(),
            crate::decode(short.as_bytes()).unwrap()
        );
    }

    #[test]
    fn plain_strings_are_read_without_a_parser() {
        assert_eq!(plain_str(r#""evt_1""#), Some("evt_1"));
        assert_eq!(plain_str(r#""""#), Some(""));
        assert_eq!(plain_str(r#""a\"b""#), None);
        assert_eq!(plain_str("17"), None);
        let raw: &RawValue = serde_json::from_str(r#""caf\u00e9""#).unwrap();
        assert_eq!(required_str(Some(raw), "id").unwrap(), "café");
        let raw: &RawValue = serde_json::from_str("17").unwrap();
        assert_eq!(
            required_str(Some(raw), "id").unwrap_err().path(),
            Some("id")
        );
    }

    #[test]
    fn fast_pass_failures_fall_back_to_the_plain_pass_with_paths() {
        let body = br#"{"id":"e","type":"webhook.test","timestamp":"2026-11-22T17:00:00Z","version":"1","data":{"message":7}}"#;
        let text = utf8(body).unwrap();
        assert!(RawBody::scan_text(text, Some((Target::Any, &Out::default()))).is_err());
        let err = crate::decode(body).unwrap_err();
        assert_eq!(err.path(), Some("data.message"));
        let body = br#"{"event":"streaming","request_id":"r","chunk_index":"one","timestamp":1}"#;
        assert!(
            RawBody::scan_text(utf8(body).unwrap(), Some((Target::Any, &Out::default()))).is_err()
        );
        assert_eq!(crate::decode(body).unwrap_err().path(), Some("chunk_index"));
    }
}
