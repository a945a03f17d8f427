//! `POST /v2/oauth2/token`: authorization code (PKCE), refresh (with rotation), client
//! credentials and dependent-token grants.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::auth::client_auth::authenticate_client;
use crate::auth::jwt::id_token;
use crate::auth::scopes::{AUTH_RS, group_by_resource_server, split_scopes};
use crate::auth::store::Grantee;
use crate::http::{Form, Req, Resp, oauth_error};
use crate::registry::{Client, User};
use crate::state::{Shared, World};

/// The dependent-token grant type.
const DEPENDENT_TOKEN: &str = "urn:globus:auth:grant_type:dependent_token";

fn bad(error: &str, description: &str) -> Resp {
    oauth_error(StatusCode::BAD_REQUEST, error, description)
}

/// `base64url(sha256(verifier))` without padding (RFC 7636 S256).
pub(crate) fn s256_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Handles one token request.
pub(crate) fn token(shared: &Shared, world: &mut World, req: &Req) -> Resp {
    let form = req.form();
    let Some(grant_type) = form.non_empty("grant_type").map(str::to_owned) else {
        return bad("invalid_request", "grant_type is required");
    };
    let client = match authenticate_client(&world.registry, req, &form) {
        Ok(client) => client,
        Err(response) => return response,
    };
    let result = match grant_type.as_str() {
        "authorization_code" => code_grant(shared, world, &client, &form),
        "refresh_token" => refresh_grant(shared, world, &client, &form),
        "client_credentials" => client_credentials_grant(shared, world, &client, &form),
        DEPENDENT_TOKEN => dependent_grant(shared, world, &client, &form),
        other => Err(bad(
            "unsupported_grant_type",
            &format!("unsupported grant_type: {other}"),
        )),
    };
    match result {
        Ok(body) => Resp::ok(&body),
        Err(response) => response,
    }
}

/// What a token response is for.
struct Issue<'a> {
    client: &'a Client,
    user: &'a User,
    by_resource_server: Vec<(String, Vec<String>)>,
    offline: bool,
    state: Option<String>,
}

/// Issues tokens and shapes the response: the first token at the top level, the rest in
/// `other_tokens` (always present), `id_token` when `openid` was granted, `state` if given.
fn respond(shared: &Shared, world: &mut World, issue: Issue<'_>) -> Value {
    let now = shared.now();
    let lifetime = shared.config.token_lifetime;
    let grantee = Grantee {
        client_id: issue.client.id(),
        user_id: &issue.user.id,
        offline: issue.offline,
    };
    let mut docs = world
        .tokens
        .issue(&shared.ids, now, lifetime, grantee, &issue.by_resource_server)
        .into_iter();
    let mut top = docs.next().unwrap_or_default();
    let openid = issue
        .by_resource_server
        .iter()
        .any(|(rs, scopes)| rs == AUTH_RS && scopes.iter().any(|s| s == "openid"));
    if openid {
        top.insert(
            "id_token".into(),
            json!(id_token(issue.user, issue.client.id(), now, lifetime)),
        );
    }
    if let Some(state) = issue.state {
        top.insert("state".into(), json!(state));
    }
    top.insert("other_tokens".into(), Value::Array(docs.map(Value::Object).collect()));
    Value::Object(top)
}

/// Issues tokens (with refresh tokens) for the user the simulated consent logs in, as a
/// completed login of `client_id` would, without the authorize round trip.
pub(crate) fn issue_for_current_user(
    shared: &Shared,
    world: &mut World,
    client_id: &str,
    scope: &str,
) -> Result<Value, String> {
    let client = world
        .registry
        .client(client_id)
        .cloned()
        .ok_or_else(|| format!("unknown client: {client_id}"))?;
    let user = world.registry.current_user().cloned().ok_or("no current user")?;
    let by_resource_server = split_scopes(scope).and_then(|scopes| group_by_resource_server(&scopes))?;
    Ok(respond(
        shared,
        world,
        Issue {
            client: &client,
            user: &user,
            by_resource_server,
            offline: true,
            state: None,
        },
    ))
}

fn scopes_by_resource_server(scope: &str) -> Result<Vec<(String, Vec<String>)>, Resp> {
    split_scopes(scope)
        .and_then(|scopes| group_by_resource_server(&scopes))
        .map_err(|message| bad("invalid_scope", &message))
}

