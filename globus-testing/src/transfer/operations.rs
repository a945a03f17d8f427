//! `operation/endpoint/{id}/mkdir` and `rename`.

use http::StatusCode;
use serde_json::{Value, json};

use crate::http::{Req, Resp, transfer_error};
use crate::transfer::fs::{Fs, FsError, normalize};

fn body_path(req: &Req, data_type: &str, keys: &[&str]) -> Result<Vec<String>, Resp> {
    let bad = |message: &str| transfer_error(StatusCode::BAD_REQUEST, "ClientError.BadRequest", message, req);
    let doc = match req.json() {
        Ok(Value::Object(doc)) => doc,
        Ok(_) => return Err(bad("the body must be a JSON object")),
        Err(message) => return Err(bad(&message)),
    };
    if doc.get("DATA_TYPE").is_some_and(|t| t.as_str() != Some(data_type)) {
        return Err(bad(&format!("DATA_TYPE must be '{data_type}'")));
    }
    keys.iter()
        .map(
            |key| match doc.get(*key).and_then(Value::as_str).filter(|p| !p.is_empty()) {
                Some(path) => Ok(normalize(path)),
                None => Err(bad(&format!("{key} is required"))),
            },
        )
        .collect()
}

fn failure(req: &Req, operation: &str, error: FsError, path: &str) -> Resp {
    let (reason, message) = match error {
        FsError::Exists => ("Exists", format!("Path already exists: '{path}'")),
        FsError::NotFound => ("NotFound", format!("No such file or directory: '{path}'")),
        FsError::ParentMissing => ("NotFound", format!("Parent directory does not exist: '{path}'")),
        FsError::Invalid => ("Invalid", format!("Invalid path: '{path}'")),
    };
    transfer_error(
        StatusCode::BAD_GATEWAY,
        &format!("ExternalError.{operation}Failed.{reason}"),
        &message,
        req,
    )
}

/// Creates a directory.
pub(crate) fn mkdir(fs: &mut Fs, req: &Req, now: u64) -> Resp {
    let paths = match body_path(req, "mkdir", &["path"]) {
        Ok(paths) => paths,
        Err(response) => return response,
    };
    match fs.mkdir(&paths[0], now) {
        Ok(()) => Resp::ok(&json!({
            "DATA_TYPE": "mkdir_result",
            "code": "DirectoryCreated",
            "message": "The directory was created successfully",
            "request_id": req.request_id,
            "resource": req.path,
        })),
        Err(error) => failure(req, "Mkdir", error, &paths[0]),
    }
}

/// Renames a file or directory.
pub(crate) fn rename(fs: &mut Fs, req: &Req) -> Resp {
    let paths = match body_path(req, "rename", &["old_path", "new_path"]) {
        Ok(paths) => paths,
        Err(response) => return response,
    };
    match fs.rename(&paths[0], &paths[1]) {
        Ok(()) => Resp::ok(&json!({
            "DATA_TYPE": "result",
            "code": "FileRenamed",
            "message": "File or directory renamed successfully",
            "request_id": req.request_id,
            "resource": req.path,
        })),
        Err(error @ FsError::Exists) => failure(req, "Rename", error, &paths[1]),
        Err(error) => failure(req, "Rename", error, &paths[0]),
    }
}
