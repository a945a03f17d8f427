//! Transfer endpoints and collections: the seeded list, documents and `endpoint_search`.

use http::StatusCode;
use serde_json::{Value, json};

use crate::http::{Req, Resp, transfer_error};
use crate::registry::User;

/// Globus Tutorial Collection 1 (the id the Python SDK's docs use).
pub(crate) const TUTORIAL_COLLECTION_1: &str = "6c54cade-bde5-45c1-bdea-f4bd71dba2cc";
/// Globus Tutorial Collection 2.
pub(crate) const TUTORIAL_COLLECTION_2: &str = "31ce9ba0-176d-45a5-add3-f37d233ba47d";

const TUTORIAL_OWNER: (&str, &str) = ("46bd0f56-e24f-11e5-a510-131bef46955c", "globus@globus.org");
const ORGANIZATIONS: [&str; 5] = [
    "University of Chicago",
    "Argonne National Laboratory",
    "NERSC",
    "TACC",
    "Example University",
];
/// The most results `endpoint_search` pages through (`offset + limit`).
const MAX_RESULTS: usize = 1000;
/// The largest page `endpoint_search` answers.
const MAX_LIMIT: usize = 100;

/// A collection or endpoint.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    pub(crate) id: String,
    pub(crate) display_name: String,
    pub(crate) owner_id: String,
    pub(crate) owner_string: String,
    pub(crate) organization: String,
    pub(crate) description: String,
    pub(crate) entity_type: &'static str,
    pub(crate) keywords: Option<String>,
    pub(crate) non_functional: bool,
}

impl Endpoint {
    fn new(
        id: String,
        display_name: String,
        owner: (&str, &str),
        organization: &str,
        entity_type: &'static str,
    ) -> Self {
        Self {
            description: format!("{display_name} (a fake Globus collection)"),
            id,
            display_name,
            owner_id: owner.0.to_owned(),
            owner_string: owner.1.to_owned(),
            organization: organization.to_owned(),
            entity_type,
            keywords: None,
            non_functional: entity_type == "GCSv5_endpoint",
        }
    }

    /// The endpoint document (`DATA_TYPE: endpoint`).
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "DATA_TYPE": "endpoint",
            "id": self.id,
            "display_name": self.display_name,
            "name": self.display_name,
            "canonical_name": format!("{}#{}", self.owner_string, self.id),
            "owner_id": self.owner_id,
            "owner_string": self.owner_string,
            "username": self.owner_string.split('@').next(),
            "organization": self.organization,
            "department": null,
            "description": self.description,
            "keywords": self.keywords,
            "contact_email": "support@example.org",
            "contact_info": null,
            "info_link": null,
            "entity_type": self.entity_type,
            "gcs_version": if self.entity_type.starts_with("GCSv5") { json!("5.4.80") } else { Value::Null },
            "gcp_connected": if self.entity_type.starts_with("GCP") { json!(true) } else { Value::Null },
            "gcp_paused": if self.entity_type.starts_with("GCP") { json!(false) } else { Value::Null },
            "is_globus_connect": self.entity_type.starts_with("GCP"),
            "host_endpoint_id": null,
            "mapped_collection_id": null,
            "public": true,
            "non_functional": self.non_functional,
            "high_assurance": false,
            "disable_verify": false,
            "force_encryption": false,
            "force_verify": false,
            "mfa_required": false,
            "default_directory": "/~/",
            "activated": false,
            "expires_in": -1,
            "shareable": true,
            "acl_available": false,
            "acl_editable": false,
            "in_use": false,
            "subscription_id": null,
            "DATA": [],
        })
    }

    fn matches_text(&self, text: &str) -> bool {
        let text = text.to_lowercase();
        [
            Some(&self.display_name),
            Some(&self.description),
            Some(&self.organization),
            Some(&self.owner_string),
            self.keywords.as_ref(),
        ]
        .into_iter()
        .flatten()
        .any(|field| field.to_lowercase().contains(&text))
    }
}

