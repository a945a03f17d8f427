//! Durability of the file storages: unreadable files give typed errors naming the path
//! and are never overwritten; stray temporary files are harmless; writers take the lock;
//! permissions on Unix.

mod common;

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use globus_tokenstorage::{Error, JsonTokenStorage, StoredToken, TokenStorage};

fn token(resource_server: &str) -> StoredToken {
    StoredToken::new(resource_server, "s", "AT-SECRET", 1_800_000_000).with_refresh_token("RT-SECRET")
}

/// Every operation on an unreadable file fails with an error naming it, and its bytes
/// stay as they were.
fn assert_refused(path: &Path, bytes: &[u8], check: impl Fn(&Error) -> bool) {
    std::fs::write(path, bytes).unwrap();
    let storage = JsonTokenStorage::open(path).unwrap();
    let errors = [
        storage.get_token_data_by_resource_server().unwrap_err(),
        storage.get_token_data("rs").unwrap_err(),
        storage.store_token_data(&token("rs")).unwrap_err(),
        storage.remove_token_data("rs").unwrap_err(),
    ];
    for error in errors {
        assert!(check(&error), "unexpected error {error:?}");
        assert!(error.is_corrupt());
        assert_eq!(error.path(), Some(path));
        let message = error.to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(!message.contains("SECRET"));
    }
    assert_eq!(std::fs::read(path).unwrap(), bytes, "the file was changed");
}

#[test]
fn corrupt_json_is_a_typed_error_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    for bytes in [&b"{\"data\": {\"DEFAULT\": {"[..], b"", b"\xff\xfe", b"null"] {
        assert_refused(&path, bytes, |error| {
            matches!(error, Error::NotJson { .. } | Error::InvalidDocument { .. })
        });
    }
}

#[test]
fn unknown_format_version_is_a_typed_error_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let bytes = br#"{"data": {}, "format_version": "3.0", "globus-sdk.version": "9.0.0"}"#;
    assert_refused(
        &path,
        bytes,
        |error| matches!(error, Error::UnsupportedFormatVersion { found, .. } if found == "\"3.0\""),
    );
}

#[test]
fn a_bad_record_fails_reads_but_not_other_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    std::fs::write(
        &path,
        br#"{"data": {"DEFAULT": {"bad": {"resource_server": "bad", "scope": "s", "access_token": "AT-SECRET",
            "expires_at_seconds": "soon"}}}, "format_version": "2.0", "globus-sdk.version": "4.9.0"}"#,
    )
    .unwrap();
    let storage = JsonTokenStorage::open(&path).unwrap();
    let error = storage.get_token_data_by_resource_server().unwrap_err();
    assert!(matches!(
        &error,
        Error::InvalidRecord { resource_server, field: "expires_at_seconds", .. } if resource_server == "bad"
    ));
    assert!(!error.to_string().contains("SECRET"));
    // Python's store does not look at other records either; the bad one is kept as it is.
    storage.store_token_data(&token("good")).unwrap();
    let root: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(root["data"]["DEFAULT"]["bad"]["expires_at_seconds"], "soon");
    assert!(storage.remove_token_data("bad").unwrap());
    assert_eq!(storage.get_token_data_by_resource_server().unwrap().len(), 1);
}

#[test]
fn a_stray_temporary_file_from_a_crash_is_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let storage = JsonTokenStorage::open(&path).unwrap();
    storage.store_token_data(&token("before")).unwrap();
    // A writer died after creating its temporary file and before renaming it.
    let stray = dir.path().join(".tokens.json.Xy12ab.tmp");
    std::fs::write(&stray, b"{\"data\": {\"DEFAULT\": {\"half").unwrap();
    let reopened = JsonTokenStorage::open(&path).unwrap();
    assert!(reopened.get_token_data("before").unwrap().is_some());
    reopened.store_token_data(&token("after")).unwrap();
    assert_eq!(reopened.get_token_data_by_resource_server().unwrap().len(), 2);
    assert_eq!(std::fs::read(&stray).unwrap(), b"{\"data\": {\"DEFAULT\": {\"half");
}

