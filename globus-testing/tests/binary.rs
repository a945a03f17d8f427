//! The `fake-globus` binary prints its base URLs and serves.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::{Auth, Http};
use http::StatusCode;

/// Kills the child even if an assertion fails.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn prints_service_urls_and_serves() {
    let child = Command::new(env!("CARGO_BIN_EXE_fake-globus"))
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn fake-globus");
    let mut running = Running(child);
    let stdout = running.0.stdout.take().expect("stdout");
    let lines: Vec<String> = BufReader::new(stdout)
        .lines()
        .take(8)
        .map(|line| line.expect("line"))
        .collect();
    let services = [
        "AUTH", "GROUPS", "TRANSFER", "SEARCH", "TIMER", "FLOWS", "COMPUTE", "GCS",
    ];
    assert_eq!(lines.len(), services.len(), "{lines:?}");
    let mut port = None;
    for (line, service) in lines.iter().zip(services) {
        let (name, url) = line.split_once('=').expect("NAME=URL");
        assert_eq!(name, format!("GLOBUS_SDK_SERVICE_URL_{service}"));
        let rest = url.strip_prefix("http://127.0.0.1:").expect("loopback URL");
        let (this_port, path) = rest.split_once('/').expect("path");
        assert_eq!(path, format!("{}/", service.to_ascii_lowercase()));
        assert!(port.is_none_or(|p| p == this_port));
        port = Some(this_port);
    }
    let port = port.expect("port");
    let count = Http::new()
        .get(&format!("http://127.0.0.1:{port}/_count"), Auth::None)
        .await;
    assert_eq!(count.status, StatusCode::OK);
    assert_eq!(count.json()["requests"], 0);
}

#[test]
fn rejects_bad_arguments() {
    let output = Command::new(env!("CARGO_BIN_EXE_fake-globus"))
        .args(["--port", "nope"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid port"));
}
