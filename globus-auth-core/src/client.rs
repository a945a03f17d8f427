//! Login clients as data: a native (public) client or a confidential client, and the
//! token requests each sends (Python's `NativeAppAuthClient` and
//! `ConfidentialAppAuthClient`, minus the I/O).

use bytes::Bytes;
use http::HeaderValue;

use crate::encoding::Params;
use crate::request::{basic_authorization, form_post};
use crate::{ClientSecret, Error, RefreshToken, TokenValue};

/// The token endpoint path.
pub const TOKEN_PATH: &str = "/v2/oauth2/token";
/// The revocation endpoint path.
pub const REVOKE_PATH: &str = "/v2/oauth2/token/revoke";
/// The introspection endpoint path.
pub const INTROSPECT_PATH: &str = "/v2/oauth2/token/introspect";
/// The Globus dependent-token grant type.
pub const DEPENDENT_TOKEN_GRANT: &str = "urn:globus:auth:grant_type:dependent_token";

fn checked_client_id(client_id: String) -> Result<String, Error> {
    if client_id.is_empty() {
        return Err(Error::InvalidClientId { client_id });
    }
    Ok(client_id)
}

/// What the native and confidential clients share: the client id, how the client
/// authenticates, and where Auth lives.
#[derive(Clone, Debug)]
pub(crate) struct LoginClient {
    pub(crate) client_id: String,
    client_secret: Option<ClientSecret>,
    pub(crate) base_url: String,
}

impl LoginClient {
    fn authorization(&self) -> Result<Option<HeaderValue>, Error> {
        self.client_secret
            .as_ref()
            .map(|secret| basic_authorization(&self.client_id, secret))
            .transpose()
    }

    pub(crate) fn post(&self, path: &str, query: &Params, form: &Params) -> Result<http::Request<Bytes>, Error> {
        form_post(&self.base_url, path, query, form, self.authorization()?)
    }

    fn token_request(&self, mut form: Params, body_params: &Params) -> Result<http::Request<Bytes>, Error> {
        form.merge(body_params);
        self.post(TOKEN_PATH, &Params::new(), &form)
    }

    fn refresh_form(&self, refresh_token: &RefreshToken) -> Params {
        let form = Params::new()
            .with("refresh_token", refresh_token.expose_secret())
            .with("grant_type", "refresh_token");
        match self.client_secret {
            None => form.with("client_id", &self.client_id),
            Some(_) => form,
        }
    }

    fn revoke_request(&self, token: &TokenValue, body_params: &Params) -> Result<http::Request<Bytes>, Error> {
        let mut form = Params::new().with("token", token.expose_secret());
        if self.client_secret.is_none() {
            form.set("client_id", &self.client_id);
        }
        form.merge(body_params);
        self.post(REVOKE_PATH, &Params::new(), &form)
    }
}

/// The methods both login clients share (Python's `AuthLoginClient`).
macro_rules! shared_login_methods {
    ($client:ty) => {
        impl $client {
            /// The client id.
            pub fn client_id(&self) -> &str {
                &self.inner.client_id
            }

            /// Auth's base URL.
            pub fn base_url(&self) -> &str {
                &self.inner.base_url
            }

            pub(crate) fn login_client(&self) -> &LoginClient {
                &self.inner
            }

            /// `POST /v2/oauth2/token` with `refresh_token`, `grant_type` (and `client_id`
            /// for a native client), then `body_params` (Python's `oauth2_refresh_token`).
            pub fn refresh_token_request(
                &self,
                refresh_token: &RefreshToken,
                body_params: &Params,
            ) -> Result<http::Request<Bytes>, Error> {
                self.inner
                    .token_request(self.inner.refresh_form(refresh_token), body_params)
            }

            /// `POST /v2/oauth2/token/revoke` with `token` (and `client_id` for a native
            /// client), then `body_params` (Python's `oauth2_revoke_token`).
            pub fn revoke_token_request(
                &self,
                token: &TokenValue,
                body_params: &Params,
            ) -> Result<http::Request<Bytes>, Error> {
                self.inner.revoke_request(token, body_params)
            }

            /// Any grant: `POST /v2/oauth2/token` with `form` then `body_params` (Python's
            /// `oauth2_token`).
            pub fn token_request(&self, form: Params, body_params: &Params) -> Result<http::Request<Bytes>, Error> {
                self.inner.token_request(form, body_params)
            }
        }
    };
}

shared_login_methods!(NativeAppClient);
shared_login_methods!(ConfidentialAppClient);

