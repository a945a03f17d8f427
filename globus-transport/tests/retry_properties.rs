//! Properties of the retry driver over arbitrary outcome sequences.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use common::{CountingAuthorizer, Scripted, block_on};
use globus_transport::test_util::{CapturingExecutor, InstantSleep};
use globus_transport::{
    Idempotency, RequestSent, RetryConfig, RetryDriver, SendOptions, SharedExecutor, SharedSleep, XorShiftJitter,
};
use http::Method;
use proptest::prelude::*;

fn scripted() -> impl Strategy<Value = Scripted> {
    prop_oneof![
        prop::sample::select(vec![200u16, 201, 400, 401, 403, 404, 429, 500, 502, 503, 504])
            .prop_flat_map(|status| (Just(status), proptest::option::of(0u64..100)))
            .prop_map(|(status, after)| Scripted::Status(status, after.map(|s| s.to_string()))),
        prop_oneof![Just(RequestSent::No), Just(RequestSent::Maybe)].prop_map(Scripted::Error),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x7265_7472_7921),
        cases: 512,
        ..ProptestConfig::default()
    })]

    #[test]
    fn retries_obey_the_policy(
        script in prop::collection::vec(scripted(), 0..10),
        post in any::<bool>(),
        idempotency in prop_oneof![Just(Idempotency::FromMethod), Just(Idempotency::Idempotent), Just(Idempotency::NotIdempotent)],
        max_retries in 0u32..7,
        seed in any::<u64>(),
    ) {
        let config = RetryConfig { max_retries, ..RetryConfig::default() };
        let queue = Arc::new(Mutex::new(script.clone().into_iter()));
        let executor = CapturingExecutor::new(move |_| {
            let next = queue.lock().unwrap().next();
            next.unwrap_or(Scripted::Status(200, None)).reply()
        });
        let sleep = InstantSleep::default();
        let driver = RetryDriver::new(SharedExecutor::new(executor.clone()), SharedSleep::new(sleep.clone()))
            .with_config(config.clone())
            .with_jitter(Arc::new(XorShiftJitter::with_seed(seed)));
        let method = if post { Method::POST } else { Method::GET };
        let idempotent = idempotency.allows(&method);
        let options = SendOptions { authorizer: Some(Arc::new(CountingAuthorizer::default())), idempotency };
        let request = http::Request::builder().method(method).uri("https://x.test/").body(Bytes::new()).unwrap();
        let _ = block_on(driver.send(request, &options));

        let attempts = executor.requests().len();
        let sleeps = sleep.sleeps();
        prop_assert!(attempts >= 1);
        prop_assert!(attempts <= max_retries as usize + 1, "{} attempts", attempts);
        prop_assert!(sleeps.iter().all(|s| *s <= config.max_sleep));
        prop_assert!(sleep.total() <= config.max_sleep * max_retries);

        // Walk the attempts that happened: each non-final one was retried.
        let mut sleeps = sleeps.into_iter();
        let mut reauthorized = false;
        for (index, outcome) in script.iter().take(attempts).enumerate() {
            let last = index + 1 == attempts;
            match outcome {
                Scripted::Error(RequestSent::Maybe) if !idempotent => prop_assert!(last, "maybe-sent retried"),
                Scripted::Status(500 | 502 | 504, _) if !idempotent => prop_assert!(last, "transient retried"),
                Scripted::Status(200 | 201 | 400 | 403 | 404, _) => prop_assert!(last, "final status retried"),
                _ => {}
            }
            if last {
                break;
            }
            match outcome {
                Scripted::Status(401, _) => {
                    prop_assert!(!reauthorized, "second re-auth");
                    reauthorized = true;
                }
                Scripted::Status(429 | 503, Some(after)) => {
                    let wanted = Duration::from_secs(after.parse().unwrap()).min(config.max_sleep);
                    prop_assert_eq!(sleeps.next(), Some(wanted));
                }
                _ => prop_assert!(sleeps.next().is_some()),
            }
        }
    }
}
