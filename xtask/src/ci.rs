//! `cargo xtask ci`: every check CI runs, in order, stopping at the first failure.

use std::path::Path;

use crate::{layers, testdata, workspace};

/// What a CI step does.
enum Action {
    /// Run cargo with these arguments and extra environment variables.
    Cargo {
        /// Arguments after `cargo`.
        args: &'static [&'static str],
        /// Extra environment variables for the cargo process.
        env: &'static [(&'static str, &'static str)],
    },
    /// Run a check inside this process, given the workspace root.
    InProcess(fn(&Path) -> Result<(), String>),
}

/// One named CI step.
struct Step {
    /// The name printed before the step runs and in its failure message.
    name: &'static str,
    /// What the step does.
    action: Action,
}

/// The CI steps, in the order they run.
const STEPS: &[Step] = &[
    Step {
        name: "cargo fmt --all --check",
        action: Action::Cargo {
            args: &["fmt", "--all", "--check"],
            env: &[],
        },
    },
    Step {
        name: "cargo clippy --workspace --all-targets -- -D warnings",
        action: Action::Cargo {
            args: &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"],
            env: &[],
        },
    },
    Step {
        name: "cargo test --workspace",
        action: Action::Cargo {
            args: &["test", "--workspace"],
            env: &[],
        },
    },
    Step {
        name: "RUSTDOCFLAGS='-D warnings' cargo doc --workspace --no-deps",
        action: Action::Cargo {
            args: &["doc", "--workspace", "--no-deps"],
            env: &[("RUSTDOCFLAGS", "-D warnings")],
        },
    },
    Step {
        name: "cargo xtask layers",
        action: Action::InProcess(layers::enforce),
    },
    Step {
        name: "cargo xtask testdata --check",
        action: Action::InProcess(testdata::check),
    },
];

/// Runs `cargo xtask ci` (takes no arguments).
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    if !args.is_empty() {
        return Err(format!("ci takes no arguments (got `{}`)", args.join(" ")));
    }
    let root = workspace::root();
    let total = STEPS.len();
    for (index, step) in STEPS.iter().enumerate() {
        let number = index + 1;
        println!("==> ci [{number}/{total}] {}", step.name);
        run_step(&root, &step.action)
            .map_err(|error| format!("ci step {number}/{total} `{}` failed: {error}", step.name))?;
    }
    println!("==> ci: all {total} steps passed");
    Ok(())
}

/// Runs one step's action from the workspace root.
fn run_step(root: &Path, action: &Action) -> Result<(), String> {
    match action {
        Action::Cargo { args, env } => {
            let mut command = workspace::cargo(root);
            command.args(*args).envs(env.iter().copied());
            let status = command
                .status()
                .map_err(|error| format!("could not start cargo: {error}"))?;
            if status.success() {
                Ok(())
            } else {
                Err(format!("cargo {status}"))
            }
        }
        Action::InProcess(check) => check(root),
    }
}
