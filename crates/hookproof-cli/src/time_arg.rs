//! Timestamps on the command line: unix seconds or RFC 3339.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Parses `1700000000` or `2023-11-14T22:13:20Z` into unix seconds
/// (clap value parser).
pub(crate) fn parse_unix(s: &str) -> Result<i64, String> {
    if let Ok(n) = s.parse::<i64>() {
        return Ok(n);
    }
    OffsetDateTime::parse(s, &Rfc3339)
        .map(OffsetDateTime::unix_timestamp)
        .map_err(|_| format!("expected unix seconds or an RFC 3339 time, got {s:?}"))
}

/// Unix seconds now.
pub(crate) fn now_unix() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Unix seconds as a `SystemTime` (before 1970 allowed).
pub(crate) fn to_system_time(secs: i64) -> SystemTime {
    if secs >= 0 {
        UNIX_EPOCH + Duration::from_secs(secs.unsigned_abs())
    } else {
        UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
    }
}

/// The wall clock as `HH:MM:SS` (UTC), for log lines.
pub(crate) fn clock() -> String {
    let now = OffsetDateTime::now_utc();
    format!("{:02}:{:02}:{:02}", now.hour(), now.minute(), now.second())
}

/// `1700000000 (2023-11-14T22:13:20Z)`, or just the number if out of range.
pub(crate) fn describe(secs: i64) -> String {
    match OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
    {
        Some(text) => format!("{secs} ({text})"),
        None => secs.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_seconds_and_rfc3339() {
        assert_eq!(parse_unix("1700000000"), Ok(1_700_000_000));
        assert_eq!(parse_unix("2023-11-14T22:13:20Z"), Ok(1_700_000_000));
        assert!(parse_unix("yesterday").is_err());
    }

    #[test]
    fn describes_and_converts() {
        assert_eq!(describe(1_700_000_000), "1700000000 (2023-11-14T22:13:20Z)");
        assert_eq!(
            to_system_time(1_700_000_000),
            UNIX_EPOCH + Duration::from_secs(1_700_000_000)
        );
        assert!(to_system_time(-1) < UNIX_EPOCH);
    }
}
