//! Globus environments and the base URL of each service, as the Python SDK builds them
//! (`globus_sdk/config/environments.py`).
//!
//! This crate reads no environment variable itself: [`ServiceUrls::from_lookup`] takes a
//! lookup function, and the facade passes one that reads the process environment.

use core::fmt;
use core::str::FromStr;

use crate::Error;

/// The variable naming the environment (`production` when unset).
pub const ENVIRONMENT_VAR: &str = "GLOBUS_SDK_ENVIRONMENT";
/// The prefix of the per-service URL variables, e.g. `GLOBUS_SDK_SERVICE_URL_TRANSFER`.
pub const SERVICE_URL_VAR_PREFIX: &str = "GLOBUS_SDK_SERVICE_URL_";

/// The service names the Python SDK looks up.
pub const SERVICES: [&str; 10] = [
    "auth", "transfer", "groups", "search", "timer", "flows", "compute", "nexus", "app", "actions",
];

/// A Globus deployment.
///
/// ```
/// use globus_auth_core::Environment;
/// let env: Environment = "sandbox".parse()?;
/// assert_eq!(env.service_url("auth"), "https://auth.sandbox.globuscs.info/");
/// assert_eq!(env.service_url("transfer"), "https://transfer.api.sandbox.globuscs.info/");
/// assert_eq!(env.service_url("flows"), "https://sandbox.flows.automate.globus.org/");
/// assert_eq!(Environment::Production.service_url("timer"), "https://timer.automate.globus.org/");
/// # Ok::<(), globus_auth_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Environment {
    /// `globus.org`
    #[default]
    Production,
    /// `preview.globus.org`
    Preview,
    /// `sandbox.globuscs.info` (Globus internal)
    Sandbox,
    /// `integration.globuscs.info` (Globus internal)
    Integration,
    /// `test.globuscs.info` (Globus internal)
    Test,
    /// `staging.globuscs.info` (Globus internal)
    Staging,
}

impl Environment {
    /// Every environment.
    pub const ALL: [Environment; 6] = [
        Self::Production,
        Self::Preview,
        Self::Sandbox,
        Self::Integration,
        Self::Test,
        Self::Staging,
    ];

    /// The environment's name, as `GLOBUS_SDK_ENVIRONMENT` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Production => "production",
            Self::Preview => "preview",
            Self::Sandbox => "sandbox",
            Self::Integration => "integration",
            Self::Test => "test",
            Self::Staging => "staging",
        }
    }

    /// The environment's domain.
    pub fn domain(self) -> &'static str {
        match self {
            Self::Production => "globus.org",
            Self::Preview => "preview.globus.org",
            Self::Sandbox => "sandbox.globuscs.info",
            Self::Integration => "integration.globuscs.info",
            Self::Test => "test.globuscs.info",
            Self::Staging => "staging.globuscs.info",
        }
    }

    /// The base URL of `service` (a Python service name such as `auth`, `transfer`,
    /// `timer`), with a trailing slash.
    pub fn service_url(self, service: &str) -> String {
        if self == Self::Production {
            match service {
                "nexus" => return "https://nexus.api.globusonline.org/".to_owned(),
                "timer" | "flows" | "actions" => return format!("https://{service}.automate.globus.org/"),
                _ => {}
            }
        }
        match service {
            "app" | "auth" => format!("https://{service}.{}/", self.domain()),
            "actions" | "flows" | "timer" => format!("https://{}.{service}.automate.globus.org/", self.name()),
            _ => format!("https://{service}.api.{}/", self.domain()),
        }
    }
}

impl FromStr for Environment {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|env| env.name() == name)
            .ok_or_else(|| Error::UnknownEnvironment { name: name.to_owned() })
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where each service lives: an environment plus per-service URL overrides. An override
/// wins over the environment, as `GLOBUS_SDK_SERVICE_URL_*` does in Python.
///
/// ```
/// use globus_auth_core::{Environment, ServiceUrls};
/// let vars = [("GLOBUS_SDK_ENVIRONMENT", "preview"),
///             ("GLOBUS_SDK_SERVICE_URL_AUTH", "http://127.0.0.1:8080/")];
/// let urls = ServiceUrls::from_lookup(|name| {
///     vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
/// })?;
/// assert_eq!(urls.environment(), Environment::Preview);
/// assert_eq!(urls.url("auth"), "http://127.0.0.1:8080/");
/// assert_eq!(urls.url("groups"), "https://groups.api.preview.globus.org/");
/// # Ok::<(), globus_auth_core::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceUrls {
    environment: Environment,
    overrides: Vec<(String, String)>,
}

