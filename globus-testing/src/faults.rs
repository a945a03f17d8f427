//! Fault injection: answer chosen requests with a status, a delay or a dropped connection.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::glob::glob_match;

/// What an injected fault does to a request.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FaultAction {
    /// Answer this status instead of handling the request.
    Status {
        /// The HTTP status code.
        status: u16,
        /// A `Retry-After` header value (seconds or an HTTP date), if any.
        retry_after: Option<String>,
        /// The JSON body; by default a Globus error document naming the status.
        body: Option<Value>,
    },
    /// Wait this long (real time), then handle the request normally.
    Delay(Duration),
    /// Close the TCP connection without sending any response.
    DropConnection,
}

/// Which of the requests matching a fault's route it applies to (counted from 1, per fault).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultTrigger {
    /// Every matching request.
    Always,
    /// Only the Nth matching request.
    Nth(u64),
    /// The Nth matching request and every later one.
    FromNth(u64),
    /// The first N matching requests.
    Times(u64),
}

impl FaultTrigger {
    fn fires(self, seen: u64) -> bool {
        match self {
            FaultTrigger::Always => true,
            FaultTrigger::Nth(n) => seen == n,
            FaultTrigger::FromNth(n) => seen >= n,
            FaultTrigger::Times(n) => seen <= n,
        }
    }
}

/// A fault rule: a route (method and path pattern), a trigger and an action.
///
/// The path pattern is matched against the full request path (with the service prefix, no
/// query), e.g. `/transfer/v0.10/endpoint_search`; `*` matches any run of characters,
/// `/` included, and `?` any one character. The method `*` matches any method.
///
/// ```
/// use globus_testing::Fault;
/// let fault = Fault::status("GET", "/transfer/v0.10/endpoint_search", 429).retry_after("2").nth(1);
/// # let _ = fault;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    method: String,
    path: String,
    trigger: FaultTrigger,
    action: FaultAction,
}

impl Fault {
    /// A fault on `method` `path` that applies `action` to every matching request.
    pub fn new(method: &str, path: &str, action: FaultAction) -> Self {
        Self {
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            trigger: FaultTrigger::Always,
            action,
        }
    }

    /// Answer `status` (with a Globus error document).
    pub fn status(method: &str, path: &str, status: u16) -> Self {
        Self::new(
            method,
            path,
            FaultAction::Status {
                status,
                retry_after: None,
                body: None,
            },
        )
    }

    /// Delay the answer by `delay`.
    pub fn delay(method: &str, path: &str, delay: Duration) -> Self {
        Self::new(method, path, FaultAction::Delay(delay))
    }

    /// Close the connection without answering.
    pub fn drop_connection(method: &str, path: &str) -> Self {
        Self::new(method, path, FaultAction::DropConnection)
    }

    /// Adds a `Retry-After` header (only meaningful for a status fault).
    pub fn retry_after(mut self, value: impl Into<String>) -> Self {
        if let FaultAction::Status { retry_after, .. } = &mut self.action {
            *retry_after = Some(value.into());
        }
        self
    }

    /// Sets the JSON body (only meaningful for a status fault).
    pub fn body(mut self, value: Value) -> Self {
        if let FaultAction::Status { body, .. } = &mut self.action {
            *body = Some(value);
        }
        self
    }

    /// Applies only to the Nth matching request.
    pub fn nth(self, n: u64) -> Self {
        self.trigger(FaultTrigger::Nth(n))
    }

    /// Applies to the Nth matching request and all later ones.
    pub fn from_nth(self, n: u64) -> Self {
        self.trigger(FaultTrigger::FromNth(n))
    }

    /// Applies to the first `n` matching requests.
    pub fn times(self, n: u64) -> Self {
        self.trigger(FaultTrigger::Times(n))
    }

    /// Sets the trigger.
    pub fn trigger(mut self, trigger: FaultTrigger) -> Self {
        self.trigger = trigger;
        self
    }

