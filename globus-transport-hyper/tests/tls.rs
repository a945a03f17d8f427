//! The hyper executor against a TLS loopback server with a CA generated at test time.

mod support;

use globus_transport::{HttpExecutor, RequestSent, TransportErrorKind};
use globus_transport_hyper::{HyperExecutor, TlsVerification};
use support::{get, pki, start};

#[tokio::test]
async fn custom_ca_verifies_and_http2_is_negotiated() {
    let pki = pki();
    let server = start(Some(pki.server_config.clone())).await;
    let executor = HyperExecutor::builder()
        .tls(TlsVerification::CustomCa(pki.ca_pem.clone().into_bytes()))
        .build()
        .unwrap();
    for _ in 0..10 {
        let response = executor.execute(get(&server.url("https", "/ok"))).await.unwrap();
        assert_eq!(response.version(), http::Version::HTTP_2);
        assert_eq!(response.body().as_ref(), b"HTTP/2.0");
    }
    assert_eq!(server.accepted(), 1);
}

#[tokio::test]
async fn unknown_ca_is_a_tls_error_before_sending() {
    let pki = pki();
    let server = start(Some(pki.server_config.clone())).await;
    let executor = HyperExecutor::builder().build().unwrap(); // Mozilla roots only
    let error = executor.execute(get(&server.url("https", "/ok"))).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Tls);
    assert_eq!(error.request_sent(), RequestSent::No);
}

#[tokio::test]
async fn disabled_verification_accepts_the_server() {
    let pki = pki();
    let server = start(Some(pki.server_config.clone())).await;
    let executor = HyperExecutor::builder().tls(TlsVerification::Disabled).build().unwrap();
    let response = executor.execute(get(&server.url("https", "/ok"))).await.unwrap();
    assert_eq!(response.status(), 200);
}

#[test]
fn an_empty_ca_bundle_is_a_build_error() {
    let result = HyperExecutor::builder()
        .tls(TlsVerification::CustomCa(b"not a certificate".to_vec()))
        .build();
    assert!(result.is_err());
}
