//! The state one fake server shares between its connections.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::auth::store::TokenStore;
use crate::clock::Clock;
use crate::faults::FaultTable;
use crate::groups::store::GroupStore;
use crate::metrics::Metrics;
use crate::random::IdGen;
use crate::registry::Registry;
use crate::transfer::store::TransferStore;

/// Tunables fixed at start.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// Access token lifetime, seconds.
    pub(crate) token_lifetime: u64,
    /// Authorization code lifetime, seconds.
    pub(crate) code_lifetime: u64,
    /// How long a Transfer task stays ACTIVE, seconds.
    pub(crate) task_duration: u64,
    /// Page size of `successful_transfers`.
    pub(crate) successful_transfers_page: usize,
}

/// All mutable service state, behind one lock (handlers are short and never await).
#[derive(Debug)]
pub(crate) struct World {
    pub(crate) registry: Registry,
    pub(crate) tokens: TokenStore,
    pub(crate) groups: GroupStore,
    pub(crate) transfer: TransferStore,
}

/// Everything a request handler can reach.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) clock: Clock,
    pub(crate) ids: IdGen,
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub(crate) origin: String,
    pub(crate) world: Mutex<World>,
    pub(crate) metrics: Mutex<Metrics>,
    pub(crate) faults: Arc<Mutex<FaultTable>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    /// Locks the service state.
    pub(crate) fn world(&self) -> MutexGuard<'_, World> {
        lock(&self.world)
    }

    /// Locks the counters and request log.
    pub(crate) fn metrics(&self) -> MutexGuard<'_, Metrics> {
        lock(&self.metrics)
    }

    /// Locks the fault table.
    pub(crate) fn fault_table(&self) -> MutexGuard<'_, FaultTable> {
        lock(&self.faults)
    }

    /// The base URL of a service prefix, e.g. `http://127.0.0.1:PORT/auth/`.
    pub(crate) fn base_url(&self, prefix: &str) -> String {
        format!("{}/{prefix}/", self.origin)
    }

    /// The clock's "now" in whole seconds.
    pub(crate) fn now(&self) -> u64 {
        self.clock.now_secs()
    }
}
