//! Transfer and delete tasks: their lifecycle on the fake clock, their effects on the
//! collections' filesystems, and their documents.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::clock::iso8601;
use crate::transfer::fs::{Fs, normalize};

/// Transfer or delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TaskKind {
    Transfer,
    Delete,
}

impl TaskKind {
    /// `TRANSFER` or `DELETE`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            TaskKind::Transfer => "TRANSFER",
            TaskKind::Delete => "DELETE",
        }
    }
}

/// One item: source and destination paths for a transfer, the path (as source) for a delete.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub(crate) source_path: String,
    pub(crate) destination_path: String,
    pub(crate) recursive: bool,
}

/// An entry of a task's event list.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub(crate) code: &'static str,
    pub(crate) description: String,
    pub(crate) is_error: bool,
    pub(crate) time: u64,
}

impl Event {
    fn to_json(&self) -> Value {
        json!({
            "DATA_TYPE": "event",
            "code": self.code,
            "description": self.description,
            "details": self.description,
            "is_error": self.is_error,
            "time": iso8601(self.time),
        })
    }
}

/// A task.
#[derive(Debug, Clone)]
pub(crate) struct Task {
    pub(crate) id: String,
    pub(crate) kind: TaskKind,
    pub(crate) owner_id: String,
    pub(crate) owner_username: String,
    pub(crate) label: Option<String>,
    /// (id, display name) of the source, or of the endpoint of a delete.
    pub(crate) source: (String, String),
    /// (id, display name) of the destination; `None` for a delete.
    pub(crate) destination: Option<(String, String)>,
    pub(crate) items: Vec<Item>,
    /// Delete options.
    pub(crate) ignore_missing: bool,
    /// Submitted options echoed in the document (`sync_level`, `verify_checksum`, ...).
    pub(crate) options: Map<String, Value>,
    pub(crate) request_time: u64,
    pub(crate) complete_at: u64,
    pub(crate) status: &'static str,
    pub(crate) completion_time: Option<u64>,
    pub(crate) fatal_error: Option<Value>,
    pub(crate) successful: Vec<(String, String)>,
    pub(crate) files: u64,
    pub(crate) directories: u64,
    pub(crate) bytes: u64,
    pub(crate) events: Vec<Event>,
}

impl Task {
    /// Fails the task (used for cancellation and failed effects).
    pub(crate) fn fail(&mut self, now: u64, code: &'static str, description: String) {
        self.status = "FAILED";
        self.completion_time = Some(now);
        self.fatal_error = Some(json!({"code": code, "description": description}));
        self.events.push(Event {
            code,
            description,
            is_error: true,
            time: now,
        });
    }

    fn succeed(&mut self, at: u64) {
        self.status = "SUCCEEDED";
        self.completion_time = Some(at);
        self.events.push(Event {
            code: "SUCCEEDED",
            description: "succeeded".into(),
            is_error: false,
            time: at,
        });
    }

    /// Completes the task if its time has come, applying its effects to `filesystems`.
    pub(crate) fn settle(&mut self, now: u64, filesystems: &mut HashMap<String, Fs>) {
        if self.status != "ACTIVE" || now < self.complete_at {
            return;
        }
        let at = self.complete_at;
        let outcome = match self.kind {
            TaskKind::Transfer => self.apply_transfer(at, filesystems),
            TaskKind::Delete => self.apply_delete(filesystems),
        };
        match outcome {
            Ok(()) => self.succeed(at),
            Err((code, description)) => self.fail(at, code, description),
        }
    }

    fn apply_transfer(&mut self, at: u64, filesystems: &mut HashMap<String, Fs>) -> Result<(), (&'static str, String)> {
        let source = filesystems.get(&self.source.0).cloned().unwrap_or_else(Fs::seeded);
        let mut writes = Vec::new();
        for item in &self.items {
            let from = normalize(&item.source_path);
            let to = normalize(&item.destination_path);
            match source.stat(&from) {
                None => return Err(("FILE_NOT_FOUND", format!("No such file or directory: {from}"))),
                Some(node) if node.is_dir && !item.recursive => {
                    return Err((
                        "IS_A_DIRECTORY",
                        format!("{from} is a directory; set recursive to transfer it"),
                    ));
                }
                Some(_) => {}
            }
            for (relative, node) in source.subtree(&from) {
                writes.push((format!("{from}{relative}"), format!("{to}{relative}"), node));
            }
        }
        let destination_id = self.destination.as_ref().map(|(id, _)| id.clone()).unwrap_or_default();
        let destination = filesystems.entry(destination_id).or_insert_with(Fs::seeded);
        for (from, to, node) in writes {
            if node.is_dir {
                self.directories += 1;
            } else {
                self.files += 1;
                self.bytes += node.size;
                self.successful.push((from, to.clone()));
            }
            destination.put(&to, node, at);
        }
        Ok(())
    }

