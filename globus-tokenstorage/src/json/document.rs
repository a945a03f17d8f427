//! The JSON token file, format "2.0" (and "1.0" on reading), as Python's
//! `JSONTokenStorage` reads and writes it:
//!
//! ```json
//! {"data": {"<namespace>": {"<resource server>": {<record>}}},
//!  "format_version": "2.0", "globus-sdk.version": "<writer>"}
//! ```
//!
//! Format "1.0" is `{"by_rs": {...}, "format_version": "1.0", ...}`: its `by_rs` becomes
//! the `"DEFAULT"` namespace, and the file is written back as "2.0". Unknown top-level
//! keys, namespaces and record keys of a "2.0" file are kept.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};

use crate::storage::DEFAULT_NAMESPACE;
use crate::{Error, StoredToken};

/// The format this SDK writes.
pub(crate) const FORMAT_VERSION: &str = "2.0";
const DATA: &str = "data";
const FORMAT: &str = "format_version";
const SDK_VERSION: &str = "globus-sdk.version";

/// A token file's content, checked and upgraded to format "2.0".
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Document {
    /// The `"data"` object: namespace -> resource server -> record.
    data: Map<String, Value>,
    /// Every other top-level key (`format_version`, `globus-sdk.version`, unknown ones).
    rest: Map<String, Value>,
}

impl Document {
    /// What a missing file holds: no data.
    pub(crate) fn empty(sdk_version: &str) -> Self {
        let mut rest = Map::new();
        rest.insert(FORMAT.into(), FORMAT_VERSION.into());
        rest.insert(SDK_VERSION.into(), sdk_version.into());
        Self { data: Map::new(), rest }
    }

    /// Parses and checks a file's bytes, with Python's rules (`_raw_load` and
    /// `_handle_formats`), upgrading "1.0" to "2.0".
    pub(crate) fn parse(bytes: &[u8], path: &Path, sdk_version: &str) -> Result<Self, Error> {
        let value: Value = serde_json::from_slice(bytes).map_err(|error| Error::NotJson {
            path: path.to_path_buf(),
            line: error.line(),
            column: error.column(),
        })?;
        let Value::Object(root) = value else {
            return Err(invalid(path, "Found non-dict root data"));
        };
        let mut root = match root.get(FORMAT) {
            Some(Value::String(version)) if version == "2.0" => root,
            Some(Value::String(version)) if version == "1.0" => upgrade_v1(root, path, sdk_version)?,
            other => {
                return Err(Error::UnsupportedFormatVersion {
                    path: path.to_path_buf(),
                    found: describe(other),
                });
            }
        };
        let Some(Value::Object(data)) = root.remove(DATA) else {
            return Err(invalid(
                path,
                "existing data file is malformed ('data' is not an object)",
            ));
        };
        match root.get(SDK_VERSION) {
            Some(Value::String(_)) => Ok(Self { data, rest: root }),
            Some(_) => Err(invalid(path, "Invalid 'globus-sdk.version'")),
            None => Err(invalid(path, "Missing required keys")),
        }
    }

