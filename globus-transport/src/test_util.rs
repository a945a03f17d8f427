//! Test doubles (feature `test-util`): executors from closures, a replay executor that
//! asserts the requests it receives, a capturing executor, a manual clock and an instant
//! sleep that records the sleeps it was asked for.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{HeaderMap, Method, Uri};

use crate::{BoxFuture, Clock, HttpExecutor, Sleep, TransportError};

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The result an executor double answers with.
pub type Reply = Result<http::Response<Bytes>, TransportError>;

/// An executor that calls a closure for every request.
pub struct FnExecutor<F>(F);

impl<F> fmt::Debug for FnExecutor<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnExecutor")
    }
}

/// An executor from a synchronous closure.
pub fn executor_fn<F>(f: F) -> FnExecutor<F>
where
    F: Fn(http::Request<Bytes>) -> Reply + Send + Sync + 'static,
{
    FnExecutor(f)
}

#[async_trait::async_trait]
impl<F> HttpExecutor for FnExecutor<F>
where
    F: Fn(http::Request<Bytes>) -> Reply + Send + Sync + 'static,
{
    async fn execute(&self, request: http::Request<Bytes>) -> Reply {
        (self.0)(request)
    }
}

/// A request as a double saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapturedRequest {
    /// The method.
    pub method: Method,
    /// The URI.
    pub uri: Uri,
    /// The headers (an `Authorization` value stays marked sensitive).
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl CapturedRequest {
    fn of(request: &http::Request<Bytes>) -> Self {
        Self {
            method: request.method().clone(),
            uri: request.uri().clone(),
            headers: request.headers().clone(),
            body: request.body().clone(),
        }
    }
}

/// Records every request, and answers with a closure.
#[derive(Clone)]
pub struct CapturingExecutor {
    requests: Arc<Mutex<Vec<CapturedRequest>>>,
    respond: Arc<dyn Fn(&CapturedRequest) -> Reply + Send + Sync>,
}

impl fmt::Debug for CapturingExecutor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CapturingExecutor")
            .field("requests", &lock(&self.requests).len())
            .finish()
    }
}

impl CapturingExecutor {
    /// Answers every request with `respond`.
    pub fn new(respond: impl Fn(&CapturedRequest) -> Reply + Send + Sync + 'static) -> Self {
        Self {
            requests: Arc::default(),
            respond: Arc::new(respond),
        }
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<CapturedRequest> {
        lock(&self.requests).clone()
    }
}

#[async_trait::async_trait]
impl HttpExecutor for CapturingExecutor {
    async fn execute(&self, request: http::Request<Bytes>) -> Reply {
        let captured = CapturedRequest::of(&request);
        let reply = (self.respond)(&captured);
        lock(&self.requests).push(captured);
        reply
    }
}

/// Expects an exact sequence of requests (method and URI) and answers each with its
/// scripted reply. A request out of script is answered with a `Refused` transport
/// error and recorded as a mismatch; [`assert_done`](Self::assert_done) fails the test.
#[derive(Clone, Debug, Default)]
pub struct ReplayExecutor {
    script: Arc<Mutex<VecDeque<(Method, String, Reply)>>>,
    mismatches: Arc<Mutex<Vec<String>>>,
}

impl ReplayExecutor {
    /// An empty script.
    pub fn new() -> Self {
        Self::default()
    }

    /// Expects `method uri` next and answers `reply`.
    #[must_use]
    pub fn expect(self, method: Method, uri: &str, reply: Reply) -> Self {
        lock(&self.script).push_back((method, uri.to_owned(), reply));
        self
    }

    /// Panics unless every scripted request arrived, in order, and nothing else did.
    pub fn assert_done(&self) {
        let mismatches = lock(&self.mismatches);
        assert!(mismatches.is_empty(), "unexpected requests: {mismatches:?}");
        let left = lock(&self.script).len();
        assert_eq!(left, 0, "{left} scripted requests never arrived");
    }
}

#[async_trait::async_trait]
impl HttpExecutor for ReplayExecutor {
    async fn execute(&self, request: http::Request<Bytes>) -> Reply {
        let next = lock(&self.script).pop_front();
        match next {
            Some((method, uri, reply)) if method == request.method() && uri == request.uri().to_string() => reply,
            other => {
                let wanted = other
                    .map(|(m, u, _)| format!("{m} {u}"))
                    .unwrap_or_else(|| "nothing".to_owned());
                lock(&self.mismatches).push(format!("got {} {}, expected {wanted}", request.method(), request.uri()));
                Err(TransportError::new(
                    crate::TransportErrorKind::Refused,
                    crate::RequestSent::No,
                ))
            }
        }
    }
}

/// A clock that moves only when told to.
#[derive(Clone, Debug)]
pub struct ManualClock(Arc<Mutex<SystemTime>>);

impl ManualClock {
    /// A clock showing `start`.
    pub fn new(start: SystemTime) -> Self {
        Self(Arc::new(Mutex::new(start)))
    }

    /// A clock showing `seconds` after the Unix epoch.
    pub fn at_unix(seconds: u64) -> Self {
        Self::new(UNIX_EPOCH + Duration::from_secs(seconds))
    }

    /// Sets the time.
    pub fn set(&self, now: SystemTime) {
        *lock(&self.0) = now;
    }

    /// Moves the time forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut now = lock(&self.0);
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *lock(&self.0)
    }
}

/// A sleep that returns at once, records what it was asked for, and optionally moves a
/// [`ManualClock`] forward by the same amount.
#[derive(Clone, Debug, Default)]
pub struct InstantSleep {
    sleeps: Arc<Mutex<Vec<Duration>>>,
    clock: Option<ManualClock>,
}

impl InstantSleep {
    /// A sleep that also advances `clock`.
    pub fn advancing(clock: ManualClock) -> Self {
        Self {
            sleeps: Arc::default(),
            clock: Some(clock),
        }
    }

    /// Every sleep requested so far.
    pub fn sleeps(&self) -> Vec<Duration> {
        lock(&self.sleeps).clone()
    }

    /// The sum of the sleeps requested so far.
    pub fn total(&self) -> Duration {
        lock(&self.sleeps).iter().sum()
    }
}

impl Sleep for InstantSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        lock(&self.sleeps).push(duration);
        if let Some(clock) = &self.clock {
            clock.advance(duration);
        }
        Box::pin(std::future::ready(()))
    }
}
