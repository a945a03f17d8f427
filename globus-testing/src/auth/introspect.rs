//! `POST /v2/oauth2/token/introspect` and `POST /v2/oauth2/token/revoke`.

use http::StatusCode;
use serde_json::{Value, json};

use crate::auth::client_auth::{authenticate_client, invalid_client};
use crate::auth::jwt::ISSUER;
use crate::http::{Req, Resp, oauth_error};
use crate::state::{Shared, World};

/// Revokes an access or refresh token owned by the authenticated client. Always answers
/// `{"active": false}` once the client is authenticated (RFC 7009).
pub(crate) fn revoke(world: &mut World, req: &Req) -> Resp {
    let form = req.form();
    let client = match authenticate_client(&world.registry, req, &form) {
        Ok(client) => client,
        Err(response) => return response,
    };
    let Some(token) = form.non_empty("token") else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "token is required");
    };
    world.tokens.revoke_owned(token, client.id());
    Resp::ok(&json!({"active": false}))
}

/// Describes an access token to a confidential client.
pub(crate) fn introspect(shared: &Shared, world: &World, req: &Req) -> Resp {
    let form = req.form();
    match authenticate_client(&world.registry, req, &form) {
        Ok(client) if client.is_confidential() => {}
        Ok(_) => return invalid_client("only confidential clients may introspect tokens"),
        Err(response) => return response,
    }
    let Some(token) = form.non_empty("token") else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "token is required");
    };
    let Ok(grant) = world.tokens.check_access(token, shared.now()) else {
        return Resp::ok(&json!({"active": false}));
    };
    let Some(user) = world.registry.identity(&grant.user_id) else {
        return Resp::ok(&json!({"active": false}));
    };
    let mut doc = json!({
        "active": true,
        "token_type": "Bearer",
        "scope": grant.scopes.join(" "),
        "client_id": grant.client_id,
        "sub": user.id,
        "username": user.username,
        "name": user.name,
        "email": user.email,
        "exp": grant.expires_at,
        "iat": grant.issued_at,
        "nbf": grant.issued_at,
        "aud": [grant.resource_server, grant.client_id],
        "iss": ISSUER,
    });
    let include = [form.get("include"), req.query_param("include")];
    let wants_identity_set = include
        .iter()
        .flatten()
        .any(|value| value.split(',').any(|item| item.trim() == "identity_set"));
    if let (true, Some(doc)) = (wants_identity_set, doc.as_object_mut()) {
        doc.insert("identity_set".into(), Value::Array(vec![json!(user.id)]));
    }
    Resp::ok(&doc)
}
