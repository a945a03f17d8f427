//! The tokio implementation of [`Sleep`].

use std::time::Duration;

use globus_transport::{BoxFuture, Sleep};

/// Sleeps with `tokio::time::sleep` (needs a tokio runtime with the time driver).
#[derive(Clone, Copy, Debug, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}
