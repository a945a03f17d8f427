//! Task queries and cancellation: `task_list`, `task/{id}`, `event_list`,
//! `successful_transfers`, `cancel`.

use http::StatusCode;
use serde_json::{Value, json};

use crate::http::{Req, Resp, transfer_error};
use crate::transfer::endpoints::int_param;
use crate::transfer::store::TransferStore;
use crate::transfer::tasks::Task;

fn bad(req: &Req, message: &str) -> Resp {
    transfer_error(StatusCode::BAD_REQUEST, "ClientError.BadRequest", message, req)
}

fn limit_offset(req: &Req, default_limit: usize) -> Result<(usize, usize), Resp> {
    let limit = int_param(req, "limit", default_limit)?;
    let offset = int_param(req, "offset", 0)?;
    if limit == 0 || limit > 1000 {
        return Err(bad(req, "limit must be between 1 and 1000"));
    }
    Ok((limit, offset))
}

/// The 404 for a task id this caller has no task with.
pub(crate) fn task_not_found(req: &Req, id: &str) -> Resp {
    transfer_error(
        StatusCode::NOT_FOUND,
        "ClientError.NotFound",
        &format!("Task {id} not found"),
        req,
    )
}

/// `GET /v0.10/task_list`: the caller's tasks, newest first, with `filter`, `limit`, `offset`.
pub(crate) fn task_list(store: &TransferStore, req: &Req, owner_id: &str) -> Resp {
    let (limit, offset) = match limit_offset(req, 10) {
        Ok(pair) => pair,
        Err(response) => return response,
    };
    let mut clauses = Vec::new();
    for filter in req.query_all("filter") {
        for clause in filter.split('/').filter(|c| !c.is_empty()) {
            let Some((field, values)) = clause.split_once(':') else {
                return bad(req, &format!("Invalid filter: {clause}"));
            };
            clauses.push((field.trim(), values.split(',').map(str::trim).collect::<Vec<_>>()));
        }
    }
    let mut matching: Vec<&Task> = Vec::new();
    for task in store.tasks.iter().rev().filter(|t| t.owner_id == owner_id) {
        let mut keep = true;
        for (field, values) in &clauses {
            match task.matches_filter(field, values) {
                Ok(hit) => keep &= hit,
                Err(message) => return bad(req, &message),
            }
        }
        if keep {
            matching.push(task);
        }
    }
    let data: Vec<Value> = matching.iter().skip(offset).take(limit).map(|t| t.to_json()).collect();
    Resp::ok(&json!({
        "DATA_TYPE": "task_list",
        "DATA": data,
        "length": data.len(),
        "limit": limit,
        "offset": offset,
        "total": matching.len(),
    }))
}

/// `GET /v0.10/task/{id}/event_list`.
pub(crate) fn event_list(task: &Task, req: &Req) -> Resp {
    let (limit, offset) = match limit_offset(req, 10) {
        Ok(pair) => pair,
        Err(response) => return response,
    };
    let events = task.event_docs();
    let data: Vec<Value> = events.iter().skip(offset).take(limit).cloned().collect();
    Resp::ok(&json!({
        "DATA_TYPE": "event_list",
        "DATA": data,
        "length": data.len(),
        "limit": limit,
        "offset": offset,
        "total": events.len(),
    }))
}

/// `GET /v0.10/task/{id}/successful_transfers`: marker paging (`marker` in, `next_marker`
/// out, `null` on the last page).
pub(crate) fn successful_transfers(task: &Task, req: &Req, page: usize) -> Resp {
    let marker = match req
        .query_param("marker")
        .filter(|m| !m.is_empty())
        .map(str::parse::<usize>)
    {
        None => 0,
        Some(Ok(marker)) => marker,
        Some(Err(_)) => return bad(req, "Invalid marker"),
    };
    let data: Vec<Value> = task
        .successful
        .iter()
        .skip(marker)
        .take(page)
        .map(|(source, destination)| {
            json!({"DATA_TYPE": "successful_transfer", "source_path": source, "destination_path": destination})
        })
        .collect();
    let next = marker.saturating_add(page);
    Resp::ok(&json!({
        "DATA_TYPE": "successful_transfers",
        "marker": marker,
        "next_marker": if next < task.successful.len() { json!(next) } else { Value::Null },
        "DATA": data,
    }))
}

/// `POST /v0.10/task/{id}/cancel`.
pub(crate) fn cancel(task: &mut Task, req: &Req, now: u64) -> Resp {
    let (code, message) = if task.status == "ACTIVE" {
        task.fail(now, "CANCELED", "The task was canceled by the user".into());
        ("Canceled", "The task has been cancelled successfully.")
    } else {
        (
            "TaskComplete",
            "The task completed before the cancel request was processed.",
        )
    };
    Resp::ok(&json!({
        "DATA_TYPE": "result",
        "code": code,
        "message": message,
        "resource": req.path,
        "request_id": req.request_id,
    }))
}
