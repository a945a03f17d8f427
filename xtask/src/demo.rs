//! `cargo xtask demo`: the tutorial (seeds 000, 001 and 004) end to end against the
//! embedded fake Globus, no internet needed. The browser step of the login is played by
//! fetching the authorize URL from the fake server; what a user would see is printed with
//! every token redacted. Then a Transfer endpoint search, a Groups listing, and a
//! refresh after the access token expires.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use globus_auth_core::scopes::{GroupsScopes, TransferScopes};
use globus_auth_core::{AuthorizationCode, AuthorizeParams, NativeAppClient, NativeFlowOptions, TokenResponse};
use globus_authorizers::RefreshTokenAuthorizer;
use globus_testing::{FakeGlobus, TUTORIAL_CLIENT_ID};
use globus_transport::{HttpExecutor, RetryDriver, SendOptions, SharedAuthorizer, SharedExecutor, SharedSleep};
use globus_transport_hyper::{HyperExecutor, TokioSleep};
use serde_json::Value;

/// Form fields whose values are secrets.
const SECRET_FIELDS: [&str; 4] = ["code", "code_verifier", "refresh_token", "token"];

/// Runs the demo.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    if let Some(extra) = args.first() {
        return Err(format!("`demo` takes no arguments (got `{extra}`)"));
    }
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?
        .block_on(demo())
}

fn text(error: impl std::fmt::Display) -> String {
    error.to_string()
}

async fn demo() -> Result<(), String> {
    let fake = FakeGlobus::start().await.map_err(text)?;
    let executor = HyperExecutor::builder().build().map_err(text)?;
    let driver = RetryDriver::new(SharedExecutor::new(executor), SharedSleep::new(TokioSleep));
    println!(
        "globus-sdk-rs demo: the Globus tutorial against a fake Globus at {}",
        fake.origin()
    );
    println!("(the same program talks to real Globus when these URLs are not overridden)\n");

    // Seed 000: the native-app login with refresh tokens.
    let client = NativeAppClient::new(TUTORIAL_CLIENT_ID, fake.auth_url()).map_err(text)?;
    let scopes = format!(
        "openid profile email {} {}",
        TransferScopes::ALL,
        GroupsScopes::VIEW_MY_GROUPS_AND_MEMBERSHIPS
    );
    let flow = client
        .start_flow(NativeFlowOptions::new().requested_scopes(scopes).refresh_tokens(true))
        .map_err(text)?;
    let authorize_url = flow.authorize_url(&AuthorizeParams::default());
    println!("1. Please go to this URL and login:\n   {authorize_url}\n");

    let consent = http::Request::get(&authorize_url).body(Bytes::new()).map_err(text)?;
    let redirect = driver.executor().execute(consent).await.map_err(text)?;
    let location = redirect
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .ok_or("the fake Globus did not redirect")?;
    let code = query_value(location, "code").ok_or("no code in the redirect")?;
    println!("2. (the browser logs in; Globus shows a code to paste back: <redacted>)\n");

    let exchange = flow
        .exchange_code_request(&AuthorizationCode::new(code))
        .map_err(text)?;
    println!("3. The code is exchanged for tokens with this request:");
    print_request(&exchange);
    let response = driver.send(exchange, &SendOptions::default()).await.map_err(text)?;
    let tokens = TokenResponse::from_http(&response, SystemTime::now()).map_err(text)?;
    println!("\n   Tokens received (values redacted):");
    for data in tokens.by_resource_server() {
        println!(
            "   - {:<26} scopes: {}  refresh token: {}  expires at {}",
            data.resource_server,
            data.scope,
            if data.refresh_token.is_some() { "yes" } else { "no" },
            data.expires_at_seconds
        );
    }

    // Seed 001: find endpoints with the Transfer token.
    let transfer = tokens
        .get(TransferScopes::RESOURCE_SERVER)
        .ok_or("no Transfer tokens")?;
    let search = format!(
        "{}v0.10/endpoint_search?filter_fulltext=tutorial&limit=5",
        fake.transfer_url()
    );
    let found = get_json(&driver, &search, bearer(transfer.access_token.expose_secret())?).await?;
    println!("\n4. Endpoints matching \"tutorial\":");
    for endpoint in found["DATA"].as_array().into_iter().flatten() {
        println!(
            "   - {} ({})",
            endpoint["display_name"].as_str().unwrap_or("?"),
            endpoint["id"].as_str().unwrap_or("?")
        );
    }

    // Seed 004: list groups with a refresh-token authorizer.
    let groups = tokens.get(GroupsScopes::RESOURCE_SERVER).ok_or("no Groups tokens")?;
    let refresh_token = groups.refresh_token.clone().ok_or("no Groups refresh token")?;
    let authorizer = RefreshTokenAuthorizer::refresh_token(client, refresh_token.clone(), driver.clone())
        .access_token(groups.access_token.clone(), groups.expires_at())
        .build();
    let renewing = authorizer.clone();
    let authorizer: SharedAuthorizer = Arc::new(authorizer);
    let my_groups = format!("{}v2/groups/my_groups", fake.groups_url());
    println!("\n5. My groups:\n   ID,Name,Roles");
    print_groups(&get_json(&driver, &my_groups, authorizer.clone()).await?);

    // The access token expires (the fake's clock moves two days); the next call gets a
    // 401, the authorizer refreshes once, and the call succeeds.
    let posts_before = fake.counters().token_posts;
    fake.advance_clock(Duration::from_secs(2 * 86_400 + 1));
    let again = get_json(&driver, &my_groups, authorizer).await?;
    let rotated = renewing.grant().refresh_token().expose_secret() != refresh_token.expose_secret();
    println!(
        "\n6. Two days later the access token has expired: {} group(s) listed after {} refresh request(s); \
         refresh token rotated: {}.",
        again.as_array().map_or(0, Vec::len),
        fake.counters().token_posts - posts_before,
        if rotated { "yes" } else { "no" }
    );
    fake.shutdown().await;
    Ok(())
}

