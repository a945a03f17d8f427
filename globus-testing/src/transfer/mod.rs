//! The fake Globus Transfer API (`/transfer/v0.10/...`), backed by [`store::TransferStore`].

pub(crate) mod endpoints;
pub(crate) mod fs;
pub(crate) mod ls;
pub(crate) mod operations;
pub(crate) mod store;
pub(crate) mod submit;
pub(crate) mod task_api;
pub(crate) mod tasks;

use http::{Method, StatusCode};
use serde_json::json;

use crate::auth::bearer::require_bearer;
use crate::http::{Req, Resp, method_not_allowed, route_not_found, transfer_error};
use crate::router::Outcome;
use crate::service::Service;
use crate::state::{Shared, World};
use tasks::TaskKind;

fn endpoint_not_found(req: &Req, id: &str) -> Outcome {
    Outcome::Fallback(transfer_error(
        StatusCode::NOT_FOUND,
        "EndpointNotFound",
        &format!("No such endpoint '{id}'"),
        req,
    ))
}

/// Routes a Transfer request (path relative to the Transfer base URL).
pub(crate) fn handle(shared: &Shared, world: &mut World, req: &Req) -> Outcome {
    let now = shared.now();
    let caller = match require_bearer(world, req, now, Some(Service::Transfer.resource_server())) {
        Ok(caller) => caller,
        Err(response) => return Outcome::Done(response),
    };
    let store = &mut world.transfer;
    store.settle(now);
    let me = caller.user.id.as_str();
    let segments = req.segments();
    let (get, post) = (req.method == Method::GET, req.method == Method::POST);
    let response = match segments.as_slice() {
        ["v0.10", "endpoint_search"] if get => endpoints::search(&store.endpoints, req, me),
        ["v0.10", "submission_id"] if get => Resp::ok(&json!({"value": shared.ids.uuid()})),
        ["v0.10", "transfer"] if post => submit::submit(shared, store, req, &caller, TaskKind::Transfer),
        ["v0.10", "delete"] if post => submit::submit(shared, store, req, &caller, TaskKind::Delete),
        ["v0.10", "task_list"] if get => task_api::task_list(store, req, me),
        ["v0.10", "endpoint", id] if get => match store.endpoint(id) {
            Some(endpoint) => Resp::ok(&endpoint.to_json()),
            None => return endpoint_not_found(req, id),
        },
        ["v0.10", "operation", "endpoint", id, operation] => {
            let Some(fs) = store.fs_mut(id) else {
                return endpoint_not_found(req, id);
            };
            match *operation {
                "ls" if get => ls::ls(fs, id, req),
                "stat" if get => ls::stat(fs, req),
                "mkdir" if post => operations::mkdir(fs, req, now),
                "rename" if post => operations::rename(fs, req),
                "ls" | "stat" | "mkdir" | "rename" => method_not_allowed(req),
                _ => return Outcome::Fallback(route_not_found(req)),
            }
        }
        ["v0.10", "task", id, rest @ ..] => {
            let Some(task) = store.task_mut(id, me) else {
                return Outcome::Fallback(task_api::task_not_found(req, id));
            };
            match rest {
                [] if get => Resp::ok(&task.to_json()),
                ["event_list"] if get => task_api::event_list(task, req),
                ["successful_transfers"] if get => {
                    task_api::successful_transfers(task, req, shared.config.successful_transfers_page)
                }
                ["cancel"] if post => task_api::cancel(task, req, now),
                [] | ["event_list" | "successful_transfers" | "cancel"] => method_not_allowed(req),
                _ => return Outcome::Fallback(route_not_found(req)),
            }
        }
        [
            "v0.10",
            "endpoint_search" | "submission_id" | "transfer" | "delete" | "task_list",
        ] => method_not_allowed(req),
        _ => return Outcome::Fallback(route_not_found(req)),
    };
    Outcome::Done(response)
}
