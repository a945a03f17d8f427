//! Transfer, Groups and the recorded-fixture fallback, over HTTP.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{Auth, Http, access_token, fake};
use globus_testing::{FakeGlobus, TUTORIAL_CLIENT_ID};
use http::{Method, StatusCode};
use serde_json::{Value, json};

const TUTORIAL_1: &str = "6c54cade-bde5-45c1-bdea-f4bd71dba2cc";
const TUTORIAL_2: &str = "31ce9ba0-176d-45a5-add3-f37d233ba47d";

fn transfer_token(fake: &FakeGlobus) -> String {
    let tokens = fake
        .issue_tokens(TUTORIAL_CLIENT_ID, "urn:globus:auth:scope:transfer.api.globus.org:all")
        .expect("tokens");
    access_token(&tokens, "transfer.api.globus.org")
}

fn groups_token(fake: &FakeGlobus) -> String {
    let tokens = fake
        .issue_tokens(TUTORIAL_CLIENT_ID, "urn:globus:auth:scope:groups.api.globus.org:all")
        .expect("tokens");
    access_token(&tokens, "groups.api.globus.org")
}

#[tokio::test]
async fn endpoint_search_pages_over_every_endpoint() {
    let fake = fake().await;
    let http = Http::new();
    let token = transfer_token(&fake);
    let mut ids = HashSet::new();
    let mut offset = 0;
    let mut pages = 0;
    loop {
        let url = format!(
            "{}v0.10/endpoint_search?filter_scope=all&limit=100&offset={offset}",
            fake.transfer_url()
        );
        let page = http.get(&url, Auth::Bearer(&token)).await.json();
        assert_eq!(page["offset"], offset);
        assert_eq!(page["limit"], 100);
        let data = page["DATA"].as_array().expect("DATA");
        ids.extend(data.iter().filter_map(|e| e["id"].as_str().map(str::to_owned)));
        offset += data.len();
        pages += 1;
        if page["has_next_page"] != true {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert!(ids.len() >= 250, "{} endpoints", ids.len());
    assert_eq!(ids.len(), offset, "no endpoint repeats");

    let mine = format!("{}v0.10/endpoint_search?filter_scope=my-endpoints", fake.transfer_url());
    let mine = http.get(&mine, Auth::Bearer(&token)).await.json();
    assert_eq!(mine["DATA"].as_array().map(Vec::len), Some(3));
    let endpoint = http
        .get(
            &format!("{}v0.10/endpoint/{TUTORIAL_1}", fake.transfer_url()),
            Auth::Bearer(&token),
        )
        .await;
    assert_eq!(endpoint.json()["display_name"], "Globus Tutorial Collection 1");
    let missing = http
        .get(
            &format!("{}v0.10/endpoint/not-an-endpoint", fake.transfer_url()),
            Auth::Bearer(&token),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["code"], "EndpointNotFound");
}

#[tokio::test]
async fn ls_mkdir_rename() {
    let fake = fake().await;
    let http = Http::new();
    let token = transfer_token(&fake);
    let op = |name: &str| format!("{}v0.10/operation/endpoint/{TUTORIAL_1}/{name}", fake.transfer_url());
    let big = http
        .get(&format!("{}?path=%2F~%2Fbig%2F", op("ls")), Auth::Bearer(&token))
        .await
        .json();
    assert_eq!(big["DATA_TYPE"], "file_list");
    assert_eq!(big["DATA"].as_array().map(Vec::len), Some(1000));
    assert_eq!(big["DATA"][0]["DATA_TYPE"], "file");

    let mkdir = http
        .post_json(
            &op("mkdir"),
            Auth::Bearer(&token),
            &json!({"DATA_TYPE": "mkdir", "path": "/~/results/"}),
        )
        .await;
    assert_eq!(mkdir.status, StatusCode::OK);
    assert_eq!(mkdir.json()["code"], "DirectoryCreated");
    let again = http
        .post_json(
            &op("mkdir"),
            Auth::Bearer(&token),
            &json!({"DATA_TYPE": "mkdir", "path": "/~/results"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_GATEWAY);
    assert_eq!(again.json()["code"], "ExternalError.MkdirFailed.Exists");

    let rename = json!({"DATA_TYPE": "rename", "old_path": "/~/results", "new_path": "/~/final"});
    let renamed = http.post_json(&op("rename"), Auth::Bearer(&token), &rename).await;
    assert_eq!(renamed.json()["code"], "FileRenamed");
    let home = http
        .get(&format!("{}?path=/~/&show_hidden=0", op("ls")), Auth::Bearer(&token))
        .await
        .json();
    let names: Vec<&str> = home["DATA"]
        .as_array()
        .expect("DATA")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert_eq!(names, ["README.txt", "big", "final", "godata"]);
    let missing = http
        .get(&format!("{}?path=/nowhere", op("ls")), Auth::Bearer(&token))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["code"], "ClientError.NotFound");
    let bad_json = http
        .send(
            Method::POST,
            &op("mkdir"),
            Auth::Bearer(&token),
            Some(("application/json", b"{not json".to_vec())),
        )
        .await;
    assert_eq!(bad_json.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn transfer_submission_is_deduplicated_and_completes_on_the_clock() {
    let fake = FakeGlobus::builder()
        .frozen_clock()
        .successful_transfers_page_size(400)
        .start()
        .await
        .expect("start");
    let http = Http::new();
    let token = transfer_token(&fake);
    let base = fake.transfer_url();
    let submission_id = http
        .get(&format!("{base}v0.10/submission_id"), Auth::Bearer(&token))
        .await
        .json()["value"]
        .as_str()
        .expect("value")
        .to_owned();
    let document = json!({
        "DATA_TYPE": "transfer",
        "DATA": [
            {"DATA_TYPE": "transfer_item", "source_path": "/~/big/", "destination_path": "/~/copy/", "recursive": true},
            {"DATA_TYPE": "transfer_item", "source_path": "/~/README.txt", "destination_path": "/~/copy/README.txt"}
        ],
        "source_endpoint": TUTORIAL_1,
        "destination_endpoint": TUTORIAL_2,
        "label": "tutorial copy",
        "submission_id": submission_id,
        "verify_checksum": true,
        "sync_level": 3
    });
    let first = http
        .post_json(&format!("{base}v0.10/transfer"), Auth::Bearer(&token), &document)
        .await;
    assert_eq!(first.status, StatusCode::ACCEPTED);
    let first = first.json();
    assert_eq!(first["DATA_TYPE"], "transfer_result");
    assert_eq!(first["code"], "Accepted");
    assert_eq!(first["submission_id"], json!(submission_id));
    let second = http
        .post_json(&format!("{base}v0.10/transfer"), Auth::Bearer(&token), &document)
        .await
        .json();
    assert_eq!(second["code"], "Duplicate");
    assert_eq!(second["task_id"], first["task_id"]);
    let task_id = first["task_id"].as_str().expect("task id");

    let task_url = format!("{base}v0.10/task/{task_id}");
    let task = http.get(&task_url, Auth::Bearer(&token)).await.json();
    assert_eq!(task["status"], "ACTIVE");
    assert_eq!(task["label"], "tutorial copy");
    assert_eq!(task["verify_checksum"], true);
    fake.advance_clock(Duration::from_secs(9));
    assert_eq!(
        http.get(&task_url, Auth::Bearer(&token)).await.json()["status"],
        "ACTIVE"
    );
    fake.advance_clock(Duration::from_secs(1));
    let task = http.get(&task_url, Auth::Bearer(&token)).await.json();
    assert_eq!(task["status"], "SUCCEEDED");
    assert_eq!(task["files_transferred"], 1001);

    let mut transferred = 0;
    let mut marker: Option<u64> = None;
    let mut pages = 0;
    loop {
        let url = match marker {
            Some(marker) => format!("{task_url}/successful_transfers?marker={marker}"),
            None => format!("{task_url}/successful_transfers"),
        };
        let page = http.get(&url, Auth::Bearer(&token)).await.json();
        transferred += page["DATA"].as_array().map_or(0, Vec::len);
        pages += 1;
        match page["next_marker"].as_u64() {
            Some(next) => marker = Some(next),
            None => break,
        }
    }
    assert_eq!((transferred, pages), (1001, 3));

    let ls = format!("{base}v0.10/operation/endpoint/{TUTORIAL_2}/ls?path=/~/copy/");
    assert_eq!(http.get(&ls, Auth::Bearer(&token)).await.json()["total"], 1001);
    let events = http
        .get(&format!("{task_url}/event_list"), Auth::Bearer(&token))
        .await
        .json();
    assert_eq!(events["DATA"][0]["code"], "SUCCEEDED");
    let list = http
        .get(
            &format!("{base}v0.10/task_list?filter=status:SUCCEEDED&limit=5"),
            Auth::Bearer(&token),
        )
        .await
        .json();
    assert_eq!(list["DATA_TYPE"], "task_list");
    assert_eq!(list["total"], 1);
    assert_eq!(list["DATA"][0]["task_id"], task_id);
    let cancel = http
        .post_json(&format!("{task_url}/cancel"), Auth::Bearer(&token), &json!({}))
        .await
        .json();
    assert_eq!(cancel["code"], "TaskComplete");
}

#[tokio::test]
async fn delete_cancel_and_bad_submissions() {
    let fake = fake().await;
    let http = Http::new();
    let token = transfer_token(&fake);
    let base = fake.transfer_url();
    let delete = json!({
        "DATA_TYPE": "delete",
        "endpoint": TUTORIAL_1,
        "DATA": [{"DATA_TYPE": "delete_item", "path": "/~/godata"}],
        "recursive": true,
        "submission_id": "sub-delete-1"
    });
    let accepted = http
        .post_json(&format!("{base}v0.10/delete"), Auth::Bearer(&token), &delete)
        .await
        .json();
    assert_eq!(accepted["DATA_TYPE"], "delete_result");
    let task_url = format!("{base}v0.10/task/{}", accepted["task_id"].as_str().expect("task id"));
    let cancel = http
        .post_json(&format!("{task_url}/cancel"), Auth::Bearer(&token), &json!({}))
        .await
        .json();
    assert_eq!(cancel["code"], "Canceled");
    fake.advance_clock(Duration::from_secs(60));
    let task = http.get(&task_url, Auth::Bearer(&token)).await.json();
    assert_eq!(task["status"], "FAILED");
    assert_eq!(task["type"], "DELETE");
    let ls = format!("{base}v0.10/operation/endpoint/{TUTORIAL_1}/ls?path=/~/godata");
    assert_eq!(
        http.get(&ls, Auth::Bearer(&token)).await.status,
        StatusCode::OK,
        "canceled delete left the files"
    );

    let cases: [(Value, &str); 4] = [
        (
            json!({"DATA_TYPE": "transfer", "DATA": [], "source_endpoint": TUTORIAL_1, "destination_endpoint": TUTORIAL_2, "submission_id": "s1"}),
            "ClientError.BadRequest.NoTransferItems",
        ),
        (
            json!({"DATA_TYPE": "transfer", "DATA": [], "source_endpoint": TUTORIAL_1, "destination_endpoint": TUTORIAL_2}),
            "ClientError.BadRequest",
        ),
        (
            json!({"DATA_TYPE": "transfer", "DATA": [{"source_path": "/a"}], "source_endpoint": TUTORIAL_1, "destination_endpoint": TUTORIAL_2, "submission_id": "s2"}),
            "ClientError.BadRequest",
        ),
        (
            json!({"DATA_TYPE": "transfer", "DATA": [], "source_endpoint": "nope", "destination_endpoint": TUTORIAL_2, "submission_id": "s3"}),
            "EndpointNotFound",
        ),
    ];
    for (body, code) in cases {
        let reply = http
            .post_json(&format!("{base}v0.10/transfer"), Auth::Bearer(&token), &body)
            .await;
        assert!(reply.status.is_client_error(), "{body}");
        assert_eq!(reply.json()["code"], code, "{body}");
    }
    let garbage = http
        .send(
            Method::POST,
            &format!("{base}v0.10/transfer"),
            Auth::Bearer(&token),
            Some(("application/json", b"[1,".to_vec())),
        )
        .await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST);
    let unknown_task = http.get(&format!("{base}v0.10/task/nope"), Auth::Bearer(&token)).await;
    assert_eq!(unknown_task.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown_task.json()["code"], "ClientError.NotFound");
}

#[tokio::test]
async fn groups_lifecycle() {
    let fake = fake().await;
    let http = Http::new();
    let token = groups_token(&fake);
    let base = fake.groups_url();
    let mine = http
        .get(&format!("{base}v2/groups/my_groups"), Auth::Bearer(&token))
        .await
        .json();
    let names: Vec<&str> = mine
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|g| g["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["Globus Tutorial Group", "Research Collaboration", "Data Curators"]
    );
    assert_eq!(mine[0]["my_memberships"][0]["role"], "admin");

    let created = http
        .post_json(
            &format!("{base}v2/groups"),
            Auth::Bearer(&token),
            &json!({"name": "Lab", "description": "d"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK);
    let group = created.json();
    let id = group["id"].as_str().expect("id").to_owned();
    assert_eq!(group["my_memberships"][0]["role"], "admin");
    let url = format!("{base}v2/groups/{id}");
    let updated = http
        .send_json(Method::PUT, &url, Auth::Bearer(&token), &json!({"name": "Lab 2"}))
        .await
        .json();
    assert_eq!(updated["name"], "Lab 2");

    let batch = json!({"add": [{"identity_id": "0b5e55ed-2222-4ccc-8ddd-000000000001", "role": "manager"}], "accept": [{"identity_id": "someone-else"}]});
    let result = http.post_json(&url, Auth::Bearer(&token), &batch).await.json();
    assert_eq!(result["add"][0]["status"], "active");
    assert_eq!(result["add"][0]["role"], "manager");
    assert_eq!(result["errors"]["accept"][0]["code"], "FORBIDDEN");
    let detail = http
        .get(&format!("{url}?include=memberships"), Auth::Bearer(&token))
        .await
        .json();
    assert_eq!(detail["memberships"].as_array().map(Vec::len), Some(2));

    let policies = json!({"group_visibility": "authenticated", "join_requests": true});
    let set = http
        .send_json(Method::PUT, &format!("{url}/policies"), Auth::Bearer(&token), &policies)
        .await
        .json();
    assert_eq!(set["group_visibility"], "authenticated");
    assert_eq!(
        http.get(&format!("{url}/policies"), Auth::Bearer(&token)).await.json()["join_requests"],
        true
    );
    let prefs = http
        .send_json(
            Method::PUT,
            &format!("{base}v2/preferences"),
            Auth::Bearer(&token),
            &json!({"allow_add": false}),
        )
        .await;
    assert_eq!(prefs.json()["allow_add"], false);
    assert_eq!(
        http.get(&format!("{base}v2/preferences"), Auth::Bearer(&token))
            .await
            .json()["allow_add"],
        false
    );
    let fields = http
        .get(&format!("{url}/membership_fields"), Auth::Bearer(&token))
        .await
        .json();
    assert_eq!(fields["membership_fields"], json!({}));

    assert_eq!(
        http.send(Method::DELETE, &url, Auth::Bearer(&token), None).await.status,
        StatusCode::OK
    );
    assert_eq!(http.get(&url, Auth::Bearer(&token)).await.status, StatusCode::NOT_FOUND);
    let invalid = http
        .post_json(
            &format!("{base}v2/groups"),
            Auth::Bearer(&token),
            &json!({"description": "no name"}),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let member_only = format!("{base}v2/groups/c0ffee00-1111-4aaa-8bbb-000000000002");
    let forbidden = http
        .send(Method::DELETE, &member_only, Auth::Bearer(&token), None)
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn fixture_routes_answer_the_recorded_bodies() {
    let fake = fake().await;
    let http = Http::new();
    let tokens = fake
        .issue_tokens(TUTORIAL_CLIENT_ID, "urn:globus:auth:scope:search.api.globus.org:all")
        .expect("tokens");
    let token = access_token(&tokens, "search.api.globus.org");
    let recorded: Vec<Value> =
        serde_json::from_str(include_str!("../../testdata/fixtures/globus-sdk-4.9.0/search.json")).expect("fixture");
    let index_list = recorded
        .iter()
        .find(|e| e["path"] == "/v1/index_list")
        .expect("index_list fixture");
    let reply = http
        .get(&format!("{}v1/index_list", fake.search_url()), Auth::Bearer(&token))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json(), index_list["body"]);

    let timers: Vec<Value> =
        serde_json::from_str(include_str!("../../testdata/fixtures/globus-sdk-4.9.0/timers.json")).expect("fixture");
    let jobs = timers
        .iter()
        .find(|e| e["path"] == "/jobs/" && e["http_method"] == "GET")
        .expect("jobs fixture");
    let reply = http
        .get(&format!("{}jobs/", fake.timer_url()), Auth::Bearer(&token))
        .await;
    assert_eq!(reply.json(), jobs["body"]);

    // A recorded Groups route the stateful handler does not know.
    let groups = groups_token(&fake);
    let sub = http
        .get(
            &format!(
                "{}v2/subscription_info/83b46225-497d-16a2-ab73-42cdf3d4c4c0",
                fake.groups_url()
            ),
            Auth::Bearer(&groups),
        )
        .await;
    assert_eq!(sub.json()["group_id"], "bc320740-4994-1942-8b3f-c805d5242bcb");

    let anonymous = http
        .get(&format!("{}v1/index_list", fake.search_url()), Auth::None)
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let unknown = http
        .get(&format!("{}v1/nothing/here", fake.search_url()), Auth::Bearer(&token))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let no_service = http
        .get(&format!("{}/nexus/x", fake.origin()), Auth::Bearer(&token))
        .await;
    assert_eq!(no_service.status, StatusCode::NOT_FOUND);
}