    fn apply_delete(&mut self, filesystems: &mut HashMap<String, Fs>) -> Result<(), (&'static str, String)> {
        let fs = filesystems.entry(self.source.0.clone()).or_insert_with(Fs::seeded);
        let mut doomed = Vec::new();
        for item in &self.items {
            let path = normalize(&item.source_path);
            match fs.stat(&path) {
                None if self.ignore_missing => {}
                None => return Err(("FILE_NOT_FOUND", format!("No such file or directory: {path}"))),
                Some(node) if node.is_dir && !item.recursive && !fs.children(&path).is_empty() => {
                    return Err((
                        "DIRECTORY_NOT_EMPTY",
                        format!("{path} is not empty; set recursive to delete it"),
                    ));
                }
                Some(_) => doomed.push(path),
            }
        }
        for path in doomed {
            for (_, node) in fs.subtree(&path) {
                if node.is_dir {
                    self.directories += 1;
                } else {
                    self.files += 1;
                }
            }
            fs.remove(&path);
        }
        Ok(())
    }

    /// The task document.
    pub(crate) fn to_json(&self) -> Value {
        let active = self.status == "ACTIVE";
        let items = self.items.len() as u64;
        let done = self.files + self.directories;
        let elapsed = self
            .completion_time
            .map_or(1, |end| end.saturating_sub(self.request_time).max(1));
        let mut doc = json!({
            "DATA_TYPE": "task",
            "task_id": self.id,
            "type": self.kind.name(),
            "status": self.status,
            "label": self.label,
            "owner_id": self.owner_id,
            "owner_string": self.owner_username,
            "username": self.owner_username,
            "command": "API 0.10",
            "request_time": iso8601(self.request_time),
            "completion_time": self.completion_time.map(iso8601),
            "deadline": iso8601(self.request_time.saturating_add(86_400)),
            "source_endpoint": self.source.0,
            "source_endpoint_id": self.source.0,
            "source_endpoint_display_name": self.source.1,
            "destination_endpoint": self.destination.as_ref().map(|d| &d.0),
            "destination_endpoint_id": self.destination.as_ref().map(|d| &d.0),
            "destination_endpoint_display_name": self.destination.as_ref().map(|d| &d.1),
        });
        let counts = json!({
            "files": self.files,
            "directories": self.directories,
            "symlinks": 0,
            "files_skipped": 0,
            "files_transferred": if self.kind == TaskKind::Transfer { self.files } else { 0 },
            "subtasks_total": if active { items } else { done },
            "subtasks_pending": if active { items } else { 0 },
            "subtasks_succeeded": if self.status == "SUCCEEDED" { done } else { 0 },
            "subtasks_failed": if self.status == "FAILED" { 1 } else { 0 },
            "subtasks_canceled": 0,
            "subtasks_expired": 0,
            "subtasks_retrying": 0,
            "subtasks_skipped_errors": 0,
            "bytes_transferred": self.bytes,
            "bytes_checksummed": 0,
            "effective_bytes_per_second": self.bytes / elapsed,
            "faults": 0,
            "fatal_error": self.fatal_error,
            "is_ok": if active { json!(true) } else { Value::Null },
            "is_paused": false,
            "nice_status": if active { json!("Queued") } else { Value::Null },
            "nice_status_details": null,
            "nice_status_expires_in": null,
            "nice_status_short_description": null,
            "history_deleted": false,
        });
        let defaults = json!({
            "canceled_by_admin": null,
            "canceled_by_admin_message": null,
            "filter_rules": null,
            "recursive_symlinks": "ignore",
            "source_local_user": null,
            "destination_local_user": null,
            "sync_level": null,
            "verify_checksum": false,
            "preserve_timestamp": false,
            "encrypt_data": false,
            "delete_destination_extra": false,
            "skip_source_errors": false,
            "fail_on_quota_errors": false,
        });
        if let (Some(doc), Some(counts), Some(defaults)) =
            (doc.as_object_mut(), counts.as_object(), defaults.as_object())
        {
            doc.extend(counts.clone());
            doc.extend(defaults.clone());
            doc.extend(self.options.clone());
        }
        doc
    }