/// A native (public) app client: no secret, PKCE logins, `client_id` in token bodies.
///
/// ```
/// use globus_auth_core::{NativeAppClient, Params, RefreshToken};
/// let client = NativeAppClient::new("61338d24-54d5-408f-a10d-66c06b59f6d2", "https://auth.globus.org/")?;
/// let request = client.refresh_token_request(&RefreshToken::new("RT"), &Params::new())?;
/// assert_eq!(request.uri(), "https://auth.globus.org/v2/oauth2/token");
/// assert_eq!(
///     request.body().as_ref(),
///     b"refresh_token=RT&grant_type=refresh_token&client_id=61338d24-54d5-408f-a10d-66c06b59f6d2"
/// );
/// assert!(request.headers().get("authorization").is_none());
/// # Ok::<(), globus_auth_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct NativeAppClient {
    inner: LoginClient,
}

impl NativeAppClient {
    /// A native client with id `client_id`, talking to Auth at `auth_base_url` (e.g.
    /// [`ServiceUrls::url("auth")`](crate::ServiceUrls::url)). An empty id is an error.
    pub fn new(client_id: impl Into<String>, auth_base_url: impl Into<String>) -> Result<Self, Error> {
        Ok(Self {
            inner: LoginClient {
                client_id: checked_client_id(client_id.into())?,
                client_secret: None,
                base_url: auth_base_url.into(),
            },
        })
    }
}

/// A confidential app client: authenticates every request with HTTP Basic
/// (`client_id:client_secret`), and never sends `client_id` in a body.
///
/// ```
/// use globus_auth_core::{ClientSecret, ConfidentialAppClient};
/// let client = ConfidentialAppClient::new("cid", ClientSecret::new("secret"), "https://auth.globus.org/")?;
/// let request = client.client_credentials_request("urn:globus:auth:scope:transfer.api.globus.org:all")?;
/// assert_eq!(
///     request.body().as_ref(),
///     b"grant_type=client_credentials&scope=urn%3Aglobus%3Aauth%3Ascope%3Atransfer.api.globus.org%3Aall"
/// );
/// assert_eq!(request.headers()["authorization"], "Basic Y2lkOnNlY3JldA==");
/// assert!(!format!("{client:?}").contains("secret\""));
/// # Ok::<(), globus_auth_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ConfidentialAppClient {
    inner: LoginClient,
}

/// Options of the dependent-token grant (Python's `oauth2_get_dependent_tokens`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DependentTokenOptions {
    /// Ask for refresh tokens too (`access_type=offline`).
    pub refresh_tokens: bool,
    /// The scopes wanted, space-separated (sent verbatim, not parsed).
    pub scope: Option<String>,
    /// More form parameters, applied last (they may replace the ones above).
    pub additional_params: Params,
}

impl ConfidentialAppClient {
    /// A confidential client. An empty id is an error.
    pub fn new(
        client_id: impl Into<String>,
        client_secret: ClientSecret,
        auth_base_url: impl Into<String>,
    ) -> Result<Self, Error> {
        Ok(Self {
            inner: LoginClient {
                client_id: checked_client_id(client_id.into())?,
                client_secret: Some(client_secret),
                base_url: auth_base_url.into(),
            },
        })
    }

    /// The client-credentials grant for `requested_scopes` (space-separated; see
    /// [`scopes::serialize`](crate::scopes::serialize)). Empty scopes are an error.
    pub fn client_credentials_request(&self, requested_scopes: &str) -> Result<http::Request<Bytes>, Error> {
        if requested_scopes.is_empty() {
            return Err(Error::EmptyScopes);
        }
        let form = Params::new()
            .with("grant_type", "client_credentials")
            .with("scope", requested_scopes);
        self.inner.token_request(form, &Params::new())
    }

    /// The dependent-token grant: tokens for this client's dependent scopes, on behalf
    /// of the user whose `token` a service received.
    pub fn dependent_token_request(
        &self,
        token: &TokenValue,
        options: &DependentTokenOptions,
    ) -> Result<http::Request<Bytes>, Error> {
        let mut form = Params::new()
            .with("grant_type", DEPENDENT_TOKEN_GRANT)
            .with("token", token.expose_secret());
        if options.refresh_tokens {
            form.set("access_type", "offline");
        }
        if let Some(scope) = &options.scope {
            form.set("scope", scope);
        }
        self.inner.token_request(form, &options.additional_params)
    }

    /// `POST /v2/oauth2/token/introspect` with `token` and `include` (e.g.
    /// `identity_set`) in the body and `query_params` on the URL.
    pub fn introspect_request(
        &self,
        token: &TokenValue,
        include: Option<&str>,
        query_params: &Params,
    ) -> Result<http::Request<Bytes>, Error> {
        let mut form = Params::new().with("token", token.expose_secret());
        if let Some(include) = include {
            form.set("include", include);
        }
        self.inner.post(INTROSPECT_PATH, query_params, &form)
    }
}
