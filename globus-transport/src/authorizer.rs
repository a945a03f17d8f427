//! The authorizer seam (DESIGN.md §6): the retry driver asks it for the
//! `Authorization` header before every attempt, and tells it about a 401.

use std::fmt;
use std::sync::Arc;

use http::HeaderValue;

use crate::AuthorizerError;

/// Gives the `Authorization` header of a request. Implemented by
/// `globus-authorizers` (bearer tokens with single-flight refresh, Basic, none).
#[async_trait::async_trait]
pub trait Authorizer: Send + Sync + fmt::Debug {
    /// The header value for the next attempt, or `None` to send no `Authorization`.
    /// Implementations mark the value sensitive.
    async fn authorization(&self) -> Result<Option<HeaderValue>, AuthorizerError>;

    /// A request carrying `rejected` got a 401. Invalidate the cached credential only if
    /// it is still `rejected` (so K requests that all failed on one token cause one
    /// refresh), and return whether a retry can help.
    async fn on_unauthorized(&self, rejected: &HeaderValue) -> bool;
}

/// A shared authorizer handle.
pub type SharedAuthorizer = Arc<dyn Authorizer>;
