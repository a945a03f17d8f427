//! Injected time: a [`Clock`] for "now" and a [`Sleep`] for waiting, so retries and
//! token expiry are testable without real time passing.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// A boxed `Send` future, as returned by [`Sleep::sleep`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Tells the time.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current wall-clock time.
    fn now(&self) -> SystemTime;
}

/// Waits. The async runtime's implementation lives with it (`TokioSleep` in
/// `globus-transport-hyper`); tests use an instant one.
pub trait Sleep: Send + Sync + fmt::Debug {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A shared [`Clock`] handle.
#[derive(Clone, Debug)]
pub struct SharedClock(Arc<dyn Clock>);

impl SharedClock {
    /// Shares `clock`.
    pub fn new(clock: impl Clock + 'static) -> Self {
        Self(Arc::new(clock))
    }

    /// Shares a clock that is already in an `Arc`.
    pub fn from_arc(clock: Arc<dyn Clock>) -> Self {
        Self(clock)
    }
}

impl Default for SharedClock {
    fn default() -> Self {
        Self::new(SystemClock)
    }
}

impl Clock for SharedClock {
    fn now(&self) -> SystemTime {
        self.0.now()
    }
}

/// A shared [`Sleep`] handle.
#[derive(Clone, Debug)]
pub struct SharedSleep(Arc<dyn Sleep>);

impl SharedSleep {
    /// Shares `sleep`.
    pub fn new(sleep: impl Sleep + 'static) -> Self {
        Self(Arc::new(sleep))
    }

    /// Shares a sleep that is already in an `Arc`.
    pub fn from_arc(sleep: Arc<dyn Sleep>) -> Self {
        Self(sleep)
    }
}

impl Sleep for SharedSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.0.sleep(duration)
    }
}
