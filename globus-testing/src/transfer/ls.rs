//! `operation/endpoint/{id}/ls` and `stat`: listing with `show_hidden`, `filter`, `orderby`,
//! `limit` and `offset`.

use std::cmp::Ordering;

use http::StatusCode;
use serde_json::{Value, json};

use crate::clock::listing_time;
use crate::glob::glob_match;
use crate::http::{Req, Resp, transfer_error};
use crate::transfer::endpoints::int_param;
use crate::transfer::fs::{Fs, Node, file_name, normalize};

/// One listed entry.
struct Entry {
    name: String,
    node: Node,
}

/// The file document Transfer lists.
pub(crate) fn file_doc(name: &str, node: &Node) -> Value {
    json!({
        "DATA_TYPE": "file",
        "name": name,
        "type": if node.is_dir { "dir" } else { "file" },
        "size": node.size,
        "last_modified": listing_time(node.mtime),
        "permissions": if node.is_dir { "0755" } else { "0644" },
        "user": "tutorial",
        "group": "tutorial",
        "link_target": null,
        "link_group": null,
        "link_last_modified": null,
        "link_size": null,
        "link_user": null,
    })
}

/// One alternative of a filter clause, e.g. `~*.txt`.
fn alternative_matches(field: &str, alternative: &str, entry: &Entry) -> Result<bool, String> {
    let (negate, glob, value) = if let Some(v) = alternative.strip_prefix("!~") {
        (true, true, v)
    } else if let Some(v) = alternative.strip_prefix('~') {
        (false, true, v)
    } else if let Some(v) = alternative.strip_prefix("!=") {
        (true, false, v)
    } else {
        (false, false, alternative.strip_prefix('=').unwrap_or(alternative))
    };
    let hit = match field {
        "name" if glob => glob_match(&value.to_lowercase(), &entry.name.to_lowercase()),
        "name" => entry.name == value,
        "type" => (if entry.node.is_dir { "dir" } else { "file" }) == value,
        other => return Err(format!("Unsupported filter field: {other}")),
    };
    Ok(hit != negate)
}

