//! The crate's one error type.

use crate::error_document::ErrorDocument;
use crate::scopes::ScopeParseErrorKind;

/// Everything that can go wrong in the sans-IO core. Messages match the Python SDK's
/// where the Python SDK has one, and never contain a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A PKCE verifier outside RFC 7636's 43..=128 characters (`GlobusSDKUsageError`).
    #[error("verifier must be 43-128 characters long: {length}")]
    VerifierLength {
        /// The length of the rejected verifier, in characters.
        length: usize,
    },
    /// A PKCE verifier with a character outside `[a-zA-Z0-9~_.-]` (`GlobusSDKUsageError`).
    #[error("verifier contained invalid characters")]
    VerifierCharacters,
    /// No verifier was given and the `os-rng` feature, which would generate one, is off.
    #[error("a PKCE verifier is required: pass one, or enable the `os-rng` feature")]
    VerifierRequired,
    /// The operating system's random number generator failed.
    #[cfg(feature = "os-rng")]
    #[error("the operating system's random number generator failed")]
    Entropy(#[source] getrandom::Error),
    /// A malformed scope string (`ScopeParseError`).
    #[error("{0}")]
    ScopeParse(ScopeParseErrorKind),
    /// A scope string whose dependencies form a cycle (`ScopeCycleError`).
    #[error("A cycle was found involving '{scope}'")]
    ScopeCycle {
        /// A scope on the cycle.
        scope: String,
    },
    /// `Scope::new` got a string with one of `[]* ` (`ValueError`).
    #[error("Scope instances may not contain the special characters '[]* '. Use Scope.parse instead.")]
    ScopeSpecialCharacters {
        /// The rejected scope string.
        scope_string: String,
    },
    /// `Scope::parse` found zero or several top-level scopes (`ValueError`).
    #[error("`Scope.parse()` did not get exactly one scope. Instead got {count} scopes")]
    NotExactlyOneScope {
        /// How many top-level scopes the string held.
        count: usize,
    },
    /// Scopes that serialize to the empty string where scopes are required
    /// (`GlobusSDKUsageError`).
    #[error("'scopes' cannot be the empty string or empty collection.")]
    EmptyScopes,
    /// An environment name the SDK does not know (`ValueError`).
    #[error("Unrecognized environment \"{name}\"")]
    UnknownEnvironment {
        /// The name that was looked up.
        name: String,
    },
    /// An empty client id (`GlobusSDKUsageError`).
    #[error("Invalid value for client_id. Got \"{client_id}\"")]
    InvalidClientId {
        /// The rejected client id.
        client_id: String,
    },
    /// A required parameter was empty, such as a confidential client's redirect URI.
    #[error("the parameter \"{name}\" must not be empty")]
    EmptyParameter {
        /// The parameter's name.
        name: &'static str,
    },
    /// A token response lacks a required field (Python's `KeyError`).
    #[error("the token response has no \"{field}\" field")]
    MissingField {
        /// The missing field.
        field: &'static str,
    },
    /// A token response field has the wrong JSON type.
    #[error("the token response field \"{field}\" is not {expected}")]
    InvalidField {
        /// The field.
        field: &'static str,
        /// What it should have been.
        expected: &'static str,
    },
    /// A `by_scopes` lookup named a scope no token carries (Python's `KeyError`).
    #[error("Scope specifier \"{specifier}\" contains scope \"{scope}\" which was not found")]
    ScopeNotFound {
        /// The whole specifier looked up.
        specifier: String,
        /// The scope that was not found.
        scope: String,
    },
    /// A `by_scopes` lookup that matched zero or several tokens (Python's `KeyError`).
    #[error("Scope specifier \"{specifier}\" did not match exactly one token!")]
    AmbiguousScopes {
        /// The whole specifier looked up.
        specifier: String,
    },
    /// A response body that is not the JSON document expected.
    #[error("the response body is not a valid JSON document: {0}")]
    InvalidJson(#[source] serde_json::Error),
    /// Globus answered with an error status (`AuthAPIError`).
    #[error("{0}")]
    Api(Box<ErrorDocument>),
    /// A URL the request cannot be sent to (for example a base URL with a space).
    #[error("not a valid request URL: {url}")]
    InvalidUrl {
        /// The URL, without secrets (token requests carry secrets in the body only).
        url: String,
    },
    /// An id token that is not a readable JWT.
    #[error("the id token cannot be read: {reason}")]
    InvalidIdToken {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A header value the request could not carry (for example a newline in a client id).
    #[error("the {name} header value is not valid")]
    InvalidHeader {
        /// The header's name.
        name: &'static str,
    },
}

impl Error {
    /// The Globus error document, when this error is an error answer from Globus.
    pub fn api_error(&self) -> Option<&ErrorDocument> {
        match self {
            Error::Api(document) => Some(document),
            _ => None,
        }
    }
}
