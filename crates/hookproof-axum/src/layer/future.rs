//! [`ResponseFuture`]: the future returned by [`WebhookService`](super::WebhookService).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::response::Response;
use futures_util::future::BoxFuture;
use http::StatusCode;
use tracing::Span;

use super::delivery::Answer;
use super::trace::{self, Outcome};

/// Response future of [`WebhookService`](super::WebhookService).
///
/// A rejection decided before any I/O (a `Content-Length` above the limit) is
/// answered from an inline variant without allocating; a delivery that needs
/// the body read, verified and claimed runs as one boxed future (the store
/// calls are boxed futures already, so one more box costs nothing measurable
/// as long as it stays small, see `delivery::run`). The delivery's span is
/// closed here, when that future ends, rather than by a wrapping `async fn`
/// (which would hold a second copy of the request in the boxed state).
pub struct ResponseFuture<E> {
    kind: Kind<E>,
}

enum Kind<E> {
    Rejected {
        response: Option<Response>,
    },
    Running {
        future: BoxFuture<'static, Result<Answer, E>>,
        span: Span,
        started: Instant,
    },
}

impl<E> ResponseFuture<E> {
    pub(crate) fn rejected(response: Response) -> Self {
        Self {
            kind: Kind::Rejected {
                response: Some(response),
            },
        }
    }

    /// `future` must already be instrumented with `span`.
    pub(crate) fn running(
        future: BoxFuture<'static, Result<Answer, E>>,
        span: Span,
        started: Instant,
    ) -> Self {
        Self {
            kind: Kind::Running {
                future,
                span,
                started,
            },
        }
    }
}

impl<E> Future for ResponseFuture<E> {
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Both variants are Unpin (an Option and a Pin<Box<_>> + plain data),
        // so is Self.
        match &mut self.get_mut().kind {
            Kind::Rejected { response } => match response.take() {
                Some(response) => Poll::Ready(Ok(response)),
                None => panic!("ResponseFuture polled after completion"),
            },
            Kind::Running {
                future,
                span,
                started,
            } => {
                let result = std::task::ready!(future.as_mut().poll(cx));
                Poll::Ready(match result {
                    Ok((response, outcome, code)) => {
                        trace::finish(span, *started, outcome, response.status(), code.as_deref());
                        Ok(response)
                    }
                    Err(error) => {
                        trace::finish(
                            span,
                            *started,
                            Outcome::HandlerFailed,
                            StatusCode::INTERNAL_SERVER_ERROR,
                            None,
                        );
                        Err(error)
                    }
                })
            }
        }
    }
}

impl<E> fmt::Debug for ResponseFuture<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.kind {
            Kind::Rejected { .. } => "rejected",
            Kind::Running { .. } => "running",
        };
        f.debug_struct("ResponseFuture")
            .field("state", &state)
            .finish()
    }
}
