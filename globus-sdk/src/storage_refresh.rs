//! The link "a refresh happened → store the new tokens", between
//! `globus-authorizers` and `globus-tokenstorage`, which do not know each other.

use std::fmt;
use std::sync::Arc;

use globus_auth_core::TokenResponse;
use globus_authorizers::OnRefresh;
use globus_tokenstorage::TokenStorage;
use globus_transport::BoxError;

/// An [`OnRefresh`] callback that writes every new token response into a
/// [`TokenStorage`] (Python's `on_refresh=token_storage.store_token_response`). It
/// merges: a refresh answer without a refresh token or an id token keeps the stored
/// refresh token and `identity_id` (DESIGN.md §6). With the `rt` feature, the file or
/// SQLite I/O runs on tokio's blocking pool, off the async workers.
///
/// ```no_run
/// use std::sync::Arc;
/// use globus_sdk::StorageOnRefresh;
/// use globus_sdk::tokenstorage::JsonTokenStorage;
///
/// let storage = Arc::new(JsonTokenStorage::open("/home/me/.list-my-globus-groups-tokens.json")?);
/// let on_refresh = Arc::new(StorageOnRefresh::new(storage));
/// // RefreshTokenAuthorizer::refresh_token(client, refresh_token, driver).on_refresh(on_refresh)
/// # Ok::<(), globus_sdk::tokenstorage::Error>(())
/// ```
pub struct StorageOnRefresh<S> {
    storage: Arc<S>,
}

impl<S> StorageOnRefresh<S> {
    /// Stores into `storage`.
    pub fn new(storage: Arc<S>) -> Self {
        Self { storage }
    }
}

impl<S: fmt::Debug> fmt::Debug for StorageOnRefresh<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StorageOnRefresh")
            .field("storage", &self.storage)
            .finish()
    }
}

#[async_trait::async_trait]
impl<S: TokenStorage + 'static> OnRefresh for StorageOnRefresh<S> {
    async fn on_refresh(&self, response: &TokenResponse) -> Result<(), BoxError> {
        #[cfg(feature = "rt")]
        if tokio::runtime::Handle::try_current().is_ok() {
            let (storage, response) = (self.storage.clone(), response.clone());
            return tokio::task::spawn_blocking(move || storage.store_refreshed_token_response(&response))
                .await?
                .map_err(Into::into);
        }
        self.storage
            .store_refreshed_token_response(response)
            .map_err(Into::into)
    }
}
