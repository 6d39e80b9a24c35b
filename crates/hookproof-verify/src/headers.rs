//! Read-only, case-insensitive access to request headers.

/// Header access for verification: case-insensitive names, several values
/// per name.
///
/// Implemented for `http::HeaderMap` (feature `http`), for slices, arrays
/// and vectors of `(name, value)` pairs (`(&str, &str)`, `(String, String)`,
/// any `K: AsRef<str>, V: AsRef<[u8]>`), and for references to any of these. Implement it for your own header type with
/// one method.
///
/// # Examples
///
/// ```
/// use hookproof_verify::Headers;
///
/// let headers = [("Webhook-Id", "msg_1"), ("webhook-id", "msg_2"), ("other", "x")];
/// let mut seen = Vec::new();
/// headers.visit_values("webhook-id", &mut |v| seen.push(v));
/// assert_eq!(seen, [b"msg_1".as_slice(), b"msg_2".as_slice()]);
/// ```
pub trait Headers {
    /// Calls `visit` once for every value of the header `name`, in the order
    /// they appear. `name` is ASCII lowercase; implementations compare names
    /// case-insensitively. Values are raw bytes (header values need not be
    /// UTF-8).
    fn visit_values<'a>(&'a self, name: &str, visit: &mut dyn FnMut(&'a [u8]));

    /// Like [`visit_values`](Headers::visit_values) with a pre-parsed name
    /// (feature `http`). The default calls `visit_values`; `http::HeaderMap`
    /// overrides it to skip parsing the name on every lookup.
    #[cfg(feature = "http")]
    fn visit_header<'a>(&'a self, name: &http::HeaderName, visit: &mut dyn FnMut(&'a [u8])) {
        self.visit_values(name.as_str(), visit);
    }

    /// Visits the values of several headers: `visit(i, value)` for every
    /// value of `names[i]` (ASCII lowercase), the values of one name in
    /// order. The default calls [`visit_values`](Headers::visit_values)
    /// once per name; pair lists override it to look at each pair once.
    fn visit_many<'a>(&'a self, names: &[&str], visit: &mut dyn FnMut(usize, &'a [u8])) {
        for (i, name) in names.iter().enumerate() {
            self.visit_values(name, &mut |v| visit(i, v));
        }
    }

    /// Like [`visit_many`](Headers::visit_many) with pre-parsed names
    /// (feature `http`). The default calls
    /// [`visit_header`](Headers::visit_header) once per name (for
    /// `http::HeaderMap`, hashed lookups: a one-pass scan of a typical
    /// request's map was measured to cost more).
    #[cfg(feature = "http")]
    fn visit_many_headers<'a>(
        &'a self,
        names: &[&http::HeaderName],
        visit: &mut dyn FnMut(usize, &'a [u8]),
    ) {
        for (i, name) in names.iter().enumerate() {
            self.visit_header(name, &mut |v| visit(i, v));
        }
    }
}

impl<T: Headers + ?Sized> Headers for &T {
    fn visit_values<'a>(&'a self, name: &str, visit: &mut dyn FnMut(&'a [u8])) {
        (**self).visit_values(name, visit);
    }

    #[cfg(feature = "http")]
    fn visit_header<'a>(&'a self, name: &http::HeaderName, visit: &mut dyn FnMut(&'a [u8])) {
        (**self).visit_header(name, visit);
    }

    fn visit_many<'a>(&'a self, names: &[&str], visit: &mut dyn FnMut(usize, &'a [u8])) {
        (**self).visit_many(names, visit);
    }

