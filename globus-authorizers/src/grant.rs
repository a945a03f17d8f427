//! The grants a renewing authorizer runs: refresh token (with rotation) and client
//! credentials.

use std::fmt;
use std::sync::{Mutex, PoisonError};

use bytes::Bytes;
use globus_auth_core::{ConfidentialAppClient, NativeAppClient, Params, RefreshToken, TokenData, TokenResponse};

use crate::RenewError;

/// How a renewing authorizer gets a new token.
pub trait Grant: Send + Sync + fmt::Debug + 'static {
    /// The token request to send.
    fn request(&self) -> Result<http::Request<Bytes>, globus_auth_core::Error>;

    /// Takes the one token out of the answer (and, for a refresh, the rotated refresh
    /// token).
    fn accept(&self, response: &TokenResponse) -> Result<TokenData, RenewError>;
}

fn only_token(response: &TokenResponse) -> Result<TokenData, RenewError> {
    match response.by_resource_server() {
        [only] => Ok(only.clone()),
        other => Err(RenewError::ResourceServers { count: other.len() }),
    }
}

/// The client a refresh grant is sent as.
#[derive(Clone, Debug)]
pub enum LoginClient {
    /// A native app: `client_id` in the body.
    Native(NativeAppClient),
    /// A confidential app: HTTP Basic.
    Confidential(ConfidentialAppClient),
}

impl From<NativeAppClient> for LoginClient {
    fn from(client: NativeAppClient) -> Self {
        Self::Native(client)
    }
}

impl From<ConfidentialAppClient> for LoginClient {
    fn from(client: ConfidentialAppClient) -> Self {
        Self::Confidential(client)
    }
}

/// The refresh-token grant. The refresh token rotates: each answer that carries a new
/// one replaces it.
#[derive(Debug)]
pub struct RefreshGrant {
    client: LoginClient,
    refresh_token: Mutex<RefreshToken>,
}

impl RefreshGrant {
    /// Refreshes as `client` with `refresh_token`.
    pub fn new(client: impl Into<LoginClient>, refresh_token: RefreshToken) -> Self {
        Self {
            client: client.into(),
            refresh_token: Mutex::new(refresh_token),
        }
    }

    /// The current refresh token (the latest rotated one).
    pub fn refresh_token(&self) -> RefreshToken {
        self.refresh_token
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Grant for RefreshGrant {
    fn request(&self) -> Result<http::Request<Bytes>, globus_auth_core::Error> {
        let token = self.refresh_token();
        match &self.client {
            LoginClient::Native(client) => client.refresh_token_request(&token, &Params::new()),
            LoginClient::Confidential(client) => client.refresh_token_request(&token, &Params::new()),
        }
    }

    fn accept(&self, response: &TokenResponse) -> Result<TokenData, RenewError> {
        let data = only_token(response)?;
        if let Some(rotated) = &data.refresh_token {
            *self.refresh_token.lock().unwrap_or_else(PoisonError::into_inner) = rotated.clone();
        }
        Ok(data)
    }
}

/// The client-credentials grant for scopes of exactly one resource server.
#[derive(Debug)]
pub struct ClientCredentialsGrant {
    client: ConfidentialAppClient,
    scopes: String,
}

impl ClientCredentialsGrant {
    /// Gets tokens for `scopes` (space-separated) as `client`.
    pub fn new(client: ConfidentialAppClient, scopes: impl Into<String>) -> Self {
        Self {
            client,
            scopes: scopes.into(),
        }
    }
}

impl Grant for ClientCredentialsGrant {
    fn request(&self) -> Result<http::Request<Bytes>, globus_auth_core::Error> {
        self.client.client_credentials_request(&self.scopes)
    }

    fn accept(&self, response: &TokenResponse) -> Result<TokenData, RenewError> {
        only_token(response)
    }
}
