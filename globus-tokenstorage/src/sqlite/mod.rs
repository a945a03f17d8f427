//! [`SqliteTokenStorage`]: tokens in a SQLite database with the Python SDK's schema.

mod journal;
mod schema;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use serde_json::Value;

use crate::fs::{create_private_file, prepare_parent, tighten_file};
use crate::json::SDK_VERSION;
use crate::storage::DEFAULT_NAMESPACE;
use crate::warning::Warnings;
use crate::{Error, StorageWarning, StoredToken, TokenStorage};

/// The default time to wait for another process's lock on the database.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A token storage in a SQLite database, with Python's `SQLiteTokenStorage` schema: table
/// `token_storage(namespace, resource_server, token_data_json)` and table
/// `sdk_storage_adapter_internal` recording `globus-sdk.version` and
/// `globus-sdk.database_schema_version` = `"2"`. Databases of schema 1 (Python's legacy
/// `SQLiteAdapter`) are read and written too.
///
/// Unlike Python's, this storage:
/// - creates the schema inside `BEGIN IMMEDIATE` (so processes opening a new database at
///   once create it once), and does every write inside `BEGIN IMMEDIATE`;
/// - waits up to a busy timeout (default 10 s) for another process's lock instead of
///   failing at once;
/// - is usable from any thread (one connection behind a mutex);
/// - creates the file 0600 and missing directories 0700, without touching the umask,
///   and tightens an existing database file to 0600;
/// - refuses a database whose schema version it does not know.
///
/// The journal stays SQLite's rollback journal unless
/// [`wal`](SqliteTokenStorageBuilder::wal) is asked for: WAL is recorded in the file
/// (Python users of the same file would switch too) and does not work on network
/// filesystems.
///
/// ```
/// use globus_tokenstorage::{SqliteTokenStorage, StoredToken, TokenStorage};
/// # let dir = tempfile::tempdir()?;
/// let storage = SqliteTokenStorage::open(dir.path().join("tokens.db"))?;
/// storage.store_token_data(&StoredToken::new("auth.globus.org", "openid", "AT", 1_767_225_600))?;
/// assert_eq!(storage.get_token_data("auth.globus.org")?.unwrap().scope, "openid");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct SqliteTokenStorage {
    path: PathBuf,
    namespace: String,
    connection: Mutex<Connection>,
    warnings: Warnings,
}

/// Options for [`SqliteTokenStorage`]; see [`SqliteTokenStorage::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct SqliteTokenStorageBuilder {
    path: PathBuf,
    namespace: String,
    sdk_version: String,
    busy_timeout: Duration,
    wal: bool,
    own_directory: bool,
}

impl SqliteTokenStorageBuilder {
    /// The namespace to read and write (default `"DEFAULT"`).
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = namespace.into();
        self
    }

    /// What to record as `globus-sdk.version` when this creates the database (default
    /// [`SDK_VERSION`]).
    pub fn sdk_version(mut self, sdk_version: impl Into<String>) -> Self {
        self.sdk_version = sdk_version.into();
        self
    }

    /// How long to wait for another connection's lock (default
    /// [`DEFAULT_BUSY_TIMEOUT`]).
    pub fn busy_timeout(mut self, timeout: Duration) -> Self {
        self.busy_timeout = timeout;
        self
    }

    /// Switches the database to WAL journaling (default `false`: the journal mode is
    /// left as it is, rollback for a new database). WAL lets readers run during a
    /// write, but is persistent and needs shared memory, so it breaks on NFS.
    pub fn wal(mut self, wal: bool) -> Self {
        self.wal = wal;
        self
    }

    /// Whether the database's directory belongs to the SDK, so that an existing one is
    /// tightened to owner-only (default `false`; see
    /// [`JsonTokenStorageBuilder::own_directory`](crate::JsonTokenStorageBuilder::own_directory)).
    pub fn own_directory(mut self, own_directory: bool) -> Self {
        self.own_directory = own_directory;
        self
    }

    /// Opens (and if needed creates) the database.
    pub fn open(self) -> Result<SqliteTokenStorage, Error> {
        let path = self.path;
        if path.as_os_str().is_empty() || path.as_os_str() == ":memory:" {
            return Err(Error::InvalidPath {
                path,
                reason: "an in-memory database cannot hold tokens; use MemoryTokenStorage",
            });
        }
        let warnings = Warnings::default();
        prepare_parent(&path, self.own_directory, &warnings)?;
        // Create the file ourselves, 0600: SQLite would create it with the umask's mode.
        // Journal files get the database file's mode.
        create_private_file(&path).map_err(|error| Error::io("create", &path, error))?;
        tighten_file(&path, &warnings);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut connection = Connection::open_with_flags(&path, flags).map_err(|error| backend_error(&path, error))?;
        connection
            .busy_timeout(self.busy_timeout)
            .map_err(|error| backend_error(&path, error))?;
        schema::ensure(&mut connection, &path, &self.sdk_version)?;
        if self.wal {
            let mode =
                journal::switch_to_wal(&connection, self.busy_timeout).map_err(|error| backend_error(&path, error))?;
            if !mode.eq_ignore_ascii_case("wal") {
                warnings.push(StorageWarning::WalUnavailable {
                    path: path.clone(),
                    journal_mode: mode,
                });
            }
        }
        Ok(SqliteTokenStorage {
            path,
            namespace: self.namespace,
            connection: Mutex::new(connection),
            warnings,
        })
    }
}

