//! [`ValidatingTokenStorage`]: Python's `ValidatingTokenStorage`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::{Mutex, PoisonError};

use globus_auth_core::TokenResponse;

use super::{TokenDataValidator, ValidationContext, ValidationError};
use crate::storage::{identity_from_response, tokens_from_response};
use crate::{Error, StoredToken, TokenStorage};

/// A storage that runs [validators](TokenDataValidator) before storing and after reading,
/// and tracks the identity the tokens belong to (Python's `ValidatingTokenStorage`).
///
/// - At construction it reads the stored data to learn the identity; data stored for
///   several identities is an error ([`Error::InconsistentIdentities`]).
/// - Each operation builds a [`ValidationContext`] from the identity known before it and
///   the identity of the data; when no identity was known, the new one is adopted.
/// - [`get_token_data`](TokenStorage::get_token_data) fails with
///   [`ValidationError::MissingTokenData`] instead of returning `None`.
/// - [`store_refreshed_token_response`](TokenStorage::store_refreshed_token_response)
///   tags the tokens with the known identity (refresh responses have no id token) and
///   keeps the stored refresh tokens.
///
/// ```
/// use globus_tokenstorage::{
///     MemoryTokenStorage, NotExpiredValidator, StoredToken, TokenStorage, UnchangingIdentityIdValidator,
///     ValidatingTokenStorage,
/// };
/// let storage = ValidatingTokenStorage::new(MemoryTokenStorage::new())?
///     .with_validator(NotExpiredValidator::new())
///     .with_validator(UnchangingIdentityIdValidator);
/// let token = StoredToken::new("rs", "s", "AT", i64::MAX).with_identity_id("user-1");
/// storage.store_token_data(&token)?;
/// assert_eq!(storage.identity_id().as_deref(), Some("user-1"));
/// // another identity is refused
/// let other = StoredToken::new("rs", "s", "AT", i64::MAX).with_identity_id("user-2");
/// assert!(storage.store_token_data(&other).is_err());
/// // a missing token is an error, not `None`
/// assert!(storage.get_token_data("elsewhere").unwrap_err().validation().unwrap().is_missing_token());
/// # Ok::<(), globus_tokenstorage::Error>(())
/// ```
pub struct ValidatingTokenStorage<S> {
    inner: S,
    validators: Vec<Box<dyn TokenDataValidator>>,
    identity_id: Mutex<Option<String>>,
}

impl<S: TokenStorage> ValidatingTokenStorage<S> {
    /// Wraps `inner`, with no validators yet; reads the stored identity.
    pub fn new(inner: S) -> Result<Self, Error> {
        let identity_id = identity_of(inner.get_token_data_by_resource_server()?.values())?;
        Ok(Self {
            inner,
            validators: Vec::new(),
            identity_id: Mutex::new(identity_id),
        })
    }

    /// Adds a validator after the others.
    #[must_use]
    pub fn with_validator(mut self, validator: impl TokenDataValidator + 'static) -> Self {
        self.validators.push(Box::new(validator));
        self
    }

    /// The validators, in the order they run (a GlobusApp inserts some first).
    pub fn validators_mut(&mut self) -> &mut Vec<Box<dyn TokenDataValidator>> {
        &mut self.validators
    }

    /// The identity the stored tokens belong to, when known.
    pub fn identity_id(&self) -> Option<String> {
        self.identity_id.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The wrapped storage.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// Unwraps the storage.
    pub fn into_inner(self) -> S {
        self.inner
    }

    /// Python's `_make_context`: records the prior identity, then adopts the data's
    /// identity if none was known.
    fn context<'a>(&self, tokens: impl IntoIterator<Item = &'a StoredToken>) -> Result<ValidationContext, Error> {
        let token_data_identity_id = identity_of(tokens)?;
        let mut known = self.identity_id.lock().unwrap_or_else(PoisonError::into_inner);
        let context = ValidationContext::new(known.clone(), token_data_identity_id.clone());
        if known.is_none() {
            *known = token_data_identity_id;
        }
        Ok(context)
    }

