//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub)]

use globus_tokenstorage::StoredToken;
use serde_json::{Map, Value, json};

/// Files written by the Python SDK 4.9.0 (testdata/fixtures/token-storage).
pub mod fixtures {
    pub const PYTHON_V1_JSON: &[u8] = include_bytes!("../../../testdata/fixtures/token-storage/python-v1.json");
    pub const PYTHON_V2_JSON: &[u8] = include_bytes!("../../../testdata/fixtures/token-storage/python-v2.json");
    pub const PYTHON_SQLITE: &[u8] = include_bytes!("../../../testdata/fixtures/token-storage/python.sqlite");
    pub const EXPECTED: &[u8] = include_bytes!("../../../testdata/fixtures/token-storage/expected.json");
}

/// A record as Python's `TokenStorageData.to_dict(include_extra=True)` would give it.
pub fn to_python_dict(token: &StoredToken) -> Value {
    let mut map = Map::new();
    map.insert("resource_server".into(), json!(token.resource_server));
    if let Some(identity_id) = &token.identity_id {
        map.insert("identity_id".into(), json!(identity_id));
    }
    map.insert("scope".into(), json!(token.scope));
    map.insert("access_token".into(), json!(token.access_token.expose_secret()));
    if let Some(refresh_token) = &token.refresh_token {
        map.insert("refresh_token".into(), json!(refresh_token.expose_secret()));
    }
    map.insert("expires_at_seconds".into(), json!(token.expires_at_seconds));
    if let Some(token_type) = &token.token_type {
        map.insert("token_type".into(), json!(token_type));
    }
    for (key, value) in &token.extra {
        map.insert(key.clone(), value.clone());
    }
    Value::Object(map)
}

/// Checks one stored record against the fixture README's description, key by key:
/// `resource_server`, `scope`, `access_token` strings and `expires_at_seconds` an integer
/// are required; `identity_id`, `refresh_token`, `token_type` are strings when present
/// (left out, never `null`, when there is none); any other key is an extra.
pub fn check_record(resource_server: &str, record: &Value, allowed_extra: &[&str]) {
    let map = record
        .as_object()
        .unwrap_or_else(|| panic!("{resource_server}: record is not an object"));
    for key in ["resource_server", "scope", "access_token"] {
        assert!(
            map.get(key).is_some_and(Value::is_string),
            "{resource_server}: {key} must be a string"
        );
    }
    assert_eq!(
        map["resource_server"],
        json!(resource_server),
        "key and resource_server differ"
    );
    assert!(
        map.get("expires_at_seconds").is_some_and(Value::is_i64),
        "{resource_server}: expires_at_seconds must be an integer"
    );
    for key in ["identity_id", "refresh_token", "token_type"] {
        if let Some(value) = map.get(key) {
            assert!(
                value.is_string(),
                "{resource_server}: {key} must be a string when present, got {value}"
            );
        }
    }
    let standard = [
        "resource_server",
        "identity_id",
        "scope",
        "access_token",
        "refresh_token",
        "expires_at_seconds",
        "token_type",
    ];
    for key in map.keys() {
        assert!(
            standard.contains(&key.as_str()) || allowed_extra.contains(&key.as_str()),
            "{resource_server}: unexpected key {key}"
        );
    }
}

/// Checks a JSON token file against format "2.0" as Python writes and reads it.
pub fn check_json_file(bytes: &[u8], allowed_extra: &[&str]) -> Value {
    let root: Value = serde_json::from_slice(bytes).expect("the file is JSON");
    let map = root.as_object().expect("the root is an object");
    let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["data", "format_version", "globus-sdk.version"]);
    assert_eq!(map["format_version"], json!("2.0"));
    assert!(map["globus-sdk.version"].is_string());
    let data = map["data"].as_object().expect("data is an object");
    for (namespace, entries) in data {
        let entries = entries
            .as_object()
            .unwrap_or_else(|| panic!("namespace {namespace} is not an object"));
        for (resource_server, record) in entries {
            check_record(resource_server, record, allowed_extra);
        }
    }
    root
}

/// `expected.json`'s namespaces.
pub fn expected_namespaces() -> Map<String, Value> {
    let expected: Value = serde_json::from_slice(fixtures::EXPECTED).unwrap();
    expected["namespaces"].as_object().unwrap().clone()
}

/// A storage's namespace as Python dicts, for comparison with `expected.json`.
pub fn as_python(tokens: &std::collections::BTreeMap<String, StoredToken>) -> Value {
    Value::Object(
        tokens
            .iter()
            .map(|(resource_server, token)| (resource_server.clone(), to_python_dict(token)))
            .collect(),
    )
}
