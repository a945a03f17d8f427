//! `POST /v2/groups/{id}`: batch membership actions.

use serde_json::{Map, Value, json};

use crate::groups::store::{Group, Membership};
use crate::registry::Registry;

/// Who may perform an action.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Actor {
    /// An active admin or manager, on anyone.
    Manager,
    /// The identity itself.
    Member,
}

/// One action kind: who may do it, the membership statuses it may start from (`from_none`:
/// also when the identity has no membership yet) and the status it leads to (`to: None`:
/// unchanged).
struct Rule {
    name: &'static str,
    actor: Actor,
    from: &'static [&'static str],
    from_none: bool,
    to: Option<&'static str>,
}

const RULES: [Rule; 11] = [
    Rule {
        name: "add",
        actor: Actor::Manager,
        from: &["invited", "pending", "removed", "left", "declined", "rejected"],
        from_none: true,
        to: Some("active"),
    },
    Rule {
        name: "invite",
        actor: Actor::Manager,
        from: &["removed", "left", "declined", "rejected"],
        from_none: true,
        to: Some("invited"),
    },
    Rule {
        name: "remove",
        actor: Actor::Manager,
        from: &["active", "invited", "pending"],
        from_none: false,
        to: Some("removed"),
    },
    Rule {
        name: "approve",
        actor: Actor::Manager,
        from: &["pending"],
        from_none: false,
        to: Some("active"),
    },
    Rule {
        name: "reject",
        actor: Actor::Manager,
        from: &["pending"],
        from_none: false,
        to: Some("rejected"),
    },
    Rule {
        name: "change_role",
        actor: Actor::Manager,
        from: &["active", "invited"],
        from_none: false,
        to: None,
    },
    Rule {
        name: "accept",
        actor: Actor::Member,
        from: &["invited"],
        from_none: false,
        to: Some("active"),
    },
    Rule {
        name: "decline",
        actor: Actor::Member,
        from: &["invited"],
        from_none: false,
        to: Some("declined"),
    },
    Rule {
        name: "join",
        actor: Actor::Member,
        from: &["left", "declined"],
        from_none: true,
        to: Some("active"),
    },
    Rule {
        name: "leave",
        actor: Actor::Member,
        from: &["active"],
        from_none: false,
        to: Some("left"),
    },
    Rule {
        name: "request_join",
        actor: Actor::Member,
        from: &["left", "declined", "rejected"],
        from_none: true,
        to: Some("pending"),
    },
];

/// Checks the whole document before anything changes.
fn validate(actions: &Map<String, Value>) -> Result<(), String> {
    for (name, items) in actions {
        if !RULES.iter().any(|rule| rule.name == name) {
            return Err(format!("unknown action: {name}"));
        }
        let items = items.as_array().ok_or_else(|| format!("\"{name}\" must be a list"))?;
        for item in items {
            if item
                .get("identity_id")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                return Err(format!("every \"{name}\" item needs an identity_id"));
            }
            match item.get("role") {
                None | Some(Value::Null) => {}
                Some(Value::String(role)) if ["admin", "manager", "member"].contains(&role.as_str()) => {}
                Some(other) => return Err(format!("invalid role in \"{name}\": {other}")),
            }
        }
    }
    Ok(())
}

fn error(identity_id: &str, code: &str, detail: String) -> Value {
    json!({"identity_id": identity_id, "code": code, "detail": detail})
}

/// Applies a batch document to `group` on behalf of `caller_id`. Returns the response
/// (`{"<action>": [memberships], "errors": {"<action>": [...]}}`) or a validation message.
pub(crate) fn apply(group: &mut Group, caller_id: &str, body: &Value, registry: &Registry) -> Result<Value, String> {
    let actions = body.as_object().ok_or("the body must be a JSON object")?;
    validate(actions)?;
    let mut done = Map::new();
    let mut errors = Map::new();
    for (name, items) in actions {
        let (Some(rule), Some(items)) = (RULES.iter().find(|rule| rule.name == name), items.as_array()) else {
            continue;
        };
        let mut succeeded = Vec::new();
        let mut failed = Vec::new();
        for item in items {
            let identity_id = item.get("identity_id").and_then(Value::as_str).unwrap_or_default();
            let role = item.get("role").and_then(Value::as_str);
            let allowed = match rule.actor {
                Actor::Manager => group.is_manager(caller_id),
                Actor::Member => identity_id == caller_id,
            };
            if !allowed {
                failed.push(error(
                    identity_id,
                    "FORBIDDEN",
                    format!("not allowed to {name} {identity_id}"),
                ));
                continue;
            }
            let status = group.membership(identity_id).map(|m| m.status.clone());
            let permitted = match &status {
                None => rule.from_none,
                Some(status) => rule.from.contains(&status.as_str()),
            };
            if !permitted {
                let status = status.unwrap_or_else(|| "none".into());
                failed.push(error(
                    identity_id,
                    "INVALID_STATUS",
                    format!("cannot {name} a membership that is {status}"),
                ));
                continue;
            }
            if group.membership(identity_id).is_none() {
                let username = registry.identity(identity_id).map(|user| user.username);
                group
                    .memberships
                    .push(Membership::new(identity_id, username.as_deref(), "member", "none"));
            }
            let group_id = group.id.clone();
            if let Some(membership) = group.membership_mut(identity_id) {
                if let Some(to) = rule.to {
                    membership.status = to.to_owned();
                }
                if let Some(role) = role.filter(|_| matches!(rule.name, "add" | "invite" | "change_role")) {
                    membership.role = role.to_owned();
                }
                succeeded.push(membership.to_json(&group_id));
            }
        }
        done.insert(name.clone(), Value::Array(succeeded));
        if !failed.is_empty() {
            errors.insert(name.clone(), Value::Array(failed));
        }
    }
    done.insert("errors".into(), Value::Object(errors));
    Ok(Value::Object(done))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::User;

    fn group() -> Group {
        let mut group = Group::new("g", "G", None);
        group
            .memberships
            .push(Membership::new("admin", Some("admin@x"), "admin", "active"));
        group
    }

    #[test]
    fn add_invite_accept_leave() {
        let registry = Registry::new();
        let mut g = group();
        let user = User::default_user();
        let out = apply(
            &mut g,
            "admin",
            &json!({"invite": [{"identity_id": user.id, "role": "manager"}]}),
            &registry,
        );
        let out = out.unwrap_or_default();
        assert_eq!(out["invite"][0]["status"], "invited");
        assert_eq!(out["invite"][0]["username"], json!(user.username));
        let out = apply(
            &mut g,
            &user.id,
            &json!({"accept": [{"identity_id": user.id}]}),
            &registry,
        )
        .unwrap_or_default();
        assert_eq!(out["accept"][0]["status"], "active");
        assert_eq!(out["accept"][0]["role"], "manager");
        let out = apply(
            &mut g,
            &user.id,
            &json!({"leave": [{"identity_id": "admin"}]}),
            &registry,
        )
        .unwrap_or_default();
        assert_eq!(out["leave"], json!([]));
        assert_eq!(out["errors"]["leave"][0]["code"], "FORBIDDEN");
        let out = apply(&mut g, "admin", &json!({"add": [{"identity_id": "admin"}]}), &registry).unwrap_or_default();
        assert_eq!(out["errors"]["add"][0]["code"], "INVALID_STATUS");
        assert!(apply(&mut g, "admin", &json!({"explode": []}), &registry).is_err());
        assert!(apply(&mut g, "admin", &json!({"add": [{"role": "member"}]}), &registry).is_err());
        assert!(apply(&mut g, "admin", &json!([]), &registry).is_err());
    }
}
