//! Renewing authorizers: a bearer token that is renewed by a grant, single-flight.
//!
//! The rules (DESIGN.md §6): a token is renewed when less than the margin (60 s, as in
//! Python) remains or after a 401 on it. Only callers whose token has expired (or was
//! rejected) wait; callers inside the margin keep using the still-valid token while one
//! renewal runs. One renewal per token generation: it is a shared future held by the
//! authorizer, so a caller that is dropped does not cancel it, and its outcome, success
//! or error, reaches every waiter. After a failure, a cool-down passes before the next
//! attempt unless the token has expired; while the old token is valid it stays in use.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use futures_util::future::{BoxFuture, FutureExt as _, Shared};
use globus_auth_core::{AccessToken, TokenResponse};
use globus_transport::{Authorizer, AuthorizerError, BoxError, Clock, RetryDriver, SendOptions, SharedClock};
use http::HeaderValue;

use crate::RenewError;
use crate::error::to_authorizer_error;
use crate::grant::Grant;
use crate::simple::bearer;

/// Renew when less than this remains (Python's `EXPIRES_ADJUST_SECONDS`).
pub const DEFAULT_MARGIN: Duration = Duration::from_secs(60);
/// After a failed renewal, wait this long before trying again while the token is valid.
pub const DEFAULT_COOLDOWN: Duration = Duration::from_secs(5);

/// Called with every new token response, e.g. to store rotated refresh tokens. Its
/// error reaches the callers that waited for the renewal.
#[async_trait::async_trait]
pub trait OnRefresh: Send + Sync + fmt::Debug {
    /// `response` is the whole answer (`other_tokens` and `id_token` included).
    async fn on_refresh(&self, response: &TokenResponse) -> Result<(), BoxError>;
}

#[derive(Clone)]
struct Current {
    header: HeaderValue,
    expires_at: SystemTime,
}

type Flight = Shared<BoxFuture<'static, Result<Current, Arc<RenewError>>>>;

#[derive(Default)]
struct State {
    current: Option<Current>,
    flight: Option<Flight>,
    failed_at: Option<SystemTime>,
}

struct Inner<G> {
    grant: G,
    driver: RetryDriver,
    clock: SharedClock,
    on_refresh: Option<Arc<dyn OnRefresh>>,
    margin: Duration,
    cooldown: Duration,
    state: Mutex<State>,
}

impl<G: Grant> Inner<G> {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn renew(&self) -> Result<(Current, TokenResponse), RenewError> {
        let request = self.grant.request().map_err(RenewError::Auth)?;
        // A token grant is a POST and not idempotent (refresh tokens rotate): the driver
        // retries it only where the server cannot have acted on it.
        let response = self
            .driver
            .send(request, &SendOptions::default())
            .await
            .map_err(RenewError::Send)?;
        let tokens = TokenResponse::from_http(&response, self.clock.now()).map_err(RenewError::Auth)?;
        let data = self.grant.accept(&tokens)?;
        let header = bearer(&data.access_token).map_err(|_| RenewError::InvalidAccessToken)?;
        Ok((
            Current {
                header,
                expires_at: data.expires_at(),
            },
            tokens,
        ))
    }

    /// The renewal, run once however many callers await it.
    async fn fly(self: Arc<Self>) -> Result<Current, Arc<RenewError>> {
        let result = self.renew().await;
        let (current, response) = {
            let mut state = self.state();
            state.flight = None;
            match result {
                Ok((current, response)) => {
                    state.current = Some(current.clone());
                    state.failed_at = None;
                    (current, response)
                }
                Err(error) => {
                    state.failed_at = Some(self.clock.now());
                    tracing::warn!(error = %error, "token renewal failed");
                    return Err(Arc::new(error));
                }
            }
        };
        if let Some(callback) = &self.on_refresh {
            callback
                .on_refresh(&response)
                .await
                .map_err(|e| Arc::new(RenewError::OnRefresh(e)))?;
        }
        Ok(current)
    }
}

/// A bearer-token authorizer renewed by a [`Grant`]: see the module docs for the rules.
/// Cloning shares the token and the renewal.
pub struct RenewingAuthorizer<G> {
    inner: Arc<Inner<G>>,
}

impl<G> Clone for RenewingAuthorizer<G> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<G: fmt::Debug> fmt::Debug for RenewingAuthorizer<G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RenewingAuthorizer")
            .field("grant", &self.inner.grant)
            .field("margin", &self.inner.margin)
            .finish_non_exhaustive()
    }
}

