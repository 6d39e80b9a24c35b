//! The delivery id of a scheme without an id header, read from the verified
//! JSON body (Stripe's `id`, Slack's `event_id`).

use std::fmt;

use serde::Deserializer as _;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

/// `with` applied to the string value of the top-level member `field` of
/// the JSON object in `body`; `None` when the body is not a JSON object, has
/// no such member, or its value is not a string. The value is lent to
/// `with` (borrowed from `body`, or unescaped into a scratch buffer), so the
/// caller builds what it needs from it without an intermediate `String`.
///
/// Parsing stops at the member: Stripe writes `id` first, so the rest of the
/// event is not read.
pub(crate) fn field<R>(body: &[u8], field: &str, with: impl FnOnce(&str) -> R) -> Option<R> {
    let mut found = None;
    let mut de = serde_json::Deserializer::from_slice(body);
    // The visitor stops the parse with an error once it has the member;
    // `found` tells that apart from a body without it.
    let _ = de.deserialize_map(FindMember {
        field,
        with,
        found: &mut found,
    });
    found
}

struct FindMember<'f, 'o, F, R> {
    field: &'f str,
    with: F,
    found: &'o mut Option<R>,
}

/// Signals "member found": ends the parse early.
const STOP: &str = "member found";

impl<'de, F: FnOnce(&str) -> R, R> Visitor<'de> for FindMember<'_, '_, F, R> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(is_field) = map.next_key_seed(KeyIs(self.field))? {
            if is_field {
                // A non-string value is no id; parse errors end the search.
                if let Ok(value) = map.next_value_seed(ApplyToStr(self.with)) {
                    *self.found = Some(value);
                }
                return Err(de::Error::custom(STOP));
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// Deserializes a string value by handing it to the function inside.
struct ApplyToStr<F>(F);

impl<'de, F: FnOnce(&str) -> R, R> DeserializeSeed<'de> for ApplyToStr<F> {
    type Value = R;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<R, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<F: FnOnce(&str) -> R, R> Visitor<'_> for ApplyToStr<F> {
    type Value = R;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<R, E> {
        Ok((self.0)(value))
    }
}

/// Deserializes a member name into "is it `self.0`?", without allocating.
struct KeyIs<'f>(&'f str);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<bool, E> {
        Ok(name == self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::field as member;

    fn field(body: &[u8], name: &str) -> Option<String> {
        member(body, name, str::to_owned)
    }

    #[test]
    fn finds_a_top_level_string_member() {
        let stripe = br#"{"id":"evt_1NG8Du2eZvKYlo2CUI79vXWy","object":"event","data":{"object":{"id":"pi_1"}}}"#;
        assert_eq!(
            field(stripe, "id").as_deref(),
            Some("evt_1NG8Du2eZvKYlo2CUI79vXWy")
        );
        let slack = br#"{"token":"x","team_id":"T1","event":{"type":"app_mention","event_id":"inner"},"type":"event_callback","event_id":"Ev08MFMKH6","event_time":1}"#;
        assert_eq!(field(slack, "event_id").as_deref(), Some("Ev08MFMKH6"));
        // Escapes are decoded; the first of two members wins.
        assert_eq!(
            field(br#"{"id":"evt_\u0041","id":"second"}"#, "id").as_deref(),
            Some("evt_A")
        );
    }

    #[test]
    fn no_id_unless_a_string_member_of_an_object() {
        for body in [
            &br#"{"object":"event"}"#[..],
            br#"{"data":{"id":"nested"}}"#,
            br#"{"id":42}"#,
            br#"{"id":null}"#,
            br#"[{"id":"in an array"}]"#,
            br#""id""#,
            b"payload=%7B%22id%22%3A%22x%22%7D",
            b"",
            br#"{"id":"unterminated"#,
            br#"{"other":1,"#,
        ] {
            assert_eq!(field(body, "id"), None, "{}", String::from_utf8_lossy(body));
        }
    }
}
