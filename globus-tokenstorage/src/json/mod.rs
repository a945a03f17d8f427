//! [`JsonTokenStorage`]: tokens in a JSON file that the Python SDK's `JSONTokenStorage`
//! reads and writes too.

mod document;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use document::Document;

use crate::fs::{
    FileLock, lock_path_for, prepare_parent, read_if_exists, tighten_file, write_atomically, write_target,
};
use crate::storage::DEFAULT_NAMESPACE;
use crate::warning::Warnings;
use crate::{Error, StorageWarning, StoredToken, TokenStorage};

/// What this SDK writes as `"globus-sdk.version"` unless told otherwise.
pub const SDK_VERSION: &str = concat!("globus-sdk-rs ", env!("CARGO_PKG_VERSION"));

/// A token storage in a JSON file, format "2.0", as Python's `JSONTokenStorage` writes it
/// (format "1.0" is read too, and rewritten as "2.0" on the next write).
///
/// The file is structurally Python's: same keys and values, records without `null`
/// fields. Unlike Python, this storage:
/// - keeps unknown keys (top level, namespaces, record fields);
/// - writes atomically: a temporary file in the same directory, `fsync`, a rename over
///   the file, an `fsync` of the directory, so a reader never sees a half-written file
///   and a crash never truncates it. Readers take no lock;
/// - serialises writers across processes and threads with an exclusive lock on the
///   sibling file `<file>.lock` (0600, never removed; beside the link's target when the
///   path is a symbolic link, which survives writes), and re-reads the file under the
///   lock, so concurrent writers never lose each other's updates. **Python writers ignore
///   this lock**: a Python process writing at the same moment can still lose an update;
/// - never overwrites a file it cannot read (corrupt JSON, unknown `format_version`):
///   every write fails with the error naming the path, and the file stays as it was;
/// - creates missing directories 0700 and the file 0600, and tightens an existing token
///   file to 0600. A directory that already existed is never changed (unless
///   [`own_directory`](JsonTokenStorageBuilder::own_directory) says it is the SDK's own);
///   if others can write it, a [`StorageWarning`] is recorded;
/// - does not rewrite the file when a removal finds nothing to remove.
///
/// Writing needs a writable directory (for the temporary file and the lock file), where
/// Python only needs a writable file. On Windows, a reader that opened the file without
/// `FILE_SHARE_DELETE` (Python does) can make a write fail for that moment; the error is
/// returned and the old file stays whole.
///
/// ```
/// use globus_tokenstorage::{JsonTokenStorage, StoredToken, TokenStorage};
/// # let dir = tempfile::tempdir()?;
/// let storage = JsonTokenStorage::open(dir.path().join("tokens.json"))?;
/// assert!(!storage.file_exists());
/// storage.store_token_data(&StoredToken::new("groups.api.globus.org", "s", "AT", 1_767_232_800))?;
/// let again = JsonTokenStorage::open(storage.path())?;
/// assert_eq!(again.get_token_data("groups.api.globus.org")?.unwrap().expires_at_seconds, 1_767_232_800);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct JsonTokenStorage {
    path: PathBuf,
    namespace: String,
    sdk_version: String,
    warnings: Warnings,
}

/// Options for [`JsonTokenStorage`]; see [`JsonTokenStorage::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct JsonTokenStorageBuilder {
    path: PathBuf,
    namespace: String,
    sdk_version: String,
    own_directory: bool,
}

impl JsonTokenStorageBuilder {
    /// The namespace to read and write (default `"DEFAULT"`).
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = namespace.into();
        self
    }

    /// What to write as `"globus-sdk.version"` (default [`SDK_VERSION`]), e.g. the
    /// name and version of the SDK facade. Python only checks that it is a string.
    pub fn sdk_version(mut self, sdk_version: impl Into<String>) -> Self {
        self.sdk_version = sdk_version.into();
        self
    }

    /// Whether the file's directory belongs to the SDK (such as a GlobusApp's token
    /// directory), so that an existing one is tightened to owner-only (default `false`:
    /// an existing directory is never changed; a warning is recorded when others can
    /// write it).
    pub fn own_directory(mut self, own_directory: bool) -> Self {
        self.own_directory = own_directory;
        self
    }

    /// Creates the missing directories (0700) and tightens an existing token file to
    /// 0600. The file itself is created by the first write.
    pub fn open(self) -> Result<JsonTokenStorage, Error> {
        if self.path.as_os_str().is_empty() {
            return Err(Error::InvalidPath {
                path: self.path,
                reason: "the path is empty",
            });
        }
        let warnings = Warnings::default();
        prepare_parent(&self.path, self.own_directory, &warnings)?;
        tighten_file(&self.path, &warnings);
        Ok(JsonTokenStorage {
            path: self.path,
            namespace: self.namespace,
            sdk_version: self.sdk_version,
            warnings,
        })
    }
}

