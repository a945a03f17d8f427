//! `token_requests.json`: `input.calls` run in order; the last call's HTTP request must
//! equal `expected.request`.

use bytes::Bytes;
use globus_auth_core::{AuthorizationCode, DependentTokenOptions, RefreshToken, TokenValue};
use serde_json::{Map, Value};

use crate::Outcome;
use crate::clients::{Client, Flow, make_client, start_flow};
use crate::python::{expect_eq, known_keys, params, py_str, py_truthy, scope_items, str_list};

/// Positional arguments and keyword arguments merged into one keyword map, using the
/// parameter names of the Python method.
fn keyword_args(call: &Value, positional: &[&str]) -> Result<Map<String, Value>, String> {
    let mut kwargs = call["kwargs"].as_object().cloned().unwrap_or_default();
    let args = call["args"].as_array().cloned().unwrap_or_default();
    if args.len() > positional.len() {
        return Err(format!("too many positional arguments for {}", call["method"]));
    }
    for (name, value) in positional.iter().zip(args) {
        kwargs.insert((*name).to_owned(), value);
    }
    Ok(kwargs)
}

fn arg<'a>(kwargs: &'a Map<String, Value>, name: &str) -> Result<&'a Value, String> {
    kwargs.get(name).ok_or_else(|| format!("missing argument {name}"))
}

/// Runs one call; returns the request it sends, if it sends one.
fn run_call(client: &Client, flow: &mut Option<Flow>, call: &Value) -> Result<Option<http::Request<Bytes>>, String> {
    let method = call["method"].as_str().ok_or("call without method")?;
    let err = |e: globus_auth_core::Error| e.to_string();
    let request = match (method, client) {
        ("oauth2_start_flow", Client::Native(_)) => {
            *flow = Some(start_flow(client, &keyword_args(call, &["requested_scopes"])?, None)?);
            return Ok(None);
        }
        ("oauth2_start_flow", Client::Confidential(_)) => {
            *flow = Some(start_flow(
                client,
                &keyword_args(call, &["redirect_uri", "requested_scopes"])?,
                None,
            )?);
            return Ok(None);
        }
        ("oauth2_exchange_code_for_tokens", _) => {
            let kwargs = keyword_args(call, &["auth_code"])?;
            let code = AuthorizationCode::new(py_str(arg(&kwargs, "auth_code")?)?);
            match flow.as_ref().ok_or("exchange before start_flow")? {
                Flow::Native(flow) => flow.exchange_code_request(&code),
                Flow::Confidential(flow) => flow.exchange_code_request(&code),
            }
        }
        ("oauth2_refresh_token", _) => {
            let kwargs = keyword_args(call, &["refresh_token"])?;
            known_keys(
                &Value::Object(kwargs.clone()),
                &["refresh_token", "body_params"],
                method,
            )?;
            let token = RefreshToken::new(py_str(arg(&kwargs, "refresh_token")?)?);
            let body = params(kwargs.get("body_params").unwrap_or(&Value::Null), false)?;
            match client {
                Client::Native(client) => client.refresh_token_request(&token, &body),
                Client::Confidential(client) => client.refresh_token_request(&token, &body),
            }
        }
        ("oauth2_revoke_token", _) => {
            let kwargs = keyword_args(call, &["token"])?;
            known_keys(&Value::Object(kwargs.clone()), &["token", "body_params"], method)?;
            let token = TokenValue::new(py_str(arg(&kwargs, "token")?)?);
            let body = params(kwargs.get("body_params").unwrap_or(&Value::Null), false)?;
            match client {
                Client::Native(client) => client.revoke_token_request(&token, &body),
                Client::Confidential(client) => client.revoke_token_request(&token, &body),
            }
        }
        ("oauth2_client_credentials_tokens", Client::Confidential(client)) => {
            let kwargs = keyword_args(call, &["requested_scopes"])?;
            let items = scope_items(arg(&kwargs, "requested_scopes")?)?;
            let scopes = globus_auth_core::scopes::serialize(&items, true).map_err(err)?;
            client.client_credentials_request(&scopes)
        }
        ("oauth2_get_dependent_tokens", Client::Confidential(client)) => {
            let kwargs = keyword_args(call, &["token"])?;
            known_keys(
                &Value::Object(kwargs.clone()),
                &["token", "refresh_tokens", "scope", "additional_params"],
                method,
            )?;
            let token = TokenValue::new(py_str(arg(&kwargs, "token")?)?);
            let options = DependentTokenOptions {
                refresh_tokens: kwargs.get("refresh_tokens").is_some_and(py_truthy),
                scope: kwargs
                    .get("scope")
                    .map(|scope| str_list(scope).map(|list| list.join(" ")))
                    .transpose()?,
                additional_params: params(kwargs.get("additional_params").unwrap_or(&Value::Null), false)?,
            };
            client.dependent_token_request(&token, &options)
        }
        ("oauth2_token_introspect", Client::Confidential(client)) => {
            let kwargs = keyword_args(call, &["token"])?;
            known_keys(
                &Value::Object(kwargs.clone()),
                &["token", "include", "query_params"],
                method,
            )?;
            let token = TokenValue::new(py_str(arg(&kwargs, "token")?)?);
            let include = kwargs.get("include").map(py_str).transpose()?;
            let query = params(kwargs.get("query_params").unwrap_or(&Value::Null), false)?;
            client.introspect_request(&token, include.as_deref(), &query)
        }
        (other, _) => return Err(format!("unknown call {other} for this client")),
    };
    request.map(Some).map_err(err)
}

