//! Authorizers for the Globus SDK for Rust: what goes in the `Authorization` header of
//! each request, behind the [`globus_transport::Authorizer`] seam.
//!
//! - [`NullAuthorizer`], [`AccessTokenAuthorizer`], [`BasicAuthorizer`]: fixed.
//! - [`RefreshTokenAuthorizer`] (refresh-token rotation) and
//!   [`ClientCredentialsAuthorizer`] (exactly one resource server): renewed 60 s before
//!   expiry or after a 401, single-flight: N concurrent callers with an expired token
//!   cause exactly one token request. The first token is fetched lazily. An
//!   [`OnRefresh`] callback receives every new token response (that is how rotated
//!   refresh tokens get stored).
//!
//! ```
//! use std::sync::Arc;
//! use globus_auth_core::{NativeAppClient, RefreshToken};
//! use globus_authorizers::RefreshTokenAuthorizer;
//! use globus_transport::test_util::{InstantSleep, executor_fn};
//! use globus_transport::{Authorizer, RetryDriver, SharedExecutor, SharedSleep};
//!
//! let executor = executor_fn(|_request| {
//!     Ok(http::Response::new(bytes::Bytes::from_static(
//!         br#"{"access_token":"AT","scope":"s","resource_server":"transfer.api.globus.org",
//!             "expires_in":172800,"refresh_token":"RT2","other_tokens":[]}"#,
//!     )))
//! });
//! let driver = RetryDriver::new(SharedExecutor::new(executor), SharedSleep::new(InstantSleep::default()));
//! let client = NativeAppClient::new("61338d24-54d5-408f-a10d-66c06b59f6d2", "https://auth.globus.org/")?;
//! let authorizer = RefreshTokenAuthorizer::refresh_token(client, RefreshToken::new("RT1"), driver).build();
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let header = authorizer.authorization().await.unwrap().unwrap();
//! assert_eq!(header, "Bearer AT");
//! assert_eq!(authorizer.grant().refresh_token().expose_secret(), "RT2"); // rotated
//! # });
//! # Ok::<(), globus_auth_core::Error>(())
//! ```

mod error;
mod grant;
mod renewing;
mod simple;

pub use error::{RenewError, SharedRenewError};
pub use grant::{ClientCredentialsGrant, Grant, LoginClient, RefreshGrant};
pub use renewing::{DEFAULT_COOLDOWN, DEFAULT_MARGIN, OnRefresh, RenewingAuthorizer, RenewingAuthorizerBuilder};
pub use simple::{AccessTokenAuthorizer, BasicAuthorizer, NullAuthorizer};

use globus_auth_core::{ConfidentialAppClient, RefreshToken};
use globus_transport::RetryDriver;

/// Python's `RefreshTokenAuthorizer`: renewed with a refresh token, which rotates.
pub type RefreshTokenAuthorizer = RenewingAuthorizer<RefreshGrant>;

/// Python's `ClientCredentialsAuthorizer`: renewed with the client-credentials grant.
pub type ClientCredentialsAuthorizer = RenewingAuthorizer<ClientCredentialsGrant>;

impl RenewingAuthorizer<RefreshGrant> {
    /// A builder for a refresh-token authorizer.
    pub fn refresh_token(
        client: impl Into<LoginClient>,
        refresh_token: RefreshToken,
        driver: RetryDriver,
    ) -> RenewingAuthorizerBuilder<RefreshGrant> {
        Self::builder(RefreshGrant::new(client, refresh_token), driver)
    }
}

impl RenewingAuthorizer<ClientCredentialsGrant> {
    /// A builder for a client-credentials authorizer for `scopes` (which must belong to
    /// one resource server).
    pub fn client_credentials(
        client: ConfidentialAppClient,
        scopes: impl Into<String>,
        driver: RetryDriver,
    ) -> RenewingAuthorizerBuilder<ClientCredentialsGrant> {
        Self::builder(ClientCredentialsGrant::new(client, scopes), driver)
    }
}