    fn after_retrieve(&self, tokens: &[StoredToken]) -> Result<(), Error> {
        let context = self.context(tokens)?;
        for validator in &self.validators {
            validator.after_retrieve(tokens, &context)?;
        }
        Ok(())
    }
}

/// The one identity of some token data (Python's `_identity_id_from_token_data`).
fn identity_of<'a>(tokens: impl IntoIterator<Item = &'a StoredToken>) -> Result<Option<String>, Error> {
    let ids: BTreeSet<&String> = tokens
        .into_iter()
        .filter_map(|token| token.identity_id.as_ref())
        .collect();
    let mut iter = ids.iter();
    match (iter.next(), iter.next()) {
        (None, _) => Ok(None),
        (Some(id), None) => Ok(Some((*id).clone())),
        _ => Err(Error::InconsistentIdentities {
            identity_ids: ids.into_iter().cloned().collect(),
        }),
    }
}

impl<S: TokenStorage> TokenStorage for ValidatingTokenStorage<S> {
    fn namespace(&self) -> &str {
        self.inner.namespace()
    }

    fn store_token_data_by_resource_server(&self, tokens: &[StoredToken]) -> Result<(), Error> {
        let context = self.context(tokens)?;
        for validator in &self.validators {
            validator.before_store(tokens, &context)?;
        }
        self.inner.store_token_data_by_resource_server(tokens)
    }

    fn get_token_data_by_resource_server(&self) -> Result<BTreeMap<String, StoredToken>, Error> {
        let tokens = self.inner.get_token_data_by_resource_server()?;
        let list: Vec<StoredToken> = tokens.values().cloned().collect();
        self.after_retrieve(&list)?;
        Ok(tokens)
    }

    fn get_token_data(&self, resource_server: &str) -> Result<Option<StoredToken>, Error> {
        let Some(token) = self.inner.get_token_data(resource_server)? else {
            return Err(ValidationError::MissingTokenData {
                resource_server: resource_server.to_owned(),
            }
            .into());
        };
        self.after_retrieve(std::slice::from_ref(&token))?;
        Ok(Some(token))
    }

    fn remove_token_data(&self, resource_server: &str) -> Result<bool, Error> {
        self.inner.remove_token_data(resource_server)
    }

    fn store_refreshed_token_response(&self, response: &TokenResponse) -> Result<(), Error> {
        let identity_id = match self.identity_id() {
            Some(known) => Some(known),
            None => identity_from_response(response)?,
        };
        let tokens = tokens_from_response(response, identity_id.as_deref());
        self.merge_token_data_by_resource_server(&tokens)
    }

    fn merge_token_data_by_resource_server(&self, tokens: &[StoredToken]) -> Result<(), Error> {
        // Validate what will be stored: the records as filled in from the stored ones
        // (read without validators: they are expected to have expired)...
        let stored = self.inner.get_token_data_by_resource_server()?;
        let filled = crate::storage::merged(tokens, |rs| stored.get(rs).cloned());
        let context = self.context(&filled)?;
        for validator in &self.validators {
            validator.before_store(&filled, &context)?;
        }
        // ...then let the inner storage merge under its own lock or transaction.
        self.inner.merge_token_data_by_resource_server(tokens)
    }
}

