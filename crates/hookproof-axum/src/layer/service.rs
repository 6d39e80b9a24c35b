//! [`WebhookService`]: the middleware service built by [`WebhookLayer`].

use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use hookproof_verify::Verifier;
use http::Request;
use tower::Service;
use tracing::Instrument;

use super::config::Config;
use super::{ResponseFuture, WebhookLayer, delivery, trace};
use crate::body::check_content_length;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Middleware that verifies, deduplicates and traces webhook deliveries before
/// calling the inner service. Built by [`WebhookLayer`]; see there for the
/// full behaviour.
///
/// Accepts any request body (`axum::body::Body`, hyper's `Incoming`, ...) and
/// calls the inner service with `Request<axum::body::Body>` holding the
/// verified bytes; answers `Response<axum::body::Body>`.
///
/// # Examples
///
/// ```
/// use hookproof_axum::WebhookService;
/// use hookproof_verify::{Scheme, Secret, Verifier};
///
/// let verifier = Verifier::new(Scheme::GitHub, Secret::from_utf8("It's a Secret to Everybody").unwrap());
/// let handler = tower::service_fn(|_req: http::Request<axum::body::Body>| async {
///     Ok::<_, std::convert::Infallible>(http::Response::new(axum::body::Body::empty()))
/// });
/// let service = WebhookService::new(handler, verifier);
/// assert_eq!(service.verifier().scheme().name(), "github");
/// ```
#[derive(Clone, Debug)]
pub struct WebhookService<S> {
    inner: S,
    config: Arc<Config>,
}

impl<S> WebhookService<S> {
    /// Wraps `inner` with the default settings of [`WebhookLayer::new`].
    pub fn new(inner: S, verifier: Verifier) -> Self {
        tower::Layer::layer(&WebhookLayer::new(verifier), inner)
    }

    /// A [`WebhookLayer`] verifying with `verifier`; configure it further there.
    pub fn layer(verifier: Verifier) -> WebhookLayer {
        WebhookLayer::new(verifier)
    }

    pub(crate) fn from_config(inner: S, config: Arc<Config>) -> Self {
        Self { inner, config }
    }

    /// The verifier deliveries are checked with.
    pub fn verifier(&self) -> &Verifier {
        &self.config.verifier
    }

    /// The inner service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The inner service, mutably.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// Consumes `self`, returning the inner service.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S, B, ResB> Service<Request<B>> for WebhookService<S>
where
    S: Service<Request<Body>, Response = Response<ResB>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
    ResB: http_body::Body<Data = Bytes> + Send + 'static,
    ResB::Error: Into<BoxError>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = ResponseFuture<S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        if let Err(rejection) = check_content_length(request.headers(), self.config.body_limit) {
            trace::early_rejection(&self.config, &rejection);
            return ResponseFuture::rejected(rejection.into_response());
        }
        // The instance polled ready goes into the future; a fresh clone stays.
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let config = Arc::clone(&self.config);
        let started = Instant::now();
        let span = trace::delivery_span(&config);
        let future = delivery::run(inner, config, request, span.clone()).instrument(span.clone());
        ResponseFuture::running(Box::pin(future), span, started)
    }
}
