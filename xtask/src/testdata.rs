//! `cargo xtask testdata [--check]`: keeps `testdata/` an exact copy of the shared test data.
//!
//! The repository carries `testdata/vectors` and `testdata/fixtures`, byte-for-byte copies of
//! `../shared/vectors` and `../shared/fixtures` (relative to the workspace root), so a fresh
//! clone tests with nothing beside it. The shared directory can be moved with the
//! `GLOBUS_SHARED_DIR` environment variable. The file-tree work is in [`tree`].

#[cfg(test)]
mod tests;
mod tree;

use std::path::{Path, PathBuf};

use crate::workspace;

/// The directories copied from the shared directory into `testdata/`.
const TREES: [&str; 2] = ["vectors", "fixtures"];

/// The environment variable that overrides the shared directory's location.
const SHARED_DIR_VAR: &str = "GLOBUS_SHARED_DIR";

/// Runs `cargo xtask testdata [--check]`.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let root = workspace::root();
    match args {
        [] => refresh(&root),
        [flag] if flag == "--check" => check(&root),
        _ => Err(format!(
            "usage: cargo xtask testdata [--check] (got `{}`)",
            args.join(" ")
        )),
    }
}

/// Where the shared test data is.
struct Shared {
    /// The directory holding `vectors/` and `fixtures/`.
    dir: PathBuf,
    /// Whether it came from `GLOBUS_SHARED_DIR` (then it must exist).
    overridden: bool,
}

impl Shared {
    /// `GLOBUS_SHARED_DIR` if set and non-empty, else `<root>/../shared`.
    fn locate(root: &Path) -> Self {
        match std::env::var_os(SHARED_DIR_VAR) {
            Some(dir) if !dir.is_empty() => Self {
                dir: PathBuf::from(dir),
                overridden: true,
            },
            _ => Self {
                dir: root.join("..").join("shared"),
                overridden: false,
            },
        }
    }

    /// How to name the shared directory in messages.
    fn label(&self) -> String {
        if self.overridden {
            format!("{SHARED_DIR_VAR}={}", self.dir.display())
        } else {
            "../shared".to_owned()
        }
    }

    /// The source directory of `tree` (one of [`TREES`]), which must exist.
    fn tree(&self, tree: &str) -> Result<PathBuf, String> {
        let dir = self.dir.join(tree);
        if dir.is_dir() {
            Ok(dir)
        } else {
            Err(format!("testdata: {} has no `{tree}` directory", self.label()))
        }
    }
}

/// Replaces `testdata/vectors` and `testdata/fixtures` with exact copies of the shared ones.
pub(crate) fn refresh(root: &Path) -> Result<(), String> {
    let shared = Shared::locate(root);
    if !shared.dir.is_dir() {
        return Err(format!("testdata: {} not found, nothing to copy from", shared.label()));
    }
    let mut changes = 0;
    for name in TREES {
        let source = shared.tree(name)?;
        let dest = root.join("testdata").join(name);
        let changed = tree::mirror(&source, &dest).map_err(|error| format!("testdata: copying {name}: {error}"))?;
        for change in &changed {
            println!("  {}: testdata/{name}/{}", change.repair(), change.path().display());
        }
        changes += changed.len();
    }
    println!("testdata: testdata/ matches {} ({changes} change(s))", shared.label());
    Ok(())
}

/// Fails, listing every differing, missing or extra path, if `testdata/` has drifted from the
/// shared data. Succeeds with a note when `../shared` does not exist (a fresh clone).
pub(crate) fn check(root: &Path) -> Result<(), String> {
    let shared = Shared::locate(root);
    if !shared.dir.is_dir() {
        if shared.overridden {
            return Err(format!("testdata: {} is not a directory", shared.label()));
        }
        println!("testdata: ../shared not found, drift check skipped");
        return Ok(());
    }
    let mut drift = Vec::new();
    for name in TREES {
        let source = shared.tree(name)?;
        let dest = root.join("testdata").join(name);
        let differences =
            tree::compare(&source, &dest).map_err(|error| format!("testdata: comparing {name}: {error}"))?;
        drift.extend(
            differences
                .iter()
                .map(|difference| format!("  {difference}: testdata/{name}/{}", difference.path().display())),
        );
    }
    if drift.is_empty() {
        println!("testdata: testdata/ matches {}", shared.label());
        return Ok(());
    }
    Err(format!(
        "testdata: testdata/ has drifted from {} (run `cargo xtask testdata` to refresh):\n{}",
        shared.label(),
        drift.join("\n")
    ))
}
