//! The directory of a token file: created owner-only (0700) when missing, never changed
//! when it already existed (unless it is the SDK's own directory), with a warning when
//! others can write it.

use std::io;
use std::path::{Path, PathBuf};

use super::parent_dir;
use crate::Error;
use crate::warning::Warnings;

/// Makes sure the directory of `file` exists. Missing directories are created 0700. When
/// the directory already existed: if `own_directory`, it is tightened to owner-only, else
/// its mode is left alone and a warning is recorded when group or others can write it.
pub(crate) fn prepare_parent(file: &Path, own_directory: bool, warnings: &Warnings) -> Result<(), Error> {
    let dir = parent_dir(file);
    let mut missing: Vec<PathBuf> = Vec::new();
    let mut cursor = Some(dir.as_path());
    while let Some(candidate) = cursor {
        if candidate.as_os_str().is_empty() {
            break;
        }
        match std::fs::metadata(candidate) {
            Ok(_) => break,
            Err(error) if error.kind() == io::ErrorKind::NotFound => missing.push(candidate.to_path_buf()),
            Err(error) => return Err(Error::io("inspect directory", candidate, error)),
        }
        cursor = candidate.parent();
    }
    let created_leaf = !missing.is_empty();
    for candidate in missing.iter().rev() {
        create_private_dir(candidate)?;
    }
    if !created_leaf {
        check_existing(&dir, own_directory, warnings);
    }
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> Result<(), Error> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        // The umask may have taken bits away; set exactly 0700 on what we created.
        Ok(()) => std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|error| Error::io("set permissions of", dir, error)),
        // Someone else created it meanwhile: not ours, leave it.
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(error) => Err(Error::io("create directory", dir, error)),
    }
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> Result<(), Error> {
    match std::fs::create_dir(dir) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(error) => Err(Error::io("create directory", dir, error)),
    }
}

#[cfg(unix)]
fn check_existing(dir: &Path, own_directory: bool, warnings: &Warnings) {
    use std::os::unix::fs::PermissionsExt;

    use crate::StorageWarning;
    let Ok(metadata) = std::fs::metadata(dir) else {
        return;
    };
    let mode = metadata.permissions().mode() & 0o7777;
    if own_directory {
        if mode & 0o077 != 0
            && let Err(error) = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode & 0o7700))
        {
            warnings.push(StorageWarning::ModeNotTightened {
                path: dir.to_path_buf(),
                kind: error.kind(),
            });
        }
    } else if mode & 0o022 != 0 {
        warnings.push(StorageWarning::DirectoryWritableByOthers {
            path: dir.to_path_buf(),
            mode,
        });
    }
}

#[cfg(not(unix))]
fn check_existing(_dir: &Path, _own_directory: bool, _warnings: &Warnings) {}