impl ServiceUrls {
    /// The URLs of `environment`, without overrides.
    pub fn new(environment: Environment) -> Self {
        Self {
            environment,
            overrides: Vec::new(),
        }
    }

    /// Reads the Python SDK's variables through `lookup` (called with a variable name,
    /// returning its value): `GLOBUS_SDK_ENVIRONMENT` (production when unset; set but
    /// unknown, including empty, is an error, as in Python) and a non-empty
    /// `GLOBUS_SDK_SERVICE_URL_<SERVICE>` for each of [`SERVICES`].
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let environment = match lookup(ENVIRONMENT_VAR) {
            Some(name) => name.parse()?,
            None => Environment::Production,
        };
        Ok(Self::with_environment_and_lookup(environment, lookup))
    }

    /// Like [`from_lookup`](Self::from_lookup), with the environment chosen by the
    /// caller (Python's `environment=` argument); the URL variables still win.
    pub fn with_environment_and_lookup(environment: Environment, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let mut urls = Self::new(environment);
        for service in SERVICES {
            let var = format!("{SERVICE_URL_VAR_PREFIX}{}", service.to_ascii_uppercase());
            if let Some(url) = lookup(&var).filter(|url| !url.is_empty()) {
                urls = urls.with_override(service, url);
            }
        }
        urls
    }

    /// Adds (or replaces) the URL of one service.
    #[must_use]
    pub fn with_override(mut self, service: impl Into<String>, url: impl Into<String>) -> Self {
        let service = service.into();
        let url = url.into();
        match self.overrides.iter_mut().find(|(name, _)| *name == service) {
            Some(entry) => entry.1 = url,
            None => self.overrides.push((service, url)),
        }
        self
    }

    /// The environment.
    pub fn environment(&self) -> Environment {
        self.environment
    }

    /// The base URL of `service`: its override, else the environment's URL.
    pub fn url(&self, service: &str) -> String {
        self.overrides
            .iter()
            .find(|(name, _)| name == service)
            .map(|(_, url)| url.clone())
            .unwrap_or_else(|| self.environment.service_url(service))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_url_rules() {
        let p = Environment::Production;
        assert_eq!(p.service_url("auth"), "https://auth.globus.org/");
        assert_eq!(p.service_url("app"), "https://app.globus.org/");
        assert_eq!(p.service_url("transfer"), "https://transfer.api.globus.org/");
        assert_eq!(p.service_url("nexus"), "https://nexus.api.globusonline.org/");
        assert_eq!(p.service_url("flows"), "https://flows.automate.globus.org/");
        assert_eq!(p.service_url("actions"), "https://actions.automate.globus.org/");
        let v = Environment::Preview;
        assert_eq!(v.service_url("timer"), "https://preview.timer.automate.globus.org/");
        assert_eq!(v.service_url("nexus"), "https://nexus.api.preview.globus.org/");
        assert_eq!(
            Environment::Staging.service_url("search"),
            "https://search.api.staging.globuscs.info/"
        );
    }

    #[test]
    fn unknown_and_empty_environment_names_are_errors() {
        assert!(matches!(
            "nope".parse::<Environment>(),
            Err(Error::UnknownEnvironment { .. })
        ));
        assert!(ServiceUrls::from_lookup(|name| (name == ENVIRONMENT_VAR).then(String::new)).is_err());
        assert_eq!(
            ServiceUrls::from_lookup(|_| None).unwrap().environment(),
            Environment::Production
        );
    }

    #[test]
    fn empty_override_is_ignored() {
        let urls = ServiceUrls::from_lookup(|name| (name == "GLOBUS_SDK_SERVICE_URL_AUTH").then(String::new)).unwrap();
        assert_eq!(urls.url("auth"), "https://auth.globus.org/");
    }
}