impl SqliteTokenStorage {
    /// Opens (and if needed creates) the database at `path` with the namespace
    /// `"DEFAULT"` and the default options.
    pub fn open(path: impl Into<PathBuf>) -> Result<Self, Error> {
        Self::builder(path).open()
    }

    /// Options: namespace, busy timeout, WAL, `globus-sdk.version`, directory ownership.
    ///
    /// ```
    /// use std::time::Duration;
    /// use globus_tokenstorage::{SqliteTokenStorage, TokenStorage};
    /// # let dir = tempfile::tempdir()?;
    /// let storage = SqliteTokenStorage::builder(dir.path().join("tokens.db"))
    ///     .namespace("user-b")
    ///     .busy_timeout(Duration::from_secs(30))
    ///     .open()?;
    /// assert_eq!(storage.namespace(), "user-b");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(path: impl Into<PathBuf>) -> SqliteTokenStorageBuilder {
        SqliteTokenStorageBuilder {
            path: path.into(),
            namespace: DEFAULT_NAMESPACE.to_owned(),
            sdk_version: SDK_VERSION.to_owned(),
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
            wal: false,
            own_directory: false,
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the database file exists (Python's `file_exists`).
    pub fn file_exists(&self) -> bool {
        self.path.exists()
    }

    /// The namespaces that hold tokens (Python's `iter_namespaces`), sorted.
    pub fn namespaces(&self) -> Result<Vec<String>, Error> {
        let connection = self.connection();
        let mut statement = connection
            .prepare("SELECT DISTINCT namespace FROM token_storage ORDER BY namespace")
            .map_err(|error| backend_error(&self.path, error))?;
        let rows = statement
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(|error| backend_error(&self.path, error))?;
        rows.collect::<Result<_, _>>()
            .map_err(|error| backend_error(&self.path, error))
    }

    /// The warnings recorded so far (each is also logged once with `tracing`).
    pub fn warnings(&self) -> Vec<StorageWarning> {
        self.warnings.all()
    }

    /// Closes the connection, reporting an error that dropping would ignore.
    pub fn close(self) -> Result<(), Error> {
        let connection = self.connection.into_inner().unwrap_or_else(PoisonError::into_inner);
        connection
            .close()
            .map_err(|(_, error)| backend_error(&self.path, error))
    }

    fn connection(&self) -> MutexGuard<'_, Connection> {
        // A transaction interrupted by a panic is rolled back when it is dropped.
        self.connection.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Replaces the rows of `tokens` in one `BEGIN IMMEDIATE` transaction; with `merge`,
    /// each first takes what it lacks from the row it replaces.
    fn write(&self, tokens: &[StoredToken], merge: bool) -> Result<(), Error> {
        let error = |error| backend_error(&self.path, error);
        let mut connection = self.connection();
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(error)?;
        {
            let mut select = transaction
                .prepare_cached("SELECT token_data_json FROM token_storage WHERE namespace=? AND resource_server=?")
                .map_err(error)?;
            let mut replace = transaction
                .prepare_cached(
                    "REPLACE INTO token_storage(namespace, resource_server, token_data_json) VALUES(?, ?, ?)",
                )
                .map_err(error)?;
            for token in tokens {
                let mut token = token.clone();
                if merge {
                    let mut rows = select.query((&self.namespace, &token.resource_server)).map_err(error)?;
                    if let Some(row) = rows.next().map_err(error)? {
                        let previous = self.record(token.resource_server.clone(), row.get_ref(0).map_err(error)?)?;
                        token.keep_missing_from(&previous);
                    }
                }
                let json = Value::Object(token.to_json_map()).to_string();
                replace
                    .execute((&self.namespace, &token.resource_server, json))
                    .map_err(error)?;
            }
        }
        transaction.commit().map_err(error)
    }

    fn record(&self, resource_server: String, json: rusqlite::types::ValueRef<'_>) -> Result<StoredToken, Error> {
        let invalid = |field, expected| Error::InvalidRecord {
            path: self.path.clone(),
            namespace: self.namespace.clone(),
            resource_server: resource_server.clone(),
            field,
            expected,
        };
        let text = json.as_str().map_err(|_| invalid("token_data_json", "JSON text"))?;
        let value: Value = serde_json::from_str(text).map_err(|_| invalid("token_data_json", "JSON text"))?;
        StoredToken::from_json(&value).map_err(|error| invalid(error.field, error.expected))
    }
}

impl fmt::Debug for SqliteTokenStorage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteTokenStorage")
            .field("path", &self.path)
            .field("namespace", &self.namespace)
            .finish_non_exhaustive()
    }
}

