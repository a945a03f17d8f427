//! Transport and authorizer errors.

use std::error::Error as StdError;
use std::fmt;

/// A boxed error source.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// What went wrong while sending a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connect or request timeout elapsed.
    Timeout,
    /// The connection could not be established (refused, DNS, unreachable).
    Connect,
    /// The TLS handshake failed (certificate, protocol).
    Tls,
    /// An I/O error on an established connection (reset, closed early).
    Io,
    /// The peer broke HTTP (malformed response, HTTP/2 protocol error).
    Protocol,
    /// The response body exceeded the configured size cap.
    BodyTooLarge,
    /// The request was refused before sending (for example a bearer token over plain
    /// HTTP to a non-loopback host).
    Refused,
    /// Anything else.
    Other,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Timeout => "timeout",
            Self::Connect => "connect error",
            Self::Tls => "TLS error",
            Self::Io => "I/O error",
            Self::Protocol => "protocol error",
            Self::BodyTooLarge => "response body too large",
            Self::Refused => "request refused",
            Self::Other => "transport error",
        })
    }
}

/// Whether a failed request may have reached the server (and been acted on).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequestSent {
    /// Certainly not sent: nothing was written (connect refused, DNS, TLS handshake).
    No,
    /// Possibly sent: bytes were written before the failure (reset, read timeout).
    Maybe,
}

/// A classified transport failure. `Display` never includes request bodies or headers.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    sent: RequestSent,
    source: Option<BoxError>,
}

impl TransportError {
    /// A new error of `kind`; `sent` says whether the request may have been sent.
    pub fn new(kind: TransportErrorKind, sent: RequestSent) -> Self {
        Self {
            kind,
            sent,
            source: None,
        }
    }

    /// Attaches the underlying cause.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the request may have reached the server.
    pub fn request_sent(&self) -> RequestSent {
        self.sent
    }

    /// `true` when the request may have been sent, so retrying a non-idempotent request
    /// could act on it twice.
    pub fn may_have_been_sent(&self) -> bool {
        self.sent == RequestSent::Maybe
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        match self.sent {
            RequestSent::No => f.write_str(" (the request was not sent)"),
            RequestSent::Maybe => f.write_str(" (the request may have been sent)"),
        }
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn StdError + 'static))
    }
}

/// Why an authorizer could not give an `Authorization` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthorizerErrorKind {
    /// Getting a new token failed (the token endpoint answered an error).
    Refresh,
    /// The token endpoint could not be reached.
    Transport,
    /// No usable token and no way to get one (for example a revoked refresh token).
    NoToken,
    /// Storing the new token failed.
    Storage,
    /// Anything else.
    Other,
}

/// An authorizer failure: a kind and the cause, so this crate names no auth type.
#[derive(Debug, thiserror::Error)]
#[error("authorization failed ({kind:?})")]
pub struct AuthorizerError {
    kind: AuthorizerErrorKind,
    #[source]
    source: Option<BoxError>,
}

impl AuthorizerError {
    /// A new error of `kind`.
    pub fn new(kind: AuthorizerErrorKind) -> Self {
        Self { kind, source: None }
    }

    /// Attaches the underlying cause.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> AuthorizerErrorKind {
        self.kind
    }
}

/// What [`RetryDriver::send`](crate::RetryDriver::send) can fail with (an error *status*
/// is not a failure here: the response is returned for the caller to interpret).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// Every attempt failed in transport; this is the last failure.
    #[error("{0}")]
    Transport(#[source] TransportError),
    /// The authorizer could not give a header.
    #[error("{0}")]
    Authorizer(#[source] AuthorizerError),
}
