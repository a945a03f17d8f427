//! `POST /v0.10/transfer` and `POST /v0.10/delete`, deduplicated by `submission_id`.

use http::StatusCode;
use serde_json::{Map, Value, json};

use crate::auth::bearer::Caller;
use crate::http::{Req, Resp, transfer_error};
use crate::state::Shared;
use crate::transfer::store::TransferStore;
use crate::transfer::tasks::{Item, Task, TaskKind, started};

/// Options echoed from a submitted document into the task document.
const ECHOED_OPTIONS: [&str; 9] = [
    "sync_level",
    "verify_checksum",
    "preserve_timestamp",
    "encrypt_data",
    "delete_destination_extra",
    "skip_source_errors",
    "fail_on_quota_errors",
    "filter_rules",
    "source_local_user",
];

fn bad(req: &Req, code: &str, message: &str) -> Resp {
    transfer_error(StatusCode::BAD_REQUEST, code, message, req)
}

fn str_field<'a>(doc: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    doc.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn result(kind: TaskKind, code: &str, message: String, req: &Req, submission_id: &str, task_id: &str) -> Value {
    let data_type = match kind {
        TaskKind::Transfer => "transfer_result",
        TaskKind::Delete => "delete_result",
    };
    json!({
        "DATA_TYPE": data_type,
        "code": code,
        "message": message,
        "request_id": req.request_id,
        "resource": req.path,
        "submission_id": submission_id,
        "task_id": task_id,
        "task_link": {
            "DATA_TYPE": "link",
            "href": format!("/v0.10/task/{task_id}?format=json"),
            "rel": "related",
            "resource": "task",
            "title": "related task",
        },
    })
}

/// Parses the items of a document: `transfer_item`s or `delete_item`s.
fn parse_items(kind: TaskKind, doc: &Map<String, Value>) -> Result<Vec<Item>, String> {
    let items = doc
        .get("DATA")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let recursive_default = doc.get("recursive").and_then(Value::as_bool).unwrap_or(false);
    items
        .iter()
        .map(|item| {
            let item = item.as_object().ok_or("every item must be an object")?;
            match kind {
                TaskKind::Transfer => {
                    let (Some(source), Some(destination)) =
                        (str_field(item, "source_path"), str_field(item, "destination_path"))
                    else {
                        return Err("a transfer_item needs source_path and destination_path".into());
                    };
                    let recursive = item.get("recursive").and_then(Value::as_bool).unwrap_or(false);
                    Ok(Item {
                        source_path: source.into(),
                        destination_path: destination.into(),
                        recursive,
                    })
                }
                TaskKind::Delete => {
                    let path = str_field(item, "path").ok_or("a delete_item needs a path")?;
                    Ok(Item {
                        source_path: path.into(),
                        destination_path: String::new(),
                        recursive: recursive_default,
                    })
                }
            }
        })
        .collect()
}

/// Accepts a transfer or delete document.
pub(crate) fn submit(shared: &Shared, store: &mut TransferStore, req: &Req, caller: &Caller, kind: TaskKind) -> Resp {
    let doc = match req.json() {
        Ok(Value::Object(doc)) => doc,
        Ok(_) => return bad(req, "ClientError.BadRequest", "the body must be a JSON object"),
        Err(message) => return bad(req, "ClientError.BadRequest", &message),
    };
    let expected = match kind {
        TaskKind::Transfer => "transfer",
        TaskKind::Delete => "delete",
    };
    if doc.get("DATA_TYPE").is_some_and(|t| t.as_str() != Some(expected)) {
        return bad(
            req,
            "ClientError.BadRequest",
            &format!("DATA_TYPE must be '{expected}'"),
        );
    }
    let Some(submission_id) = str_field(&doc, "submission_id") else {
        return bad(
            req,
            "ClientError.BadRequest",
            "submission_id is required (GET /v0.10/submission_id)",
        );
    };
    if let Some(task_id) = store.submissions.get(submission_id) {
        let message = format!("A {expected} with id '{submission_id}' was already submitted");
        return Resp::ok(&result(kind, "Duplicate", message, req, submission_id, task_id));
    }
    let endpoint_keys: &[&str] = match kind {
        TaskKind::Transfer => &["source_endpoint", "destination_endpoint"],
        TaskKind::Delete => &["endpoint"],
    };
    let mut endpoints = Vec::new();
    for key in endpoint_keys {
        let Some(id) = str_field(&doc, key) else {
            return bad(req, "ClientError.BadRequest", &format!("{key} is required"));
        };
        match store.endpoint(id) {
            Some(endpoint) => endpoints.push((endpoint.id.clone(), endpoint.display_name.clone())),
            None => {
                let message = format!("No such endpoint '{id}'");
                return transfer_error(StatusCode::NOT_FOUND, "EndpointNotFound", &message, req);
            }
        }
    }
    let items = match parse_items(kind, &doc) {
        Ok(items) if items.is_empty() => {
            let message = format!("A {expected} requires at least one item");
            let code = match kind {
                TaskKind::Transfer => "ClientError.BadRequest.NoTransferItems",
                TaskKind::Delete => "ClientError.BadRequest.NoDeleteItems",
            };
            return bad(req, code, &message);
        }
        Ok(items) => items,
        Err(message) => return bad(req, "ClientError.BadRequest", &message),
    };
    let now = shared.now();
    let task_id = shared.ids.uuid();
    let mut endpoints = endpoints.into_iter();
    let task = Task {
        id: task_id.clone(),
        kind,
        owner_id: caller.user.id.clone(),
        owner_username: caller.user.username.clone(),
        label: str_field(&doc, "label").map(str::to_owned),
        source: endpoints.next().unwrap_or_default(),
        destination: endpoints.next(),
        items,
        ignore_missing: doc.get("ignore_missing").and_then(Value::as_bool).unwrap_or(false),
        options: ECHOED_OPTIONS
            .iter()
            .filter_map(|key| doc.get(*key).map(|v| ((*key).to_owned(), v.clone())))
            .collect(),
        request_time: now,
        complete_at: now.saturating_add(shared.config.task_duration),
        status: "ACTIVE",
        completion_time: None,
        fatal_error: None,
        successful: Vec::new(),
        files: 0,
        directories: 0,
        bytes: 0,
        events: vec![started(now)],
    };
    store.tasks.push(task);
    store.submissions.insert(submission_id.to_owned(), task_id.clone());
    let message = format!("The {expected} has been accepted and a task has been created and queued for execution");
    Resp::json(
        StatusCode::ACCEPTED,
        &result(kind, "Accepted", message, req, submission_id, &task_id),
    )
}
