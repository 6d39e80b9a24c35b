//! Rendering a signed request as a `curl` command line, quoted for POSIX sh.

use std::path::Path;

/// Quotes `s` as one POSIX shell word: single quotes, with each embedded
/// `'` written as `'\''`. Everything else (`$`, backticks, `\`, newlines)
/// is literal inside single quotes.
pub(crate) fn sh_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// How the curl command carries the body.
#[derive(Debug)]
pub(crate) enum CurlBody<'a> {
    /// `--data-binary @file`: exact bytes, any content.
    File(&'a Path),
    /// `--data-raw '<text>'`: inline (no `@file` interpretation by curl).
    Inline(&'a str),
}

/// Builds `curl -sS -X POST URL -H ... <body>` as one line.
pub(crate) fn curl_command(url: &str, headers: &[(String, String)], body: &CurlBody<'_>) -> String {
    let mut parts = vec![
        "curl".to_owned(),
        "-sS".to_owned(),
        "-X".to_owned(),
        "POST".to_owned(),
        sh_quote(url),
    ];
    for (name, value) in headers {
        parts.push("-H".to_owned());
        // curl drops a header written `Name:` with nothing after it; `Name;`
        // is how it sends one with an empty value.
        if value.trim().is_empty() {
            parts.push(sh_quote(&format!("{name};")));
        } else {
            parts.push(sh_quote(&format!("{name}: {value}")));
        }
    }
    match body {
        CurlBody::File(path) => {
            parts.push("--data-binary".to_owned());
            parts.push(sh_quote(&format!("@{}", path.display())));
        }
        CurlBody::Inline(text) => {
            parts.push("--data-raw".to_owned());
            parts.push(sh_quote(text));
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_single_quotes_and_leaves_the_rest_literal() {
        assert_eq!(sh_quote("plain"), "'plain'");
        assert_eq!(sh_quote("it's"), "'it'\\''s'");
        assert_eq!(sh_quote("$HOME `x` \\n"), "'$HOME `x` \\n'");
        assert_eq!(sh_quote(""), "''");
    }

    #[test]
    fn builds_a_command_with_headers_and_inline_or_file_body() {
        let headers = vec![("webhook-id".to_owned(), "msg_1".to_owned())];
        let inline = curl_command(
            "http://127.0.0.1:1/",
            &headers,
            &CurlBody::Inline("{\"q\":\"it's\"}"),
        );
        assert_eq!(
            inline,
            "curl -sS -X POST 'http://127.0.0.1:1/' -H 'webhook-id: msg_1' --data-raw '{\"q\":\"it'\\''s\"}'"
        );
        let blank = vec![("webhook-id".to_owned(), String::new())];
        let sent_empty = curl_command("http://h/", &blank, &CurlBody::Inline("{}"));
        assert!(sent_empty.contains("-H 'webhook-id;'"), "{sent_empty}");
        let file = curl_command("http://h/", &[], &CurlBody::File(Path::new("my body.json")));
        assert!(file.ends_with("--data-binary '@my body.json'"), "{file}");
    }
}