fn header<'a>(request: &'a http::Request<Bytes>, name: &str) -> Option<&'a str> {
    request.headers().get(name).and_then(|value| value.to_str().ok())
}

pub(crate) fn run(input: &Value, expected: &Value) -> Outcome {
    let client = make_client(input)?;
    let mut flow = None;
    let mut last = None;
    for call in input["calls"].as_array().ok_or("no calls")? {
        if let Some(request) = run_call(&client, &mut flow, call)? {
            last = Some(request);
        }
    }
    let request = last.ok_or("no call sent a request")?;
    let wanted = &expected["request"];
    let text = |name: &str| wanted[name].as_str().map(str::to_owned);
    expect_eq(
        "http_method",
        Some(request.method().as_str().to_owned()),
        text("http_method"),
    )?;
    expect_eq("url", Some(request.uri().to_string()), text("url"))?;
    expect_eq(
        "body",
        Some(String::from_utf8_lossy(request.body()).into_owned()),
        text("body"),
    )?;
    expect_eq(
        "authorization",
        header(&request, "authorization").map(str::to_owned),
        text("authorization"),
    )?;
    expect_eq(
        "content_type",
        header(&request, "content-type").map(str::to_owned),
        text("content_type"),
    )?;
    for name in ["Accept", "Content-Type", "Content-Length", "Authorization"] {
        let expected_value = wanted["headers"][name].as_str().map(str::to_owned);
        expect_eq(name, header(&request, name).map(str::to_owned), expected_value)?;
    }
    if let Some(value) = request.headers().get("authorization") {
        expect_eq("authorization is sensitive", value.is_sensitive(), true)?;
    }
    let class = match input["calls"]
        .as_array()
        .and_then(|calls| calls.last())
        .and_then(|c| c["method"].as_str())
    {
        Some("oauth2_exchange_code_for_tokens") => "OAuthAuthorizationCodeResponse",
        Some("oauth2_refresh_token") => "OAuthRefreshTokenResponse",
        Some("oauth2_client_credentials_tokens") => "OAuthClientCredentialsResponse",
        Some("oauth2_get_dependent_tokens") => "OAuthDependentTokenResponse",
        _ => "GlobusHTTPResponse",
    };
    expect_eq("response_class", Some(class), expected["response_class"].as_str())?;
    Ok(())
}
