//! A fake on its own thread, driven by blocking code with a raw HTTP/1.1 exchange.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use globus_testing::FakeGlobus;

fn raw_get(port: u16, path: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

#[test]
fn blocking_clients_use_a_background_fake() {
    let fake = FakeGlobus::start_background().expect("start");
    let port = fake.port();
    let response = raw_get(port, "/_count").expect("answer");
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert!(response.contains("\"token_posts\":0"), "{response}");
    let missing = raw_get(port, "/transfer/v0.10/task_list").expect("answer");
    assert!(missing.starts_with("HTTP/1.1 401 "), "{missing}");
    assert_eq!(fake.counters().unauthenticated, 1);
    fake.shutdown_blocking();
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
}
