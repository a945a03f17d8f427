//! Request counters and the request log.

use std::collections::BTreeMap;

use http::HeaderMap;
use serde_json::{Value, json};

/// A snapshot of the fake's counters (also served as JSON by `GET /_count`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Counters {
    /// Every `POST` to the Auth token endpoint (`/auth/v2/oauth2/token`), whatever its outcome.
    pub token_posts: u64,
    /// Every request to a service route (control-plane routes are not counted).
    pub requests: u64,
    /// Requests answered 401: a missing, unknown, revoked or expired token, a token for another
    /// resource server, a failed client authentication, or an injected 401.
    pub unauthenticated: u64,
    /// Requests answered by an injected fault (status, delay or dropped connection).
    pub faults_injected: u64,
    /// Requests per route, keyed `"METHOD /path"` (path without the query).
    pub routes: BTreeMap<String, u64>,
}

impl Counters {
    /// How many requests hit `method` `path` (full path, e.g. `/transfer/v0.10/endpoint_search`).
    pub fn route(&self, method: &str, path: &str) -> u64 {
        self.routes
            .get(&format!("{} {path}", method.to_ascii_uppercase()))
            .copied()
            .unwrap_or(0)
    }

    /// The JSON document `GET /_count` answers.
    pub fn to_json(&self) -> Value {
        json!({
            "token_posts": self.token_posts,
            "requests": self.requests,
            "unauthenticated": self.unauthenticated,
            "faults_injected": self.faults_injected,
            "routes": self.routes,
        })
    }
}

/// One request as the fake received it. `Authorization` values are reduced to their scheme
/// (`Bearer <redacted>`), so the log never holds a credential from a header.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method, e.g. `POST`.
    pub method: String,
    /// The full path, e.g. `/auth/v2/oauth2/token`.
    pub path: String,
    /// The raw query string, without `?` (empty when none).
    pub query: String,
    /// Header names (lowercase) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body, decoded as UTF-8 (lossily).
    pub body: String,
}

impl RecordedRequest {
    /// Records a request, redacting `Authorization` values.
    pub(crate) fn new(method: &str, path: &str, query: &str, headers: &HeaderMap, body: &[u8]) -> Self {
        let headers = headers
            .iter()
            .map(|(name, value)| {
                let value = if name == http::header::AUTHORIZATION {
                    let text = value.to_str().unwrap_or_default();
                    let scheme = text.split_whitespace().next().unwrap_or("");
                    format!("{scheme} <redacted>")
                } else {
                    String::from_utf8_lossy(value.as_bytes()).into_owned()
                };
                (name.as_str().to_owned(), value)
            })
            .collect();
        Self {
            method: method.to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
            headers,
            body: String::from_utf8_lossy(body).into_owned(),
        }
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The JSON form `GET /_requests` answers.
    pub fn to_json(&self) -> Value {
        json!({
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "body": self.body,
        })
    }
}

/// Counters plus the request log.
#[derive(Debug, Default)]
pub(crate) struct Metrics {
    pub(crate) counters: Counters,
    pub(crate) log: Vec<RecordedRequest>,
}

impl Metrics {
    /// Counts and logs one service request.
    pub(crate) fn record(&mut self, request: RecordedRequest) {
        self.counters.requests += 1;
        if request.method == "POST" && request.path.trim_end_matches('/') == "/auth/v2/oauth2/token" {
            self.counters.token_posts += 1;
        }
        *self
            .counters
            .routes
            .entry(format!("{} {}", request.method, request.path))
            .or_default() += 1;
        self.log.push(request);
    }

    /// Clears counters and the log.
    pub(crate) fn reset(&mut self) {
        *self = Metrics::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn redacts_authorization_and_counts_token_posts() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_static("Bearer secret-token"));
        headers.insert("x-other", HeaderValue::from_static("kept"));
        let recorded = RecordedRequest::new("POST", "/auth/v2/oauth2/token", "", &headers, b"grant_type=x");
        assert_eq!(recorded.header("Authorization"), Some("Bearer <redacted>"));
        assert_eq!(recorded.header("x-other"), Some("kept"));
        let mut metrics = Metrics::default();
        metrics.record(recorded);
        assert_eq!(metrics.counters.token_posts, 1);
        assert_eq!(metrics.counters.route("post", "/auth/v2/oauth2/token"), 1);
        metrics.reset();
        assert_eq!(metrics.counters, Counters::default());
    }
}
