//! Renewing authorizers against a scripted token endpoint and a manual clock.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use globus_auth_core::{
    AccessToken, ClientSecret, ConfidentialAppClient, NativeAppClient, RefreshToken, TokenResponse,
};
use globus_authorizers::{
    AccessTokenAuthorizer, ClientCredentialsAuthorizer, NullAuthorizer, OnRefresh, RefreshTokenAuthorizer,
};
use globus_transport::test_util::{InstantSleep, ManualClock};
use globus_transport::{
    Authorizer, AuthorizerErrorKind, BoxError, HttpExecutor, RetryDriver, SharedClock, SharedExecutor, SharedSleep,
    TransportError,
};

const START: u64 = 1_700_000_000;

/// A token endpoint: answers the scripted bodies in order (the last one forever), after
/// an optional real delay so concurrent callers pile up; records every request body.
#[derive(Debug, Default)]
struct TokenEndpoint {
    answers: Mutex<Vec<(u16, String)>>,
    bodies: Mutex<Vec<String>>,
    delay: Duration,
    count: AtomicUsize,
}

impl TokenEndpoint {
    fn new(answers: Vec<(u16, String)>, delay: Duration) -> Arc<Self> {
        Arc::new(Self {
            answers: Mutex::new(answers),
            delay,
            ..Self::default()
        })
    }

    fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
}

/// The executor handle the driver holds.
#[derive(Clone, Debug)]
struct Shared(Arc<TokenEndpoint>);

#[async_trait::async_trait]
impl HttpExecutor for Shared {
    async fn execute(&self, request: http::Request<Bytes>) -> Result<http::Response<Bytes>, TransportError> {
        let endpoint = &self.0;
        endpoint.count.fetch_add(1, Ordering::SeqCst);
        endpoint
            .bodies
            .lock()
            .unwrap()
            .push(String::from_utf8_lossy(request.body()).into_owned());
        if !endpoint.delay.is_zero() {
            tokio::time::sleep(endpoint.delay).await;
        }
        let (status, body) = {
            let mut answers = endpoint.answers.lock().unwrap();
            if answers.len() > 1 {
                answers.remove(0)
            } else {
                answers[0].clone()
            }
        };
        Ok(http::Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(Bytes::from(body))
            .unwrap())
    }
}

fn token(access: &str, refresh: Option<&str>, expires_in: u64) -> (u16, String) {
    let refresh = refresh.map_or("null".to_owned(), |r| format!("\"{r}\""));
    (
        200,
        format!(
            r#"{{"access_token":"{access}","scope":"urn:globus:auth:scope:transfer.api.globus.org:all",
               "resource_server":"transfer.api.globus.org","expires_in":{expires_in},"token_type":"Bearer",
               "refresh_token":{refresh},"other_tokens":[]}}"#
        ),
    )
}

fn invalid_grant() -> (u16, String) {
    (
        400,
        r#"{"error":"invalid_grant","error_description":"nope"}"#.to_owned(),
    )
}

struct Setup {
    endpoint: Arc<TokenEndpoint>,
    clock: ManualClock,
    driver: RetryDriver,
}

fn setup(answers: Vec<(u16, String)>, delay: Duration) -> Setup {
    let endpoint = TokenEndpoint::new(answers, delay);
    let clock = ManualClock::at_unix(START);
    let driver = RetryDriver::new(
        SharedExecutor::new(Shared(endpoint.clone())),
        SharedSleep::new(InstantSleep::default()),
    )
    .with_clock(SharedClock::new(clock.clone()));
    Setup {
        endpoint,
        clock,
        driver,
    }
}

fn native() -> NativeAppClient {
    NativeAppClient::new("61338d24-54d5-408f-a10d-66c06b59f6d2", "https://auth.globus.org/").unwrap()
}

fn at(seconds_after_start: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(START + seconds_after_start)
}

