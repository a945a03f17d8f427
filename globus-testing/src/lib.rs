//! A loopback fake Globus for tests and demos: a real HTTP/1.1 server on `127.0.0.1` that
//! speaks enough of Globus Auth, Groups and Transfer to log in, refresh, search endpoints,
//! list, make directories, submit and watch tasks, and that answers every other route of
//! Search, Timers, Flows, Compute, GCS (and the rest of Auth, Groups and Transfer) from the
//! responses recorded from the Python SDK 4.9.0 (compiled in, so it runs from any directory).
//!
//! One port serves every service under a path prefix; point an SDK at it with the
//! `GLOBUS_SDK_SERVICE_URL_*` variables from [`FakeGlobus::service_url_env`] (the
//! `fake-globus` binary prints them):
//!
//! | service | base URL | behaviour |
//! |---|---|---|
//! | Auth | `http://127.0.0.1:PORT/auth/` | stateful: authorize (simulated consent), token grants, revoke, introspect, userinfo, identities; fixtures otherwise |
//! | Groups | `.../groups/` | stateful, needs a `groups.api.globus.org` token |
//! | Transfer | `.../transfer/` | stateful, needs a `transfer.api.globus.org` token |
//! | Search, Timers (`timer`), Flows, Compute, GCS (`gcs`) | `.../<name>/` | fixtures, need any live token |
//!
//! The control plane sits at the root: `GET /_count`, `POST /_reset`, `GET|POST /_clock`
//! (`{"advance": seconds}`), `GET|POST|DELETE /_faults`, `GET /_requests`, and
//! `POST /_clients` / `POST /_users` to register clients and users from outside the process.
//!
//! Time is the fake's own clock (token and code expiry, task completion): advance it instead
//! of sleeping. Faults ([`Fault`]) answer chosen requests with a status (and `Retry-After`),
//! a delay, or a dropped connection.
//!
//! ```
//! # fn main() -> std::io::Result<()> {
//! # tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
//! use globus_testing::{Fault, FakeGlobus};
//!
//! let fake = FakeGlobus::builder().frozen_clock().start().await?;
//! assert!(fake.transfer_url().ends_with("/transfer/"));
//! let env = fake.service_url_env();
//! assert_eq!(env[0].0, "GLOBUS_SDK_SERVICE_URL_AUTH");
//!
//! // Tokens for the default user, as after a login with the tutorial client.
//! let tokens = fake
//!     .issue_tokens(globus_testing::TUTORIAL_CLIENT_ID, "urn:globus:auth:scope:transfer.api.globus.org:all")
//!     .map_err(std::io::Error::other)?;
//! assert_eq!(tokens["resource_server"], "transfer.api.globus.org");
//!
//! // The first endpoint search answers 429 with Retry-After.
//! fake.faults().add(Fault::status("GET", "/transfer/v0.10/endpoint_search", 429).retry_after("1").nth(1));
//! fake.advance_clock(std::time::Duration::from_secs(172_801)); // every token has now expired
//! fake.shutdown().await;
//! # Ok(()) })
//! # }
//! ```

mod auth;
mod clock;
mod control;
mod encoding;
mod faults;
mod fixtures;
mod glob;
mod groups;
mod http;
mod metrics;
mod random;
mod registry;
mod router;
mod server;
mod service;
mod state;
mod transfer;

pub use faults::{Fault, FaultAction, FaultId, FaultTrigger, Faults};
pub use metrics::{Counters, RecordedRequest};
pub use registry::{Client, DEFAULT_USER_ID, DEFAULT_USERNAME, GLOBUS_ID_PROVIDER, TUTORIAL_CLIENT_ID, User};
pub use server::{FakeGlobus, FakeGlobusBuilder};
pub use service::Service;