impl<S: fmt::Debug> fmt::Debug for ValidatingTokenStorage<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValidatingTokenStorage")
            .field("inner", &self.inner)
            .field("validators", &self.validators)
            .field("identity_id", &self.identity_id)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::{Duration, UNIX_EPOCH};

    use serde_json::json;

    use super::*;
    use crate::{HasRefreshTokensValidator, MemoryTokenStorage, NotExpiredValidator, UnchangingIdentityIdValidator};

    // payload {"sub":"user-1"}
    const ID_TOKEN_USER_1: &str = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTEifQ.";

    fn token(rs: &str, identity: Option<&str>, expires: i64) -> StoredToken {
        let token = StoredToken::new(rs, "s", "AT", expires).with_refresh_token("RT");
        match identity {
            Some(identity) => token.with_identity_id(identity),
            None => token,
        }
    }

    #[test]
    fn construction_rejects_mixed_identities() {
        let memory = MemoryTokenStorage::new();
        memory
            .store_token_data_by_resource_server(&[token("a", Some("u1"), 1), token("b", Some("u2"), 1)])
            .unwrap();
        let error = ValidatingTokenStorage::new(memory).unwrap_err();
        assert!(matches!(error, Error::InconsistentIdentities { identity_ids } if identity_ids == ["u1", "u2"]));
    }

    #[test]
    fn identity_is_learned_from_storage_and_adopted() {
        let memory = MemoryTokenStorage::new();
        memory.store_token_data(&token("a", Some("u1"), 1)).unwrap();
        let storage = ValidatingTokenStorage::new(memory.clone()).unwrap();
        assert_eq!(storage.identity_id().as_deref(), Some("u1"));

        let fresh = ValidatingTokenStorage::new(MemoryTokenStorage::new()).unwrap();
        assert_eq!(fresh.identity_id(), None);
        fresh.store_token_data(&token("a", Some("u9"), 1)).unwrap();
        assert_eq!(fresh.identity_id().as_deref(), Some("u9"));
    }

    #[test]
    fn validators_run_in_both_directions() {
        let clock = Arc::new(|| UNIX_EPOCH + Duration::from_secs(1000));
        let storage = ValidatingTokenStorage::new(MemoryTokenStorage::new())
            .unwrap()
            .with_validator(NotExpiredValidator::with_clock(clock))
            .with_validator(UnchangingIdentityIdValidator);
        let error = storage.store_token_data(&token("a", None, 5000)).unwrap_err();
        assert!(matches!(error.validation(), Some(ValidationError::MissingIdentity)));
        storage.store_token_data(&token("a", Some("u1"), 5000)).unwrap();
        storage.store_token_data(&token("old", Some("u1"), 10)).unwrap();
        assert!(storage.get_token_data("a").unwrap().is_some());
        let error = storage.get_token_data("old").unwrap_err();
        assert!(matches!(error.validation(), Some(ValidationError::Expired { .. })));
        assert!(storage.get_token_data_by_resource_server().is_err());
        let error = storage.store_token_data(&token("b", Some("u2"), 5000)).unwrap_err();
        assert!(matches!(
            error.validation(),
            Some(ValidationError::IdentityMismatch { .. })
        ));
        assert!(storage.remove_token_data("old").unwrap());
        assert_eq!(storage.get_token_data_by_resource_server().unwrap().len(), 1);
    }

    #[test]
    fn refresh_keeps_identity_and_refresh_token() {
        let storage = ValidatingTokenStorage::new(MemoryTokenStorage::new())
            .unwrap()
            .with_validator(UnchangingIdentityIdValidator)
            .with_validator(HasRefreshTokensValidator);
        let login = TokenResponse::from_json(
            json!({"access_token": "AT1", "scope": "openid", "resource_server": "auth.globus.org",
                "refresh_token": "RT1", "id_token": ID_TOKEN_USER_1, "other_tokens": []}),
            UNIX_EPOCH,
        )
        .unwrap();
        storage.store_token_response(&login).unwrap();
        let refresh = TokenResponse::from_json(
            json!({"access_token": "AT2", "scope": "openid", "resource_server": "auth.globus.org",
                "other_tokens": []}),
            UNIX_EPOCH,
        )
        .unwrap();
        // Python's plain store_token_response of a response without id_token fails here.
        assert!(storage.store_token_response(&refresh).is_err());
        storage.store_refreshed_token_response(&refresh).unwrap();
        let token = storage.get_token_data("auth.globus.org").unwrap().unwrap();
        assert_eq!(token.access_token.expose_secret(), "AT2");
        assert_eq!(token.refresh_token.unwrap().expose_secret(), "RT1");
        assert_eq!(token.identity_id.as_deref(), Some("user-1"));
    }
}
