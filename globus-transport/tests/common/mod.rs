//! Helpers shared by the driver tests.
#![allow(dead_code)] // each test target uses a different subset

use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use globus_transport::{
    Authorizer, AuthorizerError, AuthorizerErrorKind, RequestSent, TransportError, TransportErrorKind,
};
use http::HeaderValue;

/// One scripted attempt result.
#[derive(Clone, Debug)]
pub(crate) enum Scripted {
    Status(u16, Option<String>),
    Error(RequestSent),
}

impl Scripted {
    pub(crate) fn reply(&self) -> Result<http::Response<Bytes>, TransportError> {
        match self {
            Scripted::Status(status, retry_after) => {
                let mut builder = http::Response::builder().status(*status);
                if let Some(value) = retry_after {
                    builder = builder.header("retry-after", value.as_str());
                }
                Ok(builder.body(Bytes::new()).expect("valid response"))
            }
            Scripted::Error(sent) => Err(TransportError::new(TransportErrorKind::Io, *sent)),
        }
    }
}

/// Runs a future to completion on a current-thread runtime.
pub(crate) fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
        .block_on(future)
}

/// An authorizer handing out `Bearer token-<generation>`; a 401 on the current token
/// bumps the generation (when `can_refresh`).
#[derive(Debug, Default)]
pub(crate) struct CountingAuthorizer {
    pub(crate) generation: AtomicUsize,
    pub(crate) unauthorized_calls: AtomicUsize,
    pub(crate) cannot_refresh: bool,
    pub(crate) fail: bool,
}

#[async_trait::async_trait]
impl Authorizer for CountingAuthorizer {
    async fn authorization(&self) -> Result<Option<HeaderValue>, AuthorizerError> {
        if self.fail {
            return Err(AuthorizerError::new(AuthorizerErrorKind::NoToken));
        }
        let mut value = HeaderValue::try_from(format!("Bearer token-{}", self.generation.load(Ordering::SeqCst)))
            .expect("valid header");
        value.set_sensitive(true);
        Ok(Some(value))
    }

    async fn on_unauthorized(&self, rejected: &HeaderValue) -> bool {
        self.unauthorized_calls.fetch_add(1, Ordering::SeqCst);
        if self.cannot_refresh {
            return false;
        }
        let current = format!("Bearer token-{}", self.generation.load(Ordering::SeqCst));
        if rejected.as_bytes() == current.as_bytes() {
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
        true
    }
}
