//! `--to URL`: a URL typed on the command line, whose `Debug` never shows
//! the credentials it may carry.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use hookproof_emitter::RedactedUrl;
use reqwest::Url;

use crate::error::{CliError, CliResult};

/// A URL argument, kept as typed (each command parses it and reports its
/// own error). `Debug` shows it without userinfo or query values, and text
/// that is not a URL not at all.
#[derive(Clone)]
pub(crate) struct UrlArg(String);

impl UrlArg {
    /// The parsed URL; a usage error otherwise, which does not echo the
    /// text (it may hold a token).
    pub(crate) fn url(&self) -> CliResult<Url> {
        Url::parse(&self.0).map_err(|e| CliError::usage(format!("--to is not a URL: {e}")))
    }
}

impl FromStr for UrlArg {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

impl fmt::Debug for UrlArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match Url::parse(&self.0) {
            Ok(url) => fmt::Debug::fmt(&RedactedUrl::new(&url), f),
            Err(_) => f.write_str("<not a URL>"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_credentials() {
        let arg: UrlArg = "https://u:pa55@h.example.com/in?token=s3cret"
            .parse()
            .unwrap();
        assert_eq!(arg.url().unwrap().password(), Some("pa55"), "kept as typed");
        assert_eq!(
            format!("{arg:?}"),
            "\"https://***:***@h.example.com/in?token=***\""
        );
        let junk: UrlArg = "no url ?token=s3cret".parse().unwrap();
        assert_eq!(format!("{junk:?}"), "<not a URL>");
        let err = junk.url().unwrap_err().to_string();
        assert!(
            err.contains("--to is not a URL") && !err.contains("s3cret"),
            "{err}"
        );
    }
}