fn bearer(token: &str) -> Result<SharedAuthorizer, String> {
    let token = globus_auth_core::AccessToken::new(token);
    Ok(Arc::new(globus_authorizers::AccessTokenAuthorizer::new(token)))
}

async fn get_json(driver: &RetryDriver, url: &str, authorizer: SharedAuthorizer) -> Result<Value, String> {
    let request = http::Request::get(url).body(Bytes::new()).map_err(text)?;
    let options = SendOptions {
        authorizer: Some(authorizer),
        ..SendOptions::default()
    };
    let response = driver.send(request, &options).await.map_err(text)?;
    if !response.status().is_success() {
        return Err(format!("GET {url} answered {}", response.status()));
    }
    serde_json::from_slice(response.body()).map_err(text)
}

fn print_groups(groups: &Value) {
    for group in groups.as_array().into_iter().flatten() {
        let mut roles: Vec<&str> = group["my_memberships"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m["role"].as_str())
            .collect();
        roles.dedup();
        println!(
            "   {},\"{}\",{}",
            group["id"].as_str().unwrap_or("?"),
            group["name"].as_str().unwrap_or("?"),
            roles.join("|")
        );
    }
}

fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| value.to_owned())
    })
}

/// Prints a request: method, URL, headers (sensitive ones redacted), form body with
/// secret fields redacted.
fn print_request(request: &http::Request<Bytes>) {
    println!("   {} {}", request.method(), request.uri());
    for (name, value) in request.headers() {
        let shown = if value.is_sensitive() {
            "<redacted>"
        } else {
            value.to_str().unwrap_or("<binary>")
        };
        println!("   {name}: {shown}");
    }
    println!("\n   {}", redact_form(&String::from_utf8_lossy(request.body())));
}

/// The form body with the values of [`SECRET_FIELDS`] replaced by `<redacted>`.
fn redact_form(body: &str) -> String {
    body.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if SECRET_FIELDS.contains(&name) => format!("{name}=<redacted>"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_fields_are_redacted() {
        let body = "client_id=abc&grant_type=authorization_code&code=XYZ&code_verifier=V&redirect_uri=r";
        assert_eq!(
            redact_form(body),
            "client_id=abc&grant_type=authorization_code&code=<redacted>&code_verifier=<redacted>&redirect_uri=r"
        );
    }

    #[test]
    fn the_demo_runs_against_the_fake_globus() {
        run(&[]).expect("the demo runs");
    }
}
