//! [`StorageWarning`]: problems worth telling the user about that do not stop the storage.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

/// Something a file storage noticed that does not stop it from working. Each warning is
/// logged once with `tracing::warn!` (target `globus_tokenstorage`) and kept, so a
/// program can show it: see `JsonTokenStorage::warnings` and `SqliteTokenStorage::warnings`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StorageWarning {
    /// A directory that holds a token file, which this SDK did not create, can be written
    /// by its group or by others (another user could replace the token file). Its mode
    /// is left as it is.
    DirectoryWritableByOthers {
        /// The directory.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The filesystem does not support file locks: writes go on without the lock, so
    /// writers in several processes at once may lose updates.
    LockingUnsupported {
        /// The lock file.
        path: PathBuf,
    },
    /// The permissions of an existing token file or directory could not be tightened to
    /// owner-only (for example, it belongs to another user).
    ModeNotTightened {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        kind: io::ErrorKind,
    },
    /// WAL was asked for, but SQLite kept another journal mode.
    WalUnavailable {
        /// The database.
        path: PathBuf,
        /// The journal mode SQLite reported.
        journal_mode: String,
    },
}

impl fmt::Display for StorageWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DirectoryWritableByOthers { path, mode } => write!(
                f,
                "the directory '{}' (mode {mode:o}) can be written by other users",
                path.display()
            ),
            Self::LockingUnsupported { path } => write!(
                f,
                "file locking is not supported for '{}'; concurrent writers may lose updates",
                path.display()
            ),
            Self::ModeNotTightened { path, kind } => {
                write!(f, "could not make '{}' private to its owner: {kind}", path.display())
            }
            Self::WalUnavailable { path, journal_mode } => write!(
                f,
                "WAL was requested for '{}' but SQLite uses journal mode \"{journal_mode}\"",
                path.display()
            ),
        }
    }
}

/// The warnings of one storage: each is logged and recorded once.
#[derive(Debug, Default)]
pub(crate) struct Warnings(Mutex<Vec<StorageWarning>>);

impl Warnings {
    pub(crate) fn push(&self, warning: StorageWarning) {
        let mut warnings = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if !warnings.contains(&warning) {
            tracing::warn!(target: "globus_tokenstorage", "{warning}");
            warnings.push(warning);
        }
    }

    pub(crate) fn all(&self) -> Vec<StorageWarning> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_are_kept_once() {
        let warnings = Warnings::default();
        let warning = StorageWarning::LockingUnsupported {
            path: PathBuf::from("/x/tokens.json.lock"),
        };
        warnings.push(warning.clone());
        warnings.push(warning.clone());
        assert_eq!(warnings.all(), vec![warning]);
    }
}