    #[cfg(feature = "http")]
    fn visit_many_headers<'a>(
        &'a self,
        names: &[&http::HeaderName],
        visit: &mut dyn FnMut(usize, &'a [u8]),
    ) {
        (**self).visit_many_headers(names, visit);
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for [(K, V)] {
    fn visit_values<'a>(&'a self, name: &str, visit: &mut dyn FnMut(&'a [u8])) {
        for (k, v) in self {
            if k.as_ref().eq_ignore_ascii_case(name) {
                visit(v.as_ref());
            }
        }
    }

    fn visit_many<'a>(&'a self, names: &[&str], visit: &mut dyn FnMut(usize, &'a [u8])) {
        for (k, v) in self {
            let k = k.as_ref();
            for (i, name) in names.iter().enumerate() {
                if k.eq_ignore_ascii_case(name) {
                    visit(i, v.as_ref());
                }
            }
        }
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>, const N: usize> Headers for [(K, V); N] {
    fn visit_values<'a>(&'a self, name: &str, visit: &mut dyn FnMut(&'a [u8])) {
        self.as_slice().visit_values(name, visit);
    }

    fn visit_many<'a>(&'a self, names: &[&str], visit: &mut dyn FnMut(usize, &'a [u8])) {
        self.as_slice().visit_many(names, visit);
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for Vec<(K, V)> {
    fn visit_values<'a>(&'a self, name: &str, visit: &mut dyn FnMut(&'a [u8])) {
        self.as_slice().visit_values(name, visit);
    }

    fn visit_many<'a>(&'a self, names: &[&str], visit: &mut dyn FnMut(usize, &'a [u8])) {
        self.as_slice().visit_many(names, visit);
    }
}

#[cfg(feature = "http")]
impl Headers for http::HeaderMap {
    fn visit_values<'a>(&'a self, name: &str, visit: &mut dyn FnMut(&'a [u8])) {
        for v in self.get_all(name) {
            visit(v.as_bytes());
        }
    }

    fn visit_header<'a>(&'a self, name: &http::HeaderName, visit: &mut dyn FnMut(&'a [u8])) {
        for v in self.get_all(name) {
            visit(v.as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect<H: Headers + ?Sized>(h: &H, name: &str) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        h.visit_values(name, &mut |v| out.push(v.to_vec()));
        out
    }

    #[test]
    fn pairs_are_case_insensitive_and_keep_order() {
        let owned = vec![
            ("X-Hub-Signature-256".to_owned(), "a".to_owned()),
            ("x-hub-signature-256".to_owned(), "b".to_owned()),
        ];
        assert_eq!(collect(&owned, "x-hub-signature-256"), [b"a", b"b"]);
        assert!(collect(&owned, "x-hub-signature").is_empty());
    }

    #[cfg(feature = "http")]
    #[test]
    fn header_map_returns_all_values() {
        let mut map = http::HeaderMap::new();
        map.append("Webhook-Signature", http::HeaderValue::from_static("v1,a"));
        map.append("webhook-signature", http::HeaderValue::from_static("v1,b"));
        assert_eq!(collect(&map, "webhook-signature"), [b"v1,a", b"v1,b"]);
    }

    fn collect_many<H: Headers + ?Sized>(h: &H, names: &[&str]) -> Vec<(usize, Vec<u8>)> {
        let mut out = Vec::new();
        h.visit_many(names, &mut |i, v| out.push((i, v.to_vec())));
        out.sort_by_key(|(i, _)| *i);
        out
    }

    #[test]
    fn visit_many_matches_one_lookup_per_name() {
        let pairs = [
            ("Webhook-Id", "id"),
            ("host", "example.com"),
            ("webhook-signature", "v1,a"),
            ("WEBHOOK-SIGNATURE", "v1,b"),
        ];
        let names = ["webhook-signature", "webhook-timestamp", "webhook-id"];
        let want: Vec<(usize, Vec<u8>)> = vec![
            (0, b"v1,a".to_vec()),
            (0, b"v1,b".to_vec()),
            (2, b"id".to_vec()),
        ];
        assert_eq!(collect_many(&pairs, &names), want);
        assert_eq!(collect_many(&&pairs, &names), want);
        assert_eq!(collect_many(&pairs.to_vec(), &names), want);
    }

    #[cfg(feature = "http")]
    #[test]
    fn header_map_visits_many_in_one_pass() {
        let mut map = http::HeaderMap::new();
        map.append("webhook-signature", http::HeaderValue::from_static("v1,a"));
        map.append(http::header::HOST, http::HeaderValue::from_static("h"));
        map.append("webhook-id", http::HeaderValue::from_static("id"));
        map.append("Webhook-Signature", http::HeaderValue::from_static("v1,b"));
        let sig = http::HeaderName::from_static("webhook-signature");
        let ts = http::HeaderName::from_static("webhook-timestamp");
        let id = http::HeaderName::from_static("webhook-id");
        let mut out = Vec::new();
        map.visit_many_headers(&[&sig, &ts, &id], &mut |i, v| out.push((i, v.to_vec())));
        out.sort_by_key(|(i, _)| *i);
        let want: Vec<(usize, Vec<u8>)> = vec![
            (0, b"v1,a".to_vec()),
            (0, b"v1,b".to_vec()),
            (2, b"id".to_vec()),
        ];
        assert_eq!(out, want);
        let mut default = Vec::new();
        (&map as &dyn Headers).visit_many(
            &["webhook-signature", "webhook-timestamp", "webhook-id"],
            &mut |i, v| default.push((i, v.to_vec())),
        );
        default.sort_by_key(|(i, _)| *i);
        assert_eq!(default, want);
    }
}
