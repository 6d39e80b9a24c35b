//! The per-fixture result of a replay and the report table.

use std::fmt;

/// What the receiver did with one replayed fixture.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The receiver answered.
    Answered {
        /// HTTP status of the answer.
        status: u16,
        /// The problem code of a `problem+json` answer (its `code` member,
        /// or the last segment of its `type` URI), if any.
        problem: Option<String>,
        /// Whether the answer carried `Idempotent-Replayed: true`, i.e. the
        /// receiver had processed this delivery id before.
        replayed: bool,
    },
    /// The service failed before answering (e.g. connection refused for an
    /// HTTP client service, or the response body could not be read).
    Failed {
        /// The error, as text.
        error: String,
    },
}

/// The result of replaying one fixture.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FixtureResult {
    /// The fixture's name.
    pub name: String,
    /// The delivery id it was signed with.
    pub delivery_id: String,
    /// The status the fixture expects.
    pub expected_status: u16,
    /// What happened.
    pub outcome: Outcome,
}

impl FixtureResult {
    /// Builds a result (for reports assembled outside [`Replayer`](crate::Replayer)).
    #[must_use]
    pub fn new(
        name: impl Into<String>,
        delivery_id: impl Into<String>,
        expected_status: u16,
        outcome: Outcome,
    ) -> Self {
        Self {
            name: name.into(),
            delivery_id: delivery_id.into(),
            expected_status,
            outcome,
        }
    }

    /// The status answered, if the receiver answered.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self.outcome {
            Outcome::Answered { status, .. } => Some(status),
            Outcome::Failed { .. } => None,
        }
    }

    /// The problem code answered, if any.
    #[must_use]
    pub fn problem(&self) -> Option<&str> {
        match &self.outcome {
            Outcome::Answered { problem, .. } => problem.as_deref(),
            Outcome::Failed { .. } => None,
        }
    }

    /// Whether the receiver answered exactly the expected status.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.status() == Some(self.expected_status)
    }
}

/// The results of replaying a list of fixtures, in replay order.
///
/// `Display` renders a table, one row per fixture:
///
/// ```
/// use hookproof_testkit::{FixtureResult, Outcome, ReplayReport};
///
/// let report = ReplayReport::new(vec![
///     FixtureResult::new("gateway/a", "evt_a", 200,
///         Outcome::Answered { status: 200, problem: None, replayed: false }),
///     FixtureResult::new("gateway/b", "evt_b", 200,
///         Outcome::Answered { status: 401, problem: Some("signature_mismatch".into()), replayed: false }),
/// ]);
/// assert!(!report.all_passed());
/// assert_eq!(report.failures().count(), 1);
/// let table = report.to_string();
/// assert!(table.contains("FAIL  gateway/b"));
/// assert!(table.contains("signature_mismatch"));
/// assert!(table.ends_with("1 passed, 1 failed\n"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplayReport {
    /// One result per fixture, in replay order.
    pub results: Vec<FixtureResult>,
}

impl ReplayReport {
    /// A report over the given results.
    #[must_use]
    pub fn new(results: Vec<FixtureResult>) -> Self {
        Self { results }
    }

    /// Whether every fixture got its expected status (true when empty).
    #[must_use]
    pub fn all_passed(&self) -> bool {
        self.results.iter().all(FixtureResult::passed)
    }

    /// The results that did not get their expected status.
    pub fn failures(&self) -> impl Iterator<Item = &FixtureResult> {
        self.results.iter().filter(|r| !r.passed())
    }

    /// The result for the fixture with this name.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&FixtureResult> {
        self.results.iter().find(|r| r.name == name)
    }

    /// Panics with the whole table unless every fixture passed; for tests.
    ///
    /// # Panics
    ///
    /// When a fixture did not get its expected status, or the report is
    /// empty (a replay of nothing proves nothing).
    #[track_caller]
    pub fn assert_all_passed(&self) {
        assert!(
            !self.results.is_empty(),
            "replay report is empty: no fixture was replayed"
        );
        let failed = self.failures().count();
        assert!(
            failed == 0,
            "{failed} of {} fixtures did not get their expected status:\n{self}",
            self.results.len()
        );
    }
}

