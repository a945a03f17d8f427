//! [`FakeGlobus`]: binding, serving connections, and the in-process API.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, SystemTime};

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

use crate::auth::store::TokenStore;
use crate::clock::Clock;
use crate::faults::{FaultTable, Faults};
use crate::groups::store::GroupStore;
use crate::metrics::{Counters, Metrics, RecordedRequest};
use crate::random::IdGen;
use crate::registry::{Client, Registry, User};
use crate::service::Service;
use crate::state::{Config, Shared, World};
use crate::transfer::store::TransferStore;

/// How long [`FakeGlobus::shutdown`] lets in-flight requests finish.
const GRACE: Duration = Duration::from_secs(5);

/// Configures a [`FakeGlobus`] before it starts.
#[derive(Debug, Clone)]
pub struct FakeGlobusBuilder {
    port: u16,
    clock_start: Option<SystemTime>,
    ticking: bool,
    token_lifetime: Duration,
    code_lifetime: Duration,
    task_duration: Duration,
    successful_transfers_page: usize,
    clients: Vec<Client>,
    users: Vec<User>,
}

impl Default for FakeGlobusBuilder {
    fn default() -> Self {
        Self {
            port: 0,
            clock_start: None,
            ticking: true,
            token_lifetime: Duration::from_secs(172_800),
            code_lifetime: Duration::from_secs(600),
            task_duration: Duration::from_secs(10),
            successful_transfers_page: 100,
            clients: Vec::new(),
            users: Vec::new(),
        }
    }
}

impl FakeGlobusBuilder {
    /// Listens on `127.0.0.1:port` (default 0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Where the fake clock starts (default: the real time at start).
    pub fn clock_start(mut self, start: SystemTime) -> Self {
        self.clock_start = Some(start);
        self
    }

    /// Stops the fake clock from following real time: it then moves only when advanced
    /// ([`FakeGlobus::advance_clock`], `POST /_clock`). Fully deterministic tests want this.
    pub fn frozen_clock(mut self) -> Self {
        self.ticking = false;
        self
    }

    /// Access token lifetime (`expires_in`; default 172800 s).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Authorization code lifetime (default 600 s).
    pub fn code_lifetime(mut self, lifetime: Duration) -> Self {
        self.code_lifetime = lifetime;
        self
    }

    /// How long Transfer tasks stay ACTIVE on the fake clock (default 10 s).
    pub fn task_duration(mut self, duration: Duration) -> Self {
        self.task_duration = duration;
        self
    }

    /// Page size of `task/{id}/successful_transfers` (default 100, at least 1).
    pub fn successful_transfers_page_size(mut self, size: usize) -> Self {
        self.successful_transfers_page = size.max(1);
        self
    }

    /// Registers a client at start.
    pub fn client(mut self, client: Client) -> Self {
        self.clients.push(client);
        self
    }

    /// Registers a user at start.
    pub fn user(mut self, user: User) -> Self {
        self.users.push(user);
        self
    }

    /// Binds `127.0.0.1:port` and starts serving on the current tokio runtime.
    pub async fn start(self) -> io::Result<FakeGlobus> {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await?;
        let addr = listener.local_addr()?;
        let mut registry = Registry::new();
        self.clients.into_iter().for_each(|client| registry.add_client(client));
        self.users.into_iter().for_each(|user| registry.add_user(user));
        let default_user = User::default_user();
        let world = World {
            registry,
            tokens: TokenStore::default(),
            groups: GroupStore::seeded(&default_user),
            transfer: TransferStore::seeded(&default_user),
        };
        let shared = Arc::new(Shared {
            config: Config {
                token_lifetime: self.token_lifetime.as_secs(),
                code_lifetime: self.code_lifetime.as_secs(),
                task_duration: self.task_duration.as_secs(),
                successful_transfers_page: self.successful_transfers_page,
            },
            clock: Clock::new(self.clock_start.unwrap_or_else(SystemTime::now), self.ticking),
            ids: IdGen::new(),
            origin: format!("http://{addr}"),
            world: Mutex::new(world),
            metrics: Mutex::new(Metrics::default()),
            faults: Arc::new(Mutex::new(FaultTable::default())),
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, shared.clone(), stopped));
        Ok(FakeGlobus {
            shared,
            addr,
            stop,
            task: Some(task),
            thread: None,
        })
    }

    /// Starts the fake on a thread of its own (with its own single-threaded tokio runtime),
    /// for blocking code and tests without a runtime. Stop it with
    /// [`FakeGlobus::shutdown_blocking`] (or drop it).
    pub fn start_background(self) -> io::Result<FakeGlobus> {
        let (sender, receiver) = mpsc::channel();
        let thread = std::thread::Builder::new().name("fake-globus".into()).spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(runtime) => runtime,
                Err(err) => {
                    let _ = sender.send(Err(err));
                    return;
                }
            };
            runtime.block_on(async move {
                match self.start().await {
                    Ok(mut fake) => {
                        let task = fake.task.take();
                        let _ = sender.send(Ok(fake));
                        if let Some(task) = task {
                            let _ = task.await;
                        }
                    }
                    Err(err) => {
                        let _ = sender.send(Err(err));
                    }
                }
            });
        })?;
        let mut fake = receiver
            .recv()
            .map_err(|_| io::Error::other("the fake-globus thread ended early"))??;
        fake.thread = Some(thread);
        Ok(fake)
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, shared.clone(), stop.clone()));
                }
                // E.g. too many open files: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    let _ = tokio::time::timeout(GRACE, drain).await;
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    let service = service_fn(move |request| crate::router::serve(shared.clone(), request));
    let connection = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = stop.changed() => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}

