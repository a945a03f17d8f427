//! [`ValidationError`]: Python's `TokenValidationError` family.

/// A validator rejected token data (Python's `TokenValidationError` subclasses).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// No identity could be determined for the token data (`MissingIdentityError`).
    #[error(
        "Token grant response doesn't contain an id_token. This normally occurs if the auth flow didn't include \
         'openid' alongside other scopes."
    )]
    MissingIdentity,
    /// The token data is for another identity than the stored one (`IdentityMismatchError`).
    #[error("Detected a change in identity associated with the token data.")]
    IdentityMismatch {
        /// The identity already stored.
        stored_id: String,
        /// The identity of the new token data.
        new_id: String,
    },
    /// No token data is stored for a resource server (`MissingTokenError`).
    #[error("No token data for {resource_server}")]
    MissingTokenData {
        /// The resource server.
        resource_server: String,
    },
    /// The token data of a resource server has no refresh token (`MissingTokenError`).
    #[error("No refresh_token for {resource_server}")]
    MissingRefreshToken {
        /// The resource server.
        resource_server: String,
    },
    /// An access token has expired (`ExpiredTokenError`).
    #[error("Token for {resource_server} expired at {expires_at_seconds} (seconds since the Unix epoch)")]
    Expired {
        /// The resource server.
        resource_server: String,
        /// When it expired.
        expires_at_seconds: i64,
    },
    /// A validator of the application's own rejected the data.
    #[error("token data validation failed")]
    Other(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl ValidationError {
    /// Whether a token is missing (Python's `MissingTokenError`): no data for the resource
    /// server, or no refresh token.
    pub fn is_missing_token(&self) -> bool {
        matches!(self, Self::MissingTokenData { .. } | Self::MissingRefreshToken { .. })
    }

    /// Whether the identity is missing or changed (Python's `IdentityValidationError`).
    pub fn is_identity_error(&self) -> bool {
        matches!(self, Self::MissingIdentity | Self::IdentityMismatch { .. })
    }
}
