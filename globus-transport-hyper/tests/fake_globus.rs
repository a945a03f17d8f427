//! The hyper executor and the retry driver against the fake Globus: a whole PKCE login,
//! refresh rotation, a 429 answered with a retry, and dropped connections (a GET is
//! retried, a POST is not).

use std::time::SystemTime;

use bytes::Bytes;
use globus_auth_core::{AuthorizationCode, AuthorizeParams, NativeAppClient, NativeFlowOptions, Params, TokenResponse};
use globus_testing::{FakeGlobus, Fault, TUTORIAL_CLIENT_ID};
use globus_transport::test_util::InstantSleep;
use globus_transport::{
    HttpExecutor, RetryDriver, SendError, SendOptions, SharedExecutor, SharedSleep, TransportErrorKind,
};
use globus_transport_hyper::HyperExecutor;

const SCOPES: &str = "openid profile email urn:globus:auth:scope:transfer.api.globus.org:all \
                      urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships";

fn driver(sleep: InstantSleep) -> RetryDriver {
    let executor = HyperExecutor::builder().build().expect("executor");
    RetryDriver::new(SharedExecutor::new(executor), SharedSleep::new(sleep))
}

fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| value.to_owned())
    })
}

fn bearer_get(url: &str, token: &str) -> http::Request<Bytes> {
    http::Request::get(url)
        .header("authorization", format!("Bearer {token}"))
        .body(Bytes::new())
        .expect("request")
}

/// Logs in with PKCE like seed 000, with the browser step played by fetching the
/// authorize URL; returns the token response.
async fn login(fake: &FakeGlobus, driver: &RetryDriver) -> (NativeAppClient, TokenResponse) {
    let client = NativeAppClient::new(TUTORIAL_CLIENT_ID, fake.auth_url()).unwrap();
    let flow = client
        .start_flow(
            NativeFlowOptions::new()
                .requested_scopes(SCOPES)
                .refresh_tokens(true)
                .state("xyz"),
        )
        .unwrap();
    let consent = http::Request::get(flow.authorize_url(&AuthorizeParams::default()))
        .body(Bytes::new())
        .unwrap();
    let redirect = driver.executor().execute(consent).await.unwrap();
    assert_eq!(redirect.status(), 302);
    let location = redirect.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(flow.redirect_uri()), "{location}");
    assert_eq!(query_value(&location, "state").as_deref(), Some("xyz"));
    let code = AuthorizationCode::new(query_value(&location, "code").expect("a code"));

    let exchange = flow.exchange_code_request(&code).unwrap();
    let response = driver.send(exchange, &SendOptions::default()).await.unwrap();
    let tokens = TokenResponse::from_http(&response, SystemTime::now()).unwrap();
    (client, tokens)
}

