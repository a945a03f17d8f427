//! The [`TokenStorage`] trait: Python's `TokenStorage` interface, synchronous, with errors
//! returned.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use globus_auth_core::TokenResponse;

use crate::{Error, StoredToken};

/// The namespace Python uses when none is given, and the one a `GlobusApp` always uses.
pub const DEFAULT_NAMESPACE: &str = "DEFAULT";

/// A store of [`StoredToken`] records, partitioned by namespace and, within the
/// namespace given at construction, indexed by resource server (Python's `TokenStorage`).
///
/// Every method is synchronous and may do file or database I/O; async callers run them
/// on a blocking thread. Errors are returned, never swallowed.
///
/// ```
/// use globus_tokenstorage::{MemoryTokenStorage, StoredToken, TokenStorage};
/// let storage = MemoryTokenStorage::new();
/// storage.store_token_data(&StoredToken::new("groups.api.globus.org", "s", "AT", 1_767_232_800))?;
/// assert!(storage.get_token_data("groups.api.globus.org")?.is_some());
/// assert!(storage.remove_token_data("groups.api.globus.org")?);
/// assert!(!storage.remove_token_data("groups.api.globus.org")?);
/// # Ok::<(), globus_tokenstorage::Error>(())
/// ```
pub trait TokenStorage: Send + Sync + fmt::Debug {
    /// The namespace this storage reads and writes.
    fn namespace(&self) -> &str;

    /// Stores (inserts or replaces) each record under its `resource_server`, in this
    /// namespace. When a resource server appears twice, the last record wins.
    fn store_token_data_by_resource_server(&self, tokens: &[StoredToken]) -> Result<(), Error>;

    /// Every record of this namespace, by resource server.
    fn get_token_data_by_resource_server(&self) -> Result<BTreeMap<String, StoredToken>, Error>;

    /// The record of one resource server, or `None`.
    ///
    /// [`ValidatingTokenStorage`](crate::ValidatingTokenStorage) returns
    /// [`ValidationError::MissingTokenData`](crate::ValidationError::MissingTokenData)
    /// instead of `None`, as Python's does.
    fn get_token_data(&self, resource_server: &str) -> Result<Option<StoredToken>, Error> {
        Ok(self.get_token_data_by_resource_server()?.remove(resource_server))
    }

    /// Removes the record of one resource server; `true` if there was one.
    fn remove_token_data(&self, resource_server: &str) -> Result<bool, Error>;

    /// Stores one record.
    fn store_token_data(&self, token: &StoredToken) -> Result<(), Error> {
        self.store_token_data_by_resource_server(std::slice::from_ref(token))
    }

    /// Stores every resource server of a token response (Python's
    /// `store_token_response`). `identity_id` is the id token's `sub` claim, read without
    /// verifying the signature, or `None` when the response has no id token (a
    /// dependent-token or refresh response), exactly as Python does: a stored identity
    /// is then replaced by `None`. After a refresh, use
    /// [`store_refreshed_token_response`](Self::store_refreshed_token_response).
    fn store_token_response(&self, response: &TokenResponse) -> Result<(), Error> {
        let identity_id = identity_from_response(response)?;
        self.store_token_data_by_resource_server(&tokens_from_response(response, identity_id.as_deref()))
    }

    /// Stores each record, but a record without a refresh token or identity id keeps
    /// the stored ones (see [`StoredToken::keep_missing_from`]). The file and SQLite
    /// backends read and write under one lock or transaction, so a concurrent writer's
    /// refresh token is never lost between the read and the write; this default reads
    /// and then writes.
    fn merge_token_data_by_resource_server(&self, tokens: &[StoredToken]) -> Result<(), Error> {
        let stored = self.get_token_data_by_resource_server()?;
        self.store_token_data_by_resource_server(&merged(tokens, |rs| stored.get(rs).cloned()))
    }

    /// Stores the answer to a refresh: like
    /// [`store_token_response`](Self::store_token_response), but a resource server whose
    /// new record has no refresh token or identity id keeps the stored ones (DESIGN §6
    /// "Storing refreshed tokens"), through
    /// [`merge_token_data_by_resource_server`](Self::merge_token_data_by_resource_server).
    fn store_refreshed_token_response(&self, response: &TokenResponse) -> Result<(), Error> {
        let identity_id = identity_from_response(response)?;
        self.merge_token_data_by_resource_server(&tokens_from_response(response, identity_id.as_deref()))
    }
}

/// `tokens`, each filled in from the stored record `previous(resource_server)` returns.
pub(crate) fn merged(
    tokens: &[StoredToken],
    mut previous: impl FnMut(&str) -> Option<StoredToken>,
) -> Vec<StoredToken> {
    tokens
        .iter()
        .map(|token| {
            let mut token = token.clone();
            if let Some(previous) = previous(&token.resource_server) {
                token.keep_missing_from(&previous);
            }
            token
        })
        .collect()
}

/// The identity of a token response: its id token's `sub` claim, **not verified**, or
/// `None` when it has no id token.
pub fn identity_from_response(response: &TokenResponse) -> Result<Option<String>, Error> {
    response
        .id_token()
        .map(|id_token| id_token.unverified_subject().map_err(Error::InvalidIdToken))
        .transpose()
}

/// One record per resource server of a token response, in its order, each tagged with
/// `identity_id`.
pub fn tokens_from_response(response: &TokenResponse, identity_id: Option<&str>) -> Vec<StoredToken> {
    response
        .by_resource_server()
        .iter()
        .map(|data| StoredToken::from_token_data(data, identity_id))
        .collect()
}

