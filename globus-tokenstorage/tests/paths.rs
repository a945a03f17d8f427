//! The GlobusApp token paths against the Python SDK's own slugging, name by name.

use std::ffi::OsString;
use std::path::PathBuf;

use globus_tokenstorage::{Error, Platform, TokenFileFormat, globus_app_token_path, slugify_app_name};
use serde_json::Value;

const VECTORS: &str = include_str!("data/slug-vectors.json");

#[test]
fn slugs_match_python() {
    let vectors: Value = serde_json::from_str(VECTORS).unwrap();
    let vectors = vectors["vectors"].as_array().unwrap();
    assert!(vectors.len() > 40);
    for vector in vectors {
        let name = vector["name"].as_str().unwrap();
        let ours = slugify_app_name(name);
        match (
            vector.get("slug").and_then(Value::as_str),
            vector.get("error").and_then(Value::as_str),
        ) {
            (Some(slug), None) => assert_eq!(ours.unwrap(), slug, "{name:?}"),
            (None, Some(kind)) => {
                let error = ours.unwrap_err();
                assert!(
                    matches!(&error, Error::InvalidAppName { reason, .. } if reason.contains(kind)),
                    "{name:?}: {error:?}"
                );
            }
            _ => panic!("bad vector {vector}"),
        }
    }
}

#[test]
fn default_paths_match_python() {
    // Python, with HOME=/home/ada: _default_globus_app_filepath("cid", "My App", env) + "." + file_format
    let home = |name: &str| (name == "HOME").then(|| OsString::from("/home/ada"));
    let path = |environment, format| {
        globus_app_token_path("cid", "My App", environment, format, Platform::Unix, home).unwrap()
    };
    assert_eq!(
        path("production", TokenFileFormat::Json),
        PathBuf::from("/home/ada/.globus/app/cid/my-app/tokens.json")
    );
    assert_eq!(
        path("sandbox", TokenFileFormat::Sqlite),
        PathBuf::from("/home/ada/.globus/app/cid/my-app/sandbox-tokens.db")
    );
}