#[tokio::test]
async fn pkce_login_then_transfer_and_groups() {
    let fake = FakeGlobus::start().await.unwrap();
    let driver = driver(InstantSleep::default());
    let (_, tokens) = login(&fake, &driver).await;
    assert!(tokens.id_token().is_some());
    let transfer = tokens
        .by_scopes("urn:globus:auth:scope:transfer.api.globus.org:all")
        .unwrap();
    assert!(transfer.refresh_token.is_some());

    let search = format!("{}v0.10/endpoint_search?filter_fulltext=tutorial", fake.transfer_url());
    let response = driver
        .send(
            bearer_get(&search, transfer.access_token.expose_secret()),
            &SendOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let page: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
    assert!(!page["DATA"].as_array().unwrap().is_empty());

    let groups = tokens.get("groups.api.globus.org").unwrap();
    let my_groups = format!("{}v2/groups/my_groups", fake.groups_url());
    let response = driver
        .send(
            bearer_get(&my_groups, groups.access_token.expose_secret()),
            &SendOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    // A Transfer token is no good for Groups.
    let wrong = driver
        .send(
            bearer_get(&my_groups, transfer.access_token.expose_secret()),
            &SendOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    fake.shutdown().await;
}

#[tokio::test]
async fn refresh_rotates_and_the_old_refresh_token_is_rejected() {
    let fake = FakeGlobus::start().await.unwrap();
    let driver = driver(InstantSleep::default());
    let (client, tokens) = login(&fake, &driver).await;
    let old = tokens
        .get("transfer.api.globus.org")
        .unwrap()
        .refresh_token
        .clone()
        .unwrap();

    let request = client.refresh_token_request(&old, &Params::new()).unwrap();
    let response = driver.send(request, &SendOptions::default()).await.unwrap();
    let refreshed = TokenResponse::from_http(&response, SystemTime::now()).unwrap();
    let servers: Vec<&str> = refreshed
        .by_resource_server()
        .iter()
        .map(|d| d.resource_server.as_str())
        .collect();
    assert_eq!(servers, ["transfer.api.globus.org"]);
    let new = refreshed.by_resource_server()[0].refresh_token.clone().unwrap();
    assert_ne!(new.expose_secret(), old.expose_secret());

    let again = client.refresh_token_request(&old, &Params::new()).unwrap();
    let response = driver.send(again, &SendOptions::default()).await.unwrap();
    let error = TokenResponse::from_http(&response, SystemTime::now()).unwrap_err();
    assert_eq!(error.api_error().and_then(|e| e.oauth_error()), Some("invalid_grant"));
    assert_eq!(fake.counters().token_posts, 3);
    fake.shutdown().await;
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried() {
    let fake = FakeGlobus::start().await.unwrap();
    let sleep = InstantSleep::default();
    let driver = driver(sleep.clone());
    let tokens = fake
        .issue_tokens(TUTORIAL_CLIENT_ID, "urn:globus:auth:scope:transfer.api.globus.org:all")
        .unwrap();
    let token = tokens["access_token"].as_str().unwrap();
    fake.faults().add(
        Fault::status("GET", "/transfer/v0.10/endpoint_search", 429)
            .retry_after("2")
            .nth(1),
    );

    let url = format!("{}v0.10/endpoint_search?filter_fulltext=tutorial", fake.transfer_url());
    let response = driver
        .send(bearer_get(&url, token), &SendOptions::default())
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(sleep.sleeps(), vec![std::time::Duration::from_secs(2)]);
    fake.shutdown().await;
}

#[tokio::test]
async fn dropped_connections_retry_a_get_but_not_a_post() {
    let fake = FakeGlobus::start().await.unwrap();
    let driver = driver(InstantSleep::default());
    let tokens = fake
        .issue_tokens(TUTORIAL_CLIENT_ID, "urn:globus:auth:scope:transfer.api.globus.org:all")
        .unwrap();
    let token = tokens["access_token"].as_str().unwrap();

    let submission_path = "/transfer/v0.10/submission_id";
    fake.faults().add(Fault::drop_connection("GET", submission_path).nth(1));
    let url = format!("{}v0.10/submission_id", fake.transfer_url());
    let response = driver
        .send(bearer_get(&url, token), &SendOptions::default())
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(fake.counters().route("GET", submission_path), 2);

    let mkdir_path = "/transfer/v0.10/operation/endpoint/ddb59aef-6d04-11e5-ba46-22000b92c6ec/mkdir";
    fake.faults().add(Fault::drop_connection("POST", mkdir_path).nth(1));
    let mkdir = http::Request::post(format!("{}{}", fake.origin(), mkdir_path))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Bytes::from_static(br#"{"DATA_TYPE":"mkdir","path":"/~/new-dir"}"#))
        .unwrap();
    let error = driver.send(mkdir, &SendOptions::default()).await.unwrap_err();
    let SendError::Transport(error) = error else {
        panic!("expected a transport error")
    };
    assert!(error.may_have_been_sent());
    assert_eq!(error.kind(), TransportErrorKind::Io);
    assert_eq!(fake.counters().route("POST", mkdir_path), 1);
    fake.shutdown().await;
}
