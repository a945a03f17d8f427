//! Token storage for the Globus SDK for Rust, compatible with the Python `globus-sdk`'s
//! files, so a user can switch between Python and Rust tools on one login.
//!
//! - [`StoredToken`]: one resource server's tokens (Python's `TokenStorageData`).
//! - [`TokenStorage`]: the synchronous, namespaced storage trait (Python's
//!   `TokenStorage`), with errors returned, never swallowed.
//! - [`MemoryTokenStorage`], [`JsonTokenStorage`] (format "2.0", reads "1.0") and
//!   [`SqliteTokenStorage`] (feature `sqlite`, on by default; Python's schema).
//! - [`ValidatingTokenStorage`] with Python's local validators.
//! - [`globus_app_token_path`]: where a GlobusApp keeps its tokens.
//!
//! File storages write atomically (temporary file, `fsync`, rename, directory `fsync`),
//! serialise writers across processes with a lock on a sibling `<file>.lock`, keep token
//! files owner-only (0600, directories they create 0700), and never overwrite a file they
//! cannot read.
//!
//! The seed script "Adding in Refresh Tokens & Token Storage", in Rust:
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use globus_auth_core::TokenResponse;
//! use globus_tokenstorage::{JsonTokenStorage, TokenStorage};
//!
//! # let home = tempfile::tempdir()?;
//! let storage = JsonTokenStorage::open(home.path().join(".list-my-globus-groups-tokens.json"))?;
//! if !storage.file_exists() {
//!     // ... a login flow gives a token response ...
//!     # let body = serde_json::json!({"access_token": "AT", "scope": "urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships",
//!     #     "resource_server": "groups.api.globus.org", "expires_in": 172800, "refresh_token": "RT", "other_tokens": []});
//!     # let token_response = TokenResponse::from_json(body, UNIX_EPOCH + Duration::from_secs(1_700_000_000))?;
//!     storage.store_token_response(&token_response)?;
//! }
//! let token_data = storage.get_token_data("groups.api.globus.org")?.expect("stored at login");
//! assert_eq!(token_data.expires_at_seconds, 1_700_172_800);
//! assert!(token_data.refresh_token.is_some());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod fs;
mod json;
mod memory;
mod paths;
#[cfg(feature = "sqlite")]
mod sqlite;
mod storage;
mod token;
mod validating;
mod warning;

pub use error::{BackendError, Error};
pub use json::{JsonTokenStorage, JsonTokenStorageBuilder, SDK_VERSION};
pub use memory::MemoryTokenStorage;
pub use paths::{Platform, TokenFileFormat, globus_app_token_path, globus_app_token_path_from_env, slugify_app_name};
#[cfg(feature = "sqlite")]
pub use sqlite::{DEFAULT_BUSY_TIMEOUT, SqliteTokenStorage, SqliteTokenStorageBuilder};
pub use storage::{DEFAULT_NAMESPACE, TokenStorage, identity_from_response, tokens_from_response};
pub use token::StoredToken;
pub use validating::{
    Clock, HasRefreshTokensValidator, NotExpiredValidator, TokenDataValidator, UnchangingIdentityIdValidator,
    ValidatingTokenStorage, ValidationContext, ValidationError,
};
pub use warning::StorageWarning;
