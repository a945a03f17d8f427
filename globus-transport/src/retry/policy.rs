//! The retry policy as pure data and functions (DESIGN.md §6 retry table, Python's
//! defaults for counts and backoff).

use std::time::{Duration, SystemTime};

use http::{Method, StatusCode};

use super::http_date::retry_after;
use crate::TransportError;

/// Whether repeating a request is safe.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Idempotency {
    /// Decide from the method: GET, HEAD, OPTIONS, TRACE, PUT and DELETE are idempotent.
    #[default]
    FromMethod,
    /// The caller vouches that repeating is safe (a Transfer submission carrying a
    /// `submission_id`).
    Idempotent,
    /// Never repeat a request that may have been acted on.
    NotIdempotent,
}

impl Idempotency {
    /// Whether a request with `method` may be repeated.
    pub fn allows(self, method: &Method) -> bool {
        match self {
            Self::Idempotent => true,
            Self::NotIdempotent => false,
            Self::FromMethod => matches!(
                *method,
                Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE | Method::PUT | Method::DELETE
            ),
        }
    }
}

/// Retry settings. The defaults are the Python SDK's: 5 retries (6 attempts), backoff
/// `(0.25 + 0.5·r)·2^attempt` seconds, every sleep capped at 10 s, `Retry-After` honoured
/// on 429 and 503, 500/502/504 retried when idempotent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The cap on any single sleep, `Retry-After` included.
    pub max_sleep: Duration,
    /// Statuses retried for any method, honouring `Retry-After`.
    pub retry_after_statuses: Vec<StatusCode>,
    /// Statuses retried only for idempotent requests.
    pub transient_statuses: Vec<StatusCode>,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_retries: 5,
            max_sleep: Duration::from_secs(10),
            retry_after_statuses: vec![StatusCode::TOO_MANY_REQUESTS, StatusCode::SERVICE_UNAVAILABLE],
            transient_statuses: vec![
                StatusCode::INTERNAL_SERVER_ERROR,
                StatusCode::BAD_GATEWAY,
                StatusCode::GATEWAY_TIMEOUT,
            ],
        }
    }
}

impl RetryConfig {
    /// No retries at all.
    pub fn disabled() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// The exponential backoff before retry number `attempt + 1` (attempt counts from
    /// 0), with `jitter` in `[0, 1)`, capped at `max_sleep`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use globus_transport::RetryConfig;
    /// let config = RetryConfig::default();
    /// assert_eq!(config.backoff(0, 0.0), Duration::from_millis(250));
    /// assert_eq!(config.backoff(2, 1.0), Duration::from_secs(3));
    /// assert_eq!(config.backoff(4, 1.0), Duration::from_secs(10)); // 12 s capped
    /// ```
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.5
        };
        let factor = 2f64.powi(attempt.min(62) as i32);
        let seconds = (0.25 + 0.5 * jitter) * factor;
        Duration::from_secs_f64(seconds.min(self.max_sleep.as_secs_f64()))
    }
}

/// What one attempt produced, as the policy sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptOutcome<'a> {
    /// A response arrived with this status and optional `Retry-After` value.
    Response {
        /// The status.
        status: StatusCode,
        /// The `Retry-After` header, if any.
        retry_after: Option<&'a str>,
    },
    /// The transport failed.
    TransportError {
        /// Whether the request may have been sent.
        may_have_been_sent: bool,
    },
}

impl<'a> AttemptOutcome<'a> {
    /// The outcome of a received response.
    pub fn from_response<B>(response: &'a http::Response<B>) -> Self {
        Self::Response {
            status: response.status(),
            retry_after: response
                .headers()
                .get(http::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok()),
        }
    }

    /// The outcome of a transport failure.
    pub fn from_error(error: &TransportError) -> Self {
        Self::TransportError {
            may_have_been_sent: error.may_have_been_sent(),
        }
    }
}

/// The policy's verdict on one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Try again after this delay.
    RetryAfter(Duration),
    /// Stop: return this outcome to the caller.
    Stop,
}

/// Decides whether attempt number `attempt` (from 0) is retried (401 handling is the
/// driver's, through the authorizer). `jitter` is a random number in `[0, 1)`.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use http::StatusCode;
/// use globus_transport::{AttemptOutcome, Decision, RetryConfig, decide};
/// let config = RetryConfig::default();
/// let busy = AttemptOutcome::Response { status: StatusCode::TOO_MANY_REQUESTS, retry_after: Some("3") };
/// assert_eq!(decide(&config, 0, busy, false, 0.5, UNIX_EPOCH), Decision::RetryAfter(Duration::from_secs(3)));
/// let broken = AttemptOutcome::Response { status: StatusCode::BAD_GATEWAY, retry_after: None };
/// assert_eq!(decide(&config, 0, broken, false, 0.5, UNIX_EPOCH), Decision::Stop);
/// ```
pub fn decide(
    config: &RetryConfig,
    attempt: u32,
    outcome: AttemptOutcome<'_>,
    idempotent: bool,
    jitter: f64,
    now: SystemTime,
) -> Decision {
    if attempt >= config.max_retries {
        return Decision::Stop;
    }
    let backoff = || Decision::RetryAfter(config.backoff(attempt, jitter));
    match outcome {
        AttemptOutcome::TransportError { may_have_been_sent } => {
            if !may_have_been_sent || idempotent {
                backoff()
            } else {
                Decision::Stop
            }
        }
        AttemptOutcome::Response {
            status,
            retry_after: header,
        } => {
            if config.retry_after_statuses.contains(&status) {
                match header.and_then(|value| retry_after(value, now)) {
                    Some(delay) => Decision::RetryAfter(delay.min(config.max_sleep)),
                    None => backoff(),
                }
            } else if config.transient_statuses.contains(&status) && idempotent {
                backoff()
            } else {
                Decision::Stop
            }
        }
    }
}
