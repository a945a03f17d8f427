//! Scope constants for every Globus service, and the dynamic collections (GCS
//! endpoints and collections, specific flows), as in `globus_sdk.scopes`.

use super::Scope;
use crate::Error;

fn urn_scope(resource_server: &str, name: &str) -> String {
    format!("urn:globus:auth:scope:{resource_server}:{name}")
}

fn url_scope(resource_server: &str, name: &str) -> String {
    format!("https://auth.globus.org/scopes/{resource_server}/{name}")
}

macro_rules! static_collection {
    (
        $(#[$meta:meta])*
        $name:ident, resource_server = $rs:literal,
        $( $(#[$cmeta:meta])* $const_name:ident / $fn_name:ident = $value:expr; )*
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug)]
        pub struct $name;

        impl $name {
            /// The resource server these scopes belong to.
            pub const RESOURCE_SERVER: &'static str = $rs;
            $(
                $(#[$cmeta])*
                pub const $const_name: &'static str = $value;

                $(#[$cmeta])*
                ///
                /// As a [`Scope`] value.
                pub fn $fn_name() -> Scope {
                    Scope::trusted(Self::$const_name.to_owned())
                }
            )*
        }
    };
}

static_collection! {
    /// Globus Auth (`AuthScopes`).
    AuthScopes, resource_server = "auth.globus.org",
    /// `openid`
    OPENID / openid = "openid";
    /// `email`
    EMAIL / email = "email";
    /// `profile`
    PROFILE / profile = "profile";
    /// Manage projects.
    MANAGE_PROJECTS / manage_projects = "urn:globus:auth:scope:auth.globus.org:manage_projects";
    /// View authentications.
    VIEW_AUTHENTICATIONS / view_authentications = "urn:globus:auth:scope:auth.globus.org:view_authentications";
    /// View clients.
    VIEW_CLIENTS / view_clients = "urn:globus:auth:scope:auth.globus.org:view_clients";
    /// View clients and scopes.
    VIEW_CLIENTS_AND_SCOPES / view_clients_and_scopes = "urn:globus:auth:scope:auth.globus.org:view_clients_and_scopes";
    /// View consents.
    VIEW_CONSENTS / view_consents = "urn:globus:auth:scope:auth.globus.org:view_consents";
    /// View identities.
    VIEW_IDENTITIES / view_identities = "urn:globus:auth:scope:auth.globus.org:view_identities";
    /// View the identity set.
    VIEW_IDENTITY_SET / view_identity_set = "urn:globus:auth:scope:auth.globus.org:view_identity_set";
}

static_collection! {
    /// Globus Transfer (`TransferScopes`).
    TransferScopes, resource_server = "transfer.api.globus.org",
    /// Full Transfer access.
    ALL / all = "urn:globus:auth:scope:transfer.api.globus.org:all";
    /// Globus Connect Personal installation.
    GCP_INSTALL / gcp_install = "urn:globus:auth:scope:transfer.api.globus.org:gcp_install";
}

static_collection! {
    /// Globus Groups (`GroupsScopes`).
    GroupsScopes, resource_server = "groups.api.globus.org",
    /// Full Groups access.
    ALL / all = "urn:globus:auth:scope:groups.api.globus.org:all";
    /// Read-only access to the user's groups and memberships.
    VIEW_MY_GROUPS_AND_MEMBERSHIPS / view_my_groups_and_memberships =
        "urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships";
}

static_collection! {
    /// The legacy Nexus API (`NexusScopes`).
    NexusScopes, resource_server = "nexus.api.globus.org",
    /// Nexus groups.
    GROUPS / groups = "urn:globus:auth:scope:nexus.api.globus.org:groups";
}

static_collection! {
    /// Globus Search (`SearchScopes`).
    SearchScopes, resource_server = "search.api.globus.org",
    /// Full Search access.
    ALL / all = "urn:globus:auth:scope:search.api.globus.org:all";
    /// Globus Connect Server's use of Search.
    GLOBUS_CONNECT_SERVER / globus_connect_server = "urn:globus:auth:scope:search.api.globus.org:globus_connect_server";
    /// Ingest documents.
    INGEST / ingest = "urn:globus:auth:scope:search.api.globus.org:ingest";
    /// Query indexes.
    SEARCH / search = "urn:globus:auth:scope:search.api.globus.org:search";
}

static_collection! {
    /// Globus Timers (`TimersScopes`).
    TimersScopes, resource_server = "524230d7-ea86-4a52-8312-86065a9e0417",
    /// Create and manage timers.
    TIMER / timer = "https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer";
}

static_collection! {
    /// Globus Flows (`FlowsScopes`).
    FlowsScopes, resource_server = "flows.globus.org",
    /// Full Flows access.
    ALL / all = "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all";
    /// Manage flows.
    MANAGE_FLOWS / manage_flows = "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/manage_flows";
    /// View flows.
    VIEW_FLOWS / view_flows = "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/view_flows";
    /// Run flows.
    RUN / run = "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/run";
    /// See run status.
    RUN_STATUS / run_status = "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/run_status";
    /// Manage runs.
    RUN_MANAGE / run_manage = "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/run_manage";
}

static_collection! {
    /// Globus Compute (`ComputeScopes`).
    ComputeScopes, resource_server = "funcx_service",
    /// Full Compute access.
    ALL / all = "https://auth.globus.org/scopes/facd7ccc-c5f4-42aa-916b-a0e270e2c2a9/all";
}

/// Validates the id of a dynamic collection: it becomes part of a scope string, so it
/// must hold none of `[]* `.
fn checked_id(id: &str) -> Result<String, Error> {
    Scope::new(id).map(|scope| scope.scope_string().to_owned())
}

/// The scopes of one Globus Connect Server endpoint (`GCSEndpointScopes`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GcsEndpointScopes {
    endpoint_id: String,
}

impl GcsEndpointScopes {
    /// The scopes of the endpoint whose client id is `endpoint_id`.
    pub fn new(endpoint_id: impl AsRef<str>) -> Result<Self, Error> {
        Ok(Self {
            endpoint_id: checked_id(endpoint_id.as_ref())?,
        })
    }

    /// The resource server: the endpoint id.
    pub fn resource_server(&self) -> &str {
        &self.endpoint_id
    }

    /// `urn:globus:auth:scope:<endpoint>:manage_collections`
    pub fn manage_collections(&self) -> Scope {
        Scope::trusted(urn_scope(&self.endpoint_id, "manage_collections"))
    }
}

/// The scopes of one Globus Connect Server collection (`GCSCollectionScopes`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GcsCollectionScopes {
    collection_id: String,
}

impl GcsCollectionScopes {
    /// The scopes of the collection `collection_id`.
    pub fn new(collection_id: impl AsRef<str>) -> Result<Self, Error> {
        Ok(Self {
            collection_id: checked_id(collection_id.as_ref())?,
        })
    }

    /// The resource server: the collection id.
    pub fn resource_server(&self) -> &str {
        &self.collection_id
    }

    /// `https://auth.globus.org/scopes/<collection>/data_access`
    pub fn data_access(&self) -> Scope {
        Scope::trusted(url_scope(&self.collection_id, "data_access"))
    }

    /// `https://auth.globus.org/scopes/<collection>/https`
    pub fn https(&self) -> Scope {
        Scope::trusted(url_scope(&self.collection_id, "https"))
    }
}

/// The scopes of one flow (`SpecificFlowScopes`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecificFlowScopes {
    flow_id: String,
}

