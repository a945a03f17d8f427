//! Interoperability with the Python SDK 4.9.0, both ways: files it wrote are read as
//! `expected.json` says, and files written here have the structure its README describes.

mod common;

use common::{as_python, check_json_file, expected_namespaces, fixtures};
use globus_tokenstorage::{JsonTokenStorage, StoredToken, TokenStorage};
use serde_json::{Value, json};

fn copy_fixture(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn reads_python_v2_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(&dir, "tokens.json", fixtures::PYTHON_V2_JSON);
    let storage = JsonTokenStorage::open(&path).unwrap();
    let mut namespaces = storage.namespaces().unwrap();
    namespaces.sort();
    assert_eq!(namespaces, ["DEFAULT", "user-b"]);
    for (namespace, expected) in expected_namespaces() {
        let tokens = storage
            .for_namespace(namespace.as_str())
            .get_token_data_by_resource_server()
            .unwrap();
        assert_eq!(as_python(&tokens), expected, "namespace {namespace}");
    }
    // reading never writes
    assert_eq!(std::fs::read(&path).unwrap(), fixtures::PYTHON_V2_JSON);
}

#[test]
fn reads_python_v1_json_as_default_and_rewrites_it_as_v2() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(&dir, "tokens.json", fixtures::PYTHON_V1_JSON);
    let storage = JsonTokenStorage::open(&path).unwrap();
    let expected = expected_namespaces();
    assert_eq!(
        as_python(&storage.get_token_data_by_resource_server().unwrap()),
        expected["DEFAULT"]
    );
    assert!(
        storage
            .for_namespace("user-b")
            .get_token_data_by_resource_server()
            .unwrap()
            .is_empty()
    );

    let new = StoredToken::new("search.api.globus.org", "s", "AT-new", 1_800_000_000).with_token_type("Bearer");
    storage.store_token_data(&new).unwrap();
    let root = check_json_file(&std::fs::read(&path).unwrap(), &[]);
    assert_eq!(root["globus-sdk.version"], json!(globus_tokenstorage::SDK_VERSION));
    let default = root["data"]["DEFAULT"].as_object().unwrap();
    assert_eq!(default.len(), 4);
    for (resource_server, record) in expected["DEFAULT"].as_object().unwrap() {
        assert_eq!(&default[resource_server], record);
    }
}

#[test]
fn files_written_here_have_pythons_structure() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let storage = JsonTokenStorage::open(&path).unwrap();
    let full = StoredToken::new("auth.globus.org", "openid profile email", "AT-auth", 1_767_225_600)
        .with_identity_id("ae341a98-d274-11e5-b888-dbae3a8ba545")
        .with_refresh_token("RT-auth")
        .with_token_type("Bearer");
    let bare = StoredToken::new("groups.api.globus.org", "g", "AT-groups", 1_767_232_800);
    storage
        .store_token_data_by_resource_server(&[full.clone(), bare.clone()])
        .unwrap();
    storage
        .for_namespace("user-b")
        .store_token_data(
            &StoredToken::new("search.api.globus.org", "s", "AT-search", 5).with_extra("future", json!([1])),
        )
        .unwrap();

    let root = check_json_file(&std::fs::read(&path).unwrap(), &["future"]);
    assert_eq!(
        root["data"]["DEFAULT"]["auth.globus.org"],
        json!({"resource_server": "auth.globus.org", "identity_id": "ae341a98-d274-11e5-b888-dbae3a8ba545",
            "scope": "openid profile email", "access_token": "AT-auth", "refresh_token": "RT-auth",
            "expires_at_seconds": 1_767_225_600, "token_type": "Bearer"})
    );
    // `None` fields are left out, as Python's to_dict() does
    assert_eq!(
        root["data"]["DEFAULT"]["groups.api.globus.org"],
        json!({"resource_server": "groups.api.globus.org", "scope": "g", "access_token": "AT-groups",
            "expires_at_seconds": 1_767_232_800})
    );
    assert_eq!(root["data"]["user-b"]["search.api.globus.org"]["future"], json!([1]));
}

