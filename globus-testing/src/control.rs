//! The control plane at the server root: `/_count`, `/_reset`, `/_clock`, `/_faults`,
//! `/_requests`, `/_clients`, `/_users`. It is neither counted, logged, faulted nor
//! authenticated (the fake only listens on loopback).

use http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::faults::{Fault, Faults};
use crate::http::{Req, Resp, globus_error, method_not_allowed, route_not_found};
use crate::registry::{Client, User};
use crate::state::Shared;

fn clock_doc(shared: &Shared) -> Value {
    json!({"now": shared.clock.now(), "offset": shared.clock.offset()})
}

fn strings(doc: &Value, key: &str) -> Result<Vec<String>, String> {
    match doc.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or(format!("\"{key}\" must be a list of strings"))
            })
            .collect(),
        Some(_) => Err(format!("\"{key}\" must be a list of strings")),
    }
}

fn text(doc: &Value, key: &str) -> Result<Option<String>, String> {
    match doc.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(value)) => Ok(Some(value.clone())),
        Some(_) => Err(format!("\"{key}\" must be a string")),
    }
}

/// `{"id", "secret"?, "name"?, "redirect_uris"?, "dependent_scopes"?}`: a native client
/// without `secret`, a confidential one with it.
fn client_from_json(doc: &Value) -> Result<Client, String> {
    let id = text(doc, "id")?
        .filter(|id| !id.is_empty())
        .ok_or("\"id\" (a string) is required")?;
    let mut client = match text(doc, "secret")? {
        Some(secret) => Client::confidential(id, secret),
        None => Client::native(id),
    };
    if let Some(name) = text(doc, "name")? {
        client = client.with_name(name);
    }
    for uri in strings(doc, "redirect_uris")? {
        client = client.with_redirect_uri(uri);
    }
    Ok(client.with_dependent_scopes(strings(doc, "dependent_scopes")?))
}

/// `{"id", "username", "name"?, "email"?, "organization"?, "identity_provider"?}`.
fn user_from_json(doc: &Value) -> Result<User, String> {
    let id = text(doc, "id")?
        .filter(|id| !id.is_empty())
        .ok_or("\"id\" (a string) is required")?;
    let username = text(doc, "username")?
        .filter(|u| !u.is_empty())
        .ok_or("\"username\" (a string) is required")?;
    let mut user = User::new(id, username);
    if let Some(name) = text(doc, "name")? {
        user.name = name;
    }
    if doc.get("email").is_some() {
        user.email = text(doc, "email")?;
    }
    user.organization = text(doc, "organization")?.or(user.organization);
    if let Some(provider) = text(doc, "identity_provider")? {
        user.identity_provider = provider;
    }
    Ok(user)
}

fn bad(req: &Req, message: &str) -> Resp {
    globus_error(StatusCode::BAD_REQUEST, "BadRequest", message, req)
}

/// Handles a control-plane request (`req.path` is the full path).
pub(crate) fn handle(shared: &Shared, req: &Req) -> Resp {
    let faults = Faults::new(shared.faults.clone());
    match (req.path.trim_end_matches('/'), &req.method) {
        ("/_count", &Method::GET) => Resp::ok(&shared.metrics().counters.to_json()),
        ("/_requests", &Method::GET) => {
            let log: Vec<Value> = shared.metrics().log.iter().map(|r| r.to_json()).collect();
            Resp::ok(&Value::Array(log))
        }
        ("/_reset", &Method::POST) => {
            shared.metrics().reset();
            faults.clear();
            Resp::ok(&json!({"reset": true}))
        }
        ("/_clock", &Method::GET) => Resp::ok(&clock_doc(shared)),
        ("/_clock", &Method::POST) => {
            let advance = req
                .json()
                .ok()
                .and_then(|doc| doc.get("advance").and_then(Value::as_f64));
            match advance {
                Some(seconds) if seconds.is_finite() && seconds >= 0.0 => {
                    shared.clock.advance(seconds);
                    Resp::ok(&clock_doc(shared))
                }
                _ => bad(req, "expected {\"advance\": <non-negative seconds>}"),
            }
        }
        ("/_faults", &Method::GET) => {
            let list: Vec<Value> = faults
                .list()
                .into_iter()
                .map(|(id, fault)| {
                    let mut doc = fault.to_json();
                    if let Some(doc) = doc.as_object_mut() {
                        doc.insert("id".into(), json!(id.0));
                        doc.insert("hits".into(), json!(faults.hits(id)));
                    }
                    doc
                })
                .collect();
            Resp::ok(&Value::Array(list))
        }
        ("/_faults", &Method::POST) => match req
            .json()
            .map_err(|e| e.to_string())
            .and_then(|doc| Fault::from_json(&doc))
        {
            Ok(fault) => Resp::ok(&json!({"id": faults.add(fault).0})),
            Err(message) => bad(req, &message),
        },
        ("/_faults", &Method::DELETE) => {
            faults.clear();
            Resp::ok(&json!({"cleared": true}))
        }
        ("/_clients", &Method::POST) => match req.json().and_then(|doc| client_from_json(&doc)) {
            Ok(client) => {
                let doc = json!({"id": client.id(), "confidential": client.is_confidential()});
                shared.world().registry.add_client(client);
                Resp::ok(&doc)
            }
            Err(message) => bad(req, &message),
        },
        ("/_users", &Method::POST) => {
            let parsed = req
                .json()
                .and_then(|doc| Ok((user_from_json(&doc)?, doc.get("login") == Some(&json!(true)))));
            match parsed {
                Ok((user, login)) => {
                    let id = user.id.clone();
                    let mut world = shared.world();
                    world.registry.add_user(user);
                    if login {
                        world.registry.set_current_user(&id);
                    }
                    Resp::ok(&json!({"id": id, "logged_in": login}))
                }
                Err(message) => bad(req, &message),
            }
        }
        ("/_count" | "/_requests" | "/_reset" | "/_clock" | "/_faults" | "/_clients" | "/_users", _) => {
            method_not_allowed(req)
        }
        _ => route_not_found(req),
    }
}