/// Settings of a [`RenewingAuthorizer`].
pub struct RenewingAuthorizerBuilder<G> {
    grant: G,
    driver: RetryDriver,
    clock: Option<SharedClock>,
    on_refresh: Option<Arc<dyn OnRefresh>>,
    token: Option<(AccessToken, SystemTime)>,
    margin: Duration,
    cooldown: Duration,
}

impl<G: Grant> RenewingAuthorizerBuilder<G> {
    /// The clock that decides expiry (default: the driver's).
    #[must_use]
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Called with every new token response.
    #[must_use]
    pub fn on_refresh(mut self, callback: Arc<dyn OnRefresh>) -> Self {
        self.on_refresh = Some(callback);
        self
    }

    /// Starts with this access token (for example from storage) instead of fetching one
    /// on first use.
    #[must_use]
    pub fn access_token(mut self, token: AccessToken, expires_at: SystemTime) -> Self {
        self.token = Some((token, expires_at));
        self
    }

    /// Renew when less than `margin` remains (default 60 s).
    #[must_use]
    pub fn margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Wait `cooldown` after a failure before retrying while the token is valid
    /// (default 5 s).
    #[must_use]
    pub fn cooldown(mut self, cooldown: Duration) -> Self {
        self.cooldown = cooldown;
        self
    }

    /// Builds the authorizer. Nothing is fetched until the first request.
    pub fn build(self) -> RenewingAuthorizer<G> {
        let current = self
            .token
            .and_then(|(token, expires_at)| bearer(&token).ok().map(|header| Current { header, expires_at }));
        RenewingAuthorizer {
            inner: Arc::new(Inner {
                clock: self.clock.unwrap_or_else(|| self.driver.clock().clone()),
                grant: self.grant,
                driver: self.driver,
                on_refresh: self.on_refresh,
                margin: self.margin,
                cooldown: self.cooldown,
                state: Mutex::new(State {
                    current,
                    ..State::default()
                }),
            }),
        }
    }
}

impl<G: Grant> RenewingAuthorizer<G> {
    /// A builder for an authorizer renewed by `grant`, sending token requests through
    /// `driver`.
    pub fn builder(grant: G, driver: RetryDriver) -> RenewingAuthorizerBuilder<G> {
        RenewingAuthorizerBuilder {
            grant,
            driver,
            clock: None,
            on_refresh: None,
            token: None,
            margin: DEFAULT_MARGIN,
            cooldown: DEFAULT_COOLDOWN,
        }
    }

    /// The grant (for a refresh grant, the current refresh token).
    pub fn grant(&self) -> &G {
        &self.inner.grant
    }

    /// When the current access token expires, if there is one.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.inner.state().current.as_ref().map(|current| current.expires_at)
    }

    fn start_flight(&self, state: &mut State) -> Flight {
        let flight = self.inner.clone().fly().boxed().shared();
        state.flight = Some(flight.clone());
        flight
    }
}

#[async_trait::async_trait]
impl<G: Grant> Authorizer for RenewingAuthorizer<G> {
    async fn authorization(&self) -> Result<Option<HeaderValue>, AuthorizerError> {
        let now = self.inner.clock.now();
        let (flight, still_valid) = {
            let mut state = self.inner.state();
            match state.current.clone() {
                Some(current) if now + self.inner.margin < current.expires_at => return Ok(Some(current.header)),
                Some(current) if now < current.expires_at => {
                    let cooling = state.failed_at.is_some_and(|failed| now < failed + self.inner.cooldown);
                    if state.flight.is_some() || cooling {
                        return Ok(Some(current.header));
                    }
                    (self.start_flight(&mut state), Some(current.header))
                }
                _ => match state.flight.clone() {
                    Some(flight) => (flight, None),
                    None => (self.start_flight(&mut state), None),
                },
            }
        };
        match (flight.await, still_valid) {
            (Ok(current), _) => Ok(Some(current.header)),
            (Err(error), Some(old)) if !matches!(*error, RenewError::OnRefresh(_)) => {
                tracing::debug!("renewal failed; the current token is still valid and stays in use");
                Ok(Some(old))
            }
            (Err(error), _) => Err(to_authorizer_error(&error)),
        }
    }

    async fn on_unauthorized(&self, rejected: &HeaderValue) -> bool {
        let mut state = self.inner.state();
        if state.current.as_ref().is_some_and(|current| current.header == rejected) {
            state.current = None;
        }
        true
    }
}
