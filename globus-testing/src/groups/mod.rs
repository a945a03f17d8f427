//! The fake Globus Groups API (`/groups/v2/...`), backed by [`store::GroupStore`].

pub(crate) mod batch;
pub(crate) mod store;

use http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::auth::bearer::{Caller, require_bearer};
use crate::http::{Req, Resp, globus_error, method_not_allowed, route_not_found, validation_error};
use crate::router::Outcome;
use crate::service::Service;
use crate::state::{Shared, World};
use store::Group;

const MEMBERSHIP_STATUSES: [&str; 7] = [
    "active", "invited", "pending", "rejected", "removed", "left", "declined",
];

fn not_found(req: &Req, id: &str) -> Outcome {
    Outcome::Fallback(globus_error(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        &format!("group {id} not found"),
        req,
    ))
}

fn forbidden(req: &Req, what: &str) -> Resp {
    globus_error(
        StatusCode::FORBIDDEN,
        "FORBIDDEN",
        &format!("you are not allowed to {what}"),
        req,
    )
}

fn json_body(req: &Req) -> Result<serde_json::Map<String, Value>, Resp> {
    match req.json() {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(validation_error(&["body"], "the body must be a JSON object")),
        Err(message) => Err(validation_error(&["body"], &message)),
    }
}

fn include_list(req: &Req) -> Vec<&str> {
    req.query_all("include")
        .into_iter()
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect()
}

/// Routes a Groups request (path relative to the Groups base URL).
pub(crate) fn handle(shared: &Shared, world: &mut World, req: &Req) -> Outcome {
    let caller = match require_bearer(world, req, shared.now(), Some(Service::Groups.resource_server())) {
        Ok(caller) => caller,
        Err(response) => return Outcome::Done(response),
    };
    let segments = req.segments();
    let method = &req.method;
    let response = match segments.as_slice() {
        ["v2", "groups", "my_groups"] if method == Method::GET => my_groups(world, req, &caller),
        ["v2", "groups"] if method == Method::POST => create(shared, world, req, &caller),
        ["v2", "preferences"] if method == Method::GET => preferences(world, &caller),
        ["v2", "preferences"] if method == Method::PUT => set_preferences(world, req, &caller),
        ["v2", "groups", id] if world.groups.get(id).is_none_or(|g| !g.visible_to(&caller.user.id)) => {
            return not_found(req, id);
        }
        ["v2", "groups", id, "policies" | "membership_fields"]
            if world.groups.get(id).is_none_or(|g| !g.visible_to(&caller.user.id)) =>
        {
            return not_found(req, id);
        }
        ["v2", "groups", id] if method == Method::GET => get_group(world, req, &caller, id),
        ["v2", "groups", id] if method == Method::PUT => update(world, req, &caller, id),
        ["v2", "groups", id] if method == Method::DELETE => delete(world, req, &caller, id),
        ["v2", "groups", id] if method == Method::POST => batch_action(world, req, &caller, id),
        ["v2", "groups", id, "policies"] if method == Method::GET => policies(world, req, &caller, id),
        ["v2", "groups", id, "policies"] if method == Method::PUT => set_policies(world, req, &caller, id),
        ["v2", "groups", id, "membership_fields"] if method == Method::GET => {
            membership_fields(world, req, &caller, id)
        }
        ["v2", "groups", id, "membership_fields"] if method == Method::PUT => {
            set_membership_fields(world, req, &caller, id)
        }
        ["v2", "groups", _] | ["v2", "groups", _, "policies" | "membership_fields"] | ["v2", "preferences"] => {
            method_not_allowed(req)
        }
        _ => return Outcome::Fallback(route_not_found(req)),
    };
    Outcome::Done(response)
}

fn my_groups(world: &World, req: &Req, caller: &Caller) -> Resp {
    let statuses: Vec<&str> = match req.query_param("statuses") {
        Some(list) => list.split(',').map(str::trim).filter(|s| !s.is_empty()).collect(),
        None => vec!["active"],
    };
    if let Some(bad) = statuses.iter().find(|s| !MEMBERSHIP_STATUSES.contains(s)) {
        return validation_error(&["query", "statuses"], &format!("invalid status: {bad}"));
    }
    let me = &caller.user.id;
    let groups: Vec<Value> = world
        .groups
        .groups
        .iter()
        .filter(|g| g.membership(me).is_some_and(|m| statuses.contains(&m.status.as_str())))
        .map(|g| g.to_json(me, &[]))
        .collect();
    Resp::ok(&Value::Array(groups))
}

fn create(shared: &Shared, world: &mut World, req: &Req, caller: &Caller) -> Resp {
    let body = match json_body(req) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let Some(name) = body
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
    else {
        return validation_error(&["body", "name"], "field required");
    };
    let parent_id = body.get("parent_id").and_then(Value::as_str);
    if parent_id.is_some_and(|parent| world.groups.get(parent).is_none()) {
        return validation_error(&["body", "parent_id"], "no such parent group");
    }
    let mut group = Group::new(
        &shared.ids.uuid(),
        name,
        body.get("description").and_then(Value::as_str),
    );
    group.parent_id = parent_id.map(str::to_owned);
    if let Some(Value::Object(policies)) = body.get("policies") {
        group.policies.extend(policies.clone());
    }
    let me = &caller.user;
    group
        .memberships
        .push(store::Membership::new(&me.id, Some(&me.username), "admin", "active"));
    let doc = group.to_json(&me.id, &[]);
    world.groups.groups.push(group);
    Resp::ok(&doc)
}

