//! Recorded responses of the Python SDK 4.9.0 (`testdata/fixtures/globus-sdk-4.9.0`),
//! compiled in, answering every route the stateful services do not handle.
//!
//! Entries are keyed by (service, method, path after the service's base URL); recorded paths
//! hold concrete ids and match literally (a trailing `/` is ignored). Among the entries for a
//! route, those whose `match` conditions hold win, the most specific first (most matched query
//! parameters, or a matched JSON body), then the `default` case, then file order. When no
//! entry's conditions hold, the `default` case answers anyway (the fake is lenient).

use std::sync::OnceLock;

use bytes::Bytes;
use http::StatusCode;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use serde_json::{Map, Value};

use crate::http::{Req, Resp};
use crate::service::Service;

const SOURCES: [&str; 8] = [
    include_str!("../../testdata/fixtures/globus-sdk-4.9.0/auth.json"),
    include_str!("../../testdata/fixtures/globus-sdk-4.9.0/compute.json"),
    include_str!("../../testdata/fixtures/globus-sdk-4.9.0/flows.json"),
    include_str!("../../testdata/fixtures/globus-sdk-4.9.0/gcs.json"),
    include_str!("../../testdata/fixtures/globus-sdk-4.9.0/groups.json"),
    include_str!("../../testdata/fixtures/globus-sdk-4.9.0/search.json"),
    include_str!("../../testdata/fixtures/globus-sdk-4.9.0/timers.json"),
    include_str!("../../testdata/fixtures/globus-sdk-4.9.0/transfer.json"),
];

/// A condition a recorded response is conditional on.
#[derive(Debug, Clone)]
enum Matcher {
    /// The query parameters must equal (strict) or include these.
    Query { params: Map<String, Value>, strict: bool },
    /// The JSON body must equal (strict) or contain this.
    Json { params: Value, strict: bool },
}

/// One recorded response.
#[derive(Debug, Clone)]
struct Entry {
    service: Service,
    method: String,
    path: String,
    default_case: bool,
    matchers: Vec<Matcher>,
    status: StatusCode,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Bytes,
}

/// Every recorded response.
#[derive(Debug)]
pub(crate) struct Fixtures {
    entries: Vec<Entry>,
}

fn normalize_path(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if trimmed.starts_with('/') {
        trimmed.to_owned()
    } else {
        format!("/{trimmed}")
    }
}

fn service_of(key: &str) -> Option<Service> {
    match key {
        "timer" => Some(Service::Timer),
        other => Service::from_prefix(other),
    }
}

fn parse_entry(doc: &Value) -> Option<Entry> {
    let service = service_of(doc.get("service")?.as_str()?)?;
    let matchers = doc
        .get("match")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|m| {
            let strict = m.get("strict_match").and_then(Value::as_bool).unwrap_or(true);
            match m.get("type")?.as_str()? {
                "query_param_matcher" => Some(Matcher::Query {
                    params: m.get("params")?.as_object()?.clone(),
                    strict,
                }),
                "json_params_matcher" => Some(Matcher::Json {
                    params: m.get("params")?.clone(),
                    strict,
                }),
                _ => None,
            }
        })
        .collect();
    let content_type = doc
        .get("content_type")
        .and_then(Value::as_str)
        .unwrap_or("application/json");
    let mut headers: Vec<(HeaderName, HeaderValue)> = vec![(
        CONTENT_TYPE,
        HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/json")),
    )];
    for (name, value) in doc.get("headers").and_then(Value::as_object).into_iter().flatten() {
        if let (Ok(name), Some(Ok(value))) = (
            HeaderName::from_bytes(name.as_bytes()),
            value.as_str().map(HeaderValue::from_str),
        ) {
            headers.push((name, value));
        }
    }
    let status = doc
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| StatusCode::from_u16(s as u16).ok())?;
    let body = match doc.get("body") {
        Some(Value::String(text)) if doc.get("body_kind").and_then(Value::as_str) != Some("json") => text.clone(),
        Some(body) => body.to_string(),
        None => String::new(),
    };
    Some(Entry {
        service,
        method: doc.get("http_method")?.as_str()?.to_ascii_uppercase(),
        path: normalize_path(doc.get("path")?.as_str()?),
        default_case: doc.get("case").and_then(Value::as_str) == Some("default"),
        matchers,
        status,
        headers,
        body: Bytes::from(body),
    })
}

