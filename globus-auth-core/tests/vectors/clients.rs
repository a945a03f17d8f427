//! The `client` and `oauth2_start_flow` inputs shared by the authorize-URL and
//! token-request vectors.

use globus_auth_core::{
    AuthorizationCodeFlow, AuthorizationCodeFlowOptions, ClientSecret, ConfidentialAppClient, Environment,
    NativeAppClient, NativeAppFlow, NativeFlowOptions, PkceVerifier, ServiceUrls,
};
use serde_json::{Map, Value};

use crate::python::{known_keys, py_str, py_truthy, scope_items};

/// A login client of either class.
pub(crate) enum Client {
    Native(NativeAppClient),
    Confidential(ConfidentialAppClient),
}

/// A started flow of either class.
pub(crate) enum Flow {
    Native(NativeAppFlow),
    Confidential(AuthorizationCodeFlow),
}

/// Auth's base URL: the client's `base_url`, else its `environment` or
/// `GLOBUS_SDK_ENVIRONMENT`, with `GLOBUS_SDK_SERVICE_URL_AUTH` winning over both.
fn auth_base_url(input: &Value) -> Result<String, String> {
    let client = &input["client"];
    if let Some(base_url) = client["base_url"].as_str() {
        return Ok(base_url.to_owned());
    }
    let vars = input["environment_variables"].as_object().cloned().unwrap_or_default();
    let lookup = |name: &str| vars.get(name).and_then(Value::as_str).map(str::to_owned);
    let urls = match client["environment"].as_str() {
        Some(name) => {
            let environment: Environment = name.parse().map_err(|e: globus_auth_core::Error| e.to_string())?;
            ServiceUrls::with_environment_and_lookup(environment, lookup)
        }
        None => ServiceUrls::from_lookup(lookup).map_err(|e| e.to_string())?,
    };
    Ok(urls.url("auth"))
}

/// The client described by `input.client` (and `input.environment_variables`).
pub(crate) fn make_client(input: &Value) -> Result<Client, String> {
    let client = &input["client"];
    known_keys(
        client,
        &["class", "client_id", "client_secret", "base_url", "environment"],
        "client",
    )?;
    let client_id = py_str(&client["client_id"])?;
    let base_url = auth_base_url(input)?;
    match client["class"].as_str() {
        Some("NativeAppAuthClient") => NativeAppClient::new(client_id, base_url).map(Client::Native),
        Some("ConfidentialAppAuthClient") => {
            let secret = ClientSecret::new(py_str(&client["client_secret"])?);
            ConfidentialAppClient::new(client_id, secret, base_url).map(Client::Confidential)
        }
        other => return Err(format!("unknown client class {other:?}")),
    }
    .map_err(|e| e.to_string())
}

fn hex_bytes(hex: &str) -> Result<[u8; 32], String> {
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("zz"), 16).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    bytes
        .try_into()
        .map_err(|_| "urandom bytes are not 32 bytes".to_owned())
}

/// Python's `oauth2_start_flow(**kwargs)` on `client`. `urandom` is the hex of the 32
/// bytes `os.urandom` returned when the SDK generated the verifier.
pub(crate) fn start_flow(client: &Client, kwargs: &Map<String, Value>, urandom: Option<&str>) -> Result<Flow, String> {
    let kwargs_value = Value::Object(kwargs.clone());
    known_keys(
        &kwargs_value,
        &[
            "requested_scopes",
            "redirect_uri",
            "refresh_tokens",
            "state",
            "verifier",
            "prefill_named_grant",
        ],
        "oauth2_start_flow",
    )?;
    let scopes = scope_items(kwargs.get("requested_scopes").ok_or("requested_scopes missing")?)?;
    let requested_scopes = globus_auth_core::scopes::serialize(&scopes, true).map_err(|e| e.to_string())?;
    let refresh_tokens = kwargs.get("refresh_tokens").is_some_and(py_truthy);
    let state = kwargs.get("state").map(py_str).transpose()?;
    match client {
        Client::Native(client) => {
            let mut options = NativeFlowOptions::new()
                .requested_scopes(requested_scopes)
                .refresh_tokens(refresh_tokens);
            if let Some(state) = state {
                options = options.state(state);
            }
            // Python: `redirect_uri or <default>`, so None and "" both mean the default.
            if let Some(uri) = kwargs.get("redirect_uri").filter(|uri| !uri.is_null()) {
                options = options.redirect_uri(py_str(uri)?);
            }
            if let Some(name) = kwargs.get("prefill_named_grant") {
                options = options.prefill_named_grant(py_str(name)?);
            }
            // Python generates a verifier for anything that is not a str (None included).
            match (kwargs.get("verifier").filter(|v| v.is_string()), urandom) {
                (Some(verifier), _) => {
                    options = options.verifier(PkceVerifier::new(py_str(verifier)?).map_err(|e| e.to_string())?);
                }
                (None, Some(hex)) => options = options.verifier(PkceVerifier::from_entropy(&hex_bytes(hex)?)),
                (None, None) => {}
            }
            client.start_flow(options).map(Flow::Native).map_err(|e| e.to_string())
        }
        Client::Confidential(client) => {
            let redirect_uri = py_str(kwargs.get("redirect_uri").ok_or("redirect_uri missing")?)?;
            let mut options =
                AuthorizationCodeFlowOptions::new(redirect_uri, requested_scopes).refresh_tokens(refresh_tokens);
            if let Some(state) = state {
                options = options.state(state);
            }
            client
                .start_flow(options)
                .map(Flow::Confidential)
                .map_err(|e| e.to_string())
        }
    }
}