/// A file rewritten here from Python's v2 file holds exactly Python's data plus the change.
#[test]
fn python_v2_file_round_trips_through_a_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(&dir, "tokens.json", fixtures::PYTHON_V2_JSON);
    let storage = JsonTokenStorage::open(&path).unwrap();
    assert!(storage.remove_token_data("groups.api.globus.org").unwrap());
    let root = check_json_file(&std::fs::read(&path).unwrap(), &[]);
    let mut expected = expected_namespaces();
    expected["DEFAULT"]
        .as_object_mut()
        .unwrap()
        .remove("groups.api.globus.org");
    assert_eq!(root["data"], Value::Object(expected));
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use globus_tokenstorage::SqliteTokenStorage;
    use rusqlite::Connection;

    use super::*;
    use crate::common::check_record;

    fn table_info(connection: &Connection, table: &str) -> Vec<(String, String, bool, i64)> {
        let mut statement = connection.prepare(&format!("PRAGMA table_info({table})")).unwrap();
        statement
            .query_map([], |row| Ok((row.get(1)?, row.get(2)?, row.get(3)?, row.get(5)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn internal_rows(connection: &Connection) -> Vec<(String, String)> {
        let mut statement = connection
            .prepare("SELECT attribute, value FROM sdk_storage_adapter_internal ORDER BY attribute")
            .unwrap();
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn schema_sql(connection: &Connection) -> Vec<String> {
        let mut statement = connection
            .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        statement
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn reads_python_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let path = copy_fixture(&dir, "tokens.db", fixtures::PYTHON_SQLITE);
        let storage = SqliteTokenStorage::open(&path).unwrap();
        assert_eq!(storage.namespaces().unwrap(), ["DEFAULT", "user-b"]);
        for (namespace, expected) in expected_namespaces() {
            let storage = SqliteTokenStorage::builder(&path)
                .namespace(namespace.as_str())
                .open()
                .unwrap();
            assert_eq!(
                as_python(&storage.get_token_data_by_resource_server().unwrap()),
                expected,
                "namespace {namespace}"
            );
        }
    }

    #[test]
    fn writes_to_a_python_database_keep_its_schema_and_internal_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = copy_fixture(&dir, "tokens.db", fixtures::PYTHON_SQLITE);
        let before = {
            let connection = Connection::open(&path).unwrap();
            (schema_sql(&connection), internal_rows(&connection))
        };
        let storage = SqliteTokenStorage::open(&path).unwrap();
        storage
            .store_token_data(&StoredToken::new("new.rs", "s", "AT", 1))
            .unwrap();
        assert!(storage.remove_token_data("auth.globus.org").unwrap());
        storage.close().unwrap();
        let connection = Connection::open(&path).unwrap();
        assert_eq!((schema_sql(&connection), internal_rows(&connection)), before);
        assert_eq!(
            internal_rows(&connection),
            [
                ("globus-sdk.database_schema_version".to_owned(), "2".to_owned()),
                ("globus-sdk.version".to_owned(), "4.9.0".to_owned()),
            ]
        );
    }

    #[test]
    fn databases_created_here_have_pythons_schema() {
        let dir = tempfile::tempdir().unwrap();
        let python = copy_fixture(&dir, "python.db", fixtures::PYTHON_SQLITE);
        let ours = dir.path().join("ours.db");
        let storage = SqliteTokenStorage::open(&ours).unwrap();
        storage
            .store_token_data_by_resource_server(&[
                StoredToken::new("auth.globus.org", "openid", "AT-auth", 1_767_225_600)
                    .with_identity_id("ae341a98-d274-11e5-b888-dbae3a8ba545")
                    .with_refresh_token("RT-auth")
                    .with_token_type("Bearer"),
                StoredToken::new("groups.api.globus.org", "g", "AT-groups", 1_767_232_800),
            ])
            .unwrap();
        storage.close().unwrap();

        let python = Connection::open(&python).unwrap();
        let ours = Connection::open(&ours).unwrap();
        assert_eq!(schema_sql(&ours), schema_sql(&python));
        for table in ["token_storage", "sdk_storage_adapter_internal"] {
            assert_eq!(table_info(&ours, table), table_info(&python, table), "{table}");
        }
        let rows = internal_rows(&ours);
        assert_eq!(
            rows[0],
            ("globus-sdk.database_schema_version".to_owned(), "2".to_owned())
        );
        assert_eq!(
            rows[1],
            (
                "globus-sdk.version".to_owned(),
                globus_tokenstorage::SDK_VERSION.to_owned()
            )
        );

        let mut statement = ours
            .prepare("SELECT namespace, resource_server, token_data_json FROM token_storage ORDER BY resource_server")
            .unwrap();
        let stored: Vec<(String, String, String)> = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(stored.len(), 2);
        for (namespace, resource_server, json) in &stored {
            assert_eq!(namespace, "DEFAULT");
            check_record(resource_server, &serde_json::from_str(json).unwrap(), &[]);
        }
        let groups: Value = serde_json::from_str(&stored[1].2).unwrap();
        assert_eq!(
            groups,
            json!({"resource_server": "groups.api.globus.org", "scope": "g", "access_token": "AT-groups",
                "expires_at_seconds": 1_767_232_800})
        );
    }

    #[test]
    fn legacy_schema_1_databases_are_read_and_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("legacy.db");
        {
            // What Python's legacy SQLiteAdapter creates, with a raw by_resource_server dict.
            let connection = Connection::open(&path).unwrap();
            connection
                .execute_batch(
                    "CREATE TABLE config_storage (namespace VARCHAR NOT NULL, config_name VARCHAR NOT NULL,
                        config_data_json VARCHAR NOT NULL, PRIMARY KEY (namespace, config_name));
                     CREATE TABLE token_storage (namespace VARCHAR NOT NULL, resource_server VARCHAR NOT NULL,
                        token_data_json VARCHAR NOT NULL, PRIMARY KEY (namespace, resource_server));
                     CREATE TABLE sdk_storage_adapter_internal (attribute VARCHAR NOT NULL, value VARCHAR NOT NULL,
                        PRIMARY KEY (attribute));
                     INSERT INTO sdk_storage_adapter_internal VALUES ('globus-sdk.version', '3.0.0'),
                        ('globus-sdk.database_schema_version', '1');
                     INSERT INTO token_storage VALUES ('DEFAULT', 'rs', '{\"scope\": \"s\", \"access_token\": \"AT\",
                        \"refresh_token\": null, \"token_type\": \"Bearer\", \"expires_at_seconds\": 7,
                        \"resource_server\": \"rs\"}');",
                )
                .unwrap();
        }
        let storage = SqliteTokenStorage::open(&path).unwrap();
        let token = storage.get_token_data("rs").unwrap().unwrap();
        assert_eq!((token.refresh_token, token.expires_at_seconds), (None, 7));
        storage
            .store_token_data(&StoredToken::new("rs2", "s", "AT", 1))
            .unwrap();
        assert_eq!(storage.get_token_data_by_resource_server().unwrap().len(), 2);
    }
}
