//! Helpers shared by the integration tests: a plain hyper-util HTTP/1.1 client and login steps.
#![allow(dead_code)]

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use bytes::Bytes;
use globus_testing::{FakeGlobus, TUTORIAL_CLIENT_ID};
use http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The scopes of the tutorial login plus Groups.
pub(crate) const TUTORIAL_SCOPES: &str = "openid profile email urn:globus:auth:scope:transfer.api.globus.org:all \
                                   urn:globus:auth:scope:groups.api.globus.org:all";

/// A response, fully read.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Reply {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// How a request authenticates.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Auth<'a> {
    None,
    Bearer(&'a str),
    Basic(&'a str, &'a str),
}

/// A plain HTTP/1.1 client.
#[derive(Clone)]
pub(crate) struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
}

impl Http {
    pub(crate) fn new() -> Self {
        Self {
            client: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    /// Sends a request; `Err` is a transport error (e.g. a dropped connection).
    pub(crate) async fn try_send(
        &self,
        method: Method,
        url: &str,
        auth: Auth<'_>,
        body: Option<(&str, Vec<u8>)>,
    ) -> Result<Reply, hyper_util::client::legacy::Error> {
        let mut builder = Request::builder().method(method).uri(url);
        match auth {
            Auth::None => {}
            Auth::Bearer(token) => builder = builder.header("authorization", format!("Bearer {token}")),
            Auth::Basic(id, secret) => {
                builder = builder.header(
                    "authorization",
                    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}"))),
                )
            }
        }
        let payload = match body {
            Some((content_type, bytes)) => {
                builder = builder.header("content-type", content_type);
                Bytes::from(bytes)
            }
            None => Bytes::new(),
        };
        let request = builder.body(Full::new(payload)).expect("valid request");
        let response = self.client.request(request).await?;
        let (parts, body) = response.into_parts();
        let body = body.collect().await.expect("read body").to_bytes();
        Ok(Reply {
            status: parts.status,
            headers: parts.headers,
            body,
        })
    }

    pub(crate) async fn send(&self, method: Method, url: &str, auth: Auth<'_>, body: Option<(&str, Vec<u8>)>) -> Reply {
        self.try_send(method, url, auth, body)
            .await
            .unwrap_or_else(|e| panic!("transport error for {url}: {e:?}"))
    }

    pub(crate) async fn get(&self, url: &str, auth: Auth<'_>) -> Reply {
        self.send(Method::GET, url, auth, None).await
    }

    pub(crate) async fn post_form(&self, url: &str, auth: Auth<'_>, pairs: &[(&str, &str)]) -> Reply {
        let body = form_encode(pairs).into_bytes();
        self.send(
            Method::POST,
            url,
            auth,
            Some(("application/x-www-form-urlencoded", body)),
        )
        .await
    }

    pub(crate) async fn send_json(&self, method: Method, url: &str, auth: Auth<'_>, body: &Value) -> Reply {
        self.send(
            method,
            url,
            auth,
            Some(("application/json", body.to_string().into_bytes())),
        )
        .await
    }

    pub(crate) async fn post_json(&self, url: &str, auth: Auth<'_>, body: &Value) -> Reply {
        self.send_json(Method::POST, url, auth, body).await
    }
}

/// `quote_plus`-style form encoding.
pub(crate) fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

pub(crate) fn form_encode(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Decodes one query component.
fn decode(value: &str) -> String {
    let bytes = value.replace('+', " ").into_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(byte) = u8::from_str_radix(hex, 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A query parameter of a URL.
pub(crate) fn query_param(url: &str, key: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (decode(k) == key).then(|| decode(v))
    })
}

/// A PKCE pair (verifier, S256 challenge).
pub(crate) fn pkce(seed: &str) -> (String, String) {
    let verifier = URL_SAFE_NO_PAD.encode(Sha256::digest(seed.as_bytes()));
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// The authorize URL a native app builds (Python's parameter order).
pub(crate) fn authorize_url(
    fake: &FakeGlobus,
    redirect_uri: &str,
    scopes: &str,
    challenge: &str,
    offline: bool,
) -> String {
    let access_type = if offline { "offline" } else { "online" };
    let query = form_encode(&[
        ("client_id", TUTORIAL_CLIENT_ID),
        ("redirect_uri", redirect_uri),
        ("scope", scopes),
        ("state", "_default"),
        ("response_type", "code"),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
        ("access_type", access_type),
    ]);
    format!("{}v2/oauth2/authorize?{query}", fake.auth_url())
}

/// Runs authorize and returns the code from the 302's Location.
pub(crate) async fn authorize(http: &Http, fake: &FakeGlobus, scopes: &str, challenge: &str, offline: bool) -> String {
    let reply = http
        .get(
            &authorize_url(fake, &fake.default_redirect_uri(), scopes, challenge, offline),
            Auth::None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::FOUND, "{}", reply.text());
    let location = reply.header("location").expect("Location").to_owned();
    query_param(&location, "code").expect("code in Location")
}

/// Exchanges a code as a native client.
pub(crate) async fn exchange(http: &Http, fake: &FakeGlobus, code: &str, verifier: &str) -> Reply {
    let token_url = format!("{}v2/oauth2/token", fake.auth_url());
    let redirect = fake.default_redirect_uri();
    let form = [
        ("client_id", TUTORIAL_CLIENT_ID),
        ("grant_type", "authorization_code"),
        ("code", code),
        ("code_verifier", verifier),
        ("redirect_uri", redirect.as_str()),
    ];
    http.post_form(&token_url, Auth::None, &form).await
}

/// A whole native login; returns the token response.
pub(crate) async fn login(http: &Http, fake: &FakeGlobus, scopes: &str, offline: bool) -> Value {
    let (verifier, challenge) = pkce(scopes);
    let code = authorize(http, fake, scopes, &challenge, offline).await;
    let reply = exchange(http, fake, &code, &verifier).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()
}

/// The token for `resource_server` in a token response (top level or `other_tokens`).
pub(crate) fn token_for<'a>(response: &'a Value, resource_server: &str) -> &'a Value {
    std::iter::once(response)
        .chain(response["other_tokens"].as_array().into_iter().flatten())
        .find(|t| t["resource_server"] == resource_server)
        .unwrap_or_else(|| panic!("no {resource_server} token in {response}"))
}

/// The access token for `resource_server`.
pub(crate) fn access_token(response: &Value, resource_server: &str) -> String {
    token_for(response, resource_server)["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

/// A frozen-clock fake.
pub(crate) async fn fake() -> FakeGlobus {
    FakeGlobus::builder().frozen_clock().start().await.expect("fake starts")
}
