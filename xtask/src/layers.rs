//! `cargo xtask layers`: checks the crate layering rules of DESIGN.md §1 and §6.
//!
//! The rules themselves are in [`rules`]; the pure check over `cargo metadata` JSON is in
//! [`check`]. This module only runs `cargo metadata` and reports.

mod check;
mod rules;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::process::Stdio;

use serde_json::Value;

use crate::workspace;

/// Runs `cargo xtask layers` (takes no arguments).
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    if !args.is_empty() {
        return Err(format!("layers takes no arguments (got `{}`)", args.join(" ")));
    }
    enforce(&workspace::root())
}

/// Checks the workspace at `root`: prints one line per violation and fails if there is any.
pub(crate) fn enforce(root: &Path) -> Result<(), String> {
    let metadata = metadata(root)?;
    let violations = check::check(&metadata);
    if violations.is_empty() {
        let members = metadata
            .get("workspace_members")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        println!("layers: ok ({members} workspace crates checked)");
        return Ok(());
    }
    for violation in &violations {
        eprintln!("{violation}");
    }
    Err(format!(
        "layers: {} violation(s) of the layering rules (DESIGN.md §1 and §6)",
        violations.len()
    ))
}

/// Runs `cargo metadata --format-version 1 --all-features` in `root` and parses its output.
///
/// All features are on so that every optional dependency a user could activate is in the
/// resolve graph the check walks.
fn metadata(root: &Path) -> Result<Value, String> {
    let output = workspace::cargo(root)
        .args(["metadata", "--format-version", "1", "--all-features"])
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("could not start `cargo metadata`: {error}"))?;
    if !output.status.success() {
        return Err(format!("`cargo metadata` failed: {}", output.status));
    }
    serde_json::from_slice(&output.stdout).map_err(|error| format!("`cargo metadata` printed invalid JSON: {error}"))
}
