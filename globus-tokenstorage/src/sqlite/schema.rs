//! Python's `SQLiteTokenStorage` schema (version 2), created inside `BEGIN IMMEDIATE` so
//! that processes opening a new database at once create it exactly once.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::backend_error;
use crate::Error;

/// Python's `CREATE TABLE token_storage`, word for word.
const CREATE_TOKEN_STORAGE: &str = "CREATE TABLE token_storage (
    namespace VARCHAR NOT NULL,
    resource_server VARCHAR NOT NULL,
    token_data_json VARCHAR NOT NULL,
    PRIMARY KEY (namespace, resource_server)
);";

/// Python's `CREATE TABLE sdk_storage_adapter_internal`, word for word.
const CREATE_INTERNAL: &str = "CREATE TABLE sdk_storage_adapter_internal (
    attribute VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    PRIMARY KEY (attribute)
);";

/// The schema version this SDK creates (`SQLiteTokenStorage`'s).
pub(crate) const SCHEMA_VERSION: &str = "2";

/// Schema versions whose `token_storage` table this SDK reads and writes: 1 (the legacy
/// `SQLiteAdapter`, which also has a `config_storage` table) and 2.
const KNOWN_SCHEMA_VERSIONS: [&str; 2] = ["1", "2"];

/// Creates the schema when the database has none, else checks its schema version.
pub(crate) fn ensure(connection: &mut Connection, path: &Path, sdk_version: &str) -> Result<(), Error> {
    let error = |error| backend_error(path, error);
    let transaction = connection
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(error)?;
    let has_tokens = has_table(&transaction, "token_storage").map_err(error)?;
    let has_internal = has_table(&transaction, "sdk_storage_adapter_internal").map_err(error)?;
    if has_internal {
        let version: Option<String> = transaction
            .query_row(
                "SELECT value FROM sdk_storage_adapter_internal WHERE attribute = ?",
                ["globus-sdk.database_schema_version"],
                |row| row.get(0),
            )
            .optional()
            .map_err(error)?;
        if let Some(version) = version
            && !KNOWN_SCHEMA_VERSIONS.contains(&version.as_str())
        {
            return Err(Error::UnsupportedSchemaVersion {
                path: path.to_path_buf(),
                found: version,
            });
        }
    }
    if !has_tokens {
        transaction.execute_batch(CREATE_TOKEN_STORAGE).map_err(error)?;
    }
    if !has_tokens && !has_internal {
        transaction.execute_batch(CREATE_INTERNAL).map_err(error)?;
        let mut insert = transaction
            .prepare("INSERT INTO sdk_storage_adapter_internal(attribute, value) VALUES (?, ?)")
            .map_err(error)?;
        insert.execute(["globus-sdk.version", sdk_version]).map_err(error)?;
        insert
            .execute(["globus-sdk.database_schema_version", SCHEMA_VERSION])
            .map_err(error)?;
    }
    transaction.commit().map_err(error)
}

fn has_table(connection: &Connection, name: &str) -> rusqlite::Result<bool> {
    connection.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
        [name],
        |row| row.get::<_, i64>(0).map(|count| count > 0),
    )
}
