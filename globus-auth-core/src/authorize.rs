//! The authorization-code login: authorize URLs and code exchange, for native (PKCE) and
//! confidential clients, byte-identical to the Python flow managers.

use bytes::Bytes;

use crate::client::{LoginClient, TOKEN_PATH};
use crate::encoding::{Params, slash_join};
use crate::pkce::CHALLENGE_METHOD;
use crate::{AuthorizationCode, ConfidentialAppClient, Error, NativeAppClient, PkceVerifier};

/// The authorize endpoint path.
pub const AUTHORIZE_PATH: &str = "/v2/oauth2/authorize";
/// The page that shows a native app's user the code to copy (the default redirect).
pub const AUTH_CODE_PAGE_PATH: &str = "/v2/web/auth-code";
/// The `state` sent when the caller gives none.
pub const DEFAULT_STATE: &str = "_default";
/// The scopes the seed documents log in with when they name none (DESIGN.md §6):
/// `openid profile email` and Transfer.
pub const DEFAULT_REQUESTED_SCOPES: &str = "openid profile email urn:globus:auth:scope:transfer.api.globus.org:all";

/// How a native-app login starts (Python's `NativeAppAuthClient.oauth2_start_flow`).
///
/// ```
/// use globus_auth_core::{NativeAppClient, NativeFlowOptions, PkceVerifier};
/// let client = NativeAppClient::new("61338d24-54d5-408f-a10d-66c06b59f6d2", "https://auth.globus.org/")?;
/// let flow = client.start_flow(
///     NativeFlowOptions::new()
///         .requested_scopes("openid email")
///         .refresh_tokens(true)
///         .verifier(PkceVerifier::new("a".repeat(43))?),
/// )?;
/// let url = flow.authorize_url(&Default::default());
/// assert!(url.starts_with("https://auth.globus.org/v2/oauth2/authorize?client_id=61338d24"));
/// assert!(url.ends_with("&code_challenge_method=S256&access_type=offline"));
/// # Ok::<(), globus_auth_core::Error>(())
/// ```
#[derive(Debug)]
pub struct NativeFlowOptions {
    requested_scopes: String,
    redirect_uri: Option<String>,
    state: String,
    verifier: Option<PkceVerifier>,
    refresh_tokens: bool,
    prefill_named_grant: Option<String>,
}

impl Default for NativeFlowOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl NativeFlowOptions {
    /// The defaults: [`DEFAULT_REQUESTED_SCOPES`], Globus's code page as redirect,
    /// state `_default`, a verifier generated at start, no refresh tokens.
    pub fn new() -> Self {
        Self {
            requested_scopes: DEFAULT_REQUESTED_SCOPES.to_owned(),
            redirect_uri: None,
            state: DEFAULT_STATE.to_owned(),
            verifier: None,
            refresh_tokens: false,
            prefill_named_grant: None,
        }
    }

    /// The scopes to request, space-separated (see [`scopes::serialize`](crate::scopes::serialize)).
    #[must_use]
    pub fn requested_scopes(mut self, scopes: impl Into<String>) -> Self {
        self.requested_scopes = scopes.into();
        self
    }

    /// Where Auth sends the user back; empty means Globus's code page.
    #[must_use]
    pub fn redirect_uri(mut self, redirect_uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(redirect_uri.into());
        self
    }

    /// The `state` echoed back on the redirect.
    #[must_use]
    pub fn state(mut self, state: impl Into<String>) -> Self {
        self.state = state.into();
        self
    }

    /// The PKCE verifier to use (otherwise one is generated from the OS RNG).
    #[must_use]
    pub fn verifier(mut self, verifier: PkceVerifier) -> Self {
        self.verifier = Some(verifier);
        self
    }

    /// Ask for refresh tokens (`access_type=offline`).
    #[must_use]
    pub fn refresh_tokens(mut self, refresh_tokens: bool) -> Self {
        self.refresh_tokens = refresh_tokens;
        self
    }

    /// Prefill the name of the grant on the consent page.
    #[must_use]
    pub fn prefill_named_grant(mut self, name: impl Into<String>) -> Self {
        self.prefill_named_grant = Some(name.into());
        self
    }
}

/// How a confidential-client login starts (Python's
/// `ConfidentialAppAuthClient.oauth2_start_flow`).
#[derive(Clone, Debug)]
pub struct AuthorizationCodeFlowOptions {
    redirect_uri: String,
    requested_scopes: String,
    state: String,
    refresh_tokens: bool,
}

