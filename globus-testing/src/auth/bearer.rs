//! Bearer-token checks for resource-server routes.

use crate::auth::client_auth::basic_client;
use crate::http::{Req, Resp, unauthenticated};
use crate::registry::User;
use crate::state::World;

/// Who is calling a resource-server route.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    /// The identity the token belongs to (a user, or a client's own identity).
    pub(crate) user: User,
    /// The scopes the token grants.
    pub(crate) scopes: Vec<String>,
}

/// The token of an `Authorization: Bearer <token>` header.
pub(crate) fn bearer_token(req: &Req) -> Option<&str> {
    let (scheme, token) = req.header("authorization")?.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|token| !token.is_empty())
}

/// Requires a live access token for `resource_server` (any resource server when `None`).
pub(crate) fn require_bearer(
    world: &World,
    req: &Req,
    now: u64,
    resource_server: Option<&str>,
) -> Result<Caller, Resp> {
    let token = bearer_token(req).ok_or_else(|| unauthenticated(req, "a bearer token is required"))?;
    let grant = world
        .tokens
        .check_access(token, now)
        .map_err(|problem| unauthenticated(req, problem.message()))?;
    if let Some(expected) = resource_server.filter(|expected| *expected != grant.resource_server) {
        return Err(unauthenticated(
            req,
            &format!("the bearer token is for {}, not {expected}", grant.resource_server),
        ));
    }
    let user = world
        .registry
        .identity(&grant.user_id)
        .ok_or_else(|| unauthenticated(req, "the token's identity no longer exists"))?;
    Ok(Caller {
        user,
        scopes: grant.scopes.clone(),
    })
}

/// Like [`require_bearer`], but a confidential client's valid Basic credentials also pass
/// (the caller is then the client's own identity).
pub(crate) fn require_bearer_or_client(
    world: &World,
    req: &Req,
    now: u64,
    resource_server: Option<&str>,
) -> Result<Caller, Resp> {
    if let Some(client) = basic_client(&world.registry, req) {
        return Ok(Caller {
            user: client.identity(),
            scopes: Vec::new(),
        });
    }
    require_bearer(world, req, now, resource_server)
}
