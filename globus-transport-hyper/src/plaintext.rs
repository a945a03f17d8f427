//! The plaintext rule: credentials (a bearer token, or a client's Basic secret) go over
//! `http://` only to a loopback host. DESIGN.md names bearer tokens; a client secret
//! deserves the same protection, so any `Authorization` header is covered.

use std::net::IpAddr;

use http::header::AUTHORIZATION;

/// Whether `host` (from a URI, IPv6 in brackets) is a loopback address or `localhost`.
pub(crate) fn is_loopback_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.eq_ignore_ascii_case("localhost") || bare.to_ascii_lowercase().ends_with(".localhost") {
        return true;
    }
    bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether sending `request` would put credentials on the wire in clear text to a host
/// that is not loopback.
pub(crate) fn leaks_credentials<B>(request: &http::Request<B>) -> bool {
    let plain = request
        .uri()
        .scheme_str()
        .is_some_and(|s| s.eq_ignore_ascii_case("http"));
    let credentials = request.headers().contains_key(AUTHORIZATION);
    plain && credentials && !request.uri().host().is_some_and(is_loopback_host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(uri: &str, auth: Option<&str>) -> http::Request<()> {
        let mut builder = http::Request::get(uri);
        if let Some(auth) = auth {
            builder = builder.header("authorization", auth);
        }
        builder.body(()).unwrap()
    }

    #[test]
    fn credentials_over_http_only_to_loopback() {
        assert!(leaks_credentials(&request(
            "http://transfer.api.globus.org/x",
            Some("Bearer t")
        )));
        assert!(leaks_credentials(&request("HTTP://10.0.0.1/x", Some("bearer t"))));
        assert!(!leaks_credentials(&request(
            "https://transfer.api.globus.org/x",
            Some("Bearer t")
        )));
        assert!(!leaks_credentials(&request(
            "http://127.0.0.1:8080/x",
            Some("Bearer t")
        )));
        assert!(!leaks_credentials(&request("http://[::1]:8080/x", Some("Bearer t"))));
        assert!(!leaks_credentials(&request("http://localhost/x", Some("Bearer t"))));
        assert!(!leaks_credentials(&request("http://example.org/x", None)));
        assert!(leaks_credentials(&request("http://example.org/x", Some("Basic abc"))));
    }
}
