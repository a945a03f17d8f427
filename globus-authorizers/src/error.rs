//! Why getting a new token failed.

use globus_transport::{AuthorizerError, AuthorizerErrorKind, BoxError, SendError};

/// Why a renewing authorizer could not get a new token. It reaches callers as the
/// source of a [`AuthorizerError`]; never contains a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenewError {
    /// The token endpoint could not be reached.
    #[error("the token request failed: {0}")]
    Send(#[source] SendError),
    /// Globus Auth refused the grant, or answered something that is not a token response.
    #[error("Globus Auth refused the token request: {0}")]
    Auth(#[source] globus_auth_core::Error),
    /// The answer held tokens for a number of resource servers other than one.
    #[error("expected the token response to hold exactly one resource server, got {count}")]
    ResourceServers {
        /// How many it held.
        count: usize,
    },
    /// The new access token cannot be sent as a header value.
    #[error("the new access token is not a valid header value")]
    InvalidAccessToken,
    /// The `on_refresh` callback failed (for example, storing the new tokens); the new
    /// token is in use regardless.
    #[error("the on_refresh callback failed: {0}")]
    OnRefresh(#[source] BoxError),
}

impl RenewError {
    /// The kind the transport crate reports this as.
    pub fn kind(&self) -> AuthorizerErrorKind {
        match self {
            Self::Send(_) => AuthorizerErrorKind::Transport,
            Self::Auth(_) | Self::ResourceServers { .. } | Self::InvalidAccessToken => AuthorizerErrorKind::Refresh,
            Self::OnRefresh(_) => AuthorizerErrorKind::Storage,
        }
    }
}

/// Wraps a shared renewal failure for the transport crate.
pub(crate) fn to_authorizer_error(error: &std::sync::Arc<RenewError>) -> AuthorizerError {
    AuthorizerError::new(error.kind()).with_source(SharedRenewError(error.clone()))
}

/// A renewal failure shared by every caller that waited for it.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct SharedRenewError(pub std::sync::Arc<RenewError>);
