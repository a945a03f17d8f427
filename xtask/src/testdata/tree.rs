//! Comparing and mirroring directory trees byte for byte.
//!
//! Only files count: a tree is the set of file paths under it (relative to its root) and their
//! bytes. Directories are walked without following symbolic links; anything that is not a
//! directory is treated as a file.

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// How one path differs between an expected tree and an actual one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Difference {
    /// In the expected tree, not in the actual one.
    Missing(PathBuf),
    /// In the actual tree, not in the expected one.
    Extra(PathBuf),
    /// In both, with different bytes.
    Differs(PathBuf),
}

impl Difference {
    /// The path, relative to the trees' roots.
    pub(crate) fn path(&self) -> &Path {
        match self {
            Self::Missing(path) | Self::Extra(path) | Self::Differs(path) => path,
        }
    }

    /// What [`mirror`] did to repair this difference.
    pub(crate) fn repair(&self) -> &'static str {
        match self {
            Self::Missing(_) => "added",
            Self::Extra(_) => "removed",
            Self::Differs(_) => "updated",
        }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Missing(_) => "missing",
            Self::Extra(_) => "extra",
            Self::Differs(_) => "differs",
        })
    }
}

/// Compares the files under `expected` (which must be a directory) with those under `actual`
/// (which may be absent: then every file is missing). The result is sorted by path.
pub(crate) fn compare(expected: &Path, actual: &Path) -> io::Result<Vec<Difference>> {
    let wanted = Listing::of_source(expected)?;
    let present = Listing::of(actual)?;
    let mut differences = Vec::new();
    for path in wanted.files.union(&present.files) {
        let difference = match (wanted.files.contains(path), present.files.contains(path)) {
            (true, false) => Difference::Missing(path.clone()),
            (false, _) => Difference::Extra(path.clone()),
            (true, true) if same_bytes(&expected.join(path), &actual.join(path))? => continue,
            (true, true) => Difference::Differs(path.clone()),
        };
        differences.push(difference);
    }
    Ok(differences)
}

/// Makes `dest` an exact copy of `source`: writes missing and differing files, deletes files
/// and directories that `source` lacks, and leaves identical files untouched. Returns the
/// differences it repaired.
///
/// Files are written with fresh default permissions (the source may be read-only).
pub(crate) fn mirror(source: &Path, dest: &Path) -> io::Result<Vec<Difference>> {
    let wanted = Listing::of_source(source)?;
    let differences = compare(source, dest)?;

    // Directories first: a directory `dest` has where `source` has a file (or nothing) goes
    // with everything in it. Sorted order removes a parent before its children.
    for dir in Listing::of(dest)?.dirs.difference(&wanted.dirs) {
        let path = dest.join(dir);
        if path.is_dir() {
            fs::remove_dir_all(&path).map_err(|error| with_path(&path, error))?;
        }
    }
    for difference in &differences {
        if let Difference::Extra(relative) = difference {
            let path = dest.join(relative);
            if fs::symlink_metadata(&path).is_ok() {
                fs::remove_file(&path).map_err(|error| with_path(&path, error))?;
            }
        }
    }
    for difference in &differences {
        if let Difference::Missing(relative) | Difference::Differs(relative) = difference {
            let from = source.join(relative);
            let to = dest.join(relative);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|error| with_path(parent, error))?;
            }
            let bytes = fs::read(&from).map_err(|error| with_path(&from, error))?;
            if fs::symlink_metadata(&to).is_ok() {
                fs::remove_file(&to).map_err(|error| with_path(&to, error))?;
            }
            fs::write(&to, bytes).map_err(|error| with_path(&to, error))?;
        }
    }
    Ok(differences)
}

/// The files and directories under a root, as paths relative to it.
#[derive(Default)]
struct Listing {
    /// Everything that is not a directory.
    files: BTreeSet<PathBuf>,
    /// Directories (the root itself excluded).
    dirs: BTreeSet<PathBuf>,
}

impl Listing {
    /// Lists `root`, which must be a directory.
    fn of_source(root: &Path) -> io::Result<Self> {
        if root.is_dir() {
            Self::of(root)
        } else {
            Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{} is not a directory", root.display()),
            ))
        }
    }

    /// Lists `root`; an absent root lists as empty.
    fn of(root: &Path) -> io::Result<Self> {
        let mut listing = Self::default();
        if root.is_dir() {
            listing.walk(root, Path::new(""))?;
        }
        Ok(listing)
    }

    /// Adds the entries under `root/relative`.
    fn walk(&mut self, root: &Path, relative: &Path) -> io::Result<()> {
        let dir = root.join(relative);
        for entry in fs::read_dir(&dir).map_err(|error| with_path(&dir, error))? {
            let entry = entry.map_err(|error| with_path(&dir, error))?;
            let path = relative.join(entry.file_name());
            let file_type = entry.file_type().map_err(|error| with_path(&root.join(&path), error))?;
            if file_type.is_dir() {
                self.walk(root, &path)?;
                self.dirs.insert(path);
            } else {
                self.files.insert(path);
            }
        }
        Ok(())
    }
}

/// Whether two files have the same bytes.
fn same_bytes(a: &Path, b: &Path) -> io::Result<bool> {
    let read = |path: &Path| fs::read(path).map_err(|error| with_path(path, error));
    let len = |path: &Path| {
        fs::metadata(path)
            .map(|metadata| metadata.len())
            .map_err(|error| with_path(path, error))
    };
    Ok(len(a)? == len(b)? && read(a)? == read(b)?)
}

/// Adds the path an I/O error is about to its message.
fn with_path(path: &Path, error: io::Error) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}