#[test]
fn nothing_is_written_until_something_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let storage = JsonTokenStorage::open(&path).unwrap();
    assert!(storage.get_token_data_by_resource_server().unwrap().is_empty());
    assert!(!storage.remove_token_data("rs").unwrap());
    assert!(!storage.file_exists());
    storage.store_token_data(&token("rs")).unwrap();
    assert!(storage.file_exists());
    let lock = dir.path().join("tokens.json.lock");
    assert!(lock.exists());
    assert!(storage.remove_token_data("rs").unwrap());
    assert!(lock.exists(), "the lock file is never deleted");
}

#[test]
fn writers_wait_for_the_lock_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let storage = JsonTokenStorage::open(&path).unwrap();
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.path().join("tokens.json.lock"))
        .unwrap();
    lock.lock().unwrap();
    let (done, finished) = mpsc::channel();
    let writer = std::thread::spawn({
        let path = path.clone();
        move || {
            JsonTokenStorage::open(path)
                .unwrap()
                .store_token_data(&token("rs"))
                .unwrap();
            done.send(()).unwrap();
        }
    });
    assert!(
        finished.recv_timeout(Duration::from_millis(300)).is_err(),
        "wrote without the lock"
    );
    assert!(!path.exists());
    lock.unlock().unwrap();
    finished.recv_timeout(Duration::from_secs(10)).unwrap();
    writer.join().unwrap();
    assert!(storage.get_token_data("rs").unwrap().is_some());
}

#[test]
fn empty_path_is_refused() {
    assert!(matches!(JsonTokenStorage::open(""), Err(Error::InvalidPath { .. })));
}

#[test]
fn a_directory_in_the_way_is_an_io_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"x").unwrap();
    let error = JsonTokenStorage::open(blocker.join("sub").join("tokens.json")).unwrap_err();
    assert!(matches!(error, Error::Io { .. }), "{error:?}");
    assert!(error.path().is_some_and(|path| path.starts_with(&blocker)));
}

#[cfg(unix)]
mod permissions {
    use std::os::unix::fs::PermissionsExt;