    /// The events, newest first.
    pub(crate) fn event_docs(&self) -> Vec<Value> {
        self.events.iter().rev().map(Event::to_json).collect()
    }

    /// Whether the task matches one `task_list` filter clause (`field:v1,v2`).
    pub(crate) fn matches_filter(&self, field: &str, values: &[&str]) -> Result<bool, String> {
        Ok(match field {
            "status" => values.contains(&self.status),
            "type" => values.contains(&self.kind.name()),
            "task_id" => values.contains(&self.id.as_str()),
            "label" => self.label.as_deref().is_some_and(|label| values.contains(&label)),
            other => return Err(format!("Unsupported filter field: {other}")),
        })
    }
}

/// The event recorded when a task is accepted.
pub(crate) fn started(now: u64) -> Event {
    Event {
        code: "STARTED",
        description: "started".into(),
        is_error: false,
        time: now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(kind: TaskKind, items: Vec<Item>) -> Task {
        Task {
            id: "t".into(),
            kind,
            owner_id: "u".into(),
            owner_username: "u@x".into(),
            label: None,
            source: ("src".into(), "Source".into()),
            destination: (kind == TaskKind::Transfer).then(|| ("dst".into(), "Destination".into())),
            items,
            ignore_missing: false,
            options: Map::new(),
            request_time: 100,
            complete_at: 110,
            status: "ACTIVE",
            completion_time: None,
            fatal_error: None,
            successful: Vec::new(),
            files: 0,
            directories: 0,
            bytes: 0,
            events: vec![started(100)],
        }
    }

    fn item(from: &str, to: &str, recursive: bool) -> Item {
        Item {
            source_path: from.into(),
            destination_path: to.into(),
            recursive,
        }
    }

    #[test]
    fn transfer_completes_on_time_and_copies() {
        let mut filesystems = HashMap::new();
        let mut t = task(
            TaskKind::Transfer,
            vec![
                item("/~/godata/", "/~/copy/", true),
                item("/~/README.txt", "/~/r.txt", false),
            ],
        );
        t.settle(109, &mut filesystems);
        assert_eq!(t.status, "ACTIVE");
        t.settle(500, &mut filesystems);
        assert_eq!(t.status, "SUCCEEDED");
        assert_eq!(t.completion_time, Some(110));
        assert_eq!(t.files, 4);
        assert_eq!(t.successful.len(), 4);
        let dst = filesystems.get("dst");
        assert!(dst.and_then(|fs| fs.stat("/~/copy/file2.txt")).is_some());
        assert_eq!(t.to_json()["subtasks_succeeded"], json!(5));
    }

    #[test]
    fn failures() {
        let mut filesystems = HashMap::new();
        let mut missing = task(TaskKind::Transfer, vec![item("/nope", "/x", false)]);
        missing.settle(110, &mut filesystems);
        assert_eq!(missing.status, "FAILED");
        assert_eq!(
            missing.fatal_error.as_ref().map(|e| e["code"].clone()),
            Some(json!("FILE_NOT_FOUND"))
        );
        let mut dir = task(TaskKind::Transfer, vec![item("/~/godata", "/x", false)]);
        dir.settle(110, &mut filesystems);
        assert_eq!(dir.status, "FAILED");
        let mut delete = task(TaskKind::Delete, vec![item("/~/godata", "", true)]);
        delete.settle(110, &mut filesystems);
        assert_eq!(delete.status, "SUCCEEDED");
        assert!(filesystems.get("src").is_some_and(|fs| fs.stat("/~/godata").is_none()));
        assert_eq!(delete.matches_filter("type", &["DELETE"]), Ok(true));
        assert!(delete.matches_filter("bogus", &[]).is_err());
    }
}