    /// The action.
    pub fn action(&self) -> &FaultAction {
        &self.action
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        (self.method == "*" || self.method.eq_ignore_ascii_case(method)) && glob_match(&self.path, path)
    }

    /// Parses the JSON form `POST /_faults` accepts:
    /// `{"method", "path", one of "status" (+ "retry_after", "body") | "delay_ms" | "drop": true,
    /// and at most one of "nth" | "from_nth" | "times"}`.
    pub(crate) fn from_json(doc: &Value) -> Result<Fault, String> {
        let method = doc.get("method").and_then(Value::as_str).unwrap_or("*");
        let path = doc
            .get("path")
            .and_then(Value::as_str)
            .ok_or("\"path\" (a string) is required")?;
        let fault = if let Some(status) = doc.get("status") {
            let status = status
                .as_u64()
                .filter(|s| (100..=999).contains(s))
                .ok_or("\"status\" must be an HTTP status code")? as u16;
            let mut fault = Fault::status(method, path, status);
            match doc.get("retry_after") {
                None | Some(Value::Null) => {}
                Some(Value::String(text)) => fault = fault.retry_after(text.clone()),
                Some(Value::Number(n)) => fault = fault.retry_after(n.to_string()),
                Some(_) => return Err("\"retry_after\" must be a string or a number".into()),
            }
            if let Some(body) = doc.get("body").filter(|body| !body.is_null()) {
                fault = fault.body(body.clone());
            }
            fault
        } else if let Some(delay) = doc.get("delay_ms") {
            let millis = delay.as_u64().ok_or("\"delay_ms\" must be a non-negative integer")?;
            Fault::delay(method, path, Duration::from_millis(millis))
        } else if doc.get("drop").and_then(Value::as_bool) == Some(true) {
            Fault::drop_connection(method, path)
        } else {
            return Err("one of \"status\", \"delay_ms\" or \"drop\": true is required".into());
        };
        let count = |key: &str| -> Result<Option<u64>, String> {
            match doc.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(value) => value
                    .as_u64()
                    .filter(|n| *n >= 1)
                    .map(Some)
                    .ok_or(format!("\"{key}\" must be >= 1")),
            }
        };
        Ok(match (count("nth")?, count("from_nth")?, count("times")?) {
            (Some(n), None, None) => fault.nth(n),
            (None, Some(n), None) => fault.from_nth(n),
            (None, None, Some(n)) => fault.times(n),
            (None, None, None) => fault,
            _ => return Err("at most one of \"nth\", \"from_nth\", \"times\"".into()),
        })
    }

    /// The JSON form of this fault (as `GET /_faults` lists it).
    pub fn to_json(&self) -> Value {
        let trigger = match self.trigger {
            FaultTrigger::Always => json!({}),
            FaultTrigger::Nth(n) => json!({"nth": n}),
            FaultTrigger::FromNth(n) => json!({"from_nth": n}),
            FaultTrigger::Times(n) => json!({"times": n}),
        };
        let mut doc = match &self.action {
            FaultAction::Status {
                status,
                retry_after,
                body,
            } => {
                json!({"status": status, "retry_after": retry_after, "body": body})
            }
            FaultAction::Delay(delay) => json!({"delay_ms": delay.as_millis() as u64}),
            FaultAction::DropConnection => json!({"drop": true}),
        };
        if let (Some(doc), Some(trigger)) = (doc.as_object_mut(), trigger.as_object()) {
            doc.insert("method".into(), json!(self.method));
            doc.insert("path".into(), json!(self.path));
            doc.extend(trigger.clone());
        }
        doc
    }
}

/// The id of an installed fault, for [`Faults::remove`] and [`Faults::hits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaultId(pub u64);

#[derive(Debug)]
struct Rule {
    id: FaultId,
    fault: Fault,
    seen: u64,
    fired: u64,
}

/// The installed faults, in the order they were added.
#[derive(Debug, Default)]
pub(crate) struct FaultTable {
    next_id: u64,
    rules: Vec<Rule>,
}

