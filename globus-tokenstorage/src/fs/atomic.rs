//! Atomic replacement of a file: write a temporary file in the same directory, fsync it,
//! rename it over the target, fsync the directory. A reader sees the old file or the new
//! one, never a mix; a crash leaves at worst a stray temporary file, which loading
//! ignores.

use std::io::Write;
use std::path::Path;

use super::parent_dir;
use crate::Error;

/// Replaces `path` with `bytes` atomically. The new file is owner-only (0600) on Unix.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    // tempfile creates the file with O_EXCL and mode 0600.
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|error| Error::io("create a temporary file in", &dir, error))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|error| Error::io("write", temp.path(), error))?;
    temp.persist(path)
        .map_err(|error| Error::io("replace", path, error.error))?;
    sync_dir(&dir)
}

/// Makes the rename durable.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<(), Error> {
    let result = std::fs::File::open(dir).and_then(|handle| handle.sync_all());
    match result {
        Ok(()) => Ok(()),
        // Some filesystems cannot fsync a directory; the rename itself has happened.
        Err(error)
            if matches!(
                error.kind(),
                std::io::ErrorKind::InvalidInput | std::io::ErrorKind::Unsupported
            ) =>
        {
            Ok(())
        }
        Err(error) => Err(Error::io("sync directory", dir, error)),
    }
}

/// Windows and others cannot open a directory to fsync it; the rename is already durable
/// enough there (`MoveFileEx` with write-through is not exposed by std).
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> Result<(), Error> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens.json");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("tokens.json")]);
    }

    #[cfg(unix)]
    #[test]
    fn new_file_is_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens.json");
        write_atomically(&path, b"{}").unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
