//! [`Record`]: the stored outcome of a processed delivery.

use bytes::Bytes;

/// The outcome of a processed delivery, replayed to the sender's retries.
///
/// Keep it small: stores refuse bodies above their configured limit
/// ([`StoreError::RecordTooLarge`](crate::StoreError::RecordTooLarge)).
/// Bodies are arbitrary bytes (stored binary-safe).
///
/// # Examples
///
/// ```
/// use hookproof_idempotency::Record;
///
/// let r = Record::new(200).with_body("application/json", r#"{"ok":true}"#);
/// assert_eq!(r.status, 200);
/// assert_eq!(r.content_type.as_deref(), Some("application/json"));
/// assert_eq!(Record::new(204).body, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// HTTP status code the handler answered.
    pub status: u16,
    /// Response body, if any.
    pub body: Option<Bytes>,
    /// `Content-Type` of the body, if any.
    pub content_type: Option<String>,
}

impl Record {
    /// A record with a status and no body.
    pub fn new(status: u16) -> Record {
        Record {
            status,
            body: None,
            content_type: None,
        }
    }

    /// Set the body and its content type.
    pub fn with_body(mut self, content_type: impl Into<String>, body: impl Into<Bytes>) -> Record {
        self.content_type = Some(content_type.into());
        self.body = Some(body.into());
        self
    }

    /// Length of the body in bytes (0 without a body).
    pub fn body_len(&self) -> usize {
        self.body.as_ref().map_or(0, Bytes::len)
    }
}
