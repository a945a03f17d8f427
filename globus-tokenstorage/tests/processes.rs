//! Concurrency with real processes: this test binary re-runs itself with an ignored
//! "child" test selected and the shared path in the environment.
//!
//! - JSON: 4 writer processes × 50 stores of distinct resource servers into one file all
//!   land, while a reader process parsing the file in a loop never sees a broken file
//!   and never sees the number of records go down.
//! - SQLite: the same, with the 4 writers opening a brand-new database at once (rollback
//!   journal, and again in WAL mode).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use globus_tokenstorage::{JsonTokenStorage, StoredToken, TokenStorage};

const WRITERS: usize = 4;
const WRITES: usize = 50;

const ENV_PATH: &str = "GLOBUS_TOKENSTORAGE_TEST_PATH";
const ENV_WORKER: &str = "GLOBUS_TOKENSTORAGE_TEST_WORKER";
const ENV_WAL: &str = "GLOBUS_TOKENSTORAGE_TEST_WAL";

fn go_file(path: &Path) -> PathBuf {
    path.with_extension("go")
}

fn stop_file(path: &Path) -> PathBuf {
    path.with_extension("stop")
}

fn ready_file(path: &Path) -> PathBuf {
    path.with_extension("ready")
}

fn wait_for(file: &Path) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !file.exists() {
        assert!(Instant::now() < deadline, "timed out waiting for {}", file.display());
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn resource_server(worker: usize, write: usize) -> String {
    format!("worker{worker}-rs{write:02}.example.org")
}

fn token(worker: usize, write: usize) -> StoredToken {
    StoredToken::new(
        resource_server(worker, write),
        "scope",
        format!("AT-{worker}-{write}"),
        1_800_000_000,
    )
    .with_refresh_token(format!("RT-{worker}-{write}"))
    .with_identity_id("ae341a98-d274-11e5-b888-dbae3a8ba545")
    .with_token_type("Bearer")
}

fn spawn_child(test: &str, path: &Path, worker: Option<usize>, wal: bool) -> Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([test, "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(ENV_PATH, path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(worker) = worker {
        command.env(ENV_WORKER, worker.to_string());
    }
    if wal {
        command.env(ENV_WAL, "1");
    }
    command.spawn().unwrap()
}

/// Waits for a child; panics with its output when it failed. Returns its stdout.
fn finish(child: Child, what: &str) -> String {
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{what} failed: {}\n{stdout}\n{stderr}",
        output.status
    );
    assert!(
        stdout.contains("1 passed"),
        "{what} did not run its test:\n{stdout}\n{stderr}"
    );
    stdout
}

/// Runs the writers and the reader against `path`; returns the reader's read count and
/// how long the writers took. With `reader_first`, the writers start once the reader has
/// read once (a SQLite reader would create the database, so it starts with the writers).
fn run(path: &Path, writer_test: &str, reader_test: &str, wal: bool, reader_first: bool) -> (usize, Duration) {
    let started = Instant::now();
    let reader = spawn_child(reader_test, path, None, wal);
    let writers: Vec<Child> = (0..WRITERS)
        .map(|worker| spawn_child(writer_test, path, Some(worker), wal))
        .collect();
    if reader_first {
        wait_for(&ready_file(path));
    }
    std::fs::write(go_file(path), b"").unwrap();
    for (worker, writer) in writers.into_iter().enumerate() {
        finish(writer, &format!("writer {worker}"));
    }
    let elapsed = started.elapsed();
    std::fs::write(stop_file(path), b"").unwrap();
    let stdout = finish(reader, "reader");
    let reads = stdout
        .lines()
        .find_map(|line| line.split_once("READS ").map(|(_, count)| count))
        .and_then(|count| count.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no read count in the reader's output:\n{stdout}"));
    (reads, elapsed)
}

fn assert_all_present(storage: &dyn TokenStorage) {
    let all = storage.get_token_data_by_resource_server().unwrap();
    assert_eq!(all.len(), WRITERS * WRITES);
    for worker in 0..WRITERS {
        for write in 0..WRITES {
            let stored = &all[&resource_server(worker, write)];
            assert_eq!(stored, &token(worker, write));
        }
    }
}

fn child_env() -> Option<(PathBuf, Option<usize>, bool)> {
    let path = PathBuf::from(std::env::var_os(ENV_PATH)?);
    let worker = std::env::var(ENV_WORKER).ok().map(|worker| worker.parse().unwrap());
    Some((path, worker, std::env::var_os(ENV_WAL).is_some()))
}

/// Reads until told to stop; every read must succeed and see no fewer records than the
/// one before.
fn read_loop(read: impl Fn() -> usize, path: &Path) {
    let mut reads = 0;
    let mut last = 0;
    loop {
        let stop = stop_file(path).exists();
        let count = read();
        assert!(count >= last, "records went from {last} to {count}");
        last = count;
        reads += 1;
        if reads == 1 {
            std::fs::write(ready_file(path), b"").unwrap();
        }
        if stop {
            break;
        }
    }
    println!("\nREADS {reads}");
}

#[test]
fn json_writers_in_four_processes_lose_nothing_and_readers_see_whole_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let (reads, elapsed) = run(&path, "child_json_writer", "child_json_reader", false, true);
    eprintln!(
        "JSON: {} writes by {WRITERS} processes in {elapsed:?}; {reads} reads",
        WRITERS * WRITES
    );
    assert!(reads > 0);
    assert_all_present(&JsonTokenStorage::open(&path).unwrap());
}

