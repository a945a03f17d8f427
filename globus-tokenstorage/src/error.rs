//! The crate's one error type.

use std::io;
use std::path::PathBuf;

use crate::validating::ValidationError;

/// A boxed error from a storage backend (SQLite), kept opaque so that the backend's
/// types never appear in this crate's API.
pub type BackendError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong while storing or loading tokens.
///
/// Every variant about a file names its path. No message ever contains a token: values
/// read from a file are described by their field name and JSON type, never printed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An operating-system error while reading or writing a file or directory.
    #[error("could not {operation} '{path}'")]
    Io {
        /// What was being done (`"read"`, `"create directory"`, `"lock"`, ...).
        operation: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// A token file that is not JSON. The file is left as it is.
    #[error("the token file '{path}' is not valid JSON (line {line}, column {column})")]
    NotJson {
        /// The file.
        path: PathBuf,
        /// Where parsing stopped: the line (1-based).
        line: usize,
        /// Where parsing stopped: the column (1-based).
        column: usize,
    },
    /// A token file whose `format_version` this SDK cannot read (it reads `"1.0"` and
    /// `"2.0"`, as Python's `JSONTokenStorage` does). The file is left as it is.
    #[error("the token file '{path}' is in an unknown format (format_version={found})")]
    UnsupportedFormatVersion {
        /// The file.
        path: PathBuf,
        /// The `format_version` found: its text when it is a string, else its JSON type.
        found: String,
    },
    /// A token file whose layout is not the one its `format_version` promises (Python's
    /// `ValueError`s: non-object root, missing keys, wrong types). The file is left as it is.
    #[error("invalid token file '{path}': {reason}")]
    InvalidDocument {
        /// The file (or database).
        path: PathBuf,
        /// What is wrong.
        reason: &'static str,
    },
    /// A namespace entry of a token file that is not a JSON object.
    #[error("invalid token file '{path}': namespace \"{namespace}\" is not a JSON object")]
    InvalidNamespace {
        /// The file.
        path: PathBuf,
        /// The namespace.
        namespace: String,
    },
    /// A stored token record with a missing field or a field of the wrong type.
    #[error(
        "invalid token data for \"{resource_server}\" in namespace \"{namespace}\" of '{path}': \
         field \"{field}\" must be {expected}"
    )]
    InvalidRecord {
        /// The file or database.
        path: PathBuf,
        /// The namespace.
        namespace: String,
        /// The resource server the record is stored under.
        resource_server: String,
        /// The field at fault (`"(record)"` when the record itself is not an object).
        field: &'static str,
        /// What the field must be.
        expected: &'static str,
    },
    /// A SQLite database whose `globus-sdk.database_schema_version` is not one this SDK
    /// knows (Python writes `"1"` and `"2"`). The database is left as it is.
    #[error("the token database '{path}' has an unknown schema version ({found})")]
    UnsupportedSchemaVersion {
        /// The database.
        path: PathBuf,
        /// The schema version found.
        found: String,
    },
    /// A path that cannot hold a token file, such as SQLite's `":memory:"` (Python's
    /// `GlobusSDKUsageError`; use [`MemoryTokenStorage`](crate::MemoryTokenStorage)).
    #[error("'{path}' cannot be used as a token file: {reason}")]
    InvalidPath {
        /// The rejected path.
        path: PathBuf,
        /// Why.
        reason: &'static str,
    },
    /// A SQLite error; the source is the backend's error, boxed.
    #[error("SQLite error on '{path}'")]
    Sqlite {
        /// The database.
        path: PathBuf,
        /// The backend's error.
        #[source]
        source: BackendError,
    },
    /// A token response's id token could not be read (its `sub` claim is the identity).
    #[error("could not read the identity from the id token")]
    InvalidIdToken(#[source] globus_auth_core::Error),
    /// An app name that cannot be used in a file path (Python's `GlobusSDKUsageError`).
    #[error("{reason} (app name \"{app_name}\")")]
    InvalidAppName {
        /// The app name after slugging.
        app_name: String,
        /// Why, in Python's words.
        reason: &'static str,
    },
    /// No home directory (or Windows app-data directory) to put the default token file in.
    #[error("cannot find the home directory: {variables} not set")]
    HomeDirectoryUnknown {
        /// The environment variables that were looked up.
        variables: &'static str,
    },
    /// Stored token data with several identities where one was expected (Python's
    /// `ValueError` from `ValidatingTokenStorage`).
    #[error("the stored token data has different identity_id values: {identity_ids:?}")]
    InconsistentIdentities {
        /// The identity ids found.
        identity_ids: Vec<String>,
    },
    /// A validator rejected token data.
    #[error(transparent)]
    Validation(#[from] ValidationError),
}

impl Error {
    /// The file or database the error is about, when there is one.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            Self::Io { path, .. }
            | Self::NotJson { path, .. }
            | Self::UnsupportedFormatVersion { path, .. }
            | Self::InvalidDocument { path, .. }
            | Self::InvalidNamespace { path, .. }
            | Self::InvalidRecord { path, .. }
            | Self::UnsupportedSchemaVersion { path, .. }
            | Self::InvalidPath { path, .. }
            | Self::Sqlite { path, .. } => Some(path),
            _ => None,
        }
    }

    /// Whether the stored data is unreadable (corrupt, unknown format or schema). Such a
    /// file is never overwritten: a person has to look at it.
    pub fn is_corrupt(&self) -> bool {
        matches!(
            self,
            Self::NotJson { .. }
                | Self::UnsupportedFormatVersion { .. }
                | Self::InvalidDocument { .. }
                | Self::InvalidNamespace { .. }
                | Self::InvalidRecord { .. }
                | Self::UnsupportedSchemaVersion { .. }
        )
    }

    /// The validation error, when a validator rejected the data.
    pub fn validation(&self) -> Option<&ValidationError> {
        match self {
            Self::Validation(error) => Some(error),
            _ => None,
        }
    }

    pub(crate) fn io(operation: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        Self::Io {
            operation,
            path: path.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn errors_can_cross_threads() {
        assert_send_sync::<Error>();
        assert_send_sync::<ValidationError>();
    }

    #[test]
    fn messages_name_the_path() {
        let error = Error::NotJson {
            path: PathBuf::from("/home/ada/tokens.json"),
            line: 1,
            column: 2,
        };
        assert_eq!(
            error.to_string(),
            "the token file '/home/ada/tokens.json' is not valid JSON (line 1, column 2)"
        );
        assert!(error.is_corrupt());
        let error = Error::io("read", "/x", io::Error::from(io::ErrorKind::PermissionDenied));
        assert_eq!(error.to_string(), "could not read '/x'");
        assert!(std::error::Error::source(&error).is_some());
        assert!(!error.is_corrupt());
    }
}
