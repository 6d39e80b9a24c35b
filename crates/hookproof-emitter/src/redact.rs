//! URLs shown without the credentials they may carry.

use std::fmt;

use url::{Position, Url};

/// Shows a URL with its credentials hidden, for `Debug` output, errors,
/// logs, dead letters and attempt reports.
///
/// - userinfo becomes `***` (`***:***@` when there is a password);
/// - every query value becomes `***` (`?token=***&x=***`); a query item
///   without `=` becomes `***` as a whole, since it may be a bare token;
/// - a fragment becomes `#***`.
///
/// Scheme, host, port and path are shown as they are, so the destination
/// stays recognisable. A secret placed in the path itself (some chat
/// services' incoming-webhook URLs do this) is not hidden; keep such
/// secrets in a query parameter, or treat the whole URL as a secret.
///
/// Every place this crate shows an endpoint URL goes through this type:
/// [`EndpointConfig`](crate::EndpointConfig)'s `Debug`, attempt errors,
/// [`DeadLetter::last_error`](crate::DeadLetter::last_error),
/// [`AttemptReport::url`](crate::AttemptReport::url) and `tracing` events.
///
/// # Examples
///
/// ```
/// use hookproof_emitter::RedactedUrl;
/// use url::Url;
///
/// let url = Url::parse("https://user:pa55@hooks.example.com:8443/in?token=s3cret&x=1#frag")?;
/// assert_eq!(
///     RedactedUrl::new(&url).to_string(),
///     "https://***:***@hooks.example.com:8443/in?token=***&x=***#***"
/// );
/// // Debug is the same text, quoted, so derived Debug output redacts too.
/// assert_eq!(
///     format!("{:?}", RedactedUrl::new(&url)),
///     "\"https://***:***@hooks.example.com:8443/in?token=***&x=***#***\""
/// );
///
/// // A URL without credentials is shown unchanged.
/// let plain = Url::parse("https://hooks.example.com/in")?;
/// assert_eq!(RedactedUrl::new(&plain).to_string(), plain.as_str());
/// # Ok::<(), url::ParseError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RedactedUrl<'a>(&'a Url);

impl<'a> RedactedUrl<'a> {
    /// Wraps `url` for display.
    #[must_use]
    pub fn new(url: &'a Url) -> Self {
        Self(url)
    }

    /// The redacted text, resolved against this URL when `reference` is
    /// relative (a `Location` header, say). A reference that does not parse
    /// is not shown at all: `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use hookproof_emitter::RedactedUrl;
    /// use url::Url;
    ///
    /// let base = Url::parse("https://hooks.example.com/in?token=s3cret")?;
    /// let shown = RedactedUrl::new(&base).join("/moved?token=n3w");
    /// assert_eq!(shown.as_deref(), Some("https://hooks.example.com/moved?token=***"));
    /// assert_eq!(RedactedUrl::new(&base).join("http://[::1"), None);
    /// # Ok::<(), url::ParseError>(())
    /// ```
    #[must_use]
    pub fn join(&self, reference: &str) -> Option<String> {
        self.0
            .join(reference)
            .ok()
            .map(|joined| RedactedUrl(&joined).to_string())
    }
}

impl fmt::Display for RedactedUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = self.0;
        // `scheme://` (or `scheme:` for URLs without an authority).
        f.write_str(&url[..Position::BeforeUsername])?;
        f.write_str(userinfo(url))?;
        f.write_str(&url[Position::BeforeHost..Position::AfterPath])?;
        if let Some(query) = url.query() {
            write!(f, "?{}", Query(query))?;
        }
        match url.fragment() {
            Some("") => f.write_str("#"),
            Some(_) => f.write_str("#***"),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for RedactedUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_string(), f)
    }
}

/// The redacted userinfo with its `@`: empty, `***@` or `***:***@`.
fn userinfo(url: &Url) -> &'static str {
    match (url.username().is_empty(), url.password().is_some()) {
        (true, false) => "",
        (false, false) => "***@",
        (_, true) => "***:***@",
    }
}

/// A query string with every value replaced by `***`; an item without `=`
/// is replaced as a whole, since it may be a bare token.
struct Query<'a>(&'a str);

impl fmt::Display for Query<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.0.split('&').enumerate() {
            if i > 0 {
                f.write_str("&")?;
            }
            match item.split_once('=') {
                Some((key, _)) => write!(f, "{key}=***")?,
                None if item.is_empty() => {}
                None => f.write_str("***")?,
            }
        }
        Ok(())
    }
}

/// `text` with `url`'s credentials replaced wherever they appear: the whole
/// URL, its userinfo (`user:pa55@`) and its query (`?token=s3cret`), each
/// by its redacted form. A last line of defence for messages from other
/// libraries that quote the URL they were given, possibly rewritten (an
/// HTTP client moves the userinfo into an `Authorization` header and may
/// quote the rest).
pub(crate) fn scrub(text: &str, url: &Url) -> String {
    let mut text = text.replace(url.as_str(), &RedactedUrl(url).to_string());
    let raw_userinfo = &url[Position::BeforeUsername..Position::BeforeHost];
    if !raw_userinfo.is_empty() {
        text = text.replace(raw_userinfo, userinfo(url));
    }
    if let Some(query) = url.query().filter(|q| !q.is_empty()) {
        text = text.replace(&format!("?{query}"), &format!("?{}", Query(query)));
    }
    if let Some(fragment) = url.fragment().filter(|f| !f.is_empty()) {
        text = text.replace(&format!("#{fragment}"), "#***");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> String {
        RedactedUrl::new(&Url::parse(text).unwrap()).to_string()
    }

    #[test]
    fn credentials_are_hidden_and_the_rest_is_kept() {
        let cases = [
            (
                "https://user:pa55@host/hook?token=s3cret&x=1",
                "https://***:***@host/hook?token=***&x=***",
            ),
            ("https://user@host/", "https://***@host/"),
            ("https://:pa55@host/", "https://***:***@host/"),
            ("https://host/?s3cret", "https://host/?***"),
            ("https://host/?a=1&&b", "https://host/?a=***&&***"),
            ("https://host/?=s3cret", "https://host/?=***"),
            ("https://host/?k=a=b", "https://host/?k=***"),
            ("https://host/?", "https://host/?"),
            ("https://host/#s3cret", "https://host/#***"),
            ("https://host/#", "https://host/#"),
            ("http://[::1]:8080/a/b", "http://[::1]:8080/a/b"),
            (
                "https://h.example.com/p%20q?t=%73",
                "https://h.example.com/p%20q?t=***",
            ),
            (
                "mailto:someone@example.com?subject=s3cret",
                "mailto:someone@example.com?subject=***",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(shown(input), want, "{input}");
        }
    }

    #[test]
    fn scrub_replaces_the_full_url_only_when_it_carries_credentials() {
        let url = Url::parse("https://u:pa55@host/h?token=s3cret").unwrap();
        let message = format!("error sending request for url ({url}): refused");
        let clean = scrub(&message, &url);
        assert_eq!(
            clean,
            "error sending request for url (https://***:***@host/h?token=***): refused"
        );
        // The parts also go when quoted apart from the whole URL.
        let apart = "for url (https://host/h?token=s3cret) as u:pa55@";
        assert_eq!(
            scrub(apart, &url),
            "for url (https://host/h?token=***) as ***:***@"
        );
        let plain = Url::parse("https://host/h").unwrap();
        assert_eq!(scrub("to https://host/h", &plain), "to https://host/h");
    }
}
