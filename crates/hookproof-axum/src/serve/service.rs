//! [`ConnService`]: the router as hyper sees it on one connection — with the
//! peer address in the request extensions and each handler run marked as a
//! request in progress.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::Router;
use axum::extract::ConnectInfo;
use axum::response::Response;
use http::Request;
use hyper::body::Incoming;
use tower::Service as _;

use super::activity::{Activity, InFlight};

/// The future of one request through the router.
type RouterFuture = <Router as tower::Service<Request<Incoming>>>::Future;

/// One connection's service.
#[derive(Debug, Clone)]
pub(crate) struct ConnService {
    router: Router,
    remote: SocketAddr,
    activity: Arc<Activity>,
}

impl ConnService {
    pub(crate) fn new(router: Router, remote: SocketAddr, activity: Arc<Activity>) -> Self {
        Self {
            router,
            remote,
            activity,
        }
    }
}

impl hyper::service::Service<Request<Incoming>> for ConnService {
    type Response = Response;
    type Error = Infallible;
    type Future = InFlightFuture;

    fn call(&self, mut request: Request<Incoming>) -> Self::Future {
        request.extensions_mut().insert(ConnectInfo(self.remote));
        let in_flight = InFlight::enter(&self.activity);
        // `Router` is always ready, and a clone shares its routes (an `Arc`).
        let inner = self.router.clone().call(request);
        InFlightFuture {
            inner,
            _in_flight: in_flight,
        }
    }
}

pin_project_lite::pin_project! {
    /// The router's future, holding the request's [`InFlight`] mark until it
    /// finishes.
    pub(crate) struct InFlightFuture {
        #[pin]
        inner: RouterFuture,
        _in_flight: InFlight,
    }
}

impl Future for InFlightFuture {
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.project().inner.poll(cx)
    }
}
