//! The result of a successful verification.

/// What a successful verification proved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// Delivery id (`webhook-id`, `X-GitHub-Delivery`, `X-Shopify-Webhook-Id`,
    /// `X-Webhook-Id`, ...) when the scheme has one and it was sent. Only
    /// Standard Webhooks (and custom schemes with [`Part::Id`](crate::Part::Id))
    /// sign it; for the others it is taken from an unsigned header.
    pub id: Option<String>,
    /// Signed timestamp in unix seconds, when the scheme has one.
    pub timestamp: Option<i64>,
    /// [`Scheme::name`](crate::Scheme::name) of the scheme that verified it.
    pub scheme: String,
    /// Index of the configured secret that matched (rotation).
    pub key_index: usize,
}