fn get_group(world: &World, req: &Req, caller: &Caller, id: &str) -> Resp {
    match world.groups.get(id) {
        Some(group) => Resp::ok(&group.to_json(&caller.user.id, &include_list(req))),
        None => route_not_found(req),
    }
}

fn update(world: &mut World, req: &Req, caller: &Caller, id: &str) -> Resp {
    let body = match json_body(req) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let Some(group) = world.groups.get_mut(id) else {
        return route_not_found(req);
    };
    if !group.is_manager(&caller.user.id) {
        return forbidden(req, "update this group");
    }
    if let Some(name) = body.get("name") {
        match name.as_str().filter(|n| !n.trim().is_empty()) {
            Some(name) => group.name = name.to_owned(),
            None => return validation_error(&["body", "name"], "name must be a non-empty string"),
        }
    }
    if let Some(description) = body.get("description") {
        group.description = description.as_str().map(str::to_owned);
    }
    Resp::ok(&group.to_json(&caller.user.id, &[]))
}

fn delete(world: &mut World, req: &Req, caller: &Caller, id: &str) -> Resp {
    let Some(position) = world.groups.groups.iter().position(|g| g.id == id) else {
        return route_not_found(req);
    };
    if world.groups.groups[position].active_role(&caller.user.id) != Some("admin") {
        return forbidden(req, "delete this group");
    }
    let group = world.groups.groups.remove(position);
    Resp::ok(&group.to_json(&caller.user.id, &[]))
}

fn batch_action(world: &mut World, req: &Req, caller: &Caller, id: &str) -> Resp {
    let body = match req.json() {
        Ok(body) => body,
        Err(message) => return validation_error(&["body"], &message),
    };
    let World { groups, registry, .. } = world;
    let Some(group) = groups.get_mut(id) else {
        return route_not_found(req);
    };
    match batch::apply(group, &caller.user.id, &body, registry) {
        Ok(doc) => Resp::ok(&doc),
        Err(message) => validation_error(&["body"], &message),
    }
}

fn policies(world: &World, req: &Req, caller: &Caller, id: &str) -> Resp {
    match world.groups.get(id) {
        Some(group) if group.active_role(&caller.user.id).is_some() => Resp::ok(&Value::Object(group.policies.clone())),
        Some(_) => forbidden(req, "read this group's policies"),
        None => route_not_found(req),
    }
}

fn set_policies(world: &mut World, req: &Req, caller: &Caller, id: &str) -> Resp {
    let body = match json_body(req) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let Some(group) = world.groups.get_mut(id) else {
        return route_not_found(req);
    };
    if group.active_role(&caller.user.id) != Some("admin") {
        return forbidden(req, "set this group's policies");
    }
    let allowed = store::default_policies();
    if let Some(unknown) = body.keys().find(|key| !allowed.contains_key(*key)) {
        return validation_error(&["body", unknown], "unknown policy");
    }
    group.policies.extend(body);
    Resp::ok(&Value::Object(group.policies.clone()))
}

fn membership_fields(world: &World, req: &Req, caller: &Caller, id: &str) -> Resp {
    let me = &caller.user.id;
    match world.groups.get(id).and_then(|group| group.membership(me)) {
        Some(membership) => Resp::ok(&json!({
            "group_id": id,
            "identity_id": me,
            "membership_fields": membership.membership_fields,
        })),
        None => forbidden(req, "read membership fields of a group you are not in"),
    }
}

fn set_membership_fields(world: &mut World, req: &Req, caller: &Caller, id: &str) -> Resp {
    let body = match json_body(req) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let me = caller.user.id.clone();
    match world.groups.get_mut(id).and_then(|group| group.membership_mut(&me)) {
        Some(membership) => {
            membership.membership_fields = Value::Object(body);
            Resp::ok(&json!({"group_id": id, "identity_id": me, "membership_fields": membership.membership_fields}))
        }
        None => forbidden(req, "set membership fields of a group you are not in"),
    }
}

fn preferences(world: &World, caller: &Caller) -> Resp {
    let doc = world
        .groups
        .preferences
        .get(&caller.user.id)
        .cloned()
        .unwrap_or_else(|| json!({"allow_add": true}));
    Resp::ok(&doc)
}

fn set_preferences(world: &mut World, req: &Req, caller: &Caller) -> Resp {
    let body = match json_body(req) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let entry = world
        .groups
        .preferences
        .entry(caller.user.id.clone())
        .or_insert_with(|| json!({"allow_add": true}));
    if let Some(current) = entry.as_object_mut() {
        current.extend(body);
    }
    Resp::ok(entry)
}
