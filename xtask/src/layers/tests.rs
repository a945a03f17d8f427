//! Tests of the layering check on small hand-written `cargo metadata` documents.

use serde_json::{Value, json};

use super::check::{Violation, check};

/// How a test edge is declared in `resolve`.
#[derive(Clone, Copy)]
enum Kind {
    /// A normal dependency (`"kind": null`).
    Normal,
    /// A dev-dependency only.
    Dev,
    /// Both a normal and a dev-dependency (two `dep_kinds` entries).
    NormalAndDev,
}

/// A realistic package id: a path id for workspace crates, a registry id for the others.
fn id(name: &str, workspace: bool) -> String {
    if workspace {
        format!("path+file:///work/main/{name}#0.1.0")
    } else {
        format!("registry+https://github.com/rust-lang/crates.io-index#{name}@1.0.0")
    }
}

/// Builds a metadata document with the fields `check` reads (and a few it ignores).
///
/// `workspace` and `external` are package names; `edges` are (from, to, kind) by name.
fn metadata(workspace: &[&str], external: &[&str], edges: &[(&str, &str, Kind)]) -> Value {
    let is_member = |name: &str| workspace.contains(&name);
    let all = workspace.iter().chain(external);
    let packages: Vec<Value> = all
        .clone()
        .map(|&name| json!({"name": name, "version": "0.1.0", "id": id(name, is_member(name))}))
        .collect();
    let nodes: Vec<Value> = all
        .map(|&from| {
            let deps: Vec<Value> = edges
                .iter()
                .filter(|(source, _, _)| *source == from)
                .map(|&(_, to, kind)| {
                    let kinds = match kind {
                        Kind::Normal => json!([{"kind": null, "target": null}]),
                        Kind::Dev => json!([{"kind": "dev", "target": null}]),
                        Kind::NormalAndDev => json!([
                            {"kind": null, "target": null},
                            {"kind": "dev", "target": null}
                        ]),
                    };
                    json!({
                        "name": to.replace('-', "_"),
                        "pkg": id(to, is_member(to)),
                        "dep_kinds": kinds
                    })
                })
                .collect();
            json!({"id": id(from, is_member(from)), "deps": deps, "features": []})
        })
        .collect();
    json!({
        "packages": packages,
        "workspace_members": workspace.iter().map(|name| id(name, true)).collect::<Vec<_>>(),
        "resolve": {"nodes": nodes, "root": null},
        "version": 1
    })
}

/// Shorthand for a banned-crate violation.
fn banned(krate: &str, banned: &str, path: &[&str]) -> Violation {
    Violation::Banned {
        krate: krate.to_owned(),
        banned: banned.to_owned(),
        path: path.iter().map(|name| (*name).to_owned()).collect(),
    }
}

#[test]
fn clean_document_written_by_hand_has_no_violations() {
    // Shaped like real `cargo metadata` output for today's workspace (trimmed).
    let document: Value = serde_json::from_str(
        r#"{
          "packages": [
            {"name": "globus-auth-core", "version": "0.1.0",
             "id": "path+file:///work/main/globus-auth-core#0.1.0"},
            {"name": "xtask", "version": "0.1.0", "id": "path+file:///work/main/xtask#0.1.0"},
            {"name": "serde_json", "version": "1.0.140",
             "id": "registry+https://github.com/rust-lang/crates.io-index#serde_json@1.0.140"},
            {"name": "tokio", "version": "1.54.1",
             "id": "registry+https://github.com/rust-lang/crates.io-index#tokio@1.54.1"}
          ],
          "workspace_members": [
            "path+file:///work/main/globus-auth-core#0.1.0",
            "path+file:///work/main/xtask#0.1.0"
          ],
          "resolve": {
            "nodes": [
              {"id": "path+file:///work/main/globus-auth-core#0.1.0", "dependencies": [],
               "deps": [
                 {"name": "serde_json",
                  "pkg": "registry+https://github.com/rust-lang/crates.io-index#serde_json@1.0.140",
                  "dep_kinds": [{"kind": null, "target": null}]},
                 {"name": "tokio",
                  "pkg": "registry+https://github.com/rust-lang/crates.io-index#tokio@1.54.1",
                  "dep_kinds": [{"kind": "dev", "target": null}]}
               ], "features": []},
              {"id": "path+file:///work/main/xtask#0.1.0", "dependencies": [],
               "deps": [
                 {"name": "globus_auth_core", "pkg": "path+file:///work/main/globus-auth-core#0.1.0",
                  "dep_kinds": [{"kind": null, "target": null}]},
                 {"name": "tokio",
                  "pkg": "registry+https://github.com/rust-lang/crates.io-index#tokio@1.54.1",
                  "dep_kinds": [{"kind": null, "target": null}]}
               ], "features": []},
              {"id": "registry+https://github.com/rust-lang/crates.io-index#serde_json@1.0.140",
               "dependencies": [], "deps": [], "features": []},
              {"id": "registry+https://github.com/rust-lang/crates.io-index#tokio@1.54.1",
               "dependencies": [], "deps": [], "features": []}
            ],
            "root": null
          },
          "target_directory": "/work/main/target",
          "version": 1,
          "workspace_root": "/work/main"
        }"#,
    )
    .expect("test document is valid JSON");
    assert_eq!(check(&document), Vec::new());
}