fn code_grant(shared: &Shared, world: &mut World, client: &Client, form: &Form) -> Result<Value, Resp> {
    let code = form
        .non_empty("code")
        .ok_or_else(|| bad("invalid_request", "code is required"))?;
    let pending = world
        .tokens
        .take_code(code)
        .ok_or_else(|| bad("invalid_grant", "the authorization code is invalid or was already used"))?;
    if pending.client_id != client.id() {
        return Err(bad(
            "invalid_grant",
            "the authorization code was issued to another client",
        ));
    }
    if shared.now() >= pending.expires_at {
        return Err(bad("invalid_grant", "the authorization code has expired"));
    }
    if form.get("redirect_uri") != Some(pending.redirect_uri.as_str()) {
        return Err(bad(
            "invalid_grant",
            "redirect_uri does not match the one used to authorize",
        ));
    }
    match (&pending.code_challenge, form.non_empty("code_verifier")) {
        (Some(_), None) => return Err(bad("invalid_grant", "code_verifier is required")),
        (Some(challenge), Some(verifier)) if s256_challenge(verifier) != *challenge => {
            return Err(bad("invalid_grant", "PKCE verification failed"));
        }
        (None, _) if !client.is_confidential() => return Err(bad("invalid_grant", "PKCE is required")),
        _ => {}
    }
    let user = world
        .registry
        .identity(&pending.user_id)
        .ok_or_else(|| bad("invalid_grant", "the identity that consented no longer exists"))?;
    let by_resource_server =
        group_by_resource_server(&pending.scopes).map_err(|message| bad("invalid_scope", &message))?;
    let issue = Issue {
        client,
        user: &user,
        by_resource_server,
        offline: pending.offline,
        state: pending.state,
    };
    Ok(respond(shared, world, issue))
}

fn refresh_grant(shared: &Shared, world: &mut World, client: &Client, form: &Form) -> Result<Value, Resp> {
    let token = form
        .non_empty("refresh_token")
        .ok_or_else(|| bad("invalid_request", "refresh_token is required"))?;
    let grant = world
        .tokens
        .live_refresh(token)
        .filter(|grant| grant.client_id == client.id())
        .cloned()
        .ok_or_else(|| bad("invalid_grant", "the refresh token is invalid, revoked or already used"))?;
    let user = world
        .registry
        .identity(&grant.user_id)
        .ok_or_else(|| bad("invalid_grant", "the refresh token's identity no longer exists"))?;
    world.tokens.revoke_refresh(token);
    let by_resource_server = vec![(grant.resource_server, grant.scopes)];
    Ok(respond(
        shared,
        world,
        Issue {
            client,
            user: &user,
            by_resource_server,
            offline: true,
            state: None,
        },
    ))
}

fn client_credentials_grant(shared: &Shared, world: &mut World, client: &Client, form: &Form) -> Result<Value, Resp> {
    if !client.is_confidential() {
        return Err(bad(
            "unauthorized_client",
            "only confidential clients may use client_credentials",
        ));
    }
    let scope = form
        .non_empty("scope")
        .ok_or_else(|| bad("invalid_scope", "scope is required"))?;
    let by_resource_server = scopes_by_resource_server(scope)?;
    let user = client.identity();
    Ok(respond(
        shared,
        world,
        Issue {
            client,
            user: &user,
            by_resource_server,
            offline: false,
            state: None,
        },
    ))
}

fn dependent_grant(shared: &Shared, world: &mut World, client: &Client, form: &Form) -> Result<Value, Resp> {
    if !client.is_confidential() {
        return Err(bad(
            "unauthorized_client",
            "only confidential clients may get dependent tokens",
        ));
    }
    let token = form
        .non_empty("token")
        .ok_or_else(|| bad("invalid_request", "token is required"))?;
    let user_id = world
        .tokens
        .check_access(token, shared.now())
        .map(|grant| grant.user_id.clone())
        .map_err(|problem| bad("invalid_grant", problem.message()))?;
    let by_resource_server = match form.non_empty("scope") {
        Some(scope) => scopes_by_resource_server(scope)?,
        None if client.dependent_scopes().is_empty() => Vec::new(),
        None => {
            group_by_resource_server(client.dependent_scopes()).map_err(|message| bad("invalid_scope", &message))?
        }
    };
    let grantee = Grantee {
        client_id: client.id(),
        user_id: &user_id,
        offline: form.get("access_type") == Some("offline"),
    };
    let docs = world.tokens.issue(
        &shared.ids,
        shared.now(),
        shared.config.token_lifetime,
        grantee,
        &by_resource_server,
    );
    Ok(Value::Array(docs.into_iter().map(Value::Object).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_vectors() {
        assert_eq!(
            s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(
            s256_challenge(&"a".repeat(43)),
            "ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA"
        );
    }
}
