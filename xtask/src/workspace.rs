//! Where the workspace is and how to run cargo in it.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root: the parent of this crate's directory (xtask lives at `<root>/xtask`).
pub(crate) fn root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.to_path_buf(), Path::to_path_buf)
}

/// A `cargo` command that runs in `root`.
///
/// Uses the cargo that started us (the `CARGO` environment variable, set by `cargo run`) so a
/// toolchain override applies to every step, and falls back to `cargo` on the `PATH`.
pub(crate) fn cargo(root: &Path) -> Command {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut command = Command::new(program);
    command.current_dir(root);
    command
}
