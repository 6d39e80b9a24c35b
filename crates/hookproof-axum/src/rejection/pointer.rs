//! JSON pointers (RFC 6901) for the `pointer` member of a 422.

/// Turns a dotted path (`data.items[0].name` or `data.items.0.name`) into
/// an RFC 6901 JSON pointer (`/data/items/0/name`).
pub(super) fn dotted_to_pointer(path: &str) -> String {
    let mut pointer = String::new();
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        let mut parts = segment.split('[');
        if let Some(key) = parts.next().filter(|k| !k.is_empty()) {
            pointer.push('/');
            pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
        }
        for index in parts {
            pointer.push('/');
            pointer.push_str(index.trim_end_matches(']'));
        }
    }
    pointer
}

/// Turns a serde path (`data.usage[0]`) into an RFC 6901 JSON pointer (`/data/usage/0`).
pub(super) fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path {
        match segment {
            Segment::Seq { index } => {
                pointer.push('/');
                pointer.push_str(&index.to_string());
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_rfc6901() {
        let mut path_json = serde_json::Deserializer::from_str(r#"{"a/b~c": "x"}"#);
        let err = serde_path_to_error::deserialize::<_, std::collections::HashMap<String, u8>>(
            &mut path_json,
        )
        .expect_err("must fail");
        assert_eq!(json_pointer(err.path()), "/a~1b~0c");
    }

    #[test]
    fn dotted_paths_become_pointers() {
        assert_eq!(
            dotted_to_pointer("data.usage_percent"),
            "/data/usage_percent"
        );
        assert_eq!(
            dotted_to_pointer("data.items[3].name"),
            "/data/items/3/name"
        );
        assert_eq!(dotted_to_pointer("a/b"), "/a~1b");
        assert_eq!(dotted_to_pointer(""), "");
    }
}
