//! [`HyperExecutor`]: the pooled client and its builder.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use globus_transport::{HttpExecutor, RequestSent, TransportError, TransportErrorKind};
use http_body_util::{BodyExt as _, Full, Limited};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::classify;
use crate::plaintext::leaks_credentials;
use crate::tls::{TlsVerification, client_config};

type Connector = hyper_rustls::HttpsConnector<HttpConnector>;

/// Why an executor could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The TLS configuration is unusable (for example a CA bundle without certificates).
    #[error("TLS configuration: {0}")]
    Tls(String),
}

/// Settings of a [`HyperExecutor`].
///
/// ```
/// use std::time::Duration;
/// use globus_transport_hyper::{HyperExecutor, TlsVerification};
/// let executor = HyperExecutor::builder()
///     .request_timeout(Some(Duration::from_secs(30)))
///     .max_response_bytes(16 << 20)
///     .tls(TlsVerification::MozillaRoots)
///     .build()?;
/// # Ok::<(), globus_transport_hyper::BuildError>(())
/// ```
#[derive(Clone, Debug)]
pub struct HyperExecutorBuilder {
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    max_response_bytes: usize,
    tls: TlsVerification,
    pool_idle_timeout: Duration,
    pool_max_idle_per_host: usize,
}

impl Default for HyperExecutorBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: Some(Duration::from_secs(30)),
            request_timeout: Some(Duration::from_secs(60)),
            max_response_bytes: 64 << 20,
            tls: TlsVerification::default(),
            pool_idle_timeout: Duration::from_secs(90),
            pool_max_idle_per_host: 32,
        }
    }
}

impl HyperExecutorBuilder {
    /// How long connecting (TCP) may take; `None` for no limit. Default 30 s.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a whole request (connect, send, response and body) may take; `None` for
    /// no limit (Python's `GLOBUS_SDK_HTTP_TIMEOUT=-1`). Default 60 s.
    #[must_use]
    pub fn request_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The largest response body accepted; a larger one is a `BodyTooLarge` error.
    /// Default 64 MiB.
    #[must_use]
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// How server certificates are verified.
    #[must_use]
    pub fn tls(mut self, verification: TlsVerification) -> Self {
        self.tls = verification;
        self
    }

    /// How long an idle pooled connection is kept. Default 90 s.
    #[must_use]
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// How many idle connections per host are kept. Default 32.
    #[must_use]
    pub fn pool_max_idle_per_host(mut self, connections: usize) -> Self {
        self.pool_max_idle_per_host = connections;
        self
    }

    /// Builds the executor. Sending needs a tokio runtime; building does not.
    pub fn build(self) -> Result<HyperExecutor, BuildError> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(self.connect_timeout);
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(client_config(&self.tls)?)
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host)
            .build(connector);
        Ok(HyperExecutor {
            client,
            request_timeout: self.request_timeout,
            max_response_bytes: self.max_response_bytes,
        })
    }
}

/// The pooled hyper + rustls executor. Cloning shares the pool.
#[derive(Clone)]
pub struct HyperExecutor {
    client: Client<Connector, Full<Bytes>>,
    request_timeout: Option<Duration>,
    max_response_bytes: usize,
}

impl fmt::Debug for HyperExecutor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperExecutor")
            .field("request_timeout", &self.request_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl HyperExecutor {
    /// A builder with the defaults.
    pub fn builder() -> HyperExecutorBuilder {
        HyperExecutorBuilder::default()
    }

    async fn send(&self, request: http::Request<Bytes>) -> Result<http::Response<Bytes>, TransportError> {
        let (parts, body) = request.into_parts();
        let response = self
            .client
            .request(http::Request::from_parts(parts, Full::new(body)))
            .await
            .map_err(classify::request_error)?;
        let (parts, body) = response.into_parts();
        let declared = parts
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|length| length > self.max_response_bytes as u64) {
            return Err(TransportError::new(
                TransportErrorKind::BodyTooLarge,
                RequestSent::Maybe,
            ));
        }
        let collected = Limited::new(body, self.max_response_bytes)
            .collect()
            .await
            .map_err(classify::body_error)?;
        // hyper-util hands an HTTP/1.1 connection back to the pool from a task it spawns
        // once the body is read, and a request that finds no idle connection opens a new
        // one. Yielding once lets that task run first on this worker; on a multi-thread
        // runtime it may run on another worker, and the pool can still grow by one.
        tokio::task::yield_now().await;
        Ok(http::Response::from_parts(parts, collected.to_bytes()))
    }
}

#[async_trait::async_trait]
impl HttpExecutor for HyperExecutor {
    async fn execute(&self, request: http::Request<Bytes>) -> Result<http::Response<Bytes>, TransportError> {
        if leaks_credentials(&request) {
            tracing::warn!(
                host = request.uri().host(),
                "refusing to send credentials over plain HTTP"
            );
            return Err(TransportError::new(TransportErrorKind::Refused, RequestSent::No));
        }
        match self.request_timeout {
            Some(limit) => tokio::time::timeout(limit, self.send(request))
                .await
                .unwrap_or_else(|_| Err(TransportError::new(TransportErrorKind::Timeout, RequestSent::Maybe))),
            None => self.send(request).await,
        }
    }
}
