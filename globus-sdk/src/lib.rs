//! The Globus SDK for Rust.
//!
//! This facade re-exports the layers of the SDK and wires them together:
//!
//! - [`auth_core`]: the sans-IO core (environments, scopes, PKCE, authorize URLs, token
//!   requests and responses, error documents).
//! - [`transport`] and [`transport_hyper`]: the HTTP seam, retries, and the pooled
//!   hyper + rustls executor.
//! - [`authorizers`]: fixed and renewing authorizers with single-flight refresh.
//! - [`tokenstorage`]: memory, JSON and SQLite token storage compatible with the Python
//!   SDK's files.
//! - [`StorageOnRefresh`]: stores every refreshed token response, so rotated refresh
//!   tokens are never lost.
//!
//! Service clients (Auth, Transfer, Groups, ...) and `GlobusApp` are not here yet.

mod storage_refresh;

pub use globus_auth_core as auth_core;
pub use globus_authorizers as authorizers;
pub use globus_tokenstorage as tokenstorage;
pub use globus_transport as transport;
pub use globus_transport_hyper as transport_hyper;
pub use storage_refresh::StorageOnRefresh;
