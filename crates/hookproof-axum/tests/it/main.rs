//! Integration tests of hookproof-axum: every answer of the layer and the
//! extractors, every scheme, idempotency under concurrency, failure and
//! cancellation, the tracing span, the example receiver over the fixture
//! catalogue, and one delivery over a real TCP socket.

mod common;
mod example;
mod extractors;
mod hostile;
mod idempotency;
mod lease;
mod rejections;
mod replay;
mod schemes;
mod serve;
mod tcp;
