//! The retry driver against scripted executors: the DESIGN.md §6 retry table.

mod common;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;
use common::{CountingAuthorizer, Scripted, block_on};
use globus_transport::test_util::{CapturingExecutor, InstantSleep, ManualClock, ReplayExecutor};
use globus_transport::{
    FixedJitter, Idempotency, RequestSent, RetryDriver, SendError, SendOptions, SharedClock, SharedExecutor,
    SharedSleep,
};
use http::Method;

struct Run {
    attempts: usize,
    sleeps: Vec<Duration>,
    result: Result<u16, String>,
    captured: Vec<globus_transport::test_util::CapturedRequest>,
}

fn run(method: Method, script: Vec<Scripted>, options: SendOptions) -> Run {
    let script = Arc::new(Mutex::new(script.into_iter()));
    let executor = CapturingExecutor::new(move |_| {
        let next = script.lock().unwrap().next();
        next.unwrap_or(Scripted::Status(200, None)).reply()
    });
    let sleep = InstantSleep::default();
    let driver = RetryDriver::new(SharedExecutor::new(executor.clone()), SharedSleep::new(sleep.clone()))
        .with_jitter(Arc::new(FixedJitter(0.5)));
    let request = http::Request::builder()
        .method(method)
        .uri("https://transfer.api.globus.org/v0.10/task_list")
        .body(Bytes::from_static(b"{}"))
        .unwrap();
    let result = block_on(driver.send(request, &options));
    Run {
        attempts: executor.requests().len(),
        sleeps: sleep.sleeps(),
        result: result.map(|r| r.status().as_u16()).map_err(|e| e.to_string()),
        captured: executor.requests(),
    }
}

fn secs(values: &[f64]) -> Vec<Duration> {
    values.iter().map(|v| Duration::from_secs_f64(*v)).collect()
}

#[test]
fn retry_after_503_then_200() {
    let run = run(
        Method::POST,
        vec![Scripted::Status(503, Some("3".into()))],
        SendOptions::default(),
    );
    assert_eq!(run.attempts, 2);
    assert_eq!(run.sleeps, secs(&[3.0]));
    assert_eq!(run.result, Ok(200));
}

#[test]
fn persistent_503_sleeps_are_clamped_like_python() {
    let script = vec![Scripted::Status(503, Some("30".into())); 10];
    let run = run(Method::GET, script, SendOptions::default());
    assert_eq!(run.attempts, 6);
    assert_eq!(run.sleeps, secs(&[10.0; 5]));
    assert_eq!(run.result, Ok(503));
}

#[test]
fn exponential_backoff_without_retry_after() {
    let run = run(
        Method::GET,
        vec![Scripted::Status(500, None); 10],
        SendOptions::default(),
    );
    assert_eq!(run.attempts, 6);
    // (0.25 + 0.5 * 0.5) * 2^n, capped at 10 s
    assert_eq!(run.sleeps, secs(&[0.5, 1.0, 2.0, 4.0, 8.0]));
}

#[test]
fn non_idempotent_500_is_not_retried_unless_marked() {
    let plain = run(Method::POST, vec![Scripted::Status(502, None)], SendOptions::default());
    assert_eq!((plain.attempts, plain.result.clone()), (1, Ok(502)));
    let marked = SendOptions {
        idempotency: Idempotency::Idempotent,
        ..SendOptions::default()
    };
    let run = run(Method::POST, vec![Scripted::Status(502, None)], marked);
    assert_eq!((run.attempts, run.result), (2, Ok(200)));
}

#[test]
fn transport_errors_follow_the_sent_rule() {
    let not_sent = run(
        Method::POST,
        vec![Scripted::Error(RequestSent::No)],
        SendOptions::default(),
    );
    assert_eq!((not_sent.attempts, not_sent.result), (2, Ok(200)));
    let maybe_post = run(
        Method::POST,
        vec![Scripted::Error(RequestSent::Maybe)],
        SendOptions::default(),
    );
    assert_eq!(maybe_post.attempts, 1);
    assert!(maybe_post.result.unwrap_err().contains("may have been sent"));
    let maybe_get = run(
        Method::GET,
        vec![Scripted::Error(RequestSent::Maybe)],
        SendOptions::default(),
    );
    assert_eq!((maybe_get.attempts, maybe_get.result), (2, Ok(200)));
    let always = run(
        Method::GET,
        vec![Scripted::Error(RequestSent::No); 10],
        SendOptions::default(),
    );
    assert_eq!(always.attempts, 6);
    assert!(always.result.is_err());
}

