//! `cargo xtask`: workspace automation for globus-sdk-rs.
//!
//! Run through the alias in `.cargo/config.toml` (`cargo xtask <command>`). Each command lives
//! in its own module and returns `Result<(), String>`; this file only dispatches on the first
//! argument, prints the error of a failed command and exits with status 1.

mod ci;
mod demo;
mod layers;
mod testdata;
mod workspace;

use std::process::ExitCode;

/// The help text, printed for `help` and for a missing or unknown command.
const USAGE: &str = "\
usage: cargo xtask <command> [args]

commands:
  ci                  fmt, clippy, test, doc, layers and testdata --check, stopping at the first failure
  layers              check the crate layering rules (DESIGN.md §1 and §6) against `cargo metadata`
  testdata [--check]  refresh testdata/ from ../shared (with --check: fail if it has drifted)
  demo                the tutorial (login, endpoints, groups, refresh) against the embedded fake Globus";

/// Dispatches `cargo xtask <command> [args]` to the command's module.
fn main() -> ExitCode {
    let mut args = std::env::args_os()
        .skip(1)
        .map(|arg| arg.to_string_lossy().into_owned());
    let Some(command) = args.next() else {
        eprintln!("{USAGE}");
        return ExitCode::FAILURE;
    };
    let rest: Vec<String> = args.collect();

    let result = match command.as_str() {
        "ci" => ci::run(&rest),
        "layers" => layers::run(&rest),
        "testdata" => testdata::run(&rest),
        "demo" => demo::run(&rest),
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };

    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
