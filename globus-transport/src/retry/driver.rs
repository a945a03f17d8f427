//! The retry driver: runs the policy with an executor, a [`Sleep`] and a [`Clock`].

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;
use http::header::AUTHORIZATION;

use super::jitter::{JitterSource, XorShiftJitter};
use super::policy::{AttemptOutcome, Decision, Idempotency, RetryConfig, decide};
use crate::{
    Clock, HttpExecutor, SendError, SharedAuthorizer, SharedClock, SharedExecutor, SharedSleep, Sleep, TransportError,
};

/// Per-call options of [`RetryDriver::send`].
#[derive(Clone, Debug, Default)]
pub struct SendOptions {
    /// Asked for the `Authorization` header before every attempt, and told about a 401.
    /// Without one, the request's own headers are sent unchanged.
    pub authorizer: Option<SharedAuthorizer>,
    /// Whether the request may be repeated after it may have been acted on.
    pub idempotency: Idempotency,
}

/// Sends requests with retries: the DESIGN.md §6 retry table with Python's counts and
/// backoff, a 401 retried once (no sleep) when the authorizer says it can help.
///
/// ```
/// use bytes::Bytes;
/// use globus_transport::test_util::{InstantSleep, executor_fn};
/// use globus_transport::{RetryDriver, SendOptions, SharedExecutor, SharedSleep};
/// use std::sync::atomic::{AtomicU32, Ordering};
///
/// let calls = std::sync::Arc::new(AtomicU32::new(0));
/// let counter = calls.clone();
/// let executor = executor_fn(move |_request| {
///     let status = if counter.fetch_add(1, Ordering::SeqCst) == 0 { 503 } else { 200 };
///     Ok(http::Response::builder().status(status).body(Bytes::new()).unwrap())
/// });
/// let sleep = InstantSleep::default();
/// let driver = RetryDriver::new(SharedExecutor::new(executor), SharedSleep::new(sleep.clone()));
/// let request = http::Request::get("https://groups.api.globus.org/v2/groups/my_groups").body(Bytes::new()).unwrap();
/// let response = futures_lite_block_on(driver.send(request, &SendOptions::default())).unwrap();
/// assert_eq!(response.status(), 200);
/// assert_eq!(calls.load(Ordering::SeqCst), 2);
/// assert_eq!(sleep.sleeps().len(), 1);
/// # fn futures_lite_block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct RetryDriver {
    executor: SharedExecutor,
    sleep: SharedSleep,
    clock: SharedClock,
    config: RetryConfig,
    jitter: Arc<dyn JitterSource>,
}

impl RetryDriver {
    /// A driver with the default [`RetryConfig`], the system clock and time-seeded jitter.
    pub fn new(executor: SharedExecutor, sleep: SharedSleep) -> Self {
        Self {
            executor,
            sleep,
            clock: SharedClock::default(),
            config: RetryConfig::default(),
            jitter: Arc::new(XorShiftJitter::default()),
        }
    }

    /// Uses `clock` (for `Retry-After` dates).
    #[must_use]
    pub fn with_clock(mut self, clock: SharedClock) -> Self {
        self.clock = clock;
        self
    }

    /// Uses `config`.
    #[must_use]
    pub fn with_config(mut self, config: RetryConfig) -> Self {
        self.config = config;
        self
    }

    /// Uses `jitter` for backoff.
    #[must_use]
    pub fn with_jitter(mut self, jitter: Arc<dyn JitterSource>) -> Self {
        self.jitter = jitter;
        self
    }

    /// The retry settings.
    pub fn config(&self) -> &RetryConfig {
        &self.config
    }

    /// The executor.
    pub fn executor(&self) -> &SharedExecutor {
        &self.executor
    }

    /// The clock.
    pub fn clock(&self) -> &SharedClock {
        &self.clock
    }

    /// Sends `request`, retrying per the policy. Returns the last response (whatever its
    /// status) or the last transport error.
    pub async fn send(
        &self,
        request: http::Request<Bytes>,
        options: &SendOptions,
    ) -> Result<http::Response<Bytes>, SendError> {
        let (parts, body) = request.into_parts();
        let idempotent = options.idempotency.allows(&parts.method);
        let mut reauthorized = false;
        let mut attempt: u32 = 0;
        loop {
            let mut request = http::Request::new(body.clone());
            *request.method_mut() = parts.method.clone();
            *request.uri_mut() = parts.uri.clone();
            *request.version_mut() = parts.version;
            *request.headers_mut() = parts.headers.clone();
            let header = match &options.authorizer {
                Some(authorizer) => {
                    let header = authorizer.authorization().await.map_err(SendError::Authorizer)?;
                    match &header {
                        Some(value) => request.headers_mut().insert(AUTHORIZATION, value.clone()),
                        None => request.headers_mut().remove(AUTHORIZATION),
                    };
                    header
                }
                None => None,
            };

            let result = self.executor.execute(request).await;
            let decision = self
                .decide(
                    &result,
                    attempt,
                    idempotent,
                    options,
                    header.as_ref(),
                    &mut reauthorized,
                )
                .await;
            match decision {
                Step::Stop => return result.map_err(SendError::Transport),
                Step::Reauthorized => attempt += 1,
                Step::Wait(delay) => {
                    tracing::debug!(
                        attempt,
                        method = %parts.method,
                        path = parts.uri.path(),
                        delay_ms = delay.as_millis() as u64,
                        "retrying request"
                    );
                    self.sleep.sleep(delay).await;
                    attempt += 1;
                }
            }
        }
    }

    async fn decide(
        &self,
        result: &Result<http::Response<Bytes>, TransportError>,
        attempt: u32,
        idempotent: bool,
        options: &SendOptions,
        header: Option<&http::HeaderValue>,
        reauthorized: &mut bool,
    ) -> Step {
        let outcome = match result {
            Ok(response) if response.status() == StatusCode::UNAUTHORIZED => {
                let (Some(authorizer), Some(header)) = (&options.authorizer, header) else {
                    return Step::Stop;
                };
                if *reauthorized || attempt >= self.config.max_retries {
                    return Step::Stop;
                }
                *reauthorized = true;
                return if authorizer.on_unauthorized(header).await {
                    Step::Reauthorized
                } else {
                    Step::Stop
                };
            }
            Ok(response) => AttemptOutcome::from_response(response),
            Err(error) => AttemptOutcome::from_error(error),
        };
        match decide(
            &self.config,
            attempt,
            outcome,
            idempotent,
            self.jitter.next_unit(),
            self.clock.now(),
        ) {
            Decision::Stop => Step::Stop,
            Decision::RetryAfter(delay) => Step::Wait(delay),
        }
    }
}

/// What the driver does after an attempt.
enum Step {
    /// Return the attempt's result.
    Stop,
    /// Sleep, then try again.
    Wait(Duration),
    /// The authorizer renewed its credential after a 401: try again at once.
    Reauthorized,
}
