//! From a hyper request to a response: read the body, record and count it, apply faults,
//! then route by service prefix (stateful handlers first, recorded fixtures after).

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{HeaderValue, RETRY_AFTER};
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use serde_json::json;

use crate::auth::bearer::require_bearer_or_client;
use crate::encoding::parse_pairs;
use crate::faults::FaultAction;
use crate::fixtures::fixtures;
use crate::http::{Req, Resp, globus_error, route_not_found};
use crate::metrics::RecordedRequest;
use crate::service::Service;
use crate::state::Shared;
use crate::{auth, control, groups, transfer};

/// The largest request body the fake reads.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// What a service handler decided.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Send this response.
    Done(Resp),
    /// The handler does not know this route or id: answer from the fixtures if they have the
    /// route, else send this response.
    Fallback(Resp),
}

/// The error that makes hyper close the connection without answering (an injected fault).
#[derive(Debug)]
pub(crate) struct DroppedConnection;

impl fmt::Display for DroppedConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DroppedConnection {}

/// Serves one request.
pub(crate) async fn serve(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, DroppedConnection> {
    let (parts, body) = request.into_parts();
    let full_path = parts.uri.path().to_owned();
    let raw_query = parts.uri.query().unwrap_or_default().to_owned();
    let mut req = Req {
        method: parts.method,
        path: full_path.clone(),
        full_path,
        query: parse_pairs(&raw_query),
        raw_query,
        headers: parts.headers,
        body: Bytes::new(),
        request_id: shared.ids.request_id(),
    };
    match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => req.body = collected.to_bytes(),
        Err(_) => {
            let response = globus_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PayloadTooLarge",
                "request body too large or unreadable",
                &req,
            );
            return Ok(response.into_response());
        }
    }
    if req.full_path.starts_with("/_") {
        return Ok(control::handle(&shared, &req).into_response());
    }
    let recorded = RecordedRequest::new(
        req.method.as_str(),
        &req.full_path,
        &req.raw_query,
        &req.headers,
        &req.body,
    );
    shared.metrics().record(recorded);

    let fault = shared.fault_table().check(req.method.as_str(), &req.full_path);
    if fault.is_some() {
        shared.metrics().counters.faults_injected += 1;
    }
    let response = match fault {
        Some(FaultAction::DropConnection) => return Err(DroppedConnection),
        Some(FaultAction::Status {
            status,
            retry_after,
            body,
        }) => fault_response(&req, status, retry_after, body),
        Some(FaultAction::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            route(&shared, &mut req)
        }
        None => route(&shared, &mut req),
    };
    if response.status == StatusCode::UNAUTHORIZED {
        shared.metrics().counters.unauthenticated += 1;
    }
    Ok(response.into_response())
}

fn fault_response(req: &Req, status: u16, retry_after: Option<String>, body: Option<serde_json::Value>) -> Resp {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = body.unwrap_or_else(|| {
        let code = status.canonical_reason().unwrap_or("Error").replace(' ', "");
        json!({"code": code, "message": format!("injected fault: {status}"), "request_id": req.request_id})
    });
    let mut response = Resp::json(status, &body);
    if let Some(value) = retry_after.and_then(|value| HeaderValue::from_str(&value).ok()) {
        response = response.with_header(RETRY_AFTER, value);
    }
    response
}

/// Routes by the first path segment to a service, with the rest of the path as `req.path`.
fn route(shared: &Shared, req: &mut Req) -> Resp {
    let trimmed = req.full_path.trim_start_matches('/');
    let (prefix, rest) = trimmed.split_once('/').unwrap_or((trimmed, ""));
    let Some(service) = Service::from_prefix(prefix) else {
        return route_not_found(req);
    };
    req.path = format!("/{}", rest.trim_start_matches('/'));
    let mut world = shared.world();
    let outcome = match service {
        Service::Auth => auth::handle(shared, &mut world, req),
        Service::Groups => groups::handle(shared, &mut world, req),
        Service::Transfer => transfer::handle(shared, &mut world, req),
        _ => Outcome::Fallback(route_not_found(req)),
    };
    match outcome {
        Outcome::Done(response) => response,
        Outcome::Fallback(otherwise) => match fixtures().lookup(service, req) {
            Some(recorded) => match require_bearer_or_client(&world, req, shared.now(), None) {
                Ok(_) => recorded,
                Err(unauthenticated) => unauthenticated,
            },
            None => otherwise,
        },
    }
}
