//! The layering rules, one entry per workspace crate (DESIGN.md §1 and §6 "Layout").

/// Which workspace crates a crate may have as normal (not dev, not build) dependencies.
pub(crate) enum WorkspaceDeps {
    /// Only these.
    Only(&'static [&'static str]),
    /// Any workspace crate except these.
    AnyExcept(&'static [&'static str]),
}

/// The rule for one workspace crate.
pub(crate) struct Rule {
    /// The crate's package name.
    pub(crate) krate: &'static str,
    /// The workspace crates it may depend on through normal dependencies.
    pub(crate) workspace_deps: WorkspaceDeps,
    /// Crates that must not be reachable from it through normal dependencies.
    pub(crate) banned: &'static [&'static str],
    /// Crates through which a banned crate may be reached: the search does not go past them.
    pub(crate) banned_ok_via: &'static [&'static str],
}

impl Rule {
    /// Whether a normal dependency on the workspace crate `dependency` is allowed.
    pub(crate) fn allows_workspace_dep(&self, dependency: &str) -> bool {
        match self.workspace_deps {
            WorkspaceDeps::Only(allowed) => allowed.contains(&dependency),
            WorkspaceDeps::AnyExcept(denied) => !denied.contains(&dependency),
        }
    }
}

/// The HTTP stack that only `globus-transport-hyper` may name, plus the tokio runtime.
const HTTP_STACK_AND_TOKIO: &[&str] = &["hyper", "hyper-util", "hyper-rustls", "rustls", "reqwest", "tokio"];

/// The rules for every crate the design names. A crate not listed here may have no normal
/// dependency on a workspace crate and has no banned crates.
const RULES: &[Rule] = &[
    Rule {
        krate: "globus-auth-core",
        workspace_deps: WorkspaceDeps::Only(&[]),
        banned: &[
            "tokio",
            "futures",
            "futures-util",
            "futures-core",
            "async-trait",
            "hyper",
            "hyper-util",
            "hyper-rustls",
            "rustls",
            "reqwest",
            "async-std",
            "smol",
            "mio",
        ],
        banned_ok_via: &[],
    },
    Rule {
        krate: "globus-tokenstorage",
        workspace_deps: WorkspaceDeps::Only(&["globus-auth-core"]),
        banned: &[
            "tokio",
            "async-trait",
            "hyper",
            "hyper-util",
            "hyper-rustls",
            "rustls",
            "reqwest",
            "futures",
            "futures-util",
        ],
        banned_ok_via: &[],
    },
    Rule {
        krate: "globus-transport",
        workspace_deps: WorkspaceDeps::Only(&[]),
        banned: HTTP_STACK_AND_TOKIO,
        banned_ok_via: &[],
    },
    Rule {
        krate: "globus-authorizers",
        workspace_deps: WorkspaceDeps::Only(&["globus-auth-core", "globus-transport"]),
        banned: HTTP_STACK_AND_TOKIO,
        banned_ok_via: &[],
    },
    Rule {
        krate: "globus-services",
        workspace_deps: WorkspaceDeps::Only(&["globus-auth-core", "globus-transport", "globus-authorizers"]),
        banned: HTTP_STACK_AND_TOKIO,
        banned_ok_via: &[],
    },
    Rule {
        krate: "globus-transport-hyper",
        workspace_deps: WorkspaceDeps::Only(&["globus-transport"]),
        banned: &[],
        banned_ok_via: &[],
    },
    Rule {
        krate: "globus-sdk",
        workspace_deps: WorkspaceDeps::AnyExcept(&["xtask", "globus-testing"]),
        banned: &["hyper", "hyper-util", "hyper-rustls", "rustls"],
        banned_ok_via: &["globus-transport-hyper"],
    },
    Rule {
        krate: "globus-testing",
        workspace_deps: WorkspaceDeps::Only(&[]),
        banned: &[],
        banned_ok_via: &[],
    },
    Rule {
        krate: "xtask",
        workspace_deps: WorkspaceDeps::AnyExcept(&[]),
        banned: &[],
        banned_ok_via: &[],
    },
];

/// The rule for a crate the design does not name.
const UNLISTED: Rule = Rule {
    krate: "",
    workspace_deps: WorkspaceDeps::Only(&[]),
    banned: &[],
    banned_ok_via: &[],
};

/// The rule for the workspace crate named `krate`.
pub(crate) fn for_crate(krate: &str) -> &'static Rule {
    RULES.iter().find(|rule| rule.krate == krate).unwrap_or(&UNLISTED)
}
