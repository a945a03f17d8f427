//! The pooled hyper + rustls executor of the Globus SDK, and the tokio [`Sleep`].
//!
//! [`HyperExecutor`] implements [`globus_transport::HttpExecutor`] with one pooled
//! `hyper-util` client: keep-alive, HTTP/1.1 and HTTP/2 (ALPN), a connect timeout, a
//! per-request timeout (default 60 s, as `GLOBUS_SDK_HTTP_TIMEOUT`), a response-size cap,
//! and TLS by rustls with the `ring` provider and the Mozilla roots of `webpki-roots` (the
//! analogue of Python's `certifi`), a custom CA bundle, or no verification (what
//! `GLOBUS_SDK_VERIFY_SSL` means in Python). A bearer token is never sent over plain
//! `http://` except to a loopback address.
//!
//! No hyper or rustls type appears in this crate's public API.
//!
//! [`Sleep`]: globus_transport::Sleep

mod classify;
mod executor;
mod plaintext;
mod sleep;
mod tls;

pub use executor::{BuildError, HyperExecutor, HyperExecutorBuilder};
pub use sleep::TokioSleep;
pub use tls::TlsVerification;
