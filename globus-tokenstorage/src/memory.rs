//! [`MemoryTokenStorage`]: tokens held in memory (Python's `MemoryTokenStorage`).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::storage::DEFAULT_NAMESPACE;
use crate::{Error, StoredToken, TokenStorage};

type Namespaces = BTreeMap<String, BTreeMap<String, StoredToken>>;

/// A token storage in memory; everything is lost when the process exits.
///
/// [`for_namespace`](Self::for_namespace) gives a handle on the same data under another
/// namespace; a plain [`Clone`] is another handle on the same data and namespace.
///
/// ```
/// use globus_tokenstorage::{MemoryTokenStorage, StoredToken, TokenStorage};
/// let default = MemoryTokenStorage::new();
/// let other = default.for_namespace("user-b");
/// other.store_token_data(&StoredToken::new("rs", "s", "AT", 0))?;
/// assert!(default.get_token_data("rs")?.is_none());
/// assert!(default.for_namespace("user-b").get_token_data("rs")?.is_some());
/// # Ok::<(), globus_tokenstorage::Error>(())
/// ```
#[derive(Clone)]
pub struct MemoryTokenStorage {
    namespace: String,
    data: Arc<Mutex<Namespaces>>,
}

impl MemoryTokenStorage {
    /// An empty storage using the namespace `"DEFAULT"`.
    pub fn new() -> Self {
        Self::with_namespace(DEFAULT_NAMESPACE)
    }

    /// An empty storage using `namespace`.
    pub fn with_namespace(namespace: impl Into<String>) -> Self {
        Self {
            namespace: namespace.into(),
            data: Arc::default(),
        }
    }

    /// A handle on the same data that uses `namespace`.
    pub fn for_namespace(&self, namespace: impl Into<String>) -> Self {
        Self {
            namespace: namespace.into(),
            data: Arc::clone(&self.data),
        }
    }

    fn data(&self) -> MutexGuard<'_, Namespaces> {
        // The map is never left half-updated, so a panic elsewhere does not spoil it.
        self.data.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for MemoryTokenStorage {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for MemoryTokenStorage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryTokenStorage")
            .field("namespace", &self.namespace)
            .finish_non_exhaustive()
    }
}

impl TokenStorage for MemoryTokenStorage {
    fn namespace(&self) -> &str {
        &self.namespace
    }

    fn store_token_data_by_resource_server(&self, tokens: &[StoredToken]) -> Result<(), Error> {
        let mut data = self.data();
        let namespace = data.entry(self.namespace.clone()).or_default();
        for token in tokens {
            namespace.insert(token.resource_server.clone(), token.clone());
        }
        Ok(())
    }

    fn merge_token_data_by_resource_server(&self, tokens: &[StoredToken]) -> Result<(), Error> {
        let mut data = self.data();
        let namespace = data.entry(self.namespace.clone()).or_default();
        for token in crate::storage::merged(tokens, |rs| namespace.get(rs).cloned()) {
            namespace.insert(token.resource_server.clone(), token);
        }
        Ok(())
    }

    fn get_token_data_by_resource_server(&self) -> Result<BTreeMap<String, StoredToken>, Error> {
        Ok(self.data().get(&self.namespace).cloned().unwrap_or_default())
    }

    fn get_token_data(&self, resource_server: &str) -> Result<Option<StoredToken>, Error> {
        Ok(self
            .data()
            .get(&self.namespace)
            .and_then(|namespace| namespace.get(resource_server))
            .cloned())
    }

    fn remove_token_data(&self, resource_server: &str) -> Result<bool, Error> {
        Ok(self
            .data()
            .get_mut(&self.namespace)
            .and_then(|namespace| namespace.remove(resource_server))
            .is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_record_of_a_resource_server_wins() {
        let storage = MemoryTokenStorage::new();
        storage
            .store_token_data_by_resource_server(&[
                StoredToken::new("rs", "s", "AT1", 1),
                StoredToken::new("rs", "s", "AT2", 2),
            ])
            .unwrap();
        let all = storage.get_token_data_by_resource_server().unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all["rs"].access_token.expose_secret(), "AT2");
    }

    #[test]
    fn debug_hides_tokens() {
        let storage = MemoryTokenStorage::new();
        storage
            .store_token_data(&StoredToken::new("rs", "s", "AT-SECRET", 1))
            .unwrap();
        assert!(!format!("{storage:?}").contains("AT-SECRET"));
    }
}
