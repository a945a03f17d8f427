//! Tests of the tree comparison and mirroring on temporary directories.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use super::tree::{Difference, compare, mirror};
use super::{SHARED_DIR_VAR, check, refresh};

/// Bytes that are not UTF-8, like the SQLite fixture.
const BINARY: &[u8] = &[0x53, 0x51, 0x4c, 0x00, 0xff, 0xfe, 0x9f, 0x92, 0x96];

/// A fresh directory under `std::env::temp_dir()`, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    /// Creates a directory whose name is unique to this process, test and call.
    fn new(label: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.subsec_nanos());
        let path = std::env::temp_dir().join(format!(
            "xtask-testdata-{}-{label}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
        ));
        fs::create_dir_all(&path).expect("create temp dir");
        Self(path)
    }

    /// The directory.
    fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `bytes` at `relative`, creating parent directories.
    fn write(&self, relative: &str, bytes: &[u8]) {
        let path = self.0.join(relative);
        fs::create_dir_all(path.parent().expect("has a parent")).expect("create parent");
        fs::write(path, bytes).expect("write file");
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A source tree with text, nested and binary files.
fn source() -> TempDir {
    let dir = TempDir::new("source");
    dir.write("README.md", b"# vectors\n");
    dir.write("scopes.json", b"{\"a\": 1}\n");
    dir.write("token-storage/python.sqlite", BINARY);
    dir.write("globus-sdk-4.9.0/deep/auth.json", b"[]");
    dir
}

/// Shorthand for a relative path.
fn p(path: &str) -> PathBuf {
    PathBuf::from(path)
}

#[test]
fn identical_trees_have_no_differences() {
    let expected = source();
    let actual = source();
    assert_eq!(compare(expected.path(), actual.path()).expect("compare"), []);
}

#[test]
fn changed_missing_and_extra_files_are_listed_in_path_order() {
    let expected = source();
    let actual = source();
    // Same length, one byte changed: only a byte comparison notices.
    let mut changed = BINARY.to_vec();
    changed[4] = 0x00;
    actual.write("token-storage/python.sqlite", &changed);
    fs::remove_file(actual.path().join("scopes.json")).expect("remove");
    actual.write("globus-sdk-4.9.0/deep/stale.json", b"{}");
    actual.write("README.md", b"# vectors\r\n");

    assert_eq!(
        compare(expected.path(), actual.path()).expect("compare"),
        [
            Difference::Differs(p("README.md")),
            Difference::Extra(p("globus-sdk-4.9.0/deep/stale.json")),
            Difference::Missing(p("scopes.json")),
            Difference::Differs(p("token-storage/python.sqlite")),
        ]
    );
}

#[test]
fn an_absent_copy_is_missing_everything() {
    let expected = source();
    let scratch = TempDir::new("absent");
    let differences = compare(expected.path(), &scratch.path().join("not-there")).expect("compare");
    assert_eq!(differences.len(), 4);
    assert!(
        differences
            .iter()
            .all(|difference| matches!(difference, Difference::Missing(_)))
    );
}

#[test]
fn an_absent_source_is_an_error() {
    let scratch = TempDir::new("no-source");
    assert!(compare(&scratch.path().join("not-there"), scratch.path()).is_err());
}

#[test]
fn mirror_makes_an_exact_copy_and_reports_what_it_repaired() {
    let expected = source();
    let actual = TempDir::new("dest");
    actual.write("README.md", b"old");
    actual.write("scopes.json", b"{\"a\": 1}\n");
    actual.write("obsolete/nested/file.txt", b"gone");
    actual.write("globus-sdk-4.9.0/deep/stale.json", b"{}");
    fs::create_dir_all(actual.path().join("empty-dir")).expect("create empty dir");
    // A file where the source has a directory.
    actual.write("token-storage", b"not a directory");

    let repaired = mirror(expected.path(), actual.path()).expect("mirror");
    let summary: Vec<String> = repaired
        .iter()
        .map(|difference| format!("{} {}", difference.repair(), difference.path().display()))
        .collect();
    assert_eq!(
        summary,
        [
            "updated README.md",
            "added globus-sdk-4.9.0/deep/auth.json",
            "removed globus-sdk-4.9.0/deep/stale.json",
            "removed obsolete/nested/file.txt",
            "removed token-storage",
            "added token-storage/python.sqlite",
        ]
    );
    assert_eq!(compare(expected.path(), actual.path()).expect("compare"), []);
    assert!(!actual.path().join("obsolete").exists());
    assert!(!actual.path().join("empty-dir").exists());
    assert_eq!(
        fs::read(actual.path().join("token-storage/python.sqlite")).expect("read"),
        BINARY
    );
    // Nothing left to repair.
    assert_eq!(mirror(expected.path(), actual.path()).expect("mirror"), []);
}

#[test]
fn mirror_copies_read_only_sources_into_writable_files() {
    let expected = source();
    let file = expected.path().join("scopes.json");
    let mut permissions = fs::metadata(&file).expect("metadata").permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&file, permissions).expect("set read-only");

    let actual = TempDir::new("dest-ro");
    mirror(expected.path(), actual.path()).expect("mirror");
    let copied = fs::metadata(actual.path().join("scopes.json")).expect("metadata");
    assert!(!copied.permissions().readonly());
    // A second refresh with a changed source rewrites the copy.
    expected.write("README.md", b"# vectors v2\n");
    assert_eq!(
        mirror(expected.path(), actual.path()).expect("mirror"),
        [Difference::Differs(p("README.md"))]
    );
}

/// Whether `GLOBUS_SHARED_DIR` is set, which would point the command tests elsewhere.
fn shared_dir_overridden() -> bool {
    std::env::var_os(SHARED_DIR_VAR).is_some_and(|dir| !dir.is_empty())
}

#[test]
fn check_without_a_shared_directory_is_skipped_and_refresh_fails() {
    if shared_dir_overridden() {
        return;
    }
    let scratch = TempDir::new("no-shared");
    let root = scratch.path().join("main");
    fs::create_dir_all(&root).expect("create root");
    assert_eq!(check(&root), Ok(()));
    assert!(refresh(&root).is_err());
}

#[test]
fn refresh_then_check_round_trips_and_check_reports_drift() {
    if shared_dir_overridden() {
        return;
    }
    let scratch = TempDir::new("workspace");
    scratch.write("shared/vectors/pkce.json", b"[]");
    scratch.write("shared/fixtures/token-storage/python.sqlite", BINARY);
    let root = scratch.path().join("main");
    scratch.write("main/testdata/vectors/stale.json", b"{}");

    refresh(&root).expect("refresh");
    assert_eq!(check(&root), Ok(()));
    assert!(!root.join("testdata/vectors/stale.json").exists());

    scratch.write("main/testdata/fixtures/token-storage/python.sqlite", b"SQL");
    let error = check(&root).expect_err("drift is an error");
    assert!(
        error.contains("differs: testdata/fixtures/token-storage/python.sqlite"),
        "{error}"
    );
}