#[test]
fn clean_full_layering_has_no_violations() {
    let document = metadata(
        &[
            "globus-auth-core",
            "globus-transport",
            "globus-authorizers",
            "globus-tokenstorage",
            "globus-services",
            "globus-transport-hyper",
            "globus-sdk",
            "globus-testing",
            "xtask",
        ],
        &["http", "async-trait", "tokio", "hyper", "rustls"],
        &[
            ("globus-auth-core", "http", Kind::Normal),
            ("globus-auth-core", "globus-testing", Kind::Dev),
            ("globus-transport", "async-trait", Kind::Normal),
            ("globus-transport", "tokio", Kind::Dev),
            ("globus-authorizers", "globus-auth-core", Kind::Normal),
            ("globus-authorizers", "globus-transport", Kind::Normal),
            ("globus-tokenstorage", "globus-auth-core", Kind::Normal),
            ("globus-services", "globus-authorizers", Kind::Normal),
            ("globus-services", "globus-transport", Kind::Normal),
            ("globus-services", "globus-testing", Kind::Dev),
            ("globus-transport-hyper", "globus-transport", Kind::Normal),
            ("globus-transport-hyper", "hyper", Kind::Normal),
            ("globus-transport-hyper", "rustls", Kind::Normal),
            ("globus-transport-hyper", "tokio", Kind::Normal),
            ("globus-sdk", "globus-services", Kind::Normal),
            ("globus-sdk", "globus-tokenstorage", Kind::Normal),
            ("globus-sdk", "globus-transport-hyper", Kind::Normal),
            ("globus-sdk", "tokio", Kind::Normal),
            ("globus-testing", "hyper", Kind::Normal),
            ("globus-testing", "tokio", Kind::Normal),
            ("xtask", "globus-sdk", Kind::Normal),
            ("xtask", "globus-testing", Kind::Normal),
        ],
    );
    assert_eq!(check(&document), Vec::new());
}

#[test]
fn auth_core_reaching_tokio_through_an_intermediate_crate_is_reported_with_its_path() {
    let document = metadata(
        &["globus-auth-core", "xtask"],
        &["http", "some-io", "tokio"],
        &[
            ("globus-auth-core", "http", Kind::Normal),
            ("globus-auth-core", "some-io", Kind::Normal),
            ("some-io", "tokio", Kind::Normal),
            ("xtask", "tokio", Kind::Normal),
        ],
    );
    let violations = check(&document);
    assert_eq!(
        violations,
        vec![banned(
            "globus-auth-core",
            "tokio",
            &["globus-auth-core", "some-io", "tokio"]
        )]
    );
    assert_eq!(
        violations[0].to_string(),
        "globus-auth-core: tokio is reachable through normal dependencies \
         (globus-auth-core -> some-io -> tokio)"
    );
}

#[test]
fn tokio_as_a_dev_dependency_of_auth_core_is_allowed() {
    let document = metadata(
        &["globus-auth-core"],
        &["tokio", "tokio-test"],
        &[
            ("globus-auth-core", "tokio", Kind::Dev),
            ("globus-auth-core", "tokio-test", Kind::Dev),
            ("tokio-test", "tokio", Kind::Normal),
        ],
    );
    assert_eq!(check(&document), Vec::new());
}