/// The compiled-in fixtures, parsed once.
pub(crate) fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let entries = SOURCES
            .iter()
            .filter_map(|source| serde_json::from_str::<Vec<Value>>(source).ok())
            .flatten()
            .filter_map(|doc| parse_entry(&doc))
            .collect();
        Fixtures { entries }
    })
}

fn as_query_string(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Whether `actual` contains `expected` (objects: every expected key, recursively).
fn contains(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Object(actual), Value::Object(expected)) => expected
            .iter()
            .all(|(key, value)| actual.get(key).is_some_and(|a| contains(a, value))),
        (actual, expected) => actual == expected,
    }
}

impl Matcher {
    /// `Some(specificity)` if the request satisfies this matcher.
    fn check(&self, req: &Req, body: Option<&Value>) -> Option<usize> {
        match self {
            Matcher::Query { params, strict } => {
                let all_present = params
                    .iter()
                    .all(|(key, value)| req.query_param(key) == Some(as_query_string(value).as_str()));
                let no_extra = !strict || req.query.iter().all(|(key, _)| params.contains_key(key));
                (all_present && no_extra).then_some(params.len())
            }
            Matcher::Json { params, strict } => {
                let body = body?;
                let ok = if *strict {
                    body == params
                } else {
                    contains(body, params)
                };
                ok.then_some(1)
            }
        }
    }
}

impl Entry {
    fn response(&self) -> Resp {
        Resp {
            status: self.status,
            headers: self.headers.clone(),
            body: self.body.clone(),
        }
    }
}

impl Fixtures {
    /// The recorded response for a request, if its route was recorded.
    pub(crate) fn lookup(&self, service: Service, req: &Req) -> Option<Resp> {
        let path = normalize_path(&req.path);
        let candidates: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| e.service == service && e.method == req.method.as_str() && e.path == path)
            .collect();
        let body: Option<Value> = serde_json::from_slice(&req.body).ok();
        let best = candidates
            .iter()
            .enumerate()
            .filter_map(|(order, entry)| {
                let mut specificity = 0;
                for matcher in &entry.matchers {
                    specificity += matcher.check(req, body.as_ref())?;
                }
                Some((specificity, entry.default_case, std::cmp::Reverse(order), *entry))
            })
            .max_by_key(|(specificity, default_case, order, _)| (*specificity, *default_case, *order))
            .map(|(_, _, _, entry)| entry);
        best.or_else(|| candidates.iter().find(|e| e.default_case).copied())
            .or_else(|| candidates.first().copied())
            .map(Entry::response)
    }

    /// How many entries were loaded.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::test_req;
    use http::Method;

    fn body(resp: Option<Resp>) -> Value {
        resp.and_then(|r| serde_json::from_slice(&r.body).ok())
            .unwrap_or_default()
    }

    #[test]
    fn loads_everything() {
        assert_eq!(fixtures().len(), 324);
    }

    #[test]
    fn picks_default_and_matched_cases() {
        let f = fixtures();
        let identities = f.lookup(
            Service::Auth,
            &test_req(Method::GET, "/v2/api/identities", "usernames=x", ""),
        );
        assert_eq!(body(identities)["identities"][0]["username"], "globus@globus.org");
        let run = "/runs/8ad15c2d-f804-19b8-9d6d-939f68d6eebc";
        let plain = f.lookup(Service::Flows, &test_req(Method::GET, run, "", ""));
        let with_flag = f.lookup(
            Service::Flows,
            &test_req(Method::GET, run, "include_flow_description=True", ""),
        );
        assert!(plain.is_some() && with_flag.is_some());
        let logs = "/runs/cfdaf0a4-0931-40af-b974-b619ce69f401/log";
        let page2 = body(f.lookup(
            Service::Flows,
            &test_req(Method::GET, logs, "marker=fake_run_logs_marker", ""),
        ));
        let page1 = body(f.lookup(Service::Flows, &test_req(Method::GET, logs, "", "")));
        assert_ne!(page1, page2);
        let jobs = f.lookup(Service::Timer, &test_req(Method::GET, "/jobs", "", ""));
        assert_eq!(jobs.map(|r| r.status), Some(StatusCode::OK));
        assert!(
            f.lookup(Service::Search, &test_req(Method::GET, "/v1/nothing", "", ""))
                .is_none()
        );
    }

    #[test]
    fn json_matching() {
        assert!(contains(
            &serde_json::json!({"a": {"b": 1, "c": 2}, "d": 3}),
            &serde_json::json!({"a": {"b": 1}})
        ));
        assert!(!contains(&serde_json::json!({"a": 1}), &serde_json::json!({"a": 2})));
    }
}