impl AuthorizationCodeFlowOptions {
    /// A login that redirects to `redirect_uri` (required for confidential clients),
    /// requesting `requested_scopes` (space-separated).
    pub fn new(redirect_uri: impl Into<String>, requested_scopes: impl Into<String>) -> Self {
        Self {
            redirect_uri: redirect_uri.into(),
            requested_scopes: requested_scopes.into(),
            state: DEFAULT_STATE.to_owned(),
            refresh_tokens: false,
        }
    }

    /// The `state` echoed back on the redirect.
    #[must_use]
    pub fn state(mut self, state: impl Into<String>) -> Self {
        self.state = state.into();
        self
    }

    /// Ask for refresh tokens (`access_type=offline`).
    #[must_use]
    pub fn refresh_tokens(mut self, refresh_tokens: bool) -> Self {
        self.refresh_tokens = refresh_tokens;
        self
    }
}

/// The extra authorize-URL parameters of Python's `oauth2_get_authorize_url`: session
/// requirements, a message, `prompt`, and free query parameters (which may replace any
/// parameter, keeping its position).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthorizeParams {
    /// Identities that must be in the session (sent comma-joined).
    pub session_required_identities: Option<Vec<String>>,
    /// Domains one of whose identities must be in the session (comma-joined).
    pub session_required_single_domain: Option<Vec<String>>,
    /// Policies the session must satisfy (comma-joined).
    pub session_required_policies: Option<Vec<String>>,
    /// Require multi-factor authentication (sent as Python's `True` / `False`).
    pub session_required_mfa: Option<bool>,
    /// A message shown to the user by Globus Auth.
    pub session_message: Option<String>,
    /// `login` to force a fresh login.
    pub prompt: Option<String>,
    /// More query parameters, applied last.
    pub query_params: Params,
}

impl AuthorizeParams {
    fn apply(&self, params: &mut Params) {
        let join = |list: &Option<Vec<String>>| list.as_ref().map(|items| items.join(","));
        params.set_opt("session_required_identities", join(&self.session_required_identities));
        params.set_opt(
            "session_required_single_domain",
            join(&self.session_required_single_domain),
        );
        params.set_opt("session_required_policies", join(&self.session_required_policies));
        let mfa = self
            .session_required_mfa
            .map(|mfa| if mfa { "True" } else { "False" }.to_owned());
        params.set_opt("session_required_mfa", mfa);
        params.set_opt("session_message", self.session_message.clone());
        params.set_opt("prompt", self.prompt.clone());
        params.merge(&self.query_params);
    }
}

fn authorize_url(base_url: &str, mut params: Params, extra: &AuthorizeParams) -> String {
    extra.apply(&mut params);
    format!("{}?{}", slash_join(base_url, AUTHORIZE_PATH), params.encode())
}

fn access_type(refresh_tokens: bool) -> &'static str {
    if refresh_tokens { "offline" } else { "online" }
}

/// A native-app login in progress: holds the PKCE verifier until the code comes back.
#[derive(Debug)]
pub struct NativeAppFlow {
    client: LoginClient,
    redirect_uri: String,
    requested_scopes: String,
    state: String,
    verifier: PkceVerifier,
    challenge: String,
    refresh_tokens: bool,
    prefill_named_grant: Option<String>,
}

impl NativeAppClient {
    /// Starts a PKCE login. Empty scopes are an error; without a verifier one is
    /// generated from the OS RNG (feature `os-rng`).
    pub fn start_flow(&self, options: NativeFlowOptions) -> Result<NativeAppFlow, Error> {
        if options.requested_scopes.is_empty() {
            return Err(Error::EmptyScopes);
        }
        let verifier = match options.verifier {
            Some(verifier) => verifier,
            None => generate_verifier()?,
        };
        let client = self.login_client().clone();
        let redirect_uri = match options.redirect_uri {
            Some(uri) if !uri.is_empty() => uri,
            _ => slash_join(&client.base_url, AUTH_CODE_PAGE_PATH),
        };
        Ok(NativeAppFlow {
            challenge: verifier.challenge(),
            client,
            redirect_uri,
            requested_scopes: options.requested_scopes,
            state: options.state,
            verifier,
            refresh_tokens: options.refresh_tokens,
            prefill_named_grant: options.prefill_named_grant,
        })
    }
}

#[cfg(feature = "os-rng")]
fn generate_verifier() -> Result<PkceVerifier, Error> {
    PkceVerifier::generate()
}