    /// The file's bytes (compact JSON).
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut root = self.rest.clone();
        root.insert(DATA.into(), Value::Object(self.data.clone()));
        Value::Object(root).to_string().into_bytes()
    }

    /// The namespaces present in the file.
    pub(crate) fn namespaces(&self) -> Vec<String> {
        self.data.keys().cloned().collect()
    }

    /// Every record of `namespace`, checked.
    pub(crate) fn records(&self, namespace: &str, path: &Path) -> Result<BTreeMap<String, StoredToken>, Error> {
        let Some(entries) = self.data.get(namespace) else {
            return Ok(BTreeMap::new());
        };
        let entries = entries.as_object().ok_or_else(|| invalid_namespace(path, namespace))?;
        entries
            .iter()
            .map(|(resource_server, value)| {
                StoredToken::from_json(value)
                    .map(|token| (resource_server.clone(), token))
                    .map_err(|error| Error::InvalidRecord {
                        path: path.to_path_buf(),
                        namespace: namespace.to_owned(),
                        resource_server: resource_server.clone(),
                        field: error.field,
                        expected: error.expected,
                    })
            })
            .collect()
    }

    /// The entries of `namespace`, created when missing (as Python does on a store).
    fn namespace_mut(&mut self, namespace: &str, path: &Path) -> Result<&mut Map<String, Value>, Error> {
        let entry = self.data.entry(namespace).or_insert_with(|| Value::Object(Map::new()));
        entry.as_object_mut().ok_or_else(|| invalid_namespace(path, namespace))
    }

    /// Inserts or replaces records; other records and keys are untouched.
    pub(crate) fn store(&mut self, namespace: &str, tokens: &[StoredToken], path: &Path) -> Result<(), Error> {
        let entries = self.namespace_mut(namespace, path)?;
        for token in tokens {
            entries.insert(token.resource_server.clone(), Value::Object(token.to_json_map()));
        }
        Ok(())
    }

    /// Removes a record; `true` if there was one.
    pub(crate) fn remove(&mut self, namespace: &str, resource_server: &str, path: &Path) -> Result<bool, Error> {
        match self.data.get(namespace) {
            None => Ok(false),
            Some(_) => Ok(self.namespace_mut(namespace, path)?.remove(resource_server).is_some()),
        }
    }

    /// Records the writer, as Python does on every write.
    pub(crate) fn set_sdk_version(&mut self, sdk_version: &str) {
        self.rest.insert(SDK_VERSION.into(), sdk_version.into());
    }
}

/// Python's 1.0 upgrade: `by_rs` becomes the "DEFAULT" namespace; other keys are dropped.
fn upgrade_v1(root: Map<String, Value>, path: &Path, sdk_version: &str) -> Result<Map<String, Value>, Error> {
    let Some(by_rs) = root.get("by_rs") else {
        return Err(invalid(path, "Invalid v1.0 data (missing 'by_rs')"));
    };
    if !by_rs.is_object() {
        return Err(invalid(path, "Invalid v1.0 data ('by_rs' is not an object)"));
    }
    let mut data = Map::new();
    data.insert(DEFAULT_NAMESPACE.into(), by_rs.clone());
    let mut upgraded = Map::new();
    upgraded.insert(DATA.into(), Value::Object(data));
    upgraded.insert(FORMAT.into(), FORMAT_VERSION.into());
    upgraded.insert(SDK_VERSION.into(), sdk_version.into());
    Ok(upgraded)
}

fn invalid(path: &Path, reason: &'static str) -> Error {
    Error::InvalidDocument {
        path: path.to_path_buf(),
        reason,
    }
}

fn invalid_namespace(path: &Path, namespace: &str) -> Error {
    Error::InvalidNamespace {
        path: path.to_path_buf(),
        namespace: namespace.to_owned(),
    }
}

