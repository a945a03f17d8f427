//! Seed 004 ("a minimal script with token storage") against the fake Globus: log in,
//! store the tokens in a JSON file, build a RefreshTokenAuthorizer from the stored data
//! whose rotated tokens land back in the file, list groups, and run again from the file.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use globus_sdk::StorageOnRefresh;
use globus_sdk::auth_core::scopes::GroupsScopes;
use globus_sdk::auth_core::{AuthorizationCode, AuthorizeParams, NativeAppClient, NativeFlowOptions, TokenResponse};
use globus_sdk::authorizers::RefreshTokenAuthorizer;
use globus_sdk::tokenstorage::{JsonTokenStorage, TokenStorage};
use globus_sdk::transport::{HttpExecutor, RetryDriver, SendOptions, SharedExecutor, SharedSleep};
use globus_sdk::transport_hyper::{HyperExecutor, TokioSleep};
use globus_testing::{FakeGlobus, TUTORIAL_CLIENT_ID};

fn driver() -> RetryDriver {
    let executor = HyperExecutor::builder().build().unwrap();
    RetryDriver::new(SharedExecutor::new(executor), SharedSleep::new(TokioSleep))
}

/// The login block of the script, with the browser step played by fetching the URL.
async fn login(client: &NativeAppClient, driver: &RetryDriver) -> TokenResponse {
    let options = NativeFlowOptions::new()
        .requested_scopes(format!("openid {}", GroupsScopes::VIEW_MY_GROUPS_AND_MEMBERSHIPS))
        .refresh_tokens(true);
    let flow = client.start_flow(options).unwrap();
    let consent = http::Request::get(flow.authorize_url(&AuthorizeParams::default()))
        .body(Bytes::new())
        .unwrap();
    let redirect = driver.executor().execute(consent).await.unwrap();
    let location = redirect.headers()["location"].to_str().unwrap().to_owned();
    let code = location
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned();
    let exchange = flow.exchange_code_request(&AuthorizationCode::new(code)).unwrap();
    let response = driver.send(exchange, &SendOptions::default()).await.unwrap();
    TokenResponse::from_http(&response, SystemTime::now()).unwrap()
}

/// The rest of the script: authorizer from storage, then `get_my_groups`.
async fn list_groups(
    fake: &FakeGlobus,
    storage: Arc<JsonTokenStorage>,
    driver: &RetryDriver,
) -> (usize, RefreshTokenAuthorizer) {
    let client = NativeAppClient::new(TUTORIAL_CLIENT_ID, fake.auth_url()).unwrap();
    let data = storage
        .get_token_data(GroupsScopes::RESOURCE_SERVER)
        .unwrap()
        .expect("stored groups tokens");
    let expires_at = UNIX_EPOCH + Duration::from_secs(data.expires_at_seconds.try_into().unwrap());
    let authorizer = RefreshTokenAuthorizer::refresh_token(client, data.refresh_token.clone().unwrap(), driver.clone())
        .access_token(data.access_token.clone(), expires_at)
        .on_refresh(Arc::new(StorageOnRefresh::new(storage)))
        .build();
    let options = SendOptions {
        authorizer: Some(Arc::new(authorizer.clone())),
        ..SendOptions::default()
    };
    let request = http::Request::get(format!("{}v2/groups/my_groups", fake.groups_url()))
        .body(Bytes::new())
        .unwrap();
    let response = driver.send(request, &options).await.unwrap();
    assert_eq!(response.status(), 200);
    let groups: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
    (groups.as_array().unwrap().len(), authorizer)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotated_refresh_tokens_land_in_the_token_file() {
    let fake = FakeGlobus::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".list-my-globus-groups-tokens.json");
    let driver = driver();

    // First run: no file yet, so log in and store.
    let storage = Arc::new(JsonTokenStorage::open(&path).unwrap());
    assert!(!storage.file_exists());
    let client = NativeAppClient::new(TUTORIAL_CLIENT_ID, fake.auth_url()).unwrap();
    let tokens = login(&client, &driver).await;
    storage.store_token_response(&tokens).unwrap();
    let stored = storage.get_token_data(GroupsScopes::RESOURCE_SERVER).unwrap().unwrap();
    let identity = stored.identity_id.clone().expect("identity from the id token");
    let first_refresh = stored.refresh_token.clone().unwrap();

    let (count, _) = list_groups(&fake, storage.clone(), &driver).await;
    assert!(count > 0);
    assert_eq!(fake.counters().token_posts, 1, "no refresh while the token is valid");

    // The access token expires on the server's side: the 401 makes the authorizer
    // refresh once, and the rotated tokens are written back to the file.
    fake.advance_clock(Duration::from_secs(172_801));
    let (count_again, authorizer) = list_groups(&fake, storage.clone(), &driver).await;
    assert_eq!(count_again, count);
    assert_eq!(fake.counters().token_posts, 2);
    let rotated = authorizer.grant().refresh_token();
    assert_ne!(rotated.expose_secret(), first_refresh.expose_secret());

    let reopened = JsonTokenStorage::open(&path).unwrap();
    let on_disk = reopened.get_token_data(GroupsScopes::RESOURCE_SERVER).unwrap().unwrap();
    assert_eq!(on_disk.refresh_token.unwrap().expose_secret(), rotated.expose_secret());
    assert_eq!(
        on_disk.identity_id.as_deref(),
        Some(identity.as_str()),
        "the refresh kept the identity"
    );
    assert!(
        reopened.get_token_data("auth.globus.org").unwrap().is_some(),
        "other tokens untouched"
    );

    // Second run of the script: the file exists, no login, and the stored (rotated)
    // refresh token still works.
    fake.advance_clock(Duration::from_secs(172_801));
    let (count_third, _) = list_groups(&fake, Arc::new(reopened), &driver).await;
    assert_eq!(count_third, count);
    assert_eq!(fake.counters().token_posts, 3);
    fake.shutdown().await;
}