#[cfg(not(feature = "os-rng"))]
fn generate_verifier() -> Result<PkceVerifier, Error> {
    Err(Error::VerifierRequired)
}

impl NativeAppFlow {
    /// The URL to send the user to.
    pub fn authorize_url(&self, extra: &AuthorizeParams) -> String {
        let mut params = Params::new()
            .with("client_id", &self.client.client_id)
            .with("redirect_uri", &self.redirect_uri)
            .with("scope", &self.requested_scopes)
            .with("state", &self.state)
            .with("response_type", "code")
            .with("code_challenge", &self.challenge)
            .with("code_challenge_method", CHALLENGE_METHOD)
            .with("access_type", access_type(self.refresh_tokens));
        params.set_opt("prefill_named_grant", self.prefill_named_grant.clone());
        authorize_url(&self.client.base_url, params, extra)
    }

    /// The code exchange: `client_id`, `grant_type`, `code`, `code_verifier`,
    /// `redirect_uri`, without client authentication.
    pub fn exchange_code_request(&self, code: &AuthorizationCode) -> Result<http::Request<Bytes>, Error> {
        let form = Params::new()
            .with("client_id", &self.client.client_id)
            .with("grant_type", "authorization_code")
            .with("code", code.expose_secret())
            .with("code_verifier", self.verifier.expose_secret())
            .with("redirect_uri", &self.redirect_uri);
        self.client.post(TOKEN_PATH, &Params::new(), &form)
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client.client_id
    }

    /// The redirect URI.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The requested scopes, as sent.
    pub fn requested_scopes(&self) -> &str {
        &self.requested_scopes
    }

    /// The `state`.
    pub fn state(&self) -> &str {
        &self.state
    }

    /// Whether refresh tokens are requested.
    pub fn refresh_tokens(&self) -> bool {
        self.refresh_tokens
    }

    /// The PKCE verifier (a secret).
    pub fn verifier(&self) -> &PkceVerifier {
        &self.verifier
    }

    /// The S256 challenge sent in the authorize URL.
    pub fn challenge(&self) -> &str {
        &self.challenge
    }
}

/// A confidential-client login in progress.
#[derive(Clone, Debug)]
pub struct AuthorizationCodeFlow {
    client: LoginClient,
    options: AuthorizationCodeFlowOptions,
}

impl ConfidentialAppClient {
    /// Starts an authorization-code login. An empty redirect URI or empty scopes are
    /// errors.
    pub fn start_flow(&self, options: AuthorizationCodeFlowOptions) -> Result<AuthorizationCodeFlow, Error> {
        if options.redirect_uri.is_empty() {
            return Err(Error::EmptyParameter { name: "redirect_uri" });
        }
        if options.requested_scopes.is_empty() {
            return Err(Error::EmptyScopes);
        }
        Ok(AuthorizationCodeFlow {
            client: self.login_client().clone(),
            options,
        })
    }
}

impl AuthorizationCodeFlow {
    /// The URL to send the user to.
    pub fn authorize_url(&self, extra: &AuthorizeParams) -> String {
        let params = Params::new()
            .with("client_id", &self.client.client_id)
            .with("redirect_uri", &self.options.redirect_uri)
            .with("scope", &self.options.requested_scopes)
            .with("state", &self.options.state)
            .with("response_type", "code")
            .with("access_type", access_type(self.options.refresh_tokens));
        authorize_url(&self.client.base_url, params, extra)
    }

    /// The code exchange: `grant_type`, `code`, `redirect_uri`, with Basic auth.
    pub fn exchange_code_request(&self, code: &AuthorizationCode) -> Result<http::Request<Bytes>, Error> {
        let form = Params::new()
            .with("grant_type", "authorization_code")
            .with("code", code.expose_secret())
            .with("redirect_uri", &self.options.redirect_uri);
        self.client.post(TOKEN_PATH, &Params::new(), &form)
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client.client_id
    }

    /// The redirect URI.
    pub fn redirect_uri(&self) -> &str {
        &self.options.redirect_uri
    }

    /// The requested scopes, as sent.
    pub fn requested_scopes(&self) -> &str {
        &self.options.requested_scopes
    }

    /// The `state`.
    pub fn state(&self) -> &str {
        &self.options.state
    }

    /// Whether refresh tokens are requested.
    pub fn refresh_tokens(&self) -> bool {
        self.options.refresh_tokens
    }
}