impl JsonTokenStorage {
    /// Opens the token file at `path` with the namespace `"DEFAULT"` (see
    /// [`JsonTokenStorageBuilder::open`]).
    pub fn open(path: impl Into<PathBuf>) -> Result<Self, Error> {
        Self::builder(path).open()
    }

    /// Options: namespace, `"globus-sdk.version"`, directory ownership.
    ///
    /// ```
    /// use globus_tokenstorage::{JsonTokenStorage, TokenStorage};
    /// # let dir = tempfile::tempdir()?;
    /// let storage = JsonTokenStorage::builder(dir.path().join("tokens.json")).namespace("user-b").open()?;
    /// assert_eq!(storage.namespace(), "user-b");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(path: impl Into<PathBuf>) -> JsonTokenStorageBuilder {
        JsonTokenStorageBuilder {
            path: path.into(),
            namespace: DEFAULT_NAMESPACE.to_owned(),
            sdk_version: SDK_VERSION.to_owned(),
            own_directory: false,
        }
    }

    /// Another handle on the same file, for another namespace.
    pub fn for_namespace(&self, namespace: impl Into<String>) -> Self {
        Self {
            path: self.path.clone(),
            namespace: namespace.into(),
            sdk_version: self.sdk_version.clone(),
            warnings: Warnings::default(),
        }
    }

    /// The token file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the token file exists (Python's `file_exists`): a script can log in only
    /// when it does not.
    pub fn file_exists(&self) -> bool {
        self.path.exists()
    }

    /// The namespaces in the file.
    pub fn namespaces(&self) -> Result<Vec<String>, Error> {
        Ok(self.load()?.namespaces())
    }

    /// The warnings recorded so far (each is also logged once with `tracing`).
    pub fn warnings(&self) -> Vec<StorageWarning> {
        self.warnings.all()
    }

    /// The file's content; a missing file is an empty document.
    fn load(&self) -> Result<Document, Error> {
        match read_if_exists(&self.path)? {
            Some(bytes) => Document::parse(&bytes, &self.path, &self.sdk_version),
            None => Ok(Document::empty(&self.sdk_version)),
        }
    }

    /// A read-modify-write under the lock. `change` says whether it changed anything;
    /// the file is written only then.
    fn update<R>(&self, change: impl FnOnce(&mut Document) -> Result<(R, bool), Error>) -> Result<R, Error> {
        let target = write_target(&self.path);
        let _lock = FileLock::acquire(&lock_path_for(&target), &self.warnings)?;
        let mut document = self.load()?;
        let (result, changed) = change(&mut document)?;
        if changed {
            document.set_sdk_version(&self.sdk_version);
            write_atomically(&target, &document.to_bytes())?;
        }
        Ok(result)
    }
}

impl TokenStorage for JsonTokenStorage {
    fn namespace(&self) -> &str {
        &self.namespace
    }

    fn store_token_data_by_resource_server(&self, tokens: &[StoredToken]) -> Result<(), Error> {
        self.update(|document| {
            document.store(&self.namespace, tokens, &self.path)?;
            Ok(((), true))
        })
    }

    fn get_token_data_by_resource_server(&self) -> Result<BTreeMap<String, StoredToken>, Error> {
        self.load()?.records(&self.namespace, &self.path)
    }

    fn merge_token_data_by_resource_server(&self, tokens: &[StoredToken]) -> Result<(), Error> {
        self.update(|document| {
            let mut stored = document.records(&self.namespace, &self.path)?;
            let tokens = crate::storage::merged(tokens, |rs| stored.remove(rs));
            document.store(&self.namespace, &tokens, &self.path)?;
            Ok(((), true))
        })
    }

    fn remove_token_data(&self, resource_server: &str) -> Result<bool, Error> {
        self.update(|document| {
            let removed = document.remove(&self.namespace, resource_server, &self.path)?;
            Ok((removed, removed))
        })
    }
}
