//! `GET /v2/oauth2/userinfo` and `GET /v2/api/identities`.

use http::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::auth::bearer::{require_bearer, require_bearer_or_client};
use crate::auth::jwt::identity_set_entry;
use crate::auth::scopes::AUTH_RS;
use crate::http::{Req, Resp, globus_error};
use crate::registry::{Registry, User};
use crate::state::{Shared, World};

/// The OIDC userinfo document of the token's identity (needs an Auth token with `openid`).
pub(crate) fn userinfo(shared: &Shared, world: &World, req: &Req) -> Resp {
    let caller = match require_bearer(world, req, shared.now(), Some(AUTH_RS)) {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    if !caller.scopes.iter().any(|scope| scope == "openid") {
        return globus_error(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "userinfo requires the openid scope",
            req,
        );
    }
    let user = caller.user;
    Resp::ok(&json!({
        "sub": user.id,
        "preferred_username": user.username,
        "name": user.name,
        "email": user.email,
        "organization": user.organization,
        "identity_provider": user.identity_provider,
        "identity_provider_display_name": user.identity_provider_display_name,
        "identity_set": [identity_set_entry(&user)],
    }))
}

fn identity_doc(user: &User, status: &str) -> Value {
    json!({
        "id": user.id,
        "username": user.username,
        "name": user.name,
        "email": user.email,
        "status": status,
        "identity_provider": user.identity_provider,
        "organization": user.organization,
    })
}

/// A stable, made-up identity id for a username nobody registered.
fn provisioned_id(username: &str) -> String {
    let hash: String = Sha256::digest(username.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!(
        "{}-{}-4{}-8{}-{}",
        &hash[..8],
        &hash[8..12],
        &hash[13..16],
        &hash[17..20],
        &hash[20..32]
    )
}

fn by_username(registry: &Registry, username: &str) -> Option<User> {
    registry.user_by_username(username).cloned().or_else(|| {
        let id = username.strip_suffix("@clients.auth.globus.org")?;
        registry.client(id).map(|client| client.identity())
    })
}

/// Looks identities up by `usernames` or `ids` (comma-separated). Unknown ones are left out,
/// except that `provision=true` makes up an `unused` identity for an unknown username.
pub(crate) fn identities(shared: &Shared, world: &World, req: &Req) -> Resp {
    if let Err(response) = require_bearer_or_client(world, req, shared.now(), Some(AUTH_RS)) {
        return response;
    }
    let split = |key: &str| -> Vec<String> {
        req.query_all(key)
            .iter()
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let provision = req.query_param("provision") == Some("true");
    let mut found: Vec<Value> = Vec::new();
    for username in split("usernames") {
        match by_username(&world.registry, &username) {
            Some(user) => found.push(identity_doc(&user, "used")),
            None if provision => {
                let mut user = User::new(provisioned_id(&username), username.clone());
                user.email = None;
                found.push(identity_doc(&user, "unused"));
            }
            None => {}
        }
    }
    for id in split("ids") {
        if let Some(user) = world.registry.identity(&id) {
            found.push(identity_doc(&user, "used"));
        }
    }
    Resp::ok(&json!({"identities": found}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provisioned_ids_are_stable_uuids() {
        let id = provisioned_id("someone@example.org");
        assert_eq!(id, provisioned_id("someone@example.org"));
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
    }
}
