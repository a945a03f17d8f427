//! Retries: the policy (pure), `Retry-After` parsing, jitter, and the driver.

pub(crate) mod driver;
pub(crate) mod http_date;
pub(crate) mod jitter;
pub(crate) mod policy;
