//! The sans-IO core of the Globus SDK for Rust.
//!
//! Everything here is pure data and functions: no async runtime, no HTTP client, no
//! global state, no environment variables. Time (`now: SystemTime`) and randomness (32
//! bytes, or a caller's RNG) are arguments. A program with its own HTTP stack, blocking
//! or async, uses this crate alone:
//!
//! - [`Environment`] and [`ServiceUrls`]: where each Globus service lives.
//! - [`scopes`]: the [`Scope`](scopes::Scope) value, the parser and serializer, and the
//!   scope constants of every service.
//! - [`PkceVerifier`]: PKCE (RFC 7636, S256).
//! - [`NativeAppClient`] and [`ConfidentialAppClient`]: authorize URLs and every token
//!   request (code exchange, refresh, client credentials, dependent tokens, revoke,
//!   introspect) as `http::Request<Bytes>`, byte-identical to the Python SDK's.
//! - [`TokenResponse`]: token answers parsed from `http::Response<Bytes>`.
//! - [`ErrorDocument`]: Globus error answers, with session and consent requirements.
//!
//! A whole refresh with a blocking HTTP stack of your own:
//!
//! ```
//! use std::time::SystemTime;
//! use globus_auth_core::{NativeAppClient, Params, RefreshToken, TokenResponse};
//!
//! # fn send(request: http::Request<bytes::Bytes>) -> http::Response<bytes::Bytes> {
//! #     http::Response::new(bytes::Bytes::from_static(br#"{"access_token":"AT2","scope":"openid",
//! #       "resource_server":"auth.globus.org","expires_in":172800,"refresh_token":"RT2","other_tokens":[]}"#))
//! # }
//! let client = NativeAppClient::new("61338d24-54d5-408f-a10d-66c06b59f6d2", "https://auth.globus.org/")?;
//! let request = client.refresh_token_request(&RefreshToken::new("RT1"), &Params::new())?;
//! let response = send(request); // any HTTP client
//! let tokens = TokenResponse::from_http(&response, SystemTime::now())?;
//! let auth = tokens.get("auth.globus.org").expect("auth tokens");
//! assert_eq!(auth.refresh_token.as_ref().map(|t| t.expose_secret()), Some("RT2"));
//! # Ok::<(), globus_auth_core::Error>(())
//! ```

pub mod authorize;
pub mod client;
pub mod encoding;
pub mod environment;
mod error;
pub mod error_document;
mod id_token;
pub mod pkce;
pub mod request;
pub mod scopes;
mod secret;
pub mod token_response;

pub use authorize::{
    AuthorizationCodeFlow, AuthorizationCodeFlowOptions, AuthorizeParams, NativeAppFlow, NativeFlowOptions,
};
pub use client::{ConfidentialAppClient, DependentTokenOptions, NativeAppClient};
pub use encoding::Params;
pub use environment::{Environment, ServiceUrls};
pub use error::Error;
pub use error_document::{AuthorizationParameters, ErrorDocument};
pub use pkce::PkceVerifier;
pub use secret::{AccessToken, AuthorizationCode, ClientSecret, IdToken, RefreshToken, TokenValue};
pub use token_response::{TokenData, TokenResponse};
