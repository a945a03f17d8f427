//! `scopes.json`: `ScopeParser.parse`, `ScopeParser.serialize`, the `Scope` constructor,
//! the evolvers and the scope collections.

use globus_auth_core::scopes::{
    AuthScopes, ComputeScopes, FlowsScopes, GcsCollectionScopes, GcsEndpointScopes, GroupsScopes, NexusScopes, Scope,
    SearchScopes, SpecificFlowScopes, TimersScopes, TransferScopes, parse, serialize,
};
use serde_json::{Value, json};

use crate::Outcome;
use crate::python::{check_error, expect_eq, scope_items, to_scope};

/// A scope tree as JSON, with dependencies sorted by (scope_string, optional): the
/// vectors' canonical order, since parse output order is unspecified.
fn canonical(scope: &Scope) -> Value {
    let mut dependencies: Vec<Value> = scope.dependencies().iter().map(canonical).collect();
    sort(&mut dependencies);
    json!({"scope_string": scope.scope_string(), "optional": scope.optional(), "dependencies": dependencies})
}

fn sort(trees: &mut [Value]) {
    trees.sort_by(|a, b| {
        let key = |v: &Value| {
            (
                v["scope_string"].as_str().unwrap_or_default().to_owned(),
                v["optional"].as_bool(),
            )
        };
        key(a).cmp(&key(b))
    });
}

/// Re-sorts an expected tree list, so both sides use the same canonical order.
fn canonical_expected(trees: &Value) -> Value {
    let mut list: Vec<Value> = trees
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|mut tree| {
            tree["dependencies"] = canonical_expected(&tree["dependencies"]);
            tree
        })
        .collect();
    sort(&mut list);
    Value::Array(list)
}

fn canonical_list(scopes: &[Scope]) -> Value {
    let mut list: Vec<Value> = scopes.iter().map(canonical).collect();
    sort(&mut list);
    Value::Array(list)
}

fn run_parse(input: &Value, expected: &Value) -> Outcome {
    let text = input["scope_string"].as_str().ok_or("scope_string missing")?;
    let scopes = match (parse(text), expected.get("error")) {
        (Err(error), Some(wanted)) => return check_error(wanted, &error),
        (Ok(scopes), Some(wanted)) => return Err(format!("expected {wanted}, parsed {scopes:?}")),
        (Err(error), None) => return Err(format!("unexpected error {error}")),
        (Ok(scopes), None) => scopes,
    };
    let wanted_tree = canonical_expected(&expected["parsed"]);
    expect_eq("parsed", &canonical_list(&scopes), &wanted_tree)?;
    expect_eq("count", Some(scopes.len() as u64), expected["count"].as_u64())?;

    let serialized = serialize(&scopes, false).map_err(|e| e.to_string())?;
    let reparsed = parse(&serialized).map_err(|e| format!("re-parsing {serialized:?}: {e}"))?;
    expect_eq(
        "serialized re-parses to the tree",
        &canonical_list(&reparsed),
        &wanted_tree,
    )?;
    if expected["order_unspecified"] == Value::Bool(false) {
        expect_eq("serialized", Some(serialized.as_str()), expected["serialized"].as_str())?;
    }

    let single = Scope::parse(text);
    match (
        &single,
        expected["scope_parse"].get("ok"),
        expected["scope_parse"].get("error"),
    ) {
        (Ok(scope), Some(tree), None) => expect_eq(
            "Scope.parse",
            canonical(scope),
            canonical_expected(&json!([tree]))[0].clone(),
        ),
        (Err(error), None, Some(wanted)) => check_error(wanted, error),
        _ => Err(format!(
            "Scope.parse gave {single:?}, expected {}",
            expected["scope_parse"]
        )),
    }
}

fn static_scope(collection: &str, name: &str) -> Option<&'static str> {
    Some(match (collection, name) {
        ("AuthScopes", "openid") => AuthScopes::OPENID,
        ("AuthScopes", "email") => AuthScopes::EMAIL,
        ("AuthScopes", "profile") => AuthScopes::PROFILE,
        ("AuthScopes", "manage_projects") => AuthScopes::MANAGE_PROJECTS,
        ("AuthScopes", "view_authentications") => AuthScopes::VIEW_AUTHENTICATIONS,
        ("AuthScopes", "view_clients") => AuthScopes::VIEW_CLIENTS,
        ("AuthScopes", "view_clients_and_scopes") => AuthScopes::VIEW_CLIENTS_AND_SCOPES,
        ("AuthScopes", "view_consents") => AuthScopes::VIEW_CONSENTS,
        ("AuthScopes", "view_identities") => AuthScopes::VIEW_IDENTITIES,
        ("AuthScopes", "view_identity_set") => AuthScopes::VIEW_IDENTITY_SET,
        ("TransferScopes", "all") => TransferScopes::ALL,
        ("TransferScopes", "gcp_install") => TransferScopes::GCP_INSTALL,
        ("GroupsScopes", "all") => GroupsScopes::ALL,
        ("GroupsScopes", "view_my_groups_and_memberships") => GroupsScopes::VIEW_MY_GROUPS_AND_MEMBERSHIPS,
        ("NexusScopes", "groups") => NexusScopes::GROUPS,
        ("SearchScopes", "all") => SearchScopes::ALL,
        ("SearchScopes", "globus_connect_server") => SearchScopes::GLOBUS_CONNECT_SERVER,
        ("SearchScopes", "ingest") => SearchScopes::INGEST,
        ("SearchScopes", "search") => SearchScopes::SEARCH,
        ("TimersScopes", "timer") => TimersScopes::TIMER,
        ("FlowsScopes", "all") => FlowsScopes::ALL,
        ("FlowsScopes", "manage_flows") => FlowsScopes::MANAGE_FLOWS,
        ("FlowsScopes", "view_flows") => FlowsScopes::VIEW_FLOWS,
        ("FlowsScopes", "run") => FlowsScopes::RUN,
        ("FlowsScopes", "run_status") => FlowsScopes::RUN_STATUS,
        ("FlowsScopes", "run_manage") => FlowsScopes::RUN_MANAGE,
        ("ComputeScopes", "all") => ComputeScopes::ALL,
        _ => return None,
    })
}