/// A running fake Globus on `127.0.0.1`. Every service sits under its own path prefix of one
/// port (`http://127.0.0.1:PORT/auth/`, `/groups/`, `/transfer/`, ...); the control plane
/// (`/_count`, `/_reset`, `/_clock`, `/_faults`, `/_requests`) at the root.
///
/// Dropping it stops the server (in-flight requests may still finish);
/// [`FakeGlobus::shutdown`] also waits for that.
#[derive(Debug)]
pub struct FakeGlobus {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    /// The accept loop, when it runs on the caller's runtime.
    task: Option<JoinHandle<()>>,
    /// The server's own thread, when started with [`FakeGlobusBuilder::start_background`].
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeGlobus {
    /// Starts a fake with the defaults (any free port, real-time clock) on the current tokio
    /// runtime. On a current-thread runtime (`#[tokio::test]`'s default) the server runs only
    /// while the test awaits: do not block that thread on a request to the fake (use
    /// [`FakeGlobus::start_background`] for blocking clients).
    pub async fn start() -> io::Result<FakeGlobus> {
        FakeGlobusBuilder::default().start().await
    }

    /// Starts a fake with the defaults on a thread of its own (no runtime needed).
    pub fn start_background() -> io::Result<FakeGlobus> {
        FakeGlobusBuilder::default().start_background()
    }

    /// A builder for a fixed port, a custom clock, lifetimes, clients and users.
    pub fn builder() -> FakeGlobusBuilder {
        FakeGlobusBuilder::default()
    }

    /// The socket address the fake listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The port the fake listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `http://127.0.0.1:PORT` (no trailing slash), where the control plane lives.
    pub fn origin(&self) -> String {
        self.shared.origin.clone()
    }

    /// A service's base URL, e.g. `http://127.0.0.1:PORT/transfer/`.
    pub fn base_url(&self, service: Service) -> String {
        self.shared.base_url(service.name())
    }

    /// The Auth base URL.
    pub fn auth_url(&self) -> String {
        self.base_url(Service::Auth)
    }

    /// The Groups base URL.
    pub fn groups_url(&self) -> String {
        self.base_url(Service::Groups)
    }

    /// The Transfer base URL.
    pub fn transfer_url(&self) -> String {
        self.base_url(Service::Transfer)
    }

    /// The Search base URL (fixtures only).
    pub fn search_url(&self) -> String {
        self.base_url(Service::Search)
    }

    /// The Timers base URL (fixtures only).
    pub fn timer_url(&self) -> String {
        self.base_url(Service::Timer)
    }

    /// The Flows base URL (fixtures only).
    pub fn flows_url(&self) -> String {
        self.base_url(Service::Flows)
    }

    /// The Compute base URL (fixtures only).
    pub fn compute_url(&self) -> String {
        self.base_url(Service::Compute)
    }

    /// The base URL of the fake GCS endpoint API (fixtures only).
    pub fn gcs_url(&self) -> String {
        self.base_url(Service::Gcs)
    }

    /// The native-app default redirect URI, `<auth base>/v2/web/auth-code`.
    pub fn default_redirect_uri(&self) -> String {
        format!("{}{}", self.auth_url(), crate::auth::authorize::AUTH_CODE_PAGE)
    }

    /// `(GLOBUS_SDK_SERVICE_URL_<SERVICE>, base URL)` for every service, to point an SDK here.
    pub fn service_url_env(&self) -> Vec<(String, String)> {
        Service::ALL
            .iter()
            .map(|service| (service.env_var(), self.base_url(*service)))
            .collect()
    }

    /// A snapshot of the counters.
    pub fn counters(&self) -> Counters {
        self.shared.metrics().counters.clone()
    }

    /// The requests received since start or the last reset, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.metrics().log.clone()
    }

    /// The fault-injection handle.
    pub fn faults(&self) -> Faults {
        Faults::new(self.shared.faults.clone())
    }

    /// Clears counters, the request log and faults (like `POST /_reset`). Clients, users,
    /// tokens, groups, tasks and the clock are kept.
    pub fn reset(&self) {
        self.shared.metrics().reset();
        self.shared.fault_table().clear();
    }

    /// The fake clock's "now".
    pub fn now(&self) -> SystemTime {
        self.shared.clock.system_time()
    }

    /// Moves the fake clock forward (like `POST /_clock {"advance": seconds}`).
    pub fn advance_clock(&self, by: Duration) {
        self.shared.clock.advance(by.as_secs_f64());
    }

    /// Registers (or replaces) a client.
    pub fn register_client(&self, client: Client) {
        self.shared.world().registry.add_client(client);
    }

    /// Registers (or replaces) a user.
    pub fn register_user(&self, user: User) {
        self.shared.world().registry.add_user(user);
    }

    /// Makes the simulated consent log in this user; `false` if no such user is registered.
    pub fn login_as(&self, user_id: &str) -> bool {
        self.shared.world().registry.set_current_user(user_id)
    }

    /// Issues tokens (with refresh tokens) for the current user as if `client_id` had just
    /// completed a login for `scopes`, skipping the authorize round trip. Returns the token
    /// response document (`access_token`, ..., `other_tokens`).
    pub fn issue_tokens(&self, client_id: &str, scopes: &str) -> Result<Value, String> {
        let mut world = self.shared.world();
        crate::auth::token::issue_for_current_user(&self.shared, &mut world, client_id, scopes)
    }

    /// Stops accepting, lets in-flight requests finish (up to a few seconds), and waits.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        if let Some(thread) = self.thread.take() {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }

    /// Like [`FakeGlobus::shutdown`], from blocking code: waits for a background server's
    /// thread; a server on a runtime is only told to stop.
    pub fn shutdown_blocking(mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for FakeGlobus {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