macro_rules! forward_token_storage {
    ($($wrapper:ident),*) => {$(
        impl<T: TokenStorage + ?Sized> TokenStorage for $wrapper<T> {
            fn namespace(&self) -> &str {
                (**self).namespace()
            }
            fn store_token_data_by_resource_server(&self, tokens: &[StoredToken]) -> Result<(), Error> {
                (**self).store_token_data_by_resource_server(tokens)
            }
            fn get_token_data_by_resource_server(&self) -> Result<BTreeMap<String, StoredToken>, Error> {
                (**self).get_token_data_by_resource_server()
            }
            fn get_token_data(&self, resource_server: &str) -> Result<Option<StoredToken>, Error> {
                (**self).get_token_data(resource_server)
            }
            fn remove_token_data(&self, resource_server: &str) -> Result<bool, Error> {
                (**self).remove_token_data(resource_server)
            }
            fn store_token_data(&self, token: &StoredToken) -> Result<(), Error> {
                (**self).store_token_data(token)
            }
            fn store_token_response(&self, response: &TokenResponse) -> Result<(), Error> {
                (**self).store_token_response(response)
            }
            fn store_refreshed_token_response(&self, response: &TokenResponse) -> Result<(), Error> {
                (**self).store_refreshed_token_response(response)
            }
            fn merge_token_data_by_resource_server(&self, tokens: &[StoredToken]) -> Result<(), Error> {
                (**self).merge_token_data_by_resource_server(tokens)
            }
        }
    )*};
}

forward_token_storage!(Box, Arc);

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use serde_json::json;

    use super::*;
    use crate::MemoryTokenStorage;

    // header {"alg":"none"}, payload {"sub":"user-1"}
    const ID_TOKEN: &str = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTEifQ.";

    fn response(document: serde_json::Value) -> TokenResponse {
        TokenResponse::from_json(document, UNIX_EPOCH).unwrap()
    }

    #[test]
    fn store_token_response_takes_identity_from_the_id_token() {
        let storage = MemoryTokenStorage::new();
        storage
            .store_token_response(&response(json!({
                "access_token": "AT1", "scope": "openid", "resource_server": "auth.globus.org",
                "expires_in": 100, "refresh_token": "RT1", "token_type": "Bearer", "id_token": ID_TOKEN,
                "other_tokens": [{"access_token": "AT2", "scope": "t", "resource_server": "transfer.api.globus.org",
                    "expires_in": 200}]
            })))
            .unwrap();
        let all = storage.get_token_data_by_resource_server().unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all["auth.globus.org"].identity_id.as_deref(), Some("user-1"));
        assert_eq!(all["transfer.api.globus.org"].identity_id.as_deref(), Some("user-1"));
        assert_eq!(all["transfer.api.globus.org"].expires_at_seconds, 200);
        assert_eq!(all["transfer.api.globus.org"].refresh_token, None);
    }

    #[test]
    fn without_id_token_identity_is_none_like_python() {
        let storage = MemoryTokenStorage::new();
        storage
            .store_token_data(&StoredToken::new("rs", "s", "AT0", 1).with_identity_id("user-1"))
            .unwrap();
        storage
            .store_token_response(&response(json!({
                "access_token": "AT1", "scope": "s", "resource_server": "rs", "other_tokens": []
            })))
            .unwrap();
        assert_eq!(storage.get_token_data("rs").unwrap().unwrap().identity_id, None);
    }

    #[test]
    fn refreshed_response_keeps_refresh_token_and_identity() {
        let storage = MemoryTokenStorage::new();
        let stored = StoredToken::new("rs", "s", "AT0", 1)
            .with_identity_id("user-1")
            .with_refresh_token("RT0");
        storage.store_token_data(&stored).unwrap();
        storage
            .store_refreshed_token_response(&response(json!({
                "access_token": "AT1", "scope": "s", "resource_server": "rs", "expires_in": 50, "other_tokens": []
            })))
            .unwrap();
        let token = storage.get_token_data("rs").unwrap().unwrap();
        assert_eq!(token.access_token.expose_secret(), "AT1");
        assert_eq!(token.refresh_token.unwrap().expose_secret(), "RT0");
        assert_eq!(token.identity_id.as_deref(), Some("user-1"));
        assert_eq!(token.expires_at_seconds, 50);

        // a rotated refresh token replaces the stored one
        storage
            .store_refreshed_token_response(&response(json!({
                "access_token": "AT2", "scope": "s", "resource_server": "rs", "refresh_token": "RT2",
                "other_tokens": []
            })))
            .unwrap();
        let token = storage.get_token_data("rs").unwrap().unwrap();
        assert_eq!(token.refresh_token.unwrap().expose_secret(), "RT2");
    }

    #[test]
    fn a_malformed_id_token_is_an_error_and_stores_nothing() {
        let storage = MemoryTokenStorage::new();
        let error = storage
            .store_token_response(&response(json!({
                "access_token": "AT1", "scope": "s", "resource_server": "rs", "id_token": "SECRET.not-base64!.x",
                "other_tokens": []
            })))
            .unwrap_err();
        assert!(matches!(error, Error::InvalidIdToken(_)));
        assert!(!error.to_string().contains("SECRET"));
        assert!(storage.get_token_data_by_resource_server().unwrap().is_empty());
    }

    #[test]
    fn boxed_and_shared_storages_forward() {
        let storage: Arc<dyn TokenStorage> = Arc::new(MemoryTokenStorage::new());
        storage.store_token_data(&StoredToken::new("rs", "s", "AT", 1)).unwrap();
        let boxed: Box<dyn TokenStorage> = Box::new(storage.clone());
        assert_eq!(boxed.namespace(), DEFAULT_NAMESPACE);
        assert!(boxed.get_token_data("rs").unwrap().is_some());
    }
}