#[test]
#[ignore = "child process of json_writers_in_four_processes_lose_nothing_and_readers_see_whole_files"]
fn child_json_writer() {
    let Some((path, Some(worker), _)) = child_env() else {
        return;
    };
    wait_for(&go_file(&path));
    let storage = JsonTokenStorage::open(&path).unwrap();
    for write in 0..WRITES {
        storage.store_token_data(&token(worker, write)).unwrap();
    }
}

#[test]
#[ignore = "child process of json_writers_in_four_processes_lose_nothing_and_readers_see_whole_files"]
fn child_json_reader() {
    let Some((path, _, _)) = child_env() else { return };
    let storage = JsonTokenStorage::open(&path).unwrap();
    read_loop(
        || {
            // Also parse the raw bytes: a reader without this crate must never see a torn file.
            if let Ok(bytes) = std::fs::read(&path) {
                serde_json::from_slice::<serde_json::Value>(&bytes).expect("a whole JSON file");
            }
            storage.get_token_data_by_resource_server().unwrap().len()
        },
        &path,
    );
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use globus_tokenstorage::SqliteTokenStorage;

    use super::*;

    fn open(path: &Path, wal: bool) -> SqliteTokenStorage {
        SqliteTokenStorage::builder(path).wal(wal).open().unwrap()
    }

    #[test]
    fn sqlite_writers_in_four_processes_create_one_schema_and_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens.db");
        let (reads, elapsed) = run(
            &path,
            "sqlite::child_sqlite_writer",
            "sqlite::child_sqlite_reader",
            false,
            false,
        );
        eprintln!(
            "SQLite: {} writes by {WRITERS} processes in {elapsed:?}; {reads} reads",
            WRITERS * WRITES
        );
        assert_all_present(&open(&path, false));
        assert_one_schema(&path);
    }

    #[test]
    fn sqlite_wal_writers_in_four_processes_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens.db");
        let (reads, elapsed) = run(
            &path,
            "sqlite::child_sqlite_writer",
            "sqlite::child_sqlite_reader",
            true,
            false,
        );
        eprintln!(
            "SQLite WAL: {} writes by {WRITERS} processes in {elapsed:?}; {reads} reads",
            WRITERS * WRITES
        );
        assert_all_present(&open(&path, true));
        assert_one_schema(&path);
    }

    fn assert_one_schema(path: &Path) {
        let connection = rusqlite::Connection::open(path).unwrap();
        let rows: i64 = connection
            .query_row("SELECT count(*) FROM sdk_storage_adapter_internal", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(rows, 2);
    }

    #[test]
    #[ignore = "child process of the sqlite process tests"]
    fn child_sqlite_writer() {
        let Some((path, Some(worker), wal)) = child_env() else {
            return;
        };
        wait_for(&go_file(&path));
        // Every writer opens the brand-new database at once.
        let storage = open(&path, wal);
        for write in 0..WRITES {
            storage.store_token_data(&token(worker, write)).unwrap();
        }
        storage.close().unwrap();
    }

    #[test]
    #[ignore = "child process of the sqlite process tests"]
    fn child_sqlite_reader() {
        let Some((path, _, wal)) = child_env() else { return };
        wait_for(&path);
        let storage = open(&path, wal);
        read_loop(|| storage.get_token_data_by_resource_server().unwrap().len(), &path);
    }
}