async fn header(authorizer: &impl Authorizer) -> String {
    authorizer
        .authorization()
        .await
        .unwrap()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn fixed_authorizers() {
    assert_eq!(NullAuthorizer.authorization().await.unwrap(), None);
    let access = AccessTokenAuthorizer::new(AccessToken::new("AT"));
    let value = access.authorization().await.unwrap().unwrap();
    assert_eq!(value, "Bearer AT");
    assert!(value.is_sensitive());
    assert!(!access.on_unauthorized(&value).await);
    assert!(
        AccessTokenAuthorizer::new(AccessToken::new("bad\nvalue"))
            .authorization()
            .await
            .is_err()
    );
    let basic = globus_authorizers::BasicAuthorizer::new("cid", &ClientSecret::new("secret"));
    assert_eq!(basic.authorization().await.unwrap().unwrap(), "Basic Y2lkOnNlY3JldA==");
}

#[tokio::test]
async fn the_first_token_is_fetched_lazily() {
    let s = setup(vec![token("AT1", Some("RT2"), 3600)], Duration::ZERO);
    let authorizer = RefreshTokenAuthorizer::refresh_token(native(), RefreshToken::new("RT1"), s.driver).build();
    assert_eq!(s.endpoint.count(), 0);
    assert_eq!(header(&authorizer).await, "Bearer AT1");
    assert_eq!(header(&authorizer).await, "Bearer AT1");
    assert_eq!(s.endpoint.count(), 1);
    assert!(s.endpoint.bodies.lock().unwrap()[0].starts_with("refresh_token=RT1&grant_type=refresh_token"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_callers_with_an_expired_token_cause_one_request() {
    let s = setup(vec![token("AT2", Some("RT2"), 3600)], Duration::from_millis(50));
    let authorizer = RefreshTokenAuthorizer::refresh_token(native(), RefreshToken::new("RT1"), s.driver)
        .access_token(AccessToken::new("AT1"), at(10))
        .build();
    s.clock.advance(Duration::from_secs(11)); // expired
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let authorizer = authorizer.clone();
            tokio::spawn(async move { header(&authorizer).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), "Bearer AT2");
    }
    assert_eq!(s.endpoint.count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn callers_inside_the_margin_keep_the_valid_token_while_one_renews() {
    let s = setup(vec![token("AT2", None, 3600)], Duration::from_millis(100));
    let authorizer = RefreshTokenAuthorizer::refresh_token(native(), RefreshToken::new("RT1"), s.driver)
        .access_token(AccessToken::new("AT1"), at(30)) // 30 s left: inside the 60 s margin
        .build();
    let renewing = {
        let authorizer = authorizer.clone();
        tokio::spawn(async move { header(&authorizer).await })
    };
    while s.endpoint.count() == 0 {
        tokio::task::yield_now().await;
    }
    // While the renewal is in flight, others get the old, still valid token at once.
    assert_eq!(header(&authorizer).await, "Bearer AT1");
    assert_eq!(renewing.await.unwrap(), "Bearer AT2");
    assert_eq!(header(&authorizer).await, "Bearer AT2");
    assert_eq!(s.endpoint.count(), 1);
}

#[tokio::test]
async fn a_failed_renewal_keeps_the_valid_token_and_cools_down() {
    let s = setup(vec![invalid_grant(), token("AT2", None, 3600)], Duration::ZERO);
    let authorizer = RefreshTokenAuthorizer::refresh_token(native(), RefreshToken::new("RT1"), s.driver)
        .access_token(AccessToken::new("AT1"), at(30))
        .build();
    assert_eq!(header(&authorizer).await, "Bearer AT1"); // renewal failed, old token kept
    assert_eq!(s.endpoint.count(), 1);
    s.clock.advance(Duration::from_secs(2));
    assert_eq!(header(&authorizer).await, "Bearer AT1"); // cooling down: no new attempt
    assert_eq!(s.endpoint.count(), 1);
    s.clock.advance(Duration::from_secs(4));
    assert_eq!(header(&authorizer).await, "Bearer AT2"); // after the cool-down: retried
    assert_eq!(s.endpoint.count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_expired_token_and_a_failed_renewal_is_one_shared_error() {
    let s = setup(vec![invalid_grant()], Duration::from_millis(50));
    let authorizer = RefreshTokenAuthorizer::refresh_token(native(), RefreshToken::new("RT1"), s.driver).build();
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let authorizer = authorizer.clone();
            tokio::spawn(async move { authorizer.authorization().await })
        })
        .collect();
    for task in tasks {
        let error = task.await.unwrap().unwrap_err();
        assert_eq!(error.kind(), AuthorizerErrorKind::Refresh);
        let source = std::error::Error::source(&error).unwrap().to_string();
        assert!(source.contains("invalid_grant"), "{source}");
    }
    assert_eq!(s.endpoint.count(), 1);
    // The token has expired, so there is no cool-down: the next call tries again.
    assert!(authorizer.authorization().await.is_err());
    assert_eq!(s.endpoint.count(), 2);
}

#[tokio::test]
async fn a_401_on_the_current_token_renews_once() {
    let s = setup(vec![token("AT2", None, 3600), token("AT3", None, 3600)], Duration::ZERO);
    let authorizer = RefreshTokenAuthorizer::refresh_token(native(), RefreshToken::new("RT1"), s.driver)
        .access_token(AccessToken::new("AT1"), at(3600))
        .build();
    let rejected = authorizer.authorization().await.unwrap().unwrap();
    // K requests all got a 401 on the same token: one invalidation.
    for _ in 0..5 {
        assert!(authorizer.on_unauthorized(&rejected).await);
    }
    assert_eq!(header(&authorizer).await, "Bearer AT2");
    assert!(authorizer.on_unauthorized(&rejected).await); // stale: AT2 stays
    assert_eq!(header(&authorizer).await, "Bearer AT2");
    assert_eq!(s.endpoint.count(), 1);
}

#[derive(Debug, Default)]
struct Recorder {
    seen: Mutex<Vec<Vec<String>>>,
    fail: bool,
}

#[async_trait::async_trait]
impl OnRefresh for Recorder {
    async fn on_refresh(&self, response: &TokenResponse) -> Result<(), BoxError> {
        let servers = response
            .by_resource_server()
            .iter()
            .map(|d| d.resource_server.clone())
            .collect();
        self.seen.lock().unwrap().push(servers);
        if self.fail { Err("disk full".into()) } else { Ok(()) }
    }
}

#[tokio::test]
async fn refresh_tokens_rotate_and_on_refresh_sees_each_response() {
    let s = setup(
        vec![token("AT1", Some("RT2"), 100), token("AT2", Some("RT3"), 100)],
        Duration::ZERO,
    );
    let recorder = Arc::new(Recorder::default());
    let authorizer = RefreshTokenAuthorizer::refresh_token(native(), RefreshToken::new("RT1"), s.driver)
        .on_refresh(recorder.clone())
        .build();
    assert_eq!(header(&authorizer).await, "Bearer AT1");
    s.clock.advance(Duration::from_secs(100));
    assert_eq!(header(&authorizer).await, "Bearer AT2");
    let bodies = s.endpoint.bodies.lock().unwrap().clone();
    assert!(bodies[1].starts_with("refresh_token=RT2&"), "{}", bodies[1]);
    assert_eq!(authorizer.grant().refresh_token().expose_secret(), "RT3");
    assert_eq!(recorder.seen.lock().unwrap().len(), 2);
    assert_eq!(authorizer.expires_at(), Some(at(200)));
    assert!(!format!("{authorizer:?}").contains("RT3"));
}

#[tokio::test]
async fn an_on_refresh_failure_is_reported_and_the_new_token_kept() {
    let s = setup(vec![token("AT1", Some("RT2"), 3600)], Duration::ZERO);
    let recorder = Arc::new(Recorder {
        fail: true,
        ..Recorder::default()
    });
    let authorizer = RefreshTokenAuthorizer::refresh_token(native(), RefreshToken::new("RT1"), s.driver)
        .on_refresh(recorder)
        .build();
    let error = authorizer.authorization().await.unwrap_err();
    assert_eq!(error.kind(), AuthorizerErrorKind::Storage);
    assert_eq!(header(&authorizer).await, "Bearer AT1");
    assert_eq!(s.endpoint.count(), 1);
}

#[tokio::test]
async fn client_credentials_need_exactly_one_resource_server() {
    let two = (
        200,
        r#"{"access_token":"A","scope":"s","resource_server":"a","expires_in":10,
            "other_tokens":[{"access_token":"B","scope":"t","resource_server":"b","expires_in":10}]}"#
            .to_owned(),
    );
    let s = setup(vec![two, token("CC", None, 3600)], Duration::ZERO);
    let client = ConfidentialAppClient::new("cid", ClientSecret::new("secret"), "https://auth.globus.org/").unwrap();
    let authorizer = ClientCredentialsAuthorizer::client_credentials(client, "a-scope", s.driver).build();
    let error = authorizer.authorization().await.unwrap_err();
    assert_eq!(error.kind(), AuthorizerErrorKind::Refresh);
    assert_eq!(header(&authorizer).await, "Bearer CC");
    let bodies = s.endpoint.bodies.lock().unwrap().clone();
    assert_eq!(bodies[1], "grant_type=client_credentials&scope=a-scope");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_caller_does_not_cancel_the_renewal() {
    let s = setup(vec![token("AT1", Some("RT2"), 3600)], Duration::from_millis(100));
    let authorizer = RefreshTokenAuthorizer::refresh_token(native(), RefreshToken::new("RT1"), s.driver).build();
    let first = {
        let authorizer = authorizer.clone();
        tokio::spawn(async move { header(&authorizer).await })
    };
    while s.endpoint.count() == 0 {
        tokio::task::yield_now().await;
    }
    let second = {
        let authorizer = authorizer.clone();
        tokio::spawn(async move { header(&authorizer).await })
    };
    first.abort();
    assert_eq!(second.await.unwrap(), "Bearer AT1");
    assert_eq!(s.endpoint.count(), 1);
    assert_eq!(authorizer.grant().refresh_token().expose_secret(), "RT2");
}
