//! The control plane (`/_count`, `/_reset`, `/_clock`, `/_faults`, `/_requests`), fault
//! injection and shutdown.

mod common;

use std::time::{Duration, Instant};

use common::{Auth, Http, access_token, fake};
use globus_testing::{FakeGlobus, Fault, TUTORIAL_CLIENT_ID};
use http::{Method, StatusCode};
use serde_json::json;

fn transfer_token(fake: &FakeGlobus) -> String {
    let tokens = fake
        .issue_tokens(TUTORIAL_CLIENT_ID, "urn:globus:auth:scope:transfer.api.globus.org:all")
        .expect("tokens");
    access_token(&tokens, "transfer.api.globus.org")
}

#[tokio::test]
async fn count_and_reset() {
    let fake = fake().await;
    let http = Http::new();
    let token = transfer_token(&fake);
    let search = format!("{}v0.10/endpoint_search?filter_fulltext=tutorial", fake.transfer_url());
    http.get(&search, Auth::Bearer(&token)).await;
    http.get(&search, Auth::None).await;
    http.post_form(
        &format!("{}v2/oauth2/token", fake.auth_url()),
        Auth::None,
        &[("grant_type", "refresh_token")],
    )
    .await;
    let count = http.get(&format!("{}/_count", fake.origin()), Auth::None).await.json();
    assert_eq!(count["requests"], 3);
    assert_eq!(count["token_posts"], 1);
    assert_eq!(count["unauthenticated"], 2, "{count}");
    assert_eq!(count["routes"]["GET /transfer/v0.10/endpoint_search"], 2);
    assert_eq!(fake.counters().route("GET", "/transfer/v0.10/endpoint_search"), 2);
    fake.faults().add(Fault::status("*", "/*", 500));
    let reset = http
        .send(Method::POST, &format!("{}/_reset", fake.origin()), Auth::None, None)
        .await;
    assert_eq!(reset.status, StatusCode::OK);
    assert_eq!(fake.counters().requests, 0);
    assert!(fake.requests().is_empty());
    assert!(fake.faults().list().is_empty());
    // Tokens survive a reset.
    assert_eq!(http.get(&search, Auth::Bearer(&token)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn clock_control() {
    let fake = fake().await;
    let http = Http::new();
    let clock = format!("{}/_clock", fake.origin());
    let before = http.get(&clock, Auth::None).await.json()["now"].as_f64().expect("now");
    let after = http
        .post_json(&clock, Auth::None, &json!({"advance": 30.5}))
        .await
        .json();
    assert_eq!(after["offset"], 30.5);
    assert_eq!(after["now"].as_f64().map(|now| now - before), Some(30.5));
    for bad in [json!({"advance": -1}), json!({"later": 3}), json!("x")] {
        assert_eq!(
            http.post_json(&clock, Auth::None, &bad).await.status,
            StatusCode::BAD_REQUEST
        );
    }
    assert_eq!(
        http.send(Method::DELETE, &clock, Auth::None, None).await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[tokio::test]
async fn retry_after_on_the_first_request_then_success() {
    let fake = fake().await;
    let http = Http::new();
    let token = transfer_token(&fake);
    let id = fake.faults().add(
        Fault::status("GET", "/transfer/v0.10/endpoint_search", 429)
            .retry_after("2")
            .nth(1),
    );
    let url = format!("{}v0.10/endpoint_search?filter_fulltext=tutorial", fake.transfer_url());
    let first = http.get(&url, Auth::Bearer(&token)).await;
    assert_eq!(first.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(first.header("retry-after"), Some("2"));
    assert_eq!(first.json()["code"], "TooManyRequests");
    let second = http.get(&url, Auth::Bearer(&token)).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(fake.faults().hits(id), 1);
    assert_eq!(fake.counters().faults_injected, 1);
}

#[tokio::test]
async fn faults_over_http() {
    let fake = fake().await;
    let http = Http::new();
    let token = transfer_token(&fake);
    let faults = format!("{}/_faults", fake.origin());
    let spec = json!({"method": "GET", "path": "/transfer/v0.10/task_list", "status": 503, "times": 2, "body": {"code": "Down"}});
    let added = http.post_json(&faults, Auth::None, &spec).await;
    assert_eq!(added.status, StatusCode::OK);
    assert!(added.json()["id"].is_u64());
    let url = format!("{}v0.10/task_list", fake.transfer_url());
    let statuses = [
        http.get(&url, Auth::Bearer(&token)).await,
        http.get(&url, Auth::Bearer(&token)).await,
        http.get(&url, Auth::Bearer(&token)).await,
    ];
    assert_eq!(
        statuses.each_ref().map(|r| r.status),
        [
            StatusCode::SERVICE_UNAVAILABLE,
            StatusCode::SERVICE_UNAVAILABLE,
            StatusCode::OK
        ]
    );
    assert_eq!(statuses[0].json(), json!({"code": "Down"}));
    let listed = http.get(&faults, Auth::None).await.json();
    assert_eq!(listed[0]["hits"], 2);
    assert_eq!(
        http.post_json(&faults, Auth::None, &json!({"path": "/x"})).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        http.send(Method::DELETE, &faults, Auth::None, None).await.status,
        StatusCode::OK
    );
    assert!(fake.faults().list().is_empty());
}

#[tokio::test]
async fn dropped_connections_are_transport_errors() {
    let fake = fake().await;
    let http = Http::new();
    let token = transfer_token(&fake);
    fake.faults()
        .add(Fault::drop_connection("POST", "/auth/v2/oauth2/token").nth(1));
    let url = format!("{}v2/oauth2/token", fake.auth_url());
    let body = Some((
        "application/x-www-form-urlencoded",
        b"grant_type=refresh_token".to_vec(),
    ));
    let dropped = http.try_send(Method::POST, &url, Auth::None, body.clone()).await;
    assert!(dropped.is_err(), "expected a transport error, got {dropped:?}");
    let retried = http
        .try_send(Method::POST, &url, Auth::None, body)
        .await
        .expect("second attempt answers");
    assert_eq!(retried.status, StatusCode::UNAUTHORIZED);
    assert_eq!(fake.counters().token_posts, 2);
    // The server keeps serving other connections.
    let search = format!("{}v0.10/endpoint_search", fake.transfer_url());
    assert_eq!(http.get(&search, Auth::Bearer(&token)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn delays_hold_the_answer() {
    let fake = fake().await;
    let http = Http::new();
    fake.faults()
        .add(Fault::delay("GET", "/groups/*", Duration::from_millis(200)));
    let started = Instant::now();
    let reply = http
        .get(&format!("{}v2/groups/my_groups", fake.groups_url()), Auth::None)
        .await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(
        reply.status,
        StatusCode::UNAUTHORIZED,
        "the request is still handled after the delay"
    );
}

#[tokio::test]
async fn the_request_log_hides_credentials() {
    let fake = fake().await;
    let http = Http::new();
    let token = transfer_token(&fake);
    http.get(
        &format!("{}v0.10/endpoint_search?limit=5", fake.transfer_url()),
        Auth::Bearer(&token),
    )
    .await;
    http.post_form(
        &format!("{}v2/oauth2/token", fake.auth_url()),
        Auth::Basic("id", "pw"),
        &[("grant_type", "client_credentials")],
    )
    .await;
    let log = fake.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].method, "GET");
    assert_eq!(log[0].path, "/transfer/v0.10/endpoint_search");
    assert_eq!(log[0].query, "limit=5");
    assert_eq!(log[0].header("authorization"), Some("Bearer <redacted>"));
    assert_eq!(log[1].header("authorization"), Some("Basic <redacted>"));
    assert_eq!(log[1].body, "grant_type=client_credentials");
    let over_http = http
        .get(&format!("{}/_requests", fake.origin()), Auth::None)
        .await
        .json();
    assert_eq!(over_http.as_array().map(Vec::len), Some(2));
    assert!(!over_http.to_string().contains(&token));
}

#[tokio::test]
async fn shutdown_releases_the_port() {
    let fake = fake().await;
    let http = Http::new();
    let count = format!("{}/_count", fake.origin());
    assert_eq!(http.get(&count, Auth::None).await.status, StatusCode::OK);
    fake.shutdown().await;
    assert!(
        Http::new()
            .try_send(Method::GET, &count, Auth::None, None)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn clients_and_users_over_http() {
    let fake = fake().await;
    let http = Http::new();
    let clients = format!("{}/_clients", fake.origin());
    let added = http
        .post_json(&clients, Auth::None, &json!({"id": "cc", "secret": "pw", "name": "CC"}))
        .await;
    assert_eq!(added.json(), json!({"id": "cc", "confidential": true}));
    assert_eq!(
        http.post_json(&clients, Auth::None, &json!({"secret": "pw"}))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let form = [("grant_type", "client_credentials"), ("scope", "openid")];
    let tokens = http
        .post_form(
            &format!("{}v2/oauth2/token", fake.auth_url()),
            Auth::Basic("cc", "pw"),
            &form,
        )
        .await;
    assert_eq!(tokens.status, StatusCode::OK);
    assert!(tokens.json()["id_token"].is_string());

    let users = format!("{}/_users", fake.origin());
    let user = json!({"id": "0b5e55ed-2222-4ccc-8ddd-0000000000bb", "username": "bob@globusid.org", "login": true});
    assert_eq!(
        http.post_json(&users, Auth::None, &user).await.json()["logged_in"],
        true
    );
    let issued = fake.issue_tokens(TUTORIAL_CLIENT_ID, "openid").expect("tokens");
    let token = issued["access_token"].as_str().expect("token");
    let info = http
        .get(&format!("{}v2/oauth2/userinfo", fake.auth_url()), Auth::Bearer(token))
        .await
        .json();
    assert_eq!(info["preferred_username"], "bob@globusid.org");
    assert_eq!(
        http.post_json(&users, Auth::None, &json!({"id": 5})).await.status,
        StatusCode::BAD_REQUEST
    );
}
