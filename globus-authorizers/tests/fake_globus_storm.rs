//! The single-flight refresh against the fake Globus over real HTTP: 64 tasks on a
//! multi-thread runtime, one token request; then a 401 storm, one more.

use globus_auth_core::{NativeAppClient, RefreshToken};
use globus_authorizers::RefreshTokenAuthorizer;
use globus_testing::{FakeGlobus, TUTORIAL_CLIENT_ID};
use globus_transport::{Authorizer, RetryDriver, SendOptions, SharedExecutor, SharedSleep};
use globus_transport_hyper::{HyperExecutor, TokioSleep};

/// `tasks` concurrent GETs of `url` through one authorizer; all must succeed.
async fn storm(tasks: usize, driver: &RetryDriver, authorizer: &RefreshTokenAuthorizer, url: &str) {
    let tasks: Vec<_> = (0..tasks)
        .map(|_| {
            let (driver, url) = (driver.clone(), url.to_owned());
            let options = SendOptions {
                authorizer: Some(std::sync::Arc::new(authorizer.clone())),
                ..SendOptions::default()
            };
            tokio::spawn(async move {
                let request = http::Request::get(url).body(bytes::Bytes::new()).unwrap();
                driver.send(request, &options).await.unwrap().status()
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_tasks_one_token_request() {
    let fake = FakeGlobus::start().await.unwrap();
    let tokens = fake
        .issue_tokens(TUTORIAL_CLIENT_ID, "urn:globus:auth:scope:transfer.api.globus.org:all")
        .unwrap();
    let refresh_token = RefreshToken::new(tokens["refresh_token"].as_str().expect("a refresh token"));
    fake.reset();

    let executor = HyperExecutor::builder().build().unwrap();
    let driver = RetryDriver::new(SharedExecutor::new(executor), SharedSleep::new(TokioSleep));
    let client = NativeAppClient::new(TUTORIAL_CLIENT_ID, fake.auth_url()).unwrap();
    let authorizer = RefreshTokenAuthorizer::refresh_token(client, refresh_token, driver.clone()).build();

    let search = format!("{}v0.10/endpoint_search?filter_fulltext=tutorial", fake.transfer_url());
    storm(64, &driver, &authorizer, &search).await;
    assert_eq!(fake.counters().token_posts, 1);
    assert_eq!(fake.counters().unauthenticated, 0);

    // The token expires on the fake's side: every request gets a 401 on the same token,
    // and the authorizer renews once for all of them.
    let rotated = authorizer.grant().refresh_token();
    fake.advance_clock(std::time::Duration::from_secs(172_800 + 1));
    storm(16, &driver, &authorizer, &search).await;
    assert_eq!(fake.counters().token_posts, 2);
    assert_ne!(
        authorizer.grant().refresh_token().expose_secret(),
        rotated.expose_secret()
    );
    let header = authorizer.authorization().await.unwrap().unwrap();
    assert!(header.is_sensitive());
    fake.shutdown().await;
}
