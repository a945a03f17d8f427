//! `GET /v2/oauth2/authorize` (simulated consent) and the `GET /v2/web/auth-code` page.

use http::StatusCode;

use crate::auth::scopes::{group_by_resource_server, split_scopes};
use crate::auth::store::PendingCode;
use crate::encoding::{encode_component, escape_html};
use crate::http::{Req, Resp, oauth_error};
use crate::state::{Shared, World};

/// The default native-app redirect URI's path, relative to the Auth base URL.
pub(crate) const AUTH_CODE_PAGE: &str = "v2/web/auth-code";

/// Appends `pairs` to `uri`'s query (with `?` or `&`).
fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = uri.to_owned();
    for (key, value) in pairs {
        out.push(if out.contains('?') { '&' } else { '?' });
        out.push_str(key);
        out.push('=');
        out.push_str(&encode_component(value));
    }
    out
}

fn redirect_error(redirect_uri: &str, error: &str, description: &str, state: Option<&str>) -> Resp {
    let mut pairs = vec![("error", error), ("error_description", description)];
    if let Some(state) = state {
        pairs.push(("state", state));
    }
    Resp::redirect(&with_query(redirect_uri, &pairs))
}

fn valid_challenge(challenge: &str) -> bool {
    (43..=128).contains(&challenge.len())
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
}

/// Simulates a login and consent: answers 302 to the redirect URI with `code` and `state`.
pub(crate) fn authorize(shared: &Shared, world: &mut World, req: &Req) -> Resp {
    let Some(client_id) = req.query_param("client_id").filter(|id| !id.is_empty()) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "client_id is required");
    };
    let Some(client) = world.registry.client(client_id).cloned() else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_client", "unknown client_id");
    };
    let default_redirect = format!("{}{AUTH_CODE_PAGE}", shared.base_url("auth"));
    let redirect_uri = req
        .query_param("redirect_uri")
        .filter(|uri| !uri.is_empty())
        .unwrap_or(&default_redirect);
    if !client.allows_redirect(redirect_uri) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "redirect_uri is not registered for this client",
        );
    }
    let state = req.query_param("state");
    let fail = |error: &str, description: &str| redirect_error(redirect_uri, error, description, state);

    if req.query_param("response_type") != Some("code") {
        return fail("unsupported_response_type", "response_type must be 'code'");
    }
    let scopes = match split_scopes(req.query_param("scope").unwrap_or_default()) {
        Ok(scopes) => scopes,
        Err(message) => return fail("invalid_scope", &message),
    };
    if let Err(message) = group_by_resource_server(&scopes) {
        return fail("invalid_scope", &message);
    }
    let code_challenge = req.query_param("code_challenge").filter(|c| !c.is_empty());
    match (code_challenge, req.query_param("code_challenge_method")) {
        (None, _) if !client.is_confidential() => {
            return fail("invalid_request", "native clients must use PKCE (code_challenge)");
        }
        (Some(challenge), _) if !valid_challenge(challenge) => {
            return fail(
                "invalid_request",
                "code_challenge must be 43-128 characters of [A-Za-z0-9-._~]",
            );
        }
        (Some(_), method) if method != Some("S256") => {
            return fail("invalid_request", "code_challenge_method must be S256");
        }
        _ => {}
    }
    let requested_user = req
        .query_param("session_required_identities")
        .and_then(|ids| ids.split(',').find_map(|id| world.registry.user(id.trim())))
        .or_else(|| world.registry.current_user());
    let Some(user) = requested_user else {
        return fail("server_error", "no user is available to log in");
    };
    let code = shared.ids.secret();
    let pending = PendingCode {
        client_id: client.id().to_owned(),
        redirect_uri: redirect_uri.to_owned(),
        scopes,
        code_challenge: code_challenge.map(str::to_owned),
        user_id: user.id.clone(),
        offline: req.query_param("access_type") == Some("offline"),
        state: state.map(str::to_owned),
        expires_at: shared.now().saturating_add(shared.config.code_lifetime),
    };
    world.tokens.add_code(code.clone(), pending);
    let mut pairs = vec![("code", code.as_str())];
    if let Some(state) = state {
        pairs.push(("state", state));
    }
    Resp::redirect(&with_query(redirect_uri, &pairs))
}

/// The page a native app's user lands on: it shows the code to copy.
pub(crate) fn auth_code_page(req: &Req) -> Resp {
    if let Some(code) = req.query_param("code") {
        let code = escape_html(code);
        return Resp::html(
            StatusCode::OK,
            format!(
                "<!DOCTYPE html>\n<html><head><title>Native App Authorization Code</title></head><body>\n\
                 <h1>Native App Authorization Code</h1>\n\
                 <p>Please copy this code into your application:</p>\n\
                 <pre id=\"auth-code\">{code}</pre>\n</body></html>\n"
            ),
        );
    }
    let error = escape_html(req.query_param("error").unwrap_or("missing code"));
    let description = escape_html(req.query_param("error_description").unwrap_or(""));
    Resp::html(
        StatusCode::BAD_REQUEST,
        format!(
            "<!DOCTYPE html>\n<html><head><title>Login failed</title></head><body>\n\
             <h1>Login failed</h1>\n<p id=\"error\">{error}</p>\n<p>{description}</p>\n</body></html>\n"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_appending() {
        assert_eq!(
            with_query("http://h/cb", &[("code", "abc"), ("state", "a b&c")]),
            "http://h/cb?code=abc&state=a+b%26c"
        );
        assert_eq!(
            with_query("http://h/cb?x=1", &[("code", "abc")]),
            "http://h/cb?x=1&code=abc"
        );
    }

    #[test]
    fn challenge_shape() {
        assert!(valid_challenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        assert!(!valid_challenge("short"));
        assert!(!valid_challenge(&"a".repeat(42)));
        assert!(!valid_challenge(&format!("{}+", "a".repeat(43))));
    }
}