impl TokenStorage for SqliteTokenStorage {
    fn namespace(&self) -> &str {
        &self.namespace
    }

    fn store_token_data_by_resource_server(&self, tokens: &[StoredToken]) -> Result<(), Error> {
        self.write(tokens, false)
    }

    fn merge_token_data_by_resource_server(&self, tokens: &[StoredToken]) -> Result<(), Error> {
        self.write(tokens, true)
    }

    fn get_token_data_by_resource_server(&self) -> Result<BTreeMap<String, StoredToken>, Error> {
        let error = |error| backend_error(&self.path, error);
        let connection = self.connection();
        let mut select = connection
            .prepare_cached("SELECT resource_server, token_data_json FROM token_storage WHERE namespace=?")
            .map_err(error)?;
        let mut rows = select.query([&self.namespace]).map_err(error)?;
        let mut tokens = BTreeMap::new();
        while let Some(row) = rows.next().map_err(error)? {
            let resource_server: String = row.get(0).map_err(error)?;
            let token = self.record(resource_server.clone(), row.get_ref(1).map_err(error)?)?;
            tokens.insert(resource_server, token);
        }
        Ok(tokens)
    }

    fn get_token_data(&self, resource_server: &str) -> Result<Option<StoredToken>, Error> {
        let error = |error| backend_error(&self.path, error);
        let connection = self.connection();
        let mut select = connection
            .prepare_cached("SELECT token_data_json FROM token_storage WHERE namespace=? AND resource_server=?")
            .map_err(error)?;
        let mut rows = select.query([&self.namespace, resource_server]).map_err(error)?;
        match rows.next().map_err(error)? {
            Some(row) => self
                .record(resource_server.to_owned(), row.get_ref(0).map_err(error)?)
                .map(Some),
            None => Ok(None),
        }
    }

    fn remove_token_data(&self, resource_server: &str) -> Result<bool, Error> {
        let error = |error| backend_error(&self.path, error);
        let mut connection = self.connection();
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(error)?;
        let removed = transaction
            .execute(
                "DELETE FROM token_storage WHERE namespace=? AND resource_server=?",
                [&self.namespace, resource_server],
            )
            .map_err(error)?;
        transaction.commit().map_err(error)?;
        Ok(removed != 0)
    }
}

/// A rusqlite error as this crate's error: a file that is not a database is a typed
/// "invalid" error; anything else is boxed.
fn backend_error(path: &Path, error: rusqlite::Error) -> Error {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => Error::InvalidDocument {
            path: path.to_path_buf(),
            reason: "the file is not a SQLite database",
        },
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => Error::InvalidDocument {
            path: path.to_path_buf(),
            reason: "the SQLite database is corrupt",
        },
        _ => Error::Sqlite {
            path: path.to_path_buf(),
            source: Box::new(error),
        },
    }
}
