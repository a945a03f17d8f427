//! Python values in vector inputs, and the table from Python error types to this
//! crate's error variants (DESIGN.md §6: asserting "any Err" is a failing test).

use globus_auth_core::Error;
use globus_auth_core::scopes::Scope;
use serde_json::Value;

/// Python's `str()` of a vector value (markers included).
pub(crate) fn py_str(value: &Value) -> Result<String, String> {
    Ok(match value {
        Value::String(text) => text.clone(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Null => "None".to_owned(),
        Value::Number(number) => number.to_string(),
        Value::Object(map) if map.contains_key("$uuid") => map["$uuid"].as_str().ok_or("bad $uuid")?.to_owned(),
        Value::Object(map) if map.contains_key("$scope") => to_scope(&map["$scope"])?.to_string(),
        other => return Err(format!("no Python str() for {other}")),
    })
}

/// Python's truthiness of a vector value (`refresh_tokens` is tested with `if x:`).
pub(crate) fn py_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// A `Scope` from `{"scope_string", "optional", "dependencies"}`.
pub(crate) fn to_scope(value: &Value) -> Result<Scope, String> {
    let scope_string = value["scope_string"].as_str().ok_or("scope without scope_string")?;
    let dependencies = value["dependencies"]
        .as_array()
        .map(|deps| deps.iter().map(to_scope).collect::<Result<Vec<_>, _>>())
        .transpose()?
        .unwrap_or_default();
    Ok(Scope::new(scope_string)
        .map_err(|e| e.to_string())?
        .with_optional(value["optional"].as_bool().unwrap_or(false))
        .with_dependencies(dependencies))
}

/// The items of a scopes argument: a string, a `$scope`, a list or `$tuple` of those.
pub(crate) fn scope_items(value: &Value) -> Result<Vec<String>, String> {
    match value {
        Value::Array(items) => items.iter().map(py_str).collect(),
        Value::Object(map) if map.contains_key("$tuple") => scope_items(&map["$tuple"]),
        single => Ok(vec![py_str(single)?]),
    }
}

/// Python's `commajoin` / `strseq_iter`: one value or a list of values, as strings.
pub(crate) fn str_list(value: &Value) -> Result<Vec<String>, String> {
    match value {
        Value::Array(items) => items.iter().map(py_str).collect(),
        Value::Object(map) if map.contains_key("$tuple") => str_list(&map["$tuple"]),
        single => Ok(vec![py_str(single)?]),
    }
}

/// Parses a `{name: value}` object of extra parameters into ordered pairs with Python's
/// `str()` values; a `null` is `None` (kept as `None` only where `keep_none`, else
/// dropped, as `requests` drops it from form bodies and query strings).
pub(crate) fn params(value: &Value, none_as_string: bool) -> Result<globus_auth_core::Params, String> {
    let mut params = globus_auth_core::Params::new();
    let Some(map) = value.as_object() else {
        return if value.is_null() {
            Ok(params)
        } else {
            Err(format!("params not an object: {value}"))
        };
    };
    for (name, value) in map {
        if value.is_null() && !none_as_string {
            params.omit(name.clone());
        } else {
            params.set(name.clone(), py_str(value)?);
        }
    }
    Ok(params)
}

/// Whether `error` is the Rust variant for the Python error `python_type`.
fn variant_matches(python_type: &str, error: &Error) -> Result<bool, String> {
    Ok(match python_type {
        "GlobusSDKUsageError" => matches!(
            error,
            Error::VerifierLength { .. }
                | Error::VerifierCharacters
                | Error::EmptyScopes
                | Error::InvalidClientId { .. }
                | Error::EmptyParameter { .. }
        ),
        "ScopeParseError" => matches!(error, Error::ScopeParse(_)),
        "ScopeCycleError" => matches!(error, Error::ScopeCycle { .. }),
        "ValueError" => matches!(
            error,
            Error::ScopeSpecialCharacters { .. } | Error::NotExactlyOneScope { .. } | Error::UnknownEnvironment { .. }
        ),
        "KeyError" => matches!(
            error,
            Error::MissingField { .. } | Error::ScopeNotFound { .. } | Error::AmbiguousScopes { .. }
        ),
        "TypeError" | "AttributeError" => matches!(error, Error::InvalidField { .. }),
        "AuthAPIError" | "GlobusAPIError" => matches!(error, Error::Api(_)),
        other => return Err(format!("no Rust error variant is mapped to Python's {other}")),
    })
}

/// The message Python would print for `error` (a `KeyError`'s message is its key).
fn python_message(error: &Error) -> String {
    match error {
        Error::MissingField { field } => (*field).to_owned(),
        other => other.to_string(),
    }
}

/// Checks `error` against an expected `{"type", "message" | "message_prefix" |
/// "messages_observed"}`.
pub(crate) fn check_error(expected: &Value, error: &Error) -> Result<(), String> {
    let python_type = expected["type"].as_str().ok_or("expected error without type")?;
    if !variant_matches(python_type, error)? {
        return Err(format!("expected Python {python_type}, got {error:?}"));
    }
    let message = python_message(error);
    if let Some(observed) = expected["messages_observed"].as_array() {
        if !observed.iter().any(|m| m.as_str() == Some(message.as_str())) {
            return Err(format!("message {message:?} not among {observed:?}"));
        }
    } else if let Some(wanted) = expected["message"].as_str() {
        if message != wanted {
            return Err(format!("message {message:?}, expected {wanted:?}"));
        }
    } else if let Some(prefix) = expected["message_prefix"].as_str()
        && !message.starts_with(prefix)
    {
        return Err(format!("message {message:?} does not start with {prefix:?}"));
    }
    Ok(())
}

/// Compares two values, naming the field on mismatch.
pub(crate) fn expect_eq<T: PartialEq + std::fmt::Debug>(what: &str, actual: T, expected: T) -> Result<(), String> {
    if actual == expected {
        Ok(())
    } else {
        Err(format!("{what}: got {actual:?}, expected {expected:?}"))
    }
}

/// Rejects keyword arguments outside the closed set the vectors README lists.
pub(crate) fn known_keys(map: &Value, allowed: &[&str], what: &str) -> Result<(), String> {
    if let Some(map) = map.as_object() {
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                return Err(format!("unknown {what} argument {key:?}"));
            }
        }
    }
    Ok(())
}
