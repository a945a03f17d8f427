//! `token_responses.json`: `input.document` answered (HTTP `input.status`) to `input.via`
//! at `input.now` → `by_resource_server`, `by_scopes`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use globus_auth_core::{TokenData, TokenResponse};
use serde_json::{Value, json};

use crate::Outcome;
use crate::python::{check_error, expect_eq};

fn token_json(data: &TokenData) -> Value {
    json!({
        "scope": data.scope,
        "access_token": data.access_token.expose_secret(),
        "refresh_token": data.refresh_token.as_ref().map(|t| t.expose_secret()),
        "token_type": data.token_type,
        "expires_at_seconds": data.expires_at_seconds,
        "resource_server": data.resource_server,
    })
}

fn parse(input: &Value) -> Result<(Result<TokenResponse, globus_auth_core::Error>, &'static str), String> {
    let now_seconds = input["now"].as_f64().ok_or("now missing")?;
    let now: SystemTime = UNIX_EPOCH + Duration::from_secs_f64(now_seconds);
    let status = input["status"].as_u64().unwrap_or(200) as u16;
    let body = serde_json::to_vec(&input["document"]).map_err(|e| e.to_string())?;
    let response = http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Bytes::from(body))
        .map_err(|e| e.to_string())?;
    Ok(match input["via"].as_str() {
        Some(
            "NativeAppAuthClient.oauth2_exchange_code_for_tokens"
            | "ConfidentialAppAuthClient.oauth2_exchange_code_for_tokens",
        ) => (
            TokenResponse::from_http(&response, now),
            "OAuthAuthorizationCodeResponse",
        ),
        Some("NativeAppAuthClient.oauth2_refresh_token" | "ConfidentialAppAuthClient.oauth2_refresh_token") => {
            (TokenResponse::from_http(&response, now), "OAuthRefreshTokenResponse")
        }
        Some("ConfidentialAppAuthClient.oauth2_client_credentials_tokens") => (
            TokenResponse::from_http(&response, now),
            "OAuthClientCredentialsResponse",
        ),
        Some("ConfidentialAppAuthClient.oauth2_get_dependent_tokens") => (
            TokenResponse::dependent_from_http(&response, now),
            "OAuthDependentTokenResponse",
        ),
        other => return Err(format!("unknown via {other:?}")),
    })
}

pub(crate) fn run(input: &Value, expected: &Value) -> Outcome {
    let (result, class) = parse(input)?;
    let tokens = match (result, expected.get("error")) {
        (Err(error), Some(wanted)) => return check_error(wanted, &error),
        (Ok(_), Some(wanted)) => return Err(format!("expected error {wanted}, parsed a response")),
        (Err(error), None) => return Err(format!("unexpected error {error}")),
        (Ok(tokens), None) => tokens,
    };
    expect_eq("response_class", Some(class), expected["response_class"].as_str())?;

    let order: Vec<&str> = tokens
        .by_resource_server()
        .iter()
        .map(|d| d.resource_server.as_str())
        .collect();
    let wanted_order: Vec<&str> = expected["by_resource_server_order"]
        .as_array()
        .ok_or("by_resource_server_order missing")?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    expect_eq("by_resource_server order", order, wanted_order)?;
    for data in tokens.by_resource_server() {
        let wanted = &expected["by_resource_server"][&data.resource_server];
        expect_eq(
            &format!("by_resource_server[{}]", data.resource_server),
            &token_json(data),
            wanted,
        )?;
    }

    let keys: Vec<&str> = tokens.scope_names();
    let wanted_keys: Vec<&str> = expected["by_scopes_keys"]
        .as_array()
        .ok_or("by_scopes_keys missing")?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    expect_eq("by_scopes keys", keys, wanted_keys)?;

    let lookups = expected["by_scopes_lookups"].as_array().cloned().unwrap_or_default();
    for lookup in &lookups {
        let query = lookup["query"].as_str().ok_or("lookup without query")?;
        expect_eq(
            &format!("{query:?} in by_scopes"),
            Some(tokens.contains_scopes(query)),
            lookup["contains"].as_bool(),
        )?;
        match (tokens.by_scopes(query), lookup.get("error")) {
            (Ok(data), None) => expect_eq(&format!("by_scopes[{query:?}]"), &token_json(data), &lookup["result"])?,
            (Err(error), Some(wanted)) => check_error(wanted, &error)?,
            (Ok(_), Some(wanted)) => return Err(format!("by_scopes[{query:?}]: expected {wanted}")),
            (Err(error), None) => return Err(format!("by_scopes[{query:?}]: {error}")),
        }
    }
    let asked = input["by_scopes_lookups"].as_array().map_or(0, Vec::len);
    expect_eq("number of lookups", lookups.len(), asked)
}
