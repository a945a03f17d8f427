//! The in-memory Groups data: groups, memberships, per-identity preferences.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::registry::User;

/// Roles that may manage a group's members.
pub(crate) const MANAGER_ROLES: [&str; 2] = ["admin", "manager"];

/// One identity's membership in a group.
#[derive(Debug, Clone)]
pub(crate) struct Membership {
    pub(crate) identity_id: String,
    pub(crate) username: Option<String>,
    pub(crate) role: String,
    pub(crate) status: String,
    pub(crate) membership_fields: Value,
}

impl Membership {
    /// A membership with no custom fields.
    pub(crate) fn new(identity_id: &str, username: Option<&str>, role: &str, status: &str) -> Self {
        Self {
            identity_id: identity_id.to_owned(),
            username: username.map(str::to_owned),
            role: role.to_owned(),
            status: status.to_owned(),
            membership_fields: json!({}),
        }
    }

    /// The membership document (`group_id, identity_id, username, role, status`).
    pub(crate) fn to_json(&self, group_id: &str) -> Value {
        json!({
            "group_id": group_id,
            "identity_id": self.identity_id,
            "username": self.username,
            "role": self.role,
            "status": self.status,
        })
    }
}

/// A group.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) parent_id: Option<String>,
    pub(crate) policies: Map<String, Value>,
    pub(crate) memberships: Vec<Membership>,
}

/// The policies of a new group.
pub(crate) fn default_policies() -> Map<String, Value> {
    let policies = json!({
        "is_high_assurance": false,
        "authentication_assurance_timeout": 28800,
        "group_visibility": "private",
        "group_members_visibility": "managers",
        "join_requests": false,
        "signup_fields": [],
    });
    policies.as_object().cloned().unwrap_or_default()
}

impl Group {
    /// A group with default policies and no members.
    pub(crate) fn new(id: &str, name: &str, description: Option<&str>) -> Self {
        Self {
            id: id.to_owned(),
            name: name.to_owned(),
            description: description.map(str::to_owned),
            parent_id: None,
            policies: default_policies(),
            memberships: Vec::new(),
        }
    }

    /// An identity's membership, any status.
    pub(crate) fn membership(&self, identity_id: &str) -> Option<&Membership> {
        self.memberships.iter().find(|m| m.identity_id == identity_id)
    }

    /// An identity's membership, mutable.
    pub(crate) fn membership_mut(&mut self, identity_id: &str) -> Option<&mut Membership> {
        self.memberships.iter_mut().find(|m| m.identity_id == identity_id)
    }

    /// The identity's role if it is an active member.
    pub(crate) fn active_role(&self, identity_id: &str) -> Option<&str> {
        self.membership(identity_id)
            .filter(|m| m.status == "active")
            .map(|m| m.role.as_str())
    }

    /// Whether the identity is an active admin or manager.
    pub(crate) fn is_manager(&self, identity_id: &str) -> bool {
        self.active_role(identity_id)
            .is_some_and(|role| MANAGER_ROLES.contains(&role))
    }

    /// Whether the identity may see the group: any membership, or a group visible to all
    /// authenticated users.
    pub(crate) fn visible_to(&self, identity_id: &str) -> bool {
        self.membership(identity_id).is_some()
            || self.policies.get("group_visibility").and_then(Value::as_str) == Some("authenticated")
    }

    /// Whether the identity may list all members.
    fn members_visible_to(&self, identity_id: &str) -> bool {
        self.is_manager(identity_id)
            || (self.active_role(identity_id).is_some()
                && self.policies.get("group_members_visibility").and_then(Value::as_str) == Some("members"))
    }

    /// The group document as the caller sees it; `include=memberships` adds every membership
    /// the caller may see.
    pub(crate) fn to_json(&self, caller_id: &str, include: &[&str]) -> Value {
        let mine: Vec<Value> = self
            .memberships
            .iter()
            .filter(|m| m.identity_id == caller_id)
            .map(|m| m.to_json(&self.id))
            .collect();
        let mut doc = json!({
            "name": self.name,
            "description": self.description,
            "parent_id": self.parent_id,
            "id": self.id,
            "group_type": "regular",
            "enforce_session": false,
            "session_limit": 28800,
            "session_timeouts": {},
            "my_memberships": mine,
            "policies": self.policies,
            "subscription_id": null,
            "subscription_info": null,
        });
        if include.contains(&"memberships") && self.members_visible_to(caller_id) {
            let all: Vec<Value> = self.memberships.iter().map(|m| m.to_json(&self.id)).collect();
            if let Some(doc) = doc.as_object_mut() {
                doc.insert("memberships".into(), Value::Array(all));
            }
        }
        doc
    }
}

/// Every group, in creation order, plus preferences by identity id.
#[derive(Debug, Clone, Default)]
pub(crate) struct GroupStore {
    pub(crate) groups: Vec<Group>,
    pub(crate) preferences: HashMap<String, Value>,
}

/// Ids of the seeded groups.
pub(crate) const SEEDED_GROUP_IDS: [&str; 3] = [
    "c0ffee00-1111-4aaa-8bbb-000000000001",
    "c0ffee00-1111-4aaa-8bbb-000000000002",
    "c0ffee00-1111-4aaa-8bbb-000000000003",
];

impl GroupStore {
    /// A few groups the default user belongs to: admin of one, member of one, manager of a
    /// subgroup.
    pub(crate) fn seeded(user: &User) -> Self {
        let me = Some(user.username.as_str());
        let colleague = ("0b5e55ed-2222-4ccc-8ddd-000000000001", "colleague@globusid.org");
        let mut tutorial = Group::new(
            SEEDED_GROUP_IDS[0],
            "Globus Tutorial Group",
            Some("Everyone doing the tutorial."),
        );
        tutorial
            .memberships
            .push(Membership::new(&user.id, me, "admin", "active"));
        tutorial
            .memberships
            .push(Membership::new(colleague.0, Some(colleague.1), "member", "active"));
        let mut research = Group::new(
            SEEDED_GROUP_IDS[1],
            "Research Collaboration",
            Some("Shared data for the collaboration."),
        );
        research
            .policies
            .insert("group_visibility".into(), json!("authenticated"));
        research
            .policies
            .insert("group_members_visibility".into(), json!("members"));
        research
            .memberships
            .push(Membership::new(colleague.0, Some(colleague.1), "admin", "active"));
        research
            .memberships
            .push(Membership::new(&user.id, me, "member", "active"));
        let mut curators = Group::new(SEEDED_GROUP_IDS[2], "Data Curators", None);
        curators.parent_id = Some(SEEDED_GROUP_IDS[1].to_owned());
        curators
            .memberships
            .push(Membership::new(&user.id, me, "manager", "active"));
        Self {
            groups: vec![tutorial, research, curators],
            preferences: HashMap::new(),
        }
    }

    /// A group by id.
    pub(crate) fn get(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// A group by id, mutable.
    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut Group> {
        self.groups.iter_mut().find(|g| g.id == id)
    }
}