    use globus_tokenstorage::StorageWarning;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    fn set_mode(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn new_files_are_0600_and_created_directories_0700() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a").join("b").join("tokens.json");
        let storage = JsonTokenStorage::open(&path).unwrap();
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        assert_eq!(mode(&dir.path().join("a/b")), 0o700);
        storage.store_token_data(&token("rs")).unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir.path().join("a/b/tokens.json.lock")), 0o600);
        assert!(storage.warnings().is_empty(), "{:?}", storage.warnings());
    }

    #[test]
    fn existing_token_files_are_tightened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens.json");
        JsonTokenStorage::open(&path)
            .unwrap()
            .store_token_data(&token("rs"))
            .unwrap();
        set_mode(&path, 0o644);
        let storage = JsonTokenStorage::open(&path).unwrap();
        assert_eq!(mode(&path), 0o600, "tightened on open");
        set_mode(&path, 0o666);
        storage.store_token_data(&token("rs2")).unwrap();
        assert_eq!(mode(&path), 0o600, "replaced by a 0600 file on write");
    }

    #[test]
    fn existing_directories_are_left_alone_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("home");
        std::fs::create_dir(&shared).unwrap();
        set_mode(&shared, 0o775);
        let storage = JsonTokenStorage::open(shared.join("tokens.json")).unwrap();
        storage.store_token_data(&token("rs")).unwrap();
        assert_eq!(
            mode(&shared),
            0o775,
            "a directory the SDK did not create keeps its mode"
        );
        assert_eq!(
            storage.warnings(),
            [StorageWarning::DirectoryWritableByOthers {
                path: shared.clone(),
                mode: 0o775
            }]
        );

        set_mode(&shared, 0o755);
        let quiet = JsonTokenStorage::open(shared.join("tokens.json")).unwrap();
        assert!(quiet.warnings().is_empty());
        assert_eq!(mode(&shared), 0o755);
    }

    #[test]
    fn the_sdks_own_directory_is_tightened() {
        let dir = tempfile::tempdir().unwrap();
        let own = dir.path().join("app");
        std::fs::create_dir(&own).unwrap();
        set_mode(&own, 0o775);
        let storage = JsonTokenStorage::builder(own.join("tokens.json"))
            .own_directory(true)
            .open()
            .unwrap();
        assert_eq!(mode(&own), 0o700);
        assert!(storage.warnings().is_empty());
    }

    #[test]
    fn a_symlinked_token_file_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        let link = dir.path().join("tokens.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let storage = JsonTokenStorage::open(&link).unwrap();
        storage.store_token_data(&token("rs")).unwrap();
        storage.store_token_data(&token("rs2")).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(
            JsonTokenStorage::open(&real)
                .unwrap()
                .get_token_data_by_resource_server()
                .unwrap()
                .len(),
            2
        );
        assert!(dir.path().join("real.json.lock").exists());
    }

    #[cfg(feature = "sqlite")]
    #[test]
    fn sqlite_files_are_0600() {
        use globus_tokenstorage::SqliteTokenStorage;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new").join("tokens.db");
        let storage = SqliteTokenStorage::open(&path).unwrap();
        storage.store_token_data(&token("rs")).unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir.path().join("new")), 0o700);
        drop(storage);
        set_mode(&path, 0o644);
        let _storage = SqliteTokenStorage::open(&path).unwrap();
        assert_eq!(mode(&path), 0o600);
    }
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use globus_tokenstorage::SqliteTokenStorage;

    use super::*;

    #[test]
    fn memory_databases_are_refused() {
        assert!(matches!(
            SqliteTokenStorage::open(":memory:"),
            Err(Error::InvalidPath { .. })
        ));
        assert!(matches!(SqliteTokenStorage::open(""), Err(Error::InvalidPath { .. })));
    }

    #[test]
    fn a_file_that_is_not_a_database_is_a_typed_error_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens.db");
        let bytes = b"this is not a SQLite database, but it is long enough to have a header......".repeat(20);
        std::fs::write(&path, &bytes).unwrap();
        let error = SqliteTokenStorage::open(&path).unwrap_err();
        assert!(error.is_corrupt(), "{error:?}");
        assert_eq!(error.path(), Some(path.as_path()));
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
    }

    #[test]
    fn an_unknown_schema_version_is_a_typed_error_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens.db");
        SqliteTokenStorage::open(&path).unwrap().close().unwrap();
        {
            let connection = rusqlite::Connection::open(&path).unwrap();
            connection
                .execute(
                    "UPDATE sdk_storage_adapter_internal SET value = '3' WHERE attribute = ?",
                    ["globus-sdk.database_schema_version"],
                )
                .unwrap();
        }
        let bytes = std::fs::read(&path).unwrap();
        let error = SqliteTokenStorage::open(&path).unwrap_err();
        assert!(matches!(&error, Error::UnsupportedSchemaVersion { found, .. } if found == "3"));
        assert_eq!(error.path(), Some(path.as_path()));
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
    }

    #[test]
    fn a_bad_row_names_the_resource_server() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens.db");
        let storage = SqliteTokenStorage::open(&path).unwrap();
        {
            let connection = rusqlite::Connection::open(&path).unwrap();
            connection
                .execute(
                    "INSERT INTO token_storage VALUES ('DEFAULT', 'broken', '{\"access_token\": \"AT-SECRET\"')",
                    [],
                )
                .unwrap();
        }
        let error = storage.get_token_data("broken").unwrap_err();
        assert!(matches!(&error, Error::InvalidRecord { resource_server, .. } if resource_server == "broken"));
        assert!(!error.to_string().contains("SECRET"));
        assert!(storage.get_token_data_by_resource_server().is_err());
        assert!(storage.remove_token_data("broken").unwrap());
    }

    #[test]
    fn wal_is_opt_in() {
        let dir = tempfile::tempdir().unwrap();
        let rollback = dir.path().join("rollback.db");
        let wal = dir.path().join("wal.db");
        SqliteTokenStorage::open(&rollback)
            .unwrap()
            .store_token_data(&token("rs"))
            .unwrap();
        let storage = SqliteTokenStorage::builder(&wal).wal(true).open().unwrap();
        storage.store_token_data(&token("rs")).unwrap();
        assert!(storage.warnings().is_empty());
        let journal_mode = |path: &Path| -> String {
            rusqlite::Connection::open(path)
                .unwrap()
                .query_row("PRAGMA journal_mode", [], |row| row.get(0))
                .unwrap()
        };
        assert_eq!(journal_mode(&rollback), "delete");
        assert_eq!(journal_mode(&wal), "wal");
    }
}
