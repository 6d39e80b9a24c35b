//! [`ResponseFuture`]: the future returned by [`WebhookService`](super::WebhookService).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::response::Response;
use futures_util::future::BoxFuture;

/// Response future of [`WebhookService`](super::WebhookService).
///
/// A rejection decided before any I/O (a `Content-Length` above the limit) is
/// answered from an inline variant without allocating; a delivery that needs
/// the body read, verified and claimed runs as one boxed future (the store
/// calls are boxed futures already, so one more box costs nothing measurable).
pub struct ResponseFuture<E> {
    kind: Kind<E>,
}

enum Kind<E> {
    Rejected {
        response: Option<Response>,
    },
    Running {
        future: BoxFuture<'static, Result<Response, E>>,
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

    pub(crate) fn running(future: BoxFuture<'static, Result<Response, E>>) -> Self {
        Self {
            kind: Kind::Running { future },
        }
    }
}

impl<E> Future for ResponseFuture<E> {
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Both variants are Unpin (an Option and a Pin<Box<_>>), so is Self.
        match &mut self.get_mut().kind {
            Kind::Rejected { response } => match response.take() {
                Some(response) => Poll::Ready(Ok(response)),
                None => panic!("ResponseFuture polled after completion"),
            },
            Kind::Running { future } => future.as_mut().poll(cx),
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