impl fmt::Display for ReplayReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name_width = self
            .results
            .iter()
            .map(|r| r.name.len())
            .max()
            .unwrap_or(0)
            .max("fixture".len());
        writeln!(
            f,
            "{:<4}  {:<name_width$}  {:>8}  {:>6}  detail",
            "", "fixture", "expected", "actual"
        )?;
        for result in &self.results {
            let mark = if result.passed() { "ok" } else { "FAIL" };
            let (actual, detail) = match &result.outcome {
                Outcome::Answered {
                    status,
                    problem,
                    replayed,
                } => {
                    let mut detail = problem.clone().unwrap_or_default();
                    if *replayed {
                        if !detail.is_empty() {
                            detail.push(' ');
                        }
                        detail.push_str("(replayed)");
                    }
                    (status.to_string(), detail)
                }
                Outcome::Failed { error } => ("-".to_owned(), format!("error: {error}")),
            };
            let row = format!(
                "{mark:<4}  {:<name_width$}  {:>8}  {actual:>6}  {detail}",
                result.name, result.expected_status
            );
            writeln!(f, "{}", row.trim_end())?;
        }
        let passed = self.results.iter().filter(|r| r.passed()).count();
        writeln!(f, "{passed} passed, {} failed", self.results.len() - passed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(status: u16, problem: Option<&str>, replayed: bool) -> Outcome {
        Outcome::Answered {
            status,
            problem: problem.map(str::to_owned),
            replayed,
        }
    }

    #[test]
    fn pass_means_exact_expected_status() {
        assert!(FixtureResult::new("a", "i", 200, answered(200, None, false)).passed());
        assert!(!FixtureResult::new("a", "i", 200, answered(202, None, false)).passed());
        assert!(FixtureResult::new("a", "i", 401, answered(401, Some("x"), false)).passed());
        let failed = FixtureResult::new(
            "a",
            "i",
            200,
            Outcome::Failed {
                error: "refused".into(),
            },
        );
        assert!(!failed.passed());
        assert_eq!(failed.status(), None);
    }

    #[test]
    fn table_has_one_aligned_row_per_fixture() {
        let report = ReplayReport::new(vec![
            FixtureResult::new("short", "1", 200, answered(200, None, true)),
            FixtureResult::new("plain", "4", 200, answered(200, None, false)),
            FixtureResult::new(
                "a/much/longer/name",
                "2",
                422,
                answered(422, Some("invalid_event"), false),
            ),
            FixtureResult::new(
                "down",
                "3",
                200,
                Outcome::Failed {
                    error: "refused".into(),
                },
            ),
        ]);
        let table = report.to_string();
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 6, "{table}");
        assert!(lines[1].starts_with("ok    short "), "{table}");
        assert!(lines[1].ends_with("200  (replayed)"), "{table}");
        assert!(
            lines[2].ends_with("plain                    200     200"),
            "{table}"
        );
        assert!(lines[3].ends_with("422  invalid_event"), "{table}");
        assert!(lines[4].starts_with("FAIL  down"), "{table}");
        assert!(lines[4].ends_with("-  error: refused"), "{table}");
        // Columns line up: "expected" starts at the same offset everywhere.
        let col = lines[0].find("expected").unwrap();
        assert_eq!(&lines[3][col + 5..col + 8], "422", "{table}");
        assert_eq!(lines[5], "3 passed, 1 failed");
        assert!(
            lines.iter().all(|l| l.trim_end() == *l),
            "trailing spaces:\n{table}"
        );
        assert_eq!(report.get("down").map(FixtureResult::passed), Some(false));
    }

    #[test]
    #[should_panic(expected = "1 of 2 fixtures did not get their expected status")]
    fn assert_all_passed_panics_with_the_table() {
        ReplayReport::new(vec![
            FixtureResult::new("a", "1", 200, answered(200, None, false)),
            FixtureResult::new("b", "2", 200, answered(500, None, false)),
        ])
        .assert_all_passed();
    }

    #[test]
    #[should_panic(expected = "no fixture was replayed")]
    fn an_empty_report_does_not_pass_the_assertion() {
        ReplayReport::default().assert_all_passed();
    }
}
