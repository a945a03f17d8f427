//! Client authentication at the Auth token endpoints: HTTP Basic for confidential clients,
//! `client_id` in the form body for native ones.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::StatusCode;
use http::header::{HeaderValue, WWW_AUTHENTICATE};

use crate::http::{Form, Req, Resp, oauth_error};
use crate::registry::{Client, Registry};

/// What an `Authorization: Basic` header held.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Basic {
    /// No Basic header.
    Absent,
    /// A Basic header that is not `base64(id:secret)`.
    Malformed,
    /// The decoded client id and secret.
    Credentials(String, String),
}

/// Reads `Authorization: Basic base64(id:secret)`.
pub(crate) fn basic_credentials(req: &Req) -> Basic {
    let Some(value) = req.header("authorization") else {
        return Basic::Absent;
    };
    let Some((scheme, encoded)) = value.trim().split_once(' ') else {
        return Basic::Absent;
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Basic::Absent;
    }
    let decoded = STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    match decoded.as_deref().and_then(|text| text.split_once(':')) {
        Some((id, secret)) => Basic::Credentials(id.to_owned(), secret.to_owned()),
        None => Basic::Malformed,
    }
}

/// The 401 `invalid_client` answer.
pub(crate) fn invalid_client(description: &str) -> Resp {
    oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", description).with_header(
        WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"auth.globus.org\""),
    )
}

/// A confidential client whose Basic credentials are valid, if the request carries them.
pub(crate) fn basic_client(registry: &Registry, req: &Req) -> Option<Client> {
    match basic_credentials(req) {
        Basic::Credentials(id, secret) => registry
            .client(&id)
            .filter(|client| client.secret() == Some(secret.as_str()))
            .cloned(),
        _ => None,
    }
}

/// Authenticates the client of a token-endpoint request.
///
/// Confidential clients use Basic (or, as a courtesy, `client_id` + `client_secret` in the
/// body); native clients send `client_id` in the body and nothing else.
pub(crate) fn authenticate_client(registry: &Registry, req: &Req, form: &Form) -> Result<Client, Resp> {
    match basic_credentials(req) {
        Basic::Credentials(id, secret) => {
            let client = registry
                .client(&id)
                .filter(|client| client.secret() == Some(secret.as_str()))
                .ok_or_else(|| invalid_client("client authentication failed"))?;
            if form.non_empty("client_id").is_some_and(|body_id| body_id != id) {
                return Err(invalid_client("client_id does not match the authenticated client"));
            }
            Ok(client.clone())
        }
        Basic::Malformed => Err(invalid_client("malformed HTTP Basic credentials")),
        Basic::Absent => {
            if req.header("authorization").is_some() {
                return Err(invalid_client("unsupported client authentication scheme"));
            }
            let id = form
                .non_empty("client_id")
                .ok_or_else(|| invalid_client("client authentication is required"))?;
            let client = registry.client(id).ok_or_else(|| invalid_client("unknown client"))?;
            match (client.secret(), form.get("client_secret")) {
                (None, _) => Ok(client.clone()),
                (Some(expected), Some(given)) if expected == given => Ok(client.clone()),
                (Some(_), _) => Err(invalid_client("confidential clients must authenticate")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::test_req;
    use crate::registry::TUTORIAL_CLIENT_ID;
    use http::Method;

    fn with_auth(value: &str) -> Req {
        let mut req = test_req(Method::POST, "/v2/oauth2/token", "", "");
        req.headers.insert(
            "authorization",
            HeaderValue::from_str(value).unwrap_or(HeaderValue::from_static("x")),
        );
        req
    }

    #[test]
    fn basic_and_native() {
        let mut registry = Registry::new();
        registry.add_client(Client::confidential("cc", "pw:with:colons"));
        let good = with_auth(&format!("Basic {}", STANDARD.encode("cc:pw:with:colons")));
        assert_eq!(
            basic_credentials(&good),
            Basic::Credentials("cc".into(), "pw:with:colons".into())
        );
        assert!(authenticate_client(&registry, &good, &Form::default()).is_ok());
        let bad = with_auth(&format!("Basic {}", STANDARD.encode("cc:nope")));
        assert_eq!(
            authenticate_client(&registry, &bad, &Form::default())
                .err()
                .map(|r| r.status),
            Some(StatusCode::UNAUTHORIZED)
        );
        assert_eq!(basic_credentials(&with_auth("Basic !!!")), Basic::Malformed);

        let plain = test_req(Method::POST, "/v2/oauth2/token", "", "");
        let native = Form(vec![("client_id".into(), TUTORIAL_CLIENT_ID.into())]);
        assert!(authenticate_client(&registry, &plain, &native).is_ok());
        let confidential_without_secret = Form(vec![("client_id".into(), "cc".into())]);
        assert!(authenticate_client(&registry, &plain, &confidential_without_secret).is_err());
        assert!(authenticate_client(&registry, &plain, &Form::default()).is_err());
    }
}