impl SpecificFlowScopes {
    /// The scopes of the flow `flow_id`.
    pub fn new(flow_id: impl AsRef<str>) -> Result<Self, Error> {
        Ok(Self {
            flow_id: checked_id(flow_id.as_ref())?,
        })
    }

    /// The resource server: the flow id.
    pub fn resource_server(&self) -> &str {
        &self.flow_id
    }

    /// `https://auth.globus.org/scopes/<flow>/flow_<flow with '-' as '_'>_user`
    pub fn user(&self) -> Scope {
        let name = format!("flow_{}_user", self.flow_id.replace('-', "_"));
        Scope::trusted(url_scope(&self.flow_id, &name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_their_builders() {
        assert_eq!(TransferScopes::ALL, urn_scope(TransferScopes::RESOURCE_SERVER, "all"));
        assert_eq!(
            GroupsScopes::VIEW_MY_GROUPS_AND_MEMBERSHIPS,
            urn_scope(GroupsScopes::RESOURCE_SERVER, "view_my_groups_and_memberships")
        );
        assert_eq!(TimersScopes::TIMER, url_scope(TimersScopes::RESOURCE_SERVER, "timer"));
        assert_eq!(
            FlowsScopes::RUN_MANAGE,
            url_scope("eec9b274-0c81-4334-bdc2-54e90e689b9a", "run_manage")
        );
        assert_eq!(ComputeScopes::all().to_string(), ComputeScopes::ALL);
        assert_eq!(
            AuthScopes::VIEW_IDENTITY_SET,
            urn_scope(AuthScopes::RESOURCE_SERVER, "view_identity_set")
        );
    }

    #[test]
    fn dynamic_collections() {
        let flow = SpecificFlowScopes::new("aaaa-bbbb").unwrap();
        assert_eq!(
            flow.user().to_string(),
            "https://auth.globus.org/scopes/aaaa-bbbb/flow_aaaa_bbbb_user"
        );
        let endpoint = GcsEndpointScopes::new("ep").unwrap();
        assert_eq!(
            endpoint.manage_collections().to_string(),
            "urn:globus:auth:scope:ep:manage_collections"
        );
        assert!(GcsCollectionScopes::new("a b").is_err());
    }
}
