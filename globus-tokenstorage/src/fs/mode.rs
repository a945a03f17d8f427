//! Owner-only permissions for token files (Unix modes; nothing to do elsewhere).

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

use crate::warning::{StorageWarning, Warnings};

/// Opens `path` for writing, creating it owner-only (0600) if it is missing. An existing
/// file is neither truncated nor changed.
pub(crate) fn create_private_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Makes an existing token file owner-only (0600). A missing file is fine; a file whose
/// mode cannot be changed gives a warning (reading it may still work).
#[cfg(unix)]
pub(crate) fn tighten_file(path: &Path, warnings: &Warnings) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(metadata) = std::fs::metadata(path) else {
        return;
    };
    if metadata.permissions().mode() & 0o077 == 0 {
        return;
    }
    if let Err(error) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
        warnings.push(StorageWarning::ModeNotTightened {
            path: path.to_path_buf(),
            kind: error.kind(),
        });
    }
}

/// Makes an existing token file owner-only: nothing to do where there are no Unix modes
/// (on Windows, keep token files under `%LOCALAPPDATA%`).
#[cfg(not(unix))]
pub(crate) fn tighten_file(_path: &Path, _warnings: &Warnings) {}
