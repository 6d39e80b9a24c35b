//! Dead letters: deliveries that exhausted their attempts, kept for
//! inspection and redrive.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use crate::OutgoingEvent;

/// A delivery that gave up, with what happened last.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct DeadLetter {
    /// The event (`event.id` is what [`Emitter::redrive`] takes).
    ///
    /// [`Emitter::redrive`]: crate::Emitter::redrive
    pub event: OutgoingEvent,
    /// The endpoint's name.
    pub endpoint: String,
    /// Attempts made, primary and backup together.
    pub attempts: u32,
    /// The last HTTP status received, if any.
    pub last_status: Option<u16>,
    /// The last error (transport error or why the status ended delivery).
    pub last_error: Option<String>,
    /// When the delivery gave up.
    pub failed_at: SystemTime,
}

/// Dead letters, purged after the retention period.
#[derive(Debug)]
pub(crate) struct DeadLetterStore {
    retention: Duration,
    letters: Mutex<Vec<DeadLetter>>,
}

impl DeadLetterStore {
    pub(crate) fn new(retention: Duration) -> Self {
        Self {
            retention,
            letters: Mutex::new(Vec::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<DeadLetter>> {
        let mut letters = self
            .letters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = SystemTime::now();
        let retention = self.retention;
        letters.retain(|l| now.duration_since(l.failed_at).unwrap_or_default() <= retention);
        letters
    }

    pub(crate) fn push(&self, letter: DeadLetter) {
        self.lock().push(letter);
    }

    pub(crate) fn list(&self) -> Vec<DeadLetter> {
        self.lock().clone()
    }

    /// Removes and returns the dead letters of event `id`.
    pub(crate) fn take(&self, id: &str) -> Vec<DeadLetter> {
        let mut letters = self.lock();
        let (taken, kept) = letters.drain(..).partition(|l| l.event.id == id);
        *letters = kept;
        taken
    }

    /// Puts letters back (a redrive that could not be queued).
    pub(crate) fn restore(&self, restored: Vec<DeadLetter>) {
        self.lock().extend(restored);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(id: &str, endpoint: &str, age: Duration) -> DeadLetter {
        DeadLetter {
            event: OutgoingEvent::new(id, "t", "{}"),
            endpoint: endpoint.to_owned(),
            attempts: 3,
            last_status: Some(500),
            last_error: None,
            failed_at: SystemTime::now() - age,
        }
    }

    #[test]
    fn take_removes_every_letter_of_the_event() {
        let store = DeadLetterStore::new(Duration::from_secs(3600));
        store.push(letter("a", "x", Duration::ZERO));
        store.push(letter("b", "x", Duration::ZERO));
        store.push(letter("a", "y", Duration::ZERO));
        let taken = store.take("a");
        assert_eq!(taken.len(), 2);
        assert_eq!(store.list().len(), 1);
        assert!(store.take("a").is_empty());
        store.restore(taken);
        assert_eq!(store.list().len(), 3);
    }

    #[test]
    fn letters_past_retention_are_purged() {
        let store = DeadLetterStore::new(Duration::from_secs(60));
        store.push(letter("old", "x", Duration::from_secs(120)));
        store.push(letter("new", "x", Duration::ZERO));
        let ids: Vec<_> = store.list().into_iter().map(|l| l.event.id).collect();
        assert_eq!(ids, vec!["new"]);
    }
}