/// The seeded endpoints (256): the tutorial collections, a few owned by `user`, and generated
/// research collections (every 25th is a "Tutorial Sandbox").
pub(crate) fn seed(user: &User) -> Vec<Endpoint> {
    let me = (user.id.as_str(), user.username.as_str());
    let mut list = vec![
        Endpoint::new(
            TUTORIAL_COLLECTION_1.into(),
            "Globus Tutorial Collection 1".into(),
            TUTORIAL_OWNER,
            "Globus",
            "GCSv5_mapped_collection",
        ),
        Endpoint::new(
            TUTORIAL_COLLECTION_2.into(),
            "Globus Tutorial Collection 2".into(),
            TUTORIAL_OWNER,
            "Globus",
            "GCSv5_mapped_collection",
        ),
        Endpoint::new(
            "b1b5c9f2-1a32-4b9e-a1b4-5b5f7c1e0f00".into(),
            "Globus Tutorial Endpoint".into(),
            TUTORIAL_OWNER,
            "Globus",
            "GCSv5_endpoint",
        ),
        Endpoint::new(
            "a11ce000-0000-4000-8000-000000000001".into(),
            "My Laptop".into(),
            me,
            "Globus Tutorial",
            "GCP_mapped_collection",
        ),
        Endpoint::new(
            "a11ce000-0000-4000-8000-000000000002".into(),
            "My Project Storage".into(),
            me,
            "Globus Tutorial",
            "GCSv5_mapped_collection",
        ),
        Endpoint::new(
            "a11ce000-0000-4000-8000-000000000003".into(),
            "My Tutorial Share".into(),
            me,
            "Globus Tutorial",
            "GCSv5_guest_collection",
        ),
    ];
    for (i, endpoint) in list.iter_mut().enumerate().take(3) {
        endpoint.keywords = Some("tutorial,globus".into());
        endpoint.description = format!("A collection for the Globus tutorials ({}).", i + 1);
    }
    for n in 1..=250u32 {
        let name = if n % 25 == 0 {
            format!("Tutorial Sandbox {n}")
        } else {
            format!("Research Collection {n:03}")
        };
        let organization = ORGANIZATIONS[n as usize % ORGANIZATIONS.len()];
        let owner_id = format!("0a0e0000-0000-4000-8000-{:012}", n % 7);
        let owner_string = format!("owner{}@example.org", n % 7);
        let entity_type = if n % 10 == 0 {
            "GCSv5_guest_collection"
        } else {
            "GCSv5_mapped_collection"
        };
        let id = format!("5a0e0000-0000-4000-8000-{n:012}");
        list.push(Endpoint::new(
            id,
            name,
            (&owner_id, &owner_string),
            organization,
            entity_type,
        ));
    }
    list
}

fn bad_request(req: &Req, message: &str) -> Resp {
    transfer_error(StatusCode::BAD_REQUEST, "ClientError.BadRequest", message, req)
}

/// Parses an optional non-negative integer query parameter.
pub(crate) fn int_param(req: &Req, key: &str, default: usize) -> Result<usize, Resp> {
    match req.query_param(key) {
        None | Some("") => Ok(default),
        Some(text) => text
            .parse()
            .map_err(|_| bad_request(req, &format!("Invalid {key}: {text}"))),
    }
}