/// Whether an entry passes one `filter` value (`field:alt,alt/field:alt`).
fn passes(filter: &str, entry: &Entry) -> Result<bool, String> {
    for clause in filter.split('/').filter(|c| !c.is_empty()) {
        let (field, alternatives) = clause
            .split_once(':')
            .ok_or_else(|| format!("Invalid filter: {clause}"))?;
        let mut any = false;
        for alternative in alternatives.split(',') {
            any |= alternative_matches(field.trim(), alternative.trim(), entry)?;
        }
        if !any {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Compares entries by an `orderby` value such as `type,name DESC`.
fn compare(orderby: &[(String, bool)], a: &Entry, b: &Entry) -> Ordering {
    for (field, descending) in orderby {
        let ordering = match field.as_str() {
            "name" => a.name.cmp(&b.name),
            "type" => a.node.is_dir.cmp(&b.node.is_dir).reverse(),
            "size" => a.node.size.cmp(&b.node.size),
            _ => a.node.mtime.cmp(&b.node.mtime),
        };
        let ordering = if *descending { ordering.reverse() } else { ordering };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

fn parse_orderby(value: &str) -> Result<Vec<(String, bool)>, String> {
    value
        .split(',')
        .filter(|item| !item.trim().is_empty())
        .map(|item| {
            let mut words = item.split_whitespace();
            let field = words.next().unwrap_or_default().to_owned();
            if !["name", "type", "size", "last_modified"].contains(&field.as_str()) {
                return Err(format!("Unsupported orderby field: {field}"));
            }
            match words.next().map(str::to_ascii_uppercase).as_deref() {
                None | Some("ASC") => Ok((field, false)),
                Some("DESC") => Ok((field, true)),
                Some(other) => Err(format!("Invalid orderby direction: {other}")),
            }
        })
        .collect()
}

fn not_found(req: &Req, path: &str) -> Resp {
    transfer_error(
        StatusCode::NOT_FOUND,
        "ClientError.NotFound",
        &format!("Directory '{path}' not found"),
        req,
    )
}

/// Lists a directory.
pub(crate) fn ls(fs: &Fs, endpoint_id: &str, req: &Req) -> Resp {
    let path = normalize(req.query_param("path").filter(|p| !p.is_empty()).unwrap_or("/~/"));
    match fs.stat(&path) {
        None => return not_found(req, &path),
        Some(node) if !node.is_dir => {
            return transfer_error(
                StatusCode::BAD_GATEWAY,
                "ExternalError.DirListingFailed.NotDirectory",
                &format!("'{path}' is not a directory"),
                req,
            );
        }
        Some(_) => {}
    }
    let bad = |message: String| transfer_error(StatusCode::BAD_REQUEST, "ClientError.BadRequest", &message, req);
    let (limit, offset) = match (int_param(req, "limit", 100_000), int_param(req, "offset", 0)) {
        (Ok(limit), Ok(offset)) => (limit, offset),
        (Err(response), _) | (_, Err(response)) => return response,
    };
    let show_hidden = !matches!(req.query_param("show_hidden"), Some("0" | "false" | "False"));
    let orderby = match parse_orderby(req.query_param("orderby").unwrap_or("name")) {
        Ok(orderby) => orderby,
        Err(message) => return bad(message),
    };
    let mut entries = Vec::new();
    for (name, node) in fs.children(&path) {
        let entry = Entry { name, node };
        if !show_hidden && entry.name.starts_with('.') {
            continue;
        }
        let mut keep = true;
        for filter in req.query_all("filter") {
            match passes(filter, &entry) {
                Ok(pass) => keep &= pass,
                Err(message) => return bad(message),
            }
        }
        if keep {
            entries.push(entry);
        }
    }
    entries.sort_by(|a, b| compare(&orderby, a, b));
    let total = entries.len();
    let data: Vec<Value> = entries
        .iter()
        .skip(offset)
        .take(limit)
        .map(|e| file_doc(&e.name, &e.node))
        .collect();
    let shown = if path == "/" {
        "/".to_owned()
    } else {
        format!("{path}/")
    };
    Resp::ok(&json!({
        "DATA_TYPE": "file_list",
        "DATA": data,
        "path": shown,
        "absolute_path": shown,
        "endpoint": endpoint_id,
        "rename_supported": true,
        "symlink_supported": false,
        "length": data.len(),
        "total": total,
        "limit": limit,
        "offset": offset,
    }))
}

/// Describes one file or directory.
pub(crate) fn stat(fs: &Fs, req: &Req) -> Resp {
    let Some(raw) = req.query_param("path").filter(|p| !p.is_empty()) else {
        return transfer_error(
            StatusCode::BAD_REQUEST,
            "ClientError.BadRequest",
            "path is required",
            req,
        );
    };
    let path = normalize(raw);
    match fs.stat(&path) {
        Some(node) => Resp::ok(&file_doc(file_name(&path), node)),
        None => transfer_error(
            StatusCode::NOT_FOUND,
            "NotFound",
            &format!("Path '{path}' not found"),
            req,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::test_req;
    use http::Method;

    fn list(query: &str) -> Value {
        let response = ls(&Fs::seeded(), "ep", &test_req(Method::GET, "/ls", query, ""));
        serde_json::from_slice(&response.body).unwrap_or_default()
    }

    fn names(doc: &Value) -> Vec<String> {
        doc["DATA"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["name"].as_str().map(str::to_owned))
            .collect()
    }

    #[test]
    fn lists_with_options() {
        assert_eq!(names(&list("path=%2F~%2F")), [".hidden", "README.txt", "big", "godata"]);
        assert_eq!(
            names(&list("path=~&show_hidden=0&orderby=type%2Cname+DESC")),
            ["godata", "big", "README.txt"]
        );
        assert_eq!(names(&list("filter=type%3Afile&show_hidden=0")), ["README.txt"]);
        assert_eq!(
            names(&list("path=/~/godata&filter=name%3A~%2A1.txt%2C~%2A3.txt")),
            ["file1.txt", "file3.txt"]
        );
        assert_eq!(
            names(&list("path=/~/godata&filter=name%3A!~%2A1.txt")),
            ["file2.txt", "file3.txt"]
        );
        let big = list("path=/~/big/&limit=10&offset=990");
        assert_eq!(big["total"], json!(1000));
        assert_eq!(names(&big).first().map(String::as_str), Some("file_0990.dat"));
        assert_eq!(list("path=/nope")["code"], json!("ClientError.NotFound"));
        assert_eq!(
            list("path=/~/README.txt")["code"],
            json!("ExternalError.DirListingFailed.NotDirectory")
        );
        assert_eq!(list("filter=size%3A1")["code"], json!("ClientError.BadRequest"));
        assert_eq!(list("orderby=owner")["code"], json!("ClientError.BadRequest"));
    }
}
