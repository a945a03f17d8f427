//! Authorizers that never renew: none, a fixed bearer token, HTTP Basic.

use globus_auth_core::request::basic_authorization;
use globus_auth_core::{AccessToken, ClientSecret};
use globus_transport::{Authorizer, AuthorizerError, AuthorizerErrorKind};
use http::HeaderValue;

/// `Bearer <token>` as a sensitive header value.
pub(crate) fn bearer(token: &AccessToken) -> Result<HeaderValue, AuthorizerError> {
    let mut value = HeaderValue::try_from(format!("Bearer {}", token.expose_secret()))
        .map_err(|_| AuthorizerError::new(AuthorizerErrorKind::NoToken))?;
    value.set_sensitive(true);
    Ok(value)
}

/// A fixed header, or the error for credentials that could not become one.
fn fixed(header: &Option<HeaderValue>) -> Result<Option<HeaderValue>, AuthorizerError> {
    match header {
        Some(value) => Ok(Some(value.clone())),
        None => Err(AuthorizerError::new(AuthorizerErrorKind::NoToken)),
    }
}

/// Sends no `Authorization` header (Python's `NullAuthorizer`): the request goes out
/// anonymous, and a 401 is final.
#[derive(Clone, Copy, Debug, Default)]
pub struct NullAuthorizer;

#[async_trait::async_trait]
impl Authorizer for NullAuthorizer {
    async fn authorization(&self) -> Result<Option<HeaderValue>, AuthorizerError> {
        Ok(None)
    }

    async fn on_unauthorized(&self, _rejected: &HeaderValue) -> bool {
        false
    }
}

/// A fixed bearer token (Python's `AccessTokenAuthorizer`): a 401 is final, since there is
/// no way to get another token.
///
/// ```
/// use globus_auth_core::AccessToken;
/// use globus_authorizers::AccessTokenAuthorizer;
/// let authorizer = AccessTokenAuthorizer::new(AccessToken::new("AT"));
/// assert!(!format!("{authorizer:?}").contains("AT\""));
/// ```
#[derive(Clone, Debug)]
pub struct AccessTokenAuthorizer {
    /// `None` when the token cannot be a header value (a newline in it).
    header: Option<HeaderValue>,
}

impl AccessTokenAuthorizer {
    /// Authorizes with `token`. A token that cannot be a header value gives an error on
    /// use.
    pub fn new(token: AccessToken) -> Self {
        Self {
            header: bearer(&token).ok(),
        }
    }
}

#[async_trait::async_trait]
impl Authorizer for AccessTokenAuthorizer {
    async fn authorization(&self) -> Result<Option<HeaderValue>, AuthorizerError> {
        fixed(&self.header)
    }

    async fn on_unauthorized(&self, _rejected: &HeaderValue) -> bool {
        false
    }
}

/// HTTP Basic with a client id and secret (Python's `BasicAuthorizer`), the way a
/// confidential client authenticates to Globus Auth.
#[derive(Clone, Debug)]
pub struct BasicAuthorizer {
    /// `None` when the credentials cannot be a header value.
    header: Option<HeaderValue>,
}

impl BasicAuthorizer {
    /// Authorizes as `client_id` with `client_secret`.
    pub fn new(client_id: &str, client_secret: &ClientSecret) -> Self {
        Self {
            header: basic_authorization(client_id, client_secret).ok(),
        }
    }
}

#[async_trait::async_trait]
impl Authorizer for BasicAuthorizer {
    async fn authorization(&self) -> Result<Option<HeaderValue>, AuthorizerError> {
        fixed(&self.header)
    }

    async fn on_unauthorized(&self, _rejected: &HeaderValue) -> bool {
        false
    }
}
