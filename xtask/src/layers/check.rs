//! The pure layering check over a `cargo metadata --format-version 1` document.
//!
//! Crates are identified by the `name` of the package with a given id in `packages`; ids are
//! never parsed. Edges come from `resolve.nodes[].deps[]`, which already reflects the
//! activated features, and only edges with a normal kind (`"kind": null`) are followed, so
//! dev- and build-dependencies are free.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;

use serde_json::Value;

use super::rules::{self, Rule};

/// One breach of the layering rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Violation {
    /// A workspace crate has a normal dependency on a workspace crate it may not depend on.
    WorkspaceEdge {
        /// The depending workspace crate.
        krate: String,
        /// The workspace crate it depends on.
        dependency: String,
    },
    /// A banned crate is reachable from a workspace crate through normal dependencies.
    Banned {
        /// The workspace crate the banned crate is reachable from.
        krate: String,
        /// The banned crate.
        banned: String,
        /// Crate names from `krate` to `banned` (both included), along a shortest path.
        path: Vec<String>,
    },
    /// The metadata document lacks something the check needs.
    Malformed {
        /// What is missing or wrong.
        reason: String,
    },
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WorkspaceEdge { krate, dependency } => write!(
                f,
                "{krate}: normal dependency on workspace crate {dependency} is not allowed \
                 ({krate} -> {dependency})"
            ),
            Self::Banned { krate, banned, path } => write!(
                f,
                "{krate}: {banned} is reachable through normal dependencies ({})",
                path.join(" -> ")
            ),
            Self::Malformed { reason } => write!(f, "cargo metadata: {reason}"),
        }
    }
}

/// Checks a `cargo metadata` document against the layering rules.
///
/// Returns the violations ordered by workspace crate name; empty means the workspace is clean.
/// Rules for crates that are not in the workspace are skipped.
pub(crate) fn check(metadata: &Value) -> Vec<Violation> {
    match Graph::parse(metadata) {
        Ok(graph) => graph.violations(),
        Err(reason) => vec![Violation::Malformed { reason }],
    }
}

/// The resolve graph restricted to normal-kind edges, with package names.
struct Graph<'a> {
    /// Package name by package id.
    names: HashMap<&'a str, &'a str>,
    /// Workspace members as (name, id), sorted by name.
    members: Vec<(&'a str, &'a str)>,
    /// Normal-kind dependency ids by package id, in the order `resolve` lists them.
    normal_deps: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Graph<'a> {
    /// Reads the parts of the metadata document the check needs.
    fn parse(metadata: &'a Value) -> Result<Self, String> {
        let mut names = HashMap::new();
        for package in array(metadata, "packages")? {
            names.insert(string(package, "id")?, string(package, "name")?);
        }
        let name_of = |id: &'a str| {
            names
                .get(id)
                .copied()
                .ok_or_else(|| format!("package id `{id}` is not in `packages`"))
        };

        let mut members = Vec::new();
        for member in array(metadata, "workspace_members")? {
            let id = member.as_str().ok_or("`workspace_members` holds a non-string")?;
            members.push((name_of(id)?, id));
        }
        members.sort_unstable();

        let resolve = metadata
            .get("resolve")
            .filter(|resolve| !resolve.is_null())
            .ok_or("no `resolve` section (was it run with --no-deps?)")?;
        let mut normal_deps = HashMap::new();
        for node in array(resolve, "nodes")? {
            let id = string(node, "id")?;
            let mut deps = Vec::new();
            for dep in array(node, "deps")? {
                let dep_id = string(dep, "pkg")?;
                name_of(dep_id)?;
                if is_normal(dep) {
                    deps.push(dep_id);
                }
            }
            normal_deps.insert(id, deps);
        }

        Ok(Self {
            names,
            members,
            normal_deps,
        })
    }

    /// The package name of `id` (the id itself if unknown; `parse` checked every id).
    fn name(&self, id: &'a str) -> &'a str {
        self.names.get(id).copied().unwrap_or(id)
    }

    /// The normal-kind dependencies of `id`.
    fn deps(&self, id: &str) -> &[&'a str] {
        self.normal_deps.get(id).map_or(&[], Vec::as_slice)
    }

    /// Every violation, ordered by workspace crate name.
    fn violations(&self) -> Vec<Violation> {
        let member_ids: HashSet<&str> = self.members.iter().map(|&(_, id)| id).collect();
        let mut violations = Vec::new();
        for &(krate, id) in &self.members {
            let rule = rules::for_crate(krate);
            for &dep in self.deps(id) {
                let dependency = self.name(dep);
                if member_ids.contains(dep) && !rule.allows_workspace_dep(dependency) {
                    violations.push(Violation::WorkspaceEdge {
                        krate: krate.to_owned(),
                        dependency: dependency.to_owned(),
                    });
                }
            }
            if !rule.banned.is_empty() {
                self.banned_reachable(id, rule, &mut violations);
            }
        }
        violations
    }

    /// Breadth-first search from `start` over normal edges, reporting each banned crate name
    /// once with a shortest path. The search does not go past `rule.banned_ok_via`.
    fn banned_reachable(&self, start: &'a str, rule: &Rule, violations: &mut Vec<Violation>) {
        let mut parent: HashMap<&str, &str> = HashMap::new();
        let mut seen = HashSet::from([start]);
        let mut queue = VecDeque::from([start]);
        let mut reported = HashSet::new();
        while let Some(id) = queue.pop_front() {
            for &dep in self.deps(id) {
                if !seen.insert(dep) {
                    continue;
                }
                parent.insert(dep, id);
                let name = self.name(dep);
                if rule.banned.contains(&name) && reported.insert(name) {
                    violations.push(Violation::Banned {
                        krate: self.name(start).to_owned(),
                        banned: name.to_owned(),
                        path: self.path(&parent, start, dep),
                    });
                }
                if !rule.banned_ok_via.contains(&name) {
                    queue.push_back(dep);
                }
            }
        }
    }

    /// Crate names from `start` to `end`, following the search's `parent` links back.
    fn path(&self, parent: &HashMap<&str, &str>, start: &str, end: &'a str) -> Vec<String> {
        let mut path = vec![self.name(end).to_owned()];
        let mut current = end;
        while current != start {
            let Some(&previous) = parent.get(current) else {
                break;
            };
            path.push(self.name(previous).to_owned());
            current = previous;
        }
        path.reverse();
        path
    }
}

/// Whether a `resolve` dependency entry has a normal kind.
///
/// A missing `dep_kinds` (cargo older than 1.41) or `kind` counts as normal, so an old cargo
/// can only make the check stricter.
fn is_normal(dep: &Value) -> bool {
    match dep.get("dep_kinds").and_then(Value::as_array) {
        Some(kinds) => kinds.iter().any(|kind| kind.get("kind").is_none_or(Value::is_null)),
        None => true,
    }
}

/// The array at `value[key]`, or an error naming the key.
fn array<'v>(value: &'v Value, key: &str) -> Result<&'v Vec<Value>, String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("missing array `{key}`"))
}

/// The string at `value[key]`, or an error naming the key.
fn string<'v>(value: &'v Value, key: &str) -> Result<&'v str, String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("missing string `{key}`"))
}