impl FaultTable {
    /// Counts the request against every rule whose route it matches and returns the action of
    /// the first rule that fires.
    pub(crate) fn check(&mut self, method: &str, path: &str) -> Option<FaultAction> {
        let mut action = None;
        for rule in self.rules.iter_mut().filter(|rule| rule.fault.matches(method, path)) {
            rule.seen += 1;
            if action.is_none() && rule.fault.trigger.fires(rule.seen) {
                rule.fired += 1;
                action = Some(rule.fault.action.clone());
            }
        }
        action
    }

    fn add(&mut self, fault: Fault) -> FaultId {
        self.next_id += 1;
        let id = FaultId(self.next_id);
        self.rules.push(Rule {
            id,
            fault,
            seen: 0,
            fired: 0,
        });
        id
    }

    /// Removes every fault.
    pub(crate) fn clear(&mut self) {
        self.rules.clear();
    }
}

/// A handle on the fake's installed faults (cheap to clone; shared with the server).
#[derive(Debug, Clone)]
pub struct Faults {
    table: Arc<Mutex<FaultTable>>,
}

impl Faults {
    pub(crate) fn new(table: Arc<Mutex<FaultTable>>) -> Self {
        Self { table }
    }

    fn with<T>(&self, f: impl FnOnce(&mut FaultTable) -> T) -> T {
        f(&mut self.table.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    /// Installs a fault; it is checked after the ones installed before it.
    pub fn add(&self, fault: Fault) -> FaultId {
        self.with(|table| table.add(fault))
    }

    /// Removes a fault; `false` if it was not installed.
    pub fn remove(&self, id: FaultId) -> bool {
        self.with(|table| {
            let before = table.rules.len();
            table.rules.retain(|rule| rule.id != id);
            table.rules.len() != before
        })
    }

    /// Removes every fault.
    pub fn clear(&self) {
        self.with(FaultTable::clear);
    }

    /// How many times a fault has fired (0 if unknown).
    pub fn hits(&self, id: FaultId) -> u64 {
        self.with(|table| {
            table
                .rules
                .iter()
                .find(|rule| rule.id == id)
                .map_or(0, |rule| rule.fired)
        })
    }

    /// The installed faults, in order.
    pub fn list(&self) -> Vec<(FaultId, Fault)> {
        self.with(|table| table.rules.iter().map(|rule| (rule.id, rule.fault.clone())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers() {
        let faults = Faults::new(Arc::default());
        let nth = faults.add(Fault::status("GET", "/x", 429).nth(2));
        let seen: Vec<bool> = (0..4)
            .map(|_| faults.with(|t| t.check("GET", "/x")).is_some())
            .collect();
        assert_eq!(seen, [false, true, false, false]);
        assert_eq!(faults.hits(nth), 1);
        assert!(faults.remove(nth));
        faults.add(Fault::drop_connection("*", "/y").times(2));
        let seen: Vec<bool> = (0..3)
            .map(|_| faults.with(|t| t.check("POST", "/y")).is_some())
            .collect();
        assert_eq!(seen, [true, true, false]);
        faults.clear();
        faults.add(Fault::delay("get", "/z", Duration::from_millis(5)).from_nth(2));
        let seen: Vec<bool> = (0..3)
            .map(|_| faults.with(|t| t.check("GET", "/z")).is_some())
            .collect();
        assert_eq!(seen, [false, true, true]);
    }

    #[test]
    fn json_round_trip() {
        let doc = json!({"method": "GET", "path": "/a", "status": 503, "retry_after": 3, "times": 2});
        let fault = Fault::from_json(&doc).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fault, Fault::status("GET", "/a", 503).retry_after("3").times(2));
        assert_eq!(Fault::from_json(&fault.to_json()).ok(), Some(fault));
        assert!(Fault::from_json(&json!({"path": "/a"})).is_err());
        assert!(Fault::from_json(&json!({"path": "/a", "drop": true, "nth": 1, "times": 1})).is_err());
        assert!(Fault::from_json(&json!({"path": "/a", "status": 42})).is_err());
    }
}
