//! File-system plumbing shared by the file storages: private directories and modes,
//! the sibling lock file, and atomic replacement.

mod atomic;
mod dirs;
mod lock;
mod mode;

pub(crate) use atomic::write_atomically;
pub(crate) use dirs::prepare_parent;
pub(crate) use lock::{FileLock, lock_path_for};
pub(crate) use mode::{create_private_file, tighten_file};

use std::io;
use std::path::{Path, PathBuf};

use crate::Error;

/// Reads a whole file; `None` when it does not exist.
pub(crate) fn read_if_exists(path: &Path) -> Result<Option<Vec<u8>>, Error> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(Error::io("read", path, error)),
    }
}

/// The file a write replaces: the target of a symbolic link (so that the link survives
/// and every writer locks the same lock file), else the path itself.
pub(crate) fn write_target(path: &Path) -> PathBuf {
    let mut current = path.to_path_buf();
    // Follow a chain of links (even to a file that does not exist yet), as `open` would.
    for _ in 0..40 {
        match std::fs::read_link(&current) {
            Ok(target) if target.is_absolute() => current = target,
            Ok(target) => current = parent_dir(&current).join(target),
            Err(_) => break,
        }
    }
    current
}

/// The directory that holds `path` (`.` for a bare file name).
pub(crate) fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