#[test]
fn a_dependency_that_is_both_dev_and_normal_counts_as_normal() {
    let document = metadata(
        &["globus-auth-core"],
        &["futures"],
        &[("globus-auth-core", "futures", Kind::NormalAndDev)],
    );
    assert_eq!(
        check(&document),
        vec![banned("globus-auth-core", "futures", &["globus-auth-core", "futures"])]
    );
}

#[test]
fn transport_depending_on_auth_core_is_a_forbidden_workspace_edge() {
    let document = metadata(
        &["globus-auth-core", "globus-transport"],
        &[],
        &[("globus-transport", "globus-auth-core", Kind::Normal)],
    );
    let violations = check(&document);
    assert_eq!(
        violations,
        vec![Violation::WorkspaceEdge {
            krate: "globus-transport".to_owned(),
            dependency: "globus-auth-core".to_owned(),
        }]
    );
    assert_eq!(
        violations[0].to_string(),
        "globus-transport: normal dependency on workspace crate globus-auth-core is not allowed \
         (globus-transport -> globus-auth-core)"
    );
}

#[test]
fn workspace_edges_through_dev_dependencies_are_free() {
    let document = metadata(
        &["globus-auth-core", "globus-transport", "globus-testing"],
        &[],
        &[
            ("globus-transport", "globus-auth-core", Kind::Dev),
            ("globus-transport", "globus-testing", Kind::Dev),
            ("globus-auth-core", "globus-testing", Kind::Dev),
        ],
    );
    assert_eq!(check(&document), Vec::new());
}

#[test]
fn sdk_reaching_hyper_only_through_transport_hyper_is_clean() {
    let document = metadata(
        &["globus-transport", "globus-transport-hyper", "globus-sdk"],
        &["hyper", "hyper-util", "hyper-rustls", "rustls", "tokio"],
        &[
            ("globus-sdk", "globus-transport", Kind::Normal),
            ("globus-sdk", "globus-transport-hyper", Kind::Normal),
            ("globus-sdk", "tokio", Kind::Normal),
            ("globus-transport-hyper", "globus-transport", Kind::Normal),
            ("globus-transport-hyper", "hyper-rustls", Kind::Normal),
            ("globus-transport-hyper", "hyper-util", Kind::Normal),
            ("hyper-rustls", "hyper", Kind::Normal),
            ("hyper-rustls", "rustls", Kind::Normal),
            ("hyper-util", "hyper", Kind::Normal),
            ("hyper", "tokio", Kind::Normal),
        ],
    );
    assert_eq!(check(&document), Vec::new());
}

#[test]
fn sdk_depending_on_hyper_directly_is_reported() {
    let document = metadata(
        &["globus-transport-hyper", "globus-sdk"],
        &["hyper"],
        &[
            ("globus-sdk", "globus-transport-hyper", Kind::Normal),
            ("globus-sdk", "hyper", Kind::Normal),
            ("globus-transport-hyper", "hyper", Kind::Normal),
        ],
    );
    assert_eq!(
        check(&document),
        vec![banned("globus-sdk", "hyper", &["globus-sdk", "hyper"])]
    );
}

#[test]
fn sdk_may_not_depend_on_testing_or_xtask() {
    let document = metadata(
        &["globus-sdk", "globus-testing", "xtask"],
        &[],
        &[
            ("globus-sdk", "globus-testing", Kind::Normal),
            ("globus-sdk", "xtask", Kind::Normal),
        ],
    );
    let offending: Vec<String> = check(&document)
        .into_iter()
        .map(|violation| match violation {
            Violation::WorkspaceEdge { dependency, .. } => dependency,
            other => panic!("unexpected violation {other}"),
        })
        .collect();
    assert_eq!(offending, ["globus-testing", "xtask"]);
}

#[test]
fn metadata_without_resolve_is_malformed() {
    let mut document = metadata(&["globus-auth-core"], &[], &[]);
    document["resolve"] = Value::Null;
    let violations = check(&document);
    assert!(
        matches!(violations.as_slice(), [Violation::Malformed { .. }]),
        "{violations:?}"
    );
}
