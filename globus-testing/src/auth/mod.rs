//! The fake Globus Auth: login flows, token grants, introspection, revocation, identities.

pub(crate) mod authorize;
pub(crate) mod bearer;
pub(crate) mod client_auth;
pub(crate) mod identity;
pub(crate) mod introspect;
pub(crate) mod jwt;
pub(crate) mod scopes;
pub(crate) mod store;
pub(crate) mod token;

use http::Method;

use crate::http::{Req, method_not_allowed, route_not_found};
use crate::router::Outcome;
use crate::state::{Shared, World};

/// Routes an Auth request (path relative to the Auth base URL).
pub(crate) fn handle(shared: &Shared, world: &mut World, req: &Req) -> Outcome {
    let segments = req.segments();
    let method = &req.method;
    let response = match segments.as_slice() {
        ["v2", "oauth2", "authorize"] if method == Method::GET => authorize::authorize(shared, world, req),
        ["v2", "web", "auth-code"] if method == Method::GET => authorize::auth_code_page(req),
        ["v2", "oauth2", "token"] if method == Method::POST => token::token(shared, world, req),
        ["v2", "oauth2", "token", "revoke"] if method == Method::POST => introspect::revoke(world, req),
        ["v2", "oauth2", "token", "introspect"] if method == Method::POST => introspect::introspect(shared, world, req),
        ["v2", "oauth2", "userinfo"] if method == Method::GET || method == Method::POST => {
            identity::userinfo(shared, world, req)
        }
        ["v2", "api", "identities"] if method == Method::GET => identity::identities(shared, world, req),
        ["v2", "oauth2", "authorize"]
        | ["v2", "web", "auth-code"]
        | ["v2", "oauth2", "token"]
        | ["v2", "oauth2", "token", "revoke" | "introspect"]
        | ["v2", "oauth2", "userinfo"] => method_not_allowed(req),
        _ => return Outcome::Fallback(route_not_found(req)),
    };
    Outcome::Done(response)
}