#[test]
fn unauthorized_reauthorizes_once_without_sleeping() {
    let authorizer = Arc::new(CountingAuthorizer::default());
    let options = SendOptions {
        authorizer: Some(authorizer.clone()),
        ..SendOptions::default()
    };
    let run = run(Method::POST, vec![Scripted::Status(401, None)], options.clone());
    assert_eq!((run.attempts, run.result), (2, Ok(200)));
    assert!(run.sleeps.is_empty());
    let headers: Vec<_> = run
        .captured
        .iter()
        .map(|r| r.headers["authorization"].clone())
        .collect();
    assert_eq!(headers[0], "Bearer token-0");
    assert_eq!(headers[1], "Bearer token-1");
    assert!(headers.iter().all(|h| h.is_sensitive()));

    let persistent = run_with(vec![Scripted::Status(401, None); 3], options);
    assert_eq!((persistent.attempts, persistent.result), (2, Ok(401)));
    assert_eq!(authorizer.unauthorized_calls.load(Ordering::SeqCst), 2);
}

fn run_with(script: Vec<Scripted>, options: SendOptions) -> Run {
    run(Method::GET, script, options)
}

#[test]
fn unauthorized_without_a_way_to_refresh_is_returned() {
    let authorizer = Arc::new(CountingAuthorizer {
        cannot_refresh: true,
        ..CountingAuthorizer::default()
    });
    let options = SendOptions {
        authorizer: Some(authorizer.clone()),
        ..SendOptions::default()
    };
    let run = run(Method::GET, vec![Scripted::Status(401, None)], options);
    assert_eq!((run.attempts, run.result), (1, Ok(401)));
    let no_authorizer = run_with(vec![Scripted::Status(401, None)], SendOptions::default());
    assert_eq!((no_authorizer.attempts, no_authorizer.result), (1, Ok(401)));
}

#[test]
fn authorizer_failure_is_a_send_error() {
    let authorizer = Arc::new(CountingAuthorizer {
        fail: true,
        ..CountingAuthorizer::default()
    });
    let executor = ReplayExecutor::new();
    let driver = RetryDriver::new(
        SharedExecutor::new(executor.clone()),
        SharedSleep::new(InstantSleep::default()),
    );
    let request = http::Request::get("https://auth.globus.org/")
        .body(Bytes::new())
        .unwrap();
    let options = SendOptions {
        authorizer: Some(authorizer),
        ..SendOptions::default()
    };
    let result = block_on(driver.send(request, &options));
    assert!(matches!(result, Err(SendError::Authorizer(_))));
    executor.assert_done();
}

#[test]
fn retry_after_http_date_uses_the_injected_clock() {
    let clock = ManualClock::new(UNIX_EPOCH + Duration::from_secs(784_111_777)); // Sun, 06 Nov 1994 08:49:37 GMT
    let sleep = InstantSleep::advancing(clock.clone());
    let ok = http::Response::builder().status(200).body(Bytes::new()).unwrap();
    let busy = http::Response::builder()
        .status(429)
        .header("retry-after", "Sun, 06 Nov 1994 08:49:41 GMT")
        .body(Bytes::new())
        .unwrap();
    let url = "https://groups.api.globus.org/v2/groups/my_groups";
    let executor = ReplayExecutor::new()
        .expect(Method::GET, url, Ok(busy))
        .expect(Method::GET, url, Ok(ok));
    let driver = RetryDriver::new(SharedExecutor::new(executor.clone()), SharedSleep::new(sleep.clone()))
        .with_clock(SharedClock::new(clock.clone()));
    let request = http::Request::get(url).body(Bytes::new()).unwrap();
    let response = block_on(driver.send(request, &SendOptions::default())).unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(sleep.sleeps(), vec![Duration::from_secs(4)]);
    assert_eq!(clock.now_secs(), 784_111_781);
    executor.assert_done();
}

trait NowSecs {
    fn now_secs(&self) -> u64;
}

impl NowSecs for ManualClock {
    fn now_secs(&self) -> u64 {
        use globus_transport::Clock;
        self.now().duration_since(UNIX_EPOCH).unwrap().as_secs()
    }
}

#[test]
fn the_request_is_resent_whole() {
    let run = run(Method::PUT, vec![Scripted::Status(504, None)], SendOptions::default());
    assert_eq!(run.attempts, 2);
    assert_eq!(run.captured[0], run.captured[1]);
    assert_eq!(run.captured[1].body, Bytes::from_static(b"{}"));
}