/// Evaluates `Collection.attr` or `Collection('<id>').attr`, as Python would.
fn evaluate(expression: &str) -> Result<String, String> {
    let (target, attribute) = expression
        .rsplit_once('.')
        .ok_or_else(|| format!("bad expression {expression}"))?;
    if let Some((class, rest)) = target.split_once("('") {
        let id = rest
            .strip_suffix("')")
            .ok_or_else(|| format!("bad expression {expression}"))?;
        let err = |e: globus_auth_core::Error| e.to_string();
        let scope = match (class, attribute) {
            ("GCSCollectionScopes", "data_access") => GcsCollectionScopes::new(id).map_err(err)?.data_access(),
            ("GCSCollectionScopes", "https") => GcsCollectionScopes::new(id).map_err(err)?.https(),
            ("GCSEndpointScopes", "manage_collections") => {
                GcsEndpointScopes::new(id).map_err(err)?.manage_collections()
            }
            ("SpecificFlowScopes", "user") => SpecificFlowScopes::new(id).map_err(err)?.user(),
            _ => return Err(format!("unknown dynamic scope {expression}")),
        };
        return Ok(scope.to_string());
    }
    static_scope(target, attribute)
        .map(str::to_owned)
        .ok_or_else(|| format!("unknown scope {expression}"))
}

fn run_builders(input: &Value) -> Result<String, String> {
    if input["operation"] == "collections" {
        let expressions = input["expressions"].as_array().ok_or("expressions missing")?;
        let values: Vec<String> = expressions
            .iter()
            .map(|e| evaluate(e.as_str().unwrap_or_default()))
            .collect::<Result<_, _>>()?;
        return Ok(values.join(" "));
    }
    let mut scope = Scope::new(input["base"].as_str().ok_or("base missing")?).map_err(|e| e.to_string())?;
    for call in input["calls"].as_array().ok_or("calls missing")? {
        let (method, argument) = (call[0].as_str().unwrap_or_default(), &call[1]);
        scope = match method {
            "with_dependency" => scope.with_dependency(to_scope(argument)?),
            "with_dependencies" => {
                let list = argument.as_array().ok_or("with_dependencies takes a list")?;
                scope.with_dependencies(list.iter().map(to_scope).collect::<Result<Vec<_>, _>>()?)
            }
            "with_optional" => scope.with_optional(argument.as_bool().ok_or("with_optional takes a bool")?),
            other => return Err(format!("unknown builder call {other}")),
        };
    }
    Ok(scope.to_string())
}

fn expect_result(result: Result<String, globus_auth_core::Error>, expected: &Value) -> Outcome {
    match (result, expected.get("error")) {
        (Ok(text), None) => expect_eq("result", Some(text.as_str()), expected["result"].as_str()),
        (Err(error), Some(wanted)) => check_error(wanted, &error),
        (Ok(text), Some(wanted)) => Err(format!("expected {wanted}, got {text:?}")),
        (Err(error), None) => Err(format!("unexpected error {error}")),
    }
}

pub(crate) fn run(input: &Value, expected: &Value) -> Outcome {
    match input["operation"].as_str() {
        Some("ScopeParser.parse") => run_parse(input, expected),
        Some("ScopeParser.serialize") => {
            let reject_empty = input["kwargs"]["reject_empty"].as_bool().unwrap_or(true);
            let items = scope_items(&input["scopes"])?;
            expect_result(serialize(&items, reject_empty), expected)
        }
        Some("Scope(scope_string)") => {
            let text = input["scope_string"].as_str().ok_or("scope_string missing")?;
            expect_result(Scope::new(text).map(|s| s.to_string()), expected)
        }
        Some("with_dependency" | "with_dependencies" | "with_optional" | "collections") => expect_eq(
            "result",
            Some(run_builders(input)?.as_str()),
            expected["result"].as_str(),
        ),
        other => Err(format!("unknown scopes operation {other:?}")),
    }
}
