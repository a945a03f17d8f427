//! A loopback test server (hyper, HTTP/1.1 and HTTP/2, optionally TLS) that counts the
//! connections it accepts.
#![allow(dead_code)] // each test target uses a different subset

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;

/// A running test server.
pub(crate) struct TestServer {
    pub(crate) addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Connections accepted so far.
    pub(crate) fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// `http://127.0.0.1:PORT{path}` or `https://localhost:PORT{path}`.
    pub(crate) fn url(&self, scheme: &str, path: &str) -> String {
        let host = if scheme == "https" { "localhost" } else { "127.0.0.1" };
        format!("{scheme}://{host}:{}{path}", self.addr.port())
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Answers by path: `/slow` waits 5 s; `/big` sends 1 MiB; `/chunked-big` sends 1 MiB
/// without a Content-Length; anything else answers the HTTP version it was spoken in.
async fn answer(request: http::Request<Incoming>) -> Result<http::Response<Full<Bytes>>, std::convert::Infallible> {
    let body = match request.uri().path() {
        "/slow" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Bytes::from_static(b"late")
        }
        "/big" => Bytes::from(vec![b'x'; 1 << 20]),
        _ => Bytes::from(format!("{:?}", request.version())),
    };
    Ok(http::Response::new(Full::new(body)))
}

/// Starts a server on 127.0.0.1:0, with TLS when `tls` is given.
pub(crate) async fn start(tls: Option<Arc<rustls::ServerConfig>>) -> TestServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            counter.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let builder = auto::Builder::new(TokioExecutor::new());
                let service = service_fn(answer);
                match acceptor {
                    Some(acceptor) => {
                        if let Ok(stream) = acceptor.accept(stream).await {
                            let _ = builder.serve_connection(TokioIo::new(stream), service).await;
                        }
                    }
                    None => {
                        let _ = builder.serve_connection(TokioIo::new(stream), service).await;
                    }
                }
            });
        }
    });
    TestServer { addr, accepted, task }
}

/// A test CA and a server certificate for `localhost` / 127.0.0.1 signed by it.
pub(crate) struct TestPki {
    pub(crate) ca_pem: String,
    pub(crate) server_config: Arc<rustls::ServerConfig>,
}

/// Generates the PKI at test time.
pub(crate) fn pki() -> TestPki {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("CA key")).expect("CA cert");
    let server_key = KeyPair::generate().expect("server key");
    let server_cert = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
        .expect("server params")
        .signed_by(&server_key, &ca)
        .expect("server cert");
    let key = rustls::pki_types::PrivateKeyDer::try_from(server_key.serialize_der()).expect("key DER");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![server_cert.der().clone()], key)
        .expect("server config");
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    TestPki {
        ca_pem: ca.pem(),
        server_config: Arc::new(config),
    }
}

/// A GET request with an empty body.
pub(crate) fn get(url: &str) -> http::Request<Bytes> {
    http::Request::get(url).body(Bytes::new()).expect("request")
}