/// `GET /v0.10/endpoint_search`: filters, then pages with `offset`/`limit`/`has_next_page`.
pub(crate) fn search(endpoints: &[Endpoint], req: &Req, caller_id: &str) -> Resp {
    let (limit, offset) = match (int_param(req, "limit", 25), int_param(req, "offset", 0)) {
        (Ok(limit), Ok(offset)) => (limit, offset),
        (Err(response), _) | (_, Err(response)) => return response,
    };
    if limit == 0 || limit > MAX_LIMIT {
        return bad_request(req, &format!("limit must be between 1 and {MAX_LIMIT}"));
    }
    if offset.saturating_add(limit) > MAX_RESULTS {
        return bad_request(req, &format!("offset + limit must be at most {MAX_RESULTS}"));
    }
    let scope = req.query_param("filter_scope").unwrap_or("all");
    let owned = |e: &&Endpoint| e.owner_id == caller_id;
    let in_scope: Box<dyn Fn(&&Endpoint) -> bool> = match scope {
        "all" => Box::new(|_| true),
        "my-endpoints" | "administered-by-me" => Box::new(owned),
        "my-gcp-endpoints" => Box::new(move |e| owned(e) && e.entity_type.starts_with("GCP")),
        "shared-by-me" => Box::new(move |e| owned(e) && e.entity_type == "GCSv5_guest_collection"),
        "recently-used" | "in-use" | "shared-with-me" | "hosted-endpoints" => Box::new(|_| false),
        other => return bad_request(req, &format!("Invalid filter_scope: {other}")),
    };
    let text = req.query_param("filter_fulltext").filter(|t| !t.trim().is_empty());
    let owner = req.query_param("filter_owner_id").filter(|t| !t.is_empty());
    let entity_types: Option<Vec<&str>> = req
        .query_param("filter_entity_type")
        .filter(|t| !t.is_empty())
        .map(|t| t.split(',').collect());
    let non_functional = match req.query_param("filter_non_functional") {
        None | Some("") => None,
        Some("0" | "false" | "False") => Some(false),
        Some("1" | "true" | "True") => Some(true),
        Some(other) => return bad_request(req, &format!("Invalid filter_non_functional: {other}")),
    };
    let matches: Vec<&Endpoint> = endpoints
        .iter()
        .filter(|e| in_scope(e))
        .filter(|e| text.is_none_or(|text| e.matches_text(text.trim())))
        .filter(|e| owner.is_none_or(|owner| e.owner_id == owner))
        .filter(|e| entity_types.as_ref().is_none_or(|types| types.contains(&e.entity_type)))
        .filter(|e| non_functional.is_none_or(|wanted| e.non_functional == wanted))
        .collect();
    let reachable = matches.len().min(MAX_RESULTS);
    let page: Vec<Value> = matches.iter().skip(offset).take(limit).map(|e| e.to_json()).collect();
    Resp::ok(&json!({
        "DATA_TYPE": "endpoint_list",
        "DATA": page,
        "offset": offset,
        "limit": limit,
        "has_next_page": offset + limit < reachable,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::test_req;
    use http::Method;

    fn run(query: &str) -> Value {
        let endpoints = seed(&User::default_user());
        let response = search(
            &endpoints,
            &test_req(Method::GET, "/v0.10/endpoint_search", query, ""),
            crate::DEFAULT_USER_ID,
        );
        serde_json::from_slice(&response.body).unwrap_or_default()
    }

    #[test]
    fn seeds_enough() {
        assert!(seed(&User::default_user()).len() >= 250);
    }

    #[test]
    fn searches() {
        let tutorial = run("filter_fulltext=TUTORIAL&limit=100");
        let names: Vec<&str> = tutorial["DATA"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["display_name"].as_str())
            .collect();
        assert!(names.contains(&"Globus Tutorial Collection 1"));
        assert!(names.len() >= 10, "{names:?}");
        assert_eq!(tutorial["has_next_page"], json!(false));
        let mine = run("filter_scope=my-endpoints");
        assert_eq!(mine["DATA"].as_array().map(Vec::len), Some(3));
        let last = run("limit=100&offset=200");
        assert_eq!(last["DATA"].as_array().map(Vec::len), Some(56));
        assert_eq!(last["has_next_page"], json!(false));
        assert_eq!(run("limit=100")["has_next_page"], json!(true));
        assert_eq!(run("limit=abc")["code"], json!("ClientError.BadRequest"));
        assert_eq!(run("filter_scope=bogus")["code"], json!("ClientError.BadRequest"));
        assert_eq!(run("limit=100&offset=950")["code"], json!("ClientError.BadRequest"));
    }
}
