//! The HTTP seam of the Globus SDK for Rust: generic over HTTP, free of any async
//! runtime or HTTP client.
//!
//! - [`HttpExecutor`]: sends one `http::Request<Bytes>` and returns the whole
//!   `http::Response<Bytes>` or a classified [`TransportError`]; held as a cheap
//!   [`SharedExecutor`]. `globus-transport-hyper` implements it with hyper and rustls.
//! - [`Authorizer`]: the `Authorization` header before every attempt, and "a 401
//!   happened: can a retry help?".
//! - [`Clock`] and [`Sleep`]: injected time.
//! - Retries: [`RetryConfig`] and [`decide`] (a pure policy), [`RetryDriver`] (runs it).
//! - `test_util` (feature `test-util`): doubles for all of the above.

mod authorizer;
mod error;
mod executor;
mod retry;
#[cfg(feature = "test-util")]
pub mod test_util;
mod time;

pub use authorizer::{Authorizer, SharedAuthorizer};
pub use error::{
    AuthorizerError, AuthorizerErrorKind, BoxError, RequestSent, SendError, TransportError, TransportErrorKind,
};
pub use executor::{HttpExecutor, SharedExecutor};
pub use retry::driver::{RetryDriver, SendOptions};
pub use retry::http_date::retry_after;
pub use retry::jitter::{FixedJitter, JitterSource, XorShiftJitter};
pub use retry::policy::{AttemptOutcome, Decision, Idempotency, RetryConfig, decide};
pub use time::{BoxFuture, Clock, SharedClock, SharedSleep, Sleep, SystemClock};
