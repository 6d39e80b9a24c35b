//! Which events a subscription receives: event types plus simple field filters.

use crate::OutgoingEvent;

/// The `events` table of an endpoint: `subscribe` patterns and `filters`.
///
/// A pattern is an exact type (`request.completed`), a prefix ending in `.*`
/// (`budget.*`) or `*`. A field filter that is set requires the event to
/// carry that field with a matching value.
///
/// # Examples
///
/// ```
/// use hookproof_emitter::{EventFilter, OutgoingEvent};
///
/// let filter = EventFilter::new(["request.*"]).with_min_tokens(1000);
/// let big = OutgoingEvent::new("e1", "request.completed", "{}").with_tokens(5000);
/// let small = OutgoingEvent::new("e2", "request.completed", "{}").with_tokens(10);
/// assert!(filter.matches(&big));
/// assert!(!filter.matches(&small));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct EventFilter {
    /// Event type patterns; empty means every type.
    pub subscribe: Vec<String>,
    /// Allowed model names.
    pub models: Option<Vec<String>>,
    /// Minimum token count.
    pub min_tokens: Option<u64>,
    /// Allowed severities (compared case-insensitively).
    pub severity: Option<Vec<String>>,
}

impl EventFilter {
    /// A filter on event types only.
    pub fn new<I, S>(subscribe: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            subscribe: subscribe.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    /// Requires the model to be one of `models`.
    #[must_use]
    pub fn with_models<I, S>(mut self, models: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.models = Some(models.into_iter().map(Into::into).collect());
        self
    }

    /// Requires at least `min` tokens.
    #[must_use]
    pub fn with_min_tokens(mut self, min: u64) -> Self {
        self.min_tokens = Some(min);
        self
    }

    /// Requires the severity to be one of `severity`.
    #[must_use]
    pub fn with_severity<I, S>(mut self, severity: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.severity = Some(severity.into_iter().map(Into::into).collect());
        self
    }

    /// Whether the subscription receives `event`.
    #[must_use]
    pub fn matches(&self, event: &OutgoingEvent) -> bool {
        let type_ok = self.subscribe.is_empty()
            || self
                .subscribe
                .iter()
                .any(|p| type_matches(p, &event.event_type));
        let model_ok = self.models.as_ref().is_none_or(|models| {
            event
                .model
                .as_ref()
                .is_some_and(|m| models.iter().any(|x| x == m))
        });
        let tokens_ok = self
            .min_tokens
            .is_none_or(|min| event.tokens.is_some_and(|t| t >= min));
        let severity_ok = self.severity.as_ref().is_none_or(|allowed| {
            event
                .severity
                .as_ref()
                .is_some_and(|s| allowed.iter().any(|a| a.eq_ignore_ascii_case(s)))
        });
        type_ok && model_ok && tokens_ok && severity_ok
    }
}

fn type_matches(pattern: &str, event_type: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    match pattern.strip_suffix(".*") {
        Some(prefix) => event_type
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('.')),
        None => pattern == event_type,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(t: &str) -> OutgoingEvent {
        OutgoingEvent::new("e", t, "{}")
    }

    #[test]
    fn type_patterns() {
        assert!(type_matches("*", "anything"));
        assert!(type_matches("budget.*", "budget.threshold_reached"));
        assert!(!type_matches("budget.*", "budgetx.y"));
        assert!(!type_matches("budget.*", "budget"));
        assert!(type_matches("request.completed", "request.completed"));
        assert!(!type_matches("request.completed", "request.failed"));
    }

    #[test]
    fn empty_subscribe_means_all_types() {
        assert!(EventFilter::default().matches(&ev("x.y")));
        assert!(!EventFilter::new(["a.b"]).matches(&ev("x.y")));
    }

    #[test]
    fn field_filters_require_the_field() {
        let f = EventFilter::new(["*"])
            .with_models(["gpt-4o"])
            .with_severity(["high"]);
        assert!(!f.matches(&ev("t")));
        assert!(!f.matches(&ev("t").with_model("gpt-4o")));
        assert!(f.matches(&ev("t").with_model("gpt-4o").with_severity("HIGH")));
        assert!(!f.matches(&ev("t").with_model("gpt-3").with_severity("high")));
        let t = EventFilter::new(["*"]).with_min_tokens(100);
        assert!(t.matches(&ev("t").with_tokens(100)));
        assert!(!t.matches(&ev("t").with_tokens(99)));
        assert!(!t.matches(&ev("t")));
    }
}
