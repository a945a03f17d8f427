//! The sibling lock file `<file>.lock`: created owner-only, never renamed or deleted,
//! locked exclusively by writers with `std::fs::File::lock`. The data file itself is
//! never locked, since every write replaces its inode.

use std::ffi::OsString;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use super::create_private_file;
use crate::Error;
use crate::warning::{StorageWarning, Warnings};

/// `<file>.lock`, beside the data file.
pub(crate) fn lock_path_for(path: &Path) -> PathBuf {
    let mut name = OsString::from(path.as_os_str());
    name.push(".lock");
    PathBuf::from(name)
}

/// An exclusive lock on a lock file, held until dropped (closing the file releases it).
#[derive(Debug)]
pub(crate) struct FileLock {
    file: Option<File>,
}

impl FileLock {
    /// Waits for the exclusive lock. If the filesystem cannot lock, a warning is recorded
    /// (once) and the write goes on unlocked.
    pub(crate) fn acquire(lock_path: &Path, warnings: &Warnings) -> Result<Self, Error> {
        let file = create_private_file(lock_path).map_err(|error| Error::io("open lock file", lock_path, error))?;
        match file.lock() {
            Ok(()) => Ok(Self { file: Some(file) }),
            Err(error) if locking_unsupported(&error) => {
                warnings.push(StorageWarning::LockingUnsupported {
                    path: lock_path.to_path_buf(),
                });
                Ok(Self { file: None })
            }
            Err(error) => Err(Error::io("lock", lock_path, error)),
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            // Closing the file releases the lock as well; unlock first to be explicit.
            let _ = file.unlock();
        }
    }
}

/// Errors that mean "this filesystem has no locks" (NFS without a lock daemon, some
/// FUSE filesystems) rather than a real failure.
fn locking_unsupported(error: &io::Error) -> bool {
    if error.kind() == io::ErrorKind::Unsupported {
        return true;
    }
    // ENOLCK, ENOSYS, EOPNOTSUPP
    #[cfg(target_os = "linux")]
    const CODES: &[i32] = &[37, 38, 95];
    #[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
    const CODES: &[i32] = &[77, 78, 45];
    #[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "ios", target_os = "freebsd")))]
    const CODES: &[i32] = &[];
    error.raw_os_error().is_some_and(|code| CODES.contains(&code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_path_is_a_sibling() {
        assert_eq!(
            lock_path_for(Path::new("/a/b/tokens.json")),
            PathBuf::from("/a/b/tokens.json.lock")
        );
    }

    #[test]
    fn unsupported_errors_are_recognised() {
        assert!(locking_unsupported(&io::Error::from(io::ErrorKind::Unsupported)));
        assert!(!locking_unsupported(&io::Error::from(io::ErrorKind::PermissionDenied)));
    }
}