/// A `format_version` for an error message: its text when it is a short string, else
/// what it is.
fn describe(value: Option<&Value>) -> String {
    match value {
        None => "missing".into(),
        Some(Value::String(text)) if text.chars().count() <= 32 => format!("{text:?}"),
        Some(Value::String(_)) => "a long string".into(),
        Some(Value::Null) => "null".into(),
        Some(Value::Bool(_)) => "a boolean".into(),
        Some(Value::Number(number)) => number.to_string(),
        Some(Value::Array(_)) => "an array".into(),
        Some(Value::Object(_)) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const WRITER: &str = "globus-sdk-rs test";

    fn parse(value: &Value) -> Result<Document, Error> {
        Document::parse(value.to_string().as_bytes(), Path::new("/t/tokens.json"), WRITER)
    }

    #[test]
    fn python_errors_are_typed() {
        type Check = fn(&Error) -> bool;
        let cases: Vec<(Value, Check)> = vec![
            (json!([1]), |e| matches!(e, Error::InvalidDocument { .. })),
            (
                json!({"data": {}}),
                |e| matches!(e, Error::UnsupportedFormatVersion { found, .. } if found == "missing"),
            ),
            (
                json!({"data": {}, "format_version": "3.0", "globus-sdk.version": "x"}),
                |e| matches!(e, Error::UnsupportedFormatVersion { found, .. } if found == "\"3.0\""),
            ),
            (
                json!({"data": {}, "format_version": 2.0, "globus-sdk.version": "x"}),
                |e| matches!(e, Error::UnsupportedFormatVersion { found, .. } if found == "2.0"),
            ),
            (
                json!({"data": [], "format_version": "2.0", "globus-sdk.version": "x"}),
                |e| matches!(e, Error::InvalidDocument { .. }),
            ),
            (json!({"data": {}, "format_version": "2.0"}), |e| {
                matches!(
                    e,
                    Error::InvalidDocument {
                        reason: "Missing required keys",
                        ..
                    }
                )
            }),
            (
                json!({"data": {}, "format_version": "2.0", "globus-sdk.version": 4}),
                |e| matches!(e, Error::InvalidDocument { .. }),
            ),
            (json!({"format_version": "1.0"}), |e| {
                matches!(e, Error::InvalidDocument { .. })
            }),
            (json!({"format_version": "1.0", "by_rs": 5}), |e| {
                matches!(e, Error::InvalidDocument { .. })
            }),
        ];
        for (value, check) in cases {
            let error = parse(&value).unwrap_err();
            assert!(check(&error), "{value}: {error:?}");
            assert_eq!(error.path(), Some(Path::new("/t/tokens.json")));
        }
        let error = Document::parse(b"{\"data\": ", Path::new("/t/x"), WRITER).unwrap_err();
        assert!(matches!(error, Error::NotJson { line: 1, .. }), "{error:?}");
    }

    #[test]
    fn v1_becomes_the_default_namespace() {
        let document = parse(&json!({"by_rs": {"rs": {"resource_server": "rs", "scope": "s",
            "access_token": "AT", "refresh_token": null, "expires_at_seconds": 1}},
            "format_version": "1.0", "globus-sdk.version": "3.0.0", "other": 1}))
        .unwrap();
        let records = document.records("DEFAULT", Path::new("x")).unwrap();
        assert_eq!(records["rs"].access_token.expose_secret(), "AT");
        let bytes: Value = serde_json::from_slice(&document.to_bytes()).unwrap();
        assert_eq!(bytes["format_version"], "2.0");
        assert_eq!(bytes["globus-sdk.version"], WRITER);
        assert!(bytes.get("by_rs").is_none() && bytes.get("other").is_none());
    }

    #[test]
    fn unknown_keys_and_other_namespaces_survive_a_store() {
        let mut document = parse(&json!({"data": {"other": "not even an object", "DEFAULT": {"keep":
            {"resource_server": "keep", "scope": "s", "access_token": "AT", "expires_at_seconds": 1, "x": 1}}},
            "format_version": "2.0", "globus-sdk.version": "4.9.0", "future": [1, 2]}))
        .unwrap();
        let path = Path::new("x");
        document
            .store("DEFAULT", &[StoredToken::new("new", "s", "AT2", 2)], path)
            .unwrap();
        assert!(document.remove("DEFAULT", "new", path).unwrap());
        assert!(!document.remove("DEFAULT", "new", path).unwrap());
        assert!(!document.remove("absent", "new", path).unwrap());
        let value: Value = serde_json::from_slice(&document.to_bytes()).unwrap();
        assert_eq!(value["future"], json!([1, 2]));
        assert_eq!(value["data"]["other"], json!("not even an object"));
        assert_eq!(value["data"]["DEFAULT"]["keep"]["x"], json!(1));
        assert_eq!(document.namespaces(), vec!["DEFAULT".to_owned(), "other".to_owned()]);
        let error = document.records("other", path).unwrap_err();
        assert!(matches!(error, Error::InvalidNamespace { .. }));
        let error = document.store("other", &[], path).unwrap_err();
        assert!(matches!(error, Error::InvalidNamespace { .. }));
    }

    #[test]
    fn bad_records_name_the_resource_server_not_the_value() {
        let document = parse(
            &json!({"data": {"DEFAULT": {"rs": {"resource_server": "rs", "scope": "s",
            "access_token": 12345, "expires_at_seconds": 1}}}, "format_version": "2.0", "globus-sdk.version": "v"}),
        )
        .unwrap();
        let error = document.records("DEFAULT", Path::new("x")).unwrap_err();
        assert!(
            matches!(&error, Error::InvalidRecord { resource_server, field: "access_token", .. } if resource_server == "rs")
        );
        assert!(!error.to_string().contains("12345"));
    }
}
