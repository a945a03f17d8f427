//! The Globus services the fake answers for, each under its own path prefix.

/// A Globus service served by the fake, routed by the first path segment
/// (`http://127.0.0.1:PORT/<prefix>/...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Service {
    /// Globus Auth (`/auth/`): login flows, tokens, identities. Stateful.
    Auth,
    /// Globus Groups (`/groups/`). Stateful.
    Groups,
    /// Globus Transfer (`/transfer/`). Stateful.
    Transfer,
    /// Globus Search (`/search/`), answered from recorded fixtures.
    Search,
    /// Globus Timers (`/timer/`), answered from recorded fixtures.
    Timer,
    /// Globus Flows (`/flows/`), answered from recorded fixtures.
    Flows,
    /// Globus Compute (`/compute/`), answered from recorded fixtures.
    Compute,
    /// A Globus Connect Server endpoint API (`/gcs/`), answered from recorded fixtures.
    Gcs,
}

impl Service {
    /// Every service, in the order the binary prints them.
    pub const ALL: [Service; 8] = [
        Service::Auth,
        Service::Groups,
        Service::Transfer,
        Service::Search,
        Service::Timer,
        Service::Flows,
        Service::Compute,
        Service::Gcs,
    ];

    /// The Python SDK's service name (`auth`, `transfer`, `timer`, ...), also the path prefix.
    pub fn name(self) -> &'static str {
        match self {
            Service::Auth => "auth",
            Service::Groups => "groups",
            Service::Transfer => "transfer",
            Service::Search => "search",
            Service::Timer => "timer",
            Service::Flows => "flows",
            Service::Compute => "compute",
            Service::Gcs => "gcs",
        }
    }

    /// The environment variable the SDKs read for this service's base URL,
    /// e.g. `GLOBUS_SDK_SERVICE_URL_TRANSFER`. (The Python SDK does not read the GCS one:
    /// its GCS client always takes an explicit base URL.)
    pub fn env_var(self) -> String {
        format!("GLOBUS_SDK_SERVICE_URL_{}", self.name().to_ascii_uppercase())
    }

    /// The resource server whose tokens this service accepts for its stateful routes.
    pub fn resource_server(self) -> &'static str {
        match self {
            Service::Auth => "auth.globus.org",
            Service::Groups => "groups.api.globus.org",
            Service::Transfer => "transfer.api.globus.org",
            Service::Search => "search.api.globus.org",
            Service::Timer => crate::auth::scopes::TIMERS_CLIENT_ID,
            Service::Flows => "flows.globus.org",
            Service::Compute => "funcx_service",
            Service::Gcs => "gcs",
        }
    }

    /// The service whose path prefix is `prefix`.
    pub fn from_prefix(prefix: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|service| service.name() == prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for service in Service::ALL {
            assert_eq!(Service::from_prefix(service.name()), Some(service));
        }
        assert_eq!(Service::Timer.env_var(), "GLOBUS_SDK_SERVICE_URL_TIMER");
        assert_eq!(Service::from_prefix("nexus"), None);
    }
}
