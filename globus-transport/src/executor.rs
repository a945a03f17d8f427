//! The HTTP seam: an async, dyn-compatible executor of `http::Request<Bytes>`.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;

use crate::TransportError;

/// Sends one HTTP request and returns the whole response. Implementations do no retries
/// (the [`RetryDriver`](crate::RetryDriver) does) and classify their failures into
/// [`TransportError`] kinds.
///
/// ```
/// use bytes::Bytes;
/// use globus_transport::{HttpExecutor, TransportError};
///
/// #[derive(Debug)]
/// struct Teapot;
///
/// #[async_trait::async_trait]
/// impl HttpExecutor for Teapot {
///     async fn execute(&self, _request: http::Request<Bytes>) -> Result<http::Response<Bytes>, TransportError> {
///         Ok(http::Response::builder().status(418).body(Bytes::new()).unwrap())
///     }
/// }
/// ```
#[async_trait::async_trait]
pub trait HttpExecutor: Send + Sync + fmt::Debug {
    /// Sends `request`.
    async fn execute(&self, request: http::Request<Bytes>) -> Result<http::Response<Bytes>, TransportError>;
}

/// A cheap, clonable, shared handle to an executor.
#[derive(Clone, Debug)]
pub struct SharedExecutor(Arc<dyn HttpExecutor>);

impl SharedExecutor {
    /// Shares `executor`.
    pub fn new(executor: impl HttpExecutor + 'static) -> Self {
        Self(Arc::new(executor))
    }

    /// Shares an executor that is already in an `Arc`.
    pub fn from_arc(executor: Arc<dyn HttpExecutor>) -> Self {
        Self(executor)
    }
}

#[async_trait::async_trait]
impl HttpExecutor for SharedExecutor {
    async fn execute(&self, request: http::Request<Bytes>) -> Result<http::Response<Bytes>, TransportError> {
        self.0.execute(request).await
    }
}
