//! Auth: the PKCE login, grants, refresh rotation, expiry, revocation, introspection.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{
    Auth, Http, TUTORIAL_SCOPES, access_token, authorize, exchange, fake, login, pkce, query_param, token_for,
};
use globus_testing::{Client, DEFAULT_USER_ID, DEFAULT_USERNAME, FakeGlobus, TUTORIAL_CLIENT_ID, User};
use http::StatusCode;
use serde_json::{Value, json};

const TRANSFER_RS: &str = "transfer.api.globus.org";
const GROUPS_RS: &str = "groups.api.globus.org";

fn token_url(fake: &FakeGlobus) -> String {
    format!("{}v2/oauth2/token", fake.auth_url())
}

#[tokio::test]
async fn pkce_login_then_transfer_and_groups() {
    let fake = fake().await;
    let http = Http::new();
    let (verifier, challenge) = pkce("login");
    let redirect = "http://localhost:8888/callback?from=test";
    let url = common::authorize_url(&fake, redirect, TUTORIAL_SCOPES, &challenge, true);
    let reply = http.get(&url, Auth::None).await;
    assert_eq!(reply.status, StatusCode::FOUND);
    let location = reply.header("location").expect("Location");
    assert!(
        location.starts_with("http://localhost:8888/callback?from=test&code="),
        "{location}"
    );
    assert_eq!(query_param(location, "state").as_deref(), Some("_default"));
    let code = query_param(location, "code").expect("code");
    assert!(
        code.len() >= 16
            && code
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );

    let form = [
        ("client_id", TUTORIAL_CLIENT_ID),
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("code_verifier", verifier.as_str()),
        ("redirect_uri", redirect),
    ];
    let reply = http.post_form(&token_url(&fake), Auth::None, &form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let tokens = reply.json();
    assert_eq!(tokens["resource_server"], "auth.globus.org");
    assert_eq!(tokens["scope"], "openid profile email");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 172_800);
    assert_eq!(tokens["state"], "_default");
    assert!(tokens["refresh_token"].is_string());
    let others = tokens["other_tokens"].as_array().expect("other_tokens");
    let servers: Vec<&str> = others.iter().filter_map(|t| t["resource_server"].as_str()).collect();
    assert_eq!(servers, [TRANSFER_RS, GROUPS_RS]);
    assert!(
        others
            .iter()
            .all(|t| t["refresh_token"].is_string() && t["access_token"].is_string())
    );

    let id_token = tokens["id_token"].as_str().expect("id_token");
    let claims: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(id_token.split('.').nth(1).expect("payload"))
            .expect("base64url"),
    )
    .expect("claims");
    assert_eq!(claims["sub"], DEFAULT_USER_ID);
    assert_eq!(claims["aud"], TUTORIAL_CLIENT_ID);

    let transfer = access_token(&tokens, TRANSFER_RS);
    let search = format!(
        "{}v0.10/endpoint_search?filter_fulltext=tutorial&filter_scope=all&limit=10",
        fake.transfer_url()
    );
    let reply = http.get(&search, Auth::Bearer(&transfer)).await;
    assert_eq!(reply.status, StatusCode::OK);
    let page = reply.json();
    assert_eq!(page["DATA_TYPE"], "endpoint_list");
    assert!(
        page["DATA"]
            .as_array()
            .is_some_and(|d| d.iter().any(|e| e["display_name"] == "Globus Tutorial Collection 1"))
    );

    let groups = access_token(&tokens, GROUPS_RS);
    let reply = http
        .get(
            &format!("{}v2/groups/my_groups", fake.groups_url()),
            Auth::Bearer(&groups),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.json().as_array().is_some_and(|list| list.len() >= 2));

    let auth = tokens["access_token"].as_str().expect("auth token");
    let userinfo = http
        .get(&format!("{}v2/oauth2/userinfo", fake.auth_url()), Auth::Bearer(auth))
        .await
        .json();
    assert_eq!(userinfo["sub"], DEFAULT_USER_ID);
    assert_eq!(userinfo["preferred_username"], DEFAULT_USERNAME);
    assert_eq!(fake.counters().token_posts, 1);
}

#[tokio::test]
async fn default_redirect_shows_the_code_page() {
    let fake = fake().await;
    let http = Http::new();
    let (_, challenge) = pkce("page");
    let url = format!(
        "{}v2/oauth2/authorize?client_id={TUTORIAL_CLIENT_ID}&scope=openid&response_type=code&code_challenge={challenge}\
         &code_challenge_method=S256",
        fake.auth_url()
    );
    let reply = http.get(&url, Auth::None).await;
    assert_eq!(reply.status, StatusCode::FOUND);
    let location = reply.header("location").expect("Location").to_owned();
    assert!(
        location.starts_with(&format!("{}?code=", fake.default_redirect_uri())),
        "{location}"
    );
    let code = query_param(&location, "code").expect("code");
    let page = http.get(&location, Auth::None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.header("content-type")
            .is_some_and(|ct| ct.starts_with("text/html"))
    );
    assert!(page.text().contains(&code));
}

#[tokio::test]
async fn authorize_rejects_bad_requests() {
    let fake = fake().await;
    let http = Http::new();
    let base = format!("{}v2/oauth2/authorize", fake.auth_url());
    let unknown = http
        .get(
            &format!("{base}?client_id=nope&scope=openid&response_type=code"),
            Auth::None,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(unknown.json()["error"], "invalid_client");
    let no_pkce = format!("{base}?client_id={TUTORIAL_CLIENT_ID}&scope=openid&response_type=code&state=s1");
    let reply = http.get(&no_pkce, Auth::None).await;
    assert_eq!(reply.status, StatusCode::FOUND);
    let location = reply.header("location").expect("Location");
    assert_eq!(query_param(location, "error").as_deref(), Some("invalid_request"));
    assert_eq!(query_param(location, "state").as_deref(), Some("s1"));
    let (_, challenge) = pkce("x");
    let bad_scope = format!(
        "{base}?client_id={TUTORIAL_CLIENT_ID}&scope=bogus&response_type=code&code_challenge={challenge}\
         &code_challenge_method=S256"
    );
    let reply = http.get(&bad_scope, Auth::None).await;
    assert_eq!(
        query_param(reply.header("location").expect("Location"), "error").as_deref(),
        Some("invalid_scope")
    );
}

#[tokio::test]
async fn wrong_verifier_and_reused_codes_are_rejected() {
    let fake = fake().await;
    let http = Http::new();
    let (verifier, challenge) = pkce("wrong");
    let code = authorize(&http, &fake, TUTORIAL_SCOPES, &challenge, false).await;
    let (other_verifier, _) = pkce("other");
    let reply = exchange(&http, &fake, &code, &other_verifier).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["error"], "invalid_grant");
    // The failed attempt consumed the code.
    assert_eq!(
        exchange(&http, &fake, &code, &verifier).await.json()["error"],
        "invalid_grant"
    );

    let code = authorize(&http, &fake, TUTORIAL_SCOPES, &challenge, false).await;
    let first = exchange(&http, &fake, &code, &verifier).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(
        first.json().get("refresh_token").is_none(),
        "online login has no refresh token"
    );
    let second = exchange(&http, &fake, &code, &verifier).await;
    assert_eq!(second.status, StatusCode::BAD_REQUEST);
    assert_eq!(second.json()["error"], "invalid_grant");
}

#[tokio::test]
async fn codes_expire_on_the_fake_clock() {
    let fake = fake().await;
    let http = Http::new();
    let (verifier, challenge) = pkce("expiry");
    let code = authorize(&http, &fake, "openid", &challenge, false).await;
    fake.advance_clock(std::time::Duration::from_secs(601));
    assert_eq!(
        exchange(&http, &fake, &code, &verifier).await.json()["error"],
        "invalid_grant"
    );
}

#[tokio::test]
async fn refresh_rotates_and_returns_only_its_resource_server() {
    let fake = fake().await;
    let http = Http::new();
    let tokens = login(&http, &fake, TUTORIAL_SCOPES, true).await;
    let old = token_for(&tokens, TRANSFER_RS)["refresh_token"]
        .as_str()
        .expect("refresh token")
        .to_owned();
    let refresh = |token: String| {
        let (http, url) = (http.clone(), token_url(&fake));
        async move {
            let form = [
                ("refresh_token", token.as_str()),
                ("grant_type", "refresh_token"),
                ("client_id", TUTORIAL_CLIENT_ID),
            ];
            http.post_form(&url, Auth::None, &form).await
        }
    };
    let reply = refresh(old.clone()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["resource_server"], TRANSFER_RS);
    assert_eq!(body["other_tokens"], json!([]));
    let new = body["refresh_token"]
        .as_str()
        .expect("rotated refresh token")
        .to_owned();
    assert_ne!(new, old);
    let search = format!("{}v0.10/endpoint_search?filter_fulltext=tutorial", fake.transfer_url());
    let fresh = body["access_token"].as_str().expect("access token");
    assert_eq!(http.get(&search, Auth::Bearer(fresh)).await.status, StatusCode::OK);

    let reused = refresh(old).await;
    assert_eq!(reused.status, StatusCode::BAD_REQUEST);
    assert_eq!(reused.json()["error"], "invalid_grant");
    assert_eq!(refresh(new).await.status, StatusCode::OK);
    assert_eq!(fake.counters().token_posts, 4);
}

#[tokio::test]
async fn client_credentials_for_a_confidential_client() {
    let fake = FakeGlobus::builder()
        .frozen_clock()
        .client(Client::confidential("conf-client", "s3cret"))
        .start()
        .await
        .expect("start");
    let http = Http::new();
    let form = [
        ("grant_type", "client_credentials"),
        ("scope", "urn:globus:auth:scope:transfer.api.globus.org:all"),
    ];
    let reply = http
        .post_form(&token_url(&fake), Auth::Basic("conf-client", "s3cret"), &form)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["resource_server"], TRANSFER_RS);
    assert_eq!(body["other_tokens"], json!([]));
    assert!(body.get("refresh_token").is_none());
    let token = body["access_token"].as_str().expect("token");
    let tasks = http
        .get(&format!("{}v0.10/task_list", fake.transfer_url()), Auth::Bearer(token))
        .await;
    assert_eq!(tasks.status, StatusCode::OK);

    let wrong = http
        .post_form(&token_url(&fake), Auth::Basic("conf-client", "nope"), &form)
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.json()["error"], "invalid_client");
    let native = [
        ("grant_type", "client_credentials"),
        ("scope", "openid"),
        ("client_id", TUTORIAL_CLIENT_ID),
    ];
    let reply = http.post_form(&token_url(&fake), Auth::None, &native).await;
    assert_eq!(reply.json()["error"], "unauthorized_client");
    let unsupported = http
        .post_form(
            &token_url(&fake),
            Auth::Basic("conf-client", "s3cret"),
            &[("grant_type", "password")],
        )
        .await;
    assert_eq!(unsupported.json()["error"], "unsupported_grant_type");
    let missing = http.post_form(&token_url(&fake), Auth::None, &[]).await;
    assert_eq!(missing.json()["error"], "invalid_request");
}

#[tokio::test]
async fn dependent_tokens_come_as_an_array() {
    let fake = fake().await;
    fake.register_client(Client::confidential("service", "pw"));
    let http = Http::new();
    let tokens = login(&http, &fake, TUTORIAL_SCOPES, false).await;
    let auth = tokens["access_token"].as_str().expect("token");
    let form = [
        ("grant_type", "urn:globus:auth:grant_type:dependent_token"),
        ("token", auth),
        (
            "scope",
            "urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships",
        ),
        ("access_type", "offline"),
    ];
    let reply = http
        .post_form(&token_url(&fake), Auth::Basic("service", "pw"), &form)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let body = reply.json();
    let list = body.as_array().expect("array");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["resource_server"], GROUPS_RS);
    assert!(list[0]["refresh_token"].is_string());
    let groups = list[0]["access_token"].as_str().expect("token");
    let mine = http
        .get(
            &format!("{}v2/groups/my_groups", fake.groups_url()),
            Auth::Bearer(groups),
        )
        .await;
    assert_eq!(mine.status, StatusCode::OK);
}

#[tokio::test]
async fn expired_tokens_get_401_after_advancing_the_clock() {
    let fake = fake().await;
    let http = Http::new();
    let tokens = login(&http, &fake, TUTORIAL_SCOPES, true).await;
    let transfer = access_token(&tokens, TRANSFER_RS);
    let url = format!("{}v0.10/endpoint_search?filter_fulltext=tutorial", fake.transfer_url());
    assert_eq!(http.get(&url, Auth::Bearer(&transfer)).await.status, StatusCode::OK);
    let advanced = http
        .post_json(
            &format!("{}/_clock", fake.origin()),
            Auth::None,
            &json!({"advance": 172_801}),
        )
        .await;
    assert_eq!(advanced.status, StatusCode::OK);
    let reply = http.get(&url, Auth::Bearer(&transfer)).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let error = reply.json();
    assert_eq!(error["code"], "AuthenticationFailed");
    assert!(error["request_id"].is_string() && error["message"].is_string());
    assert_eq!(fake.counters().unauthenticated, 1);

    // The refresh token still works and gives a live token.
    let refresh = token_for(&tokens, TRANSFER_RS)["refresh_token"]
        .as_str()
        .expect("refresh")
        .to_owned();
    let form = [
        ("refresh_token", refresh.as_str()),
        ("grant_type", "refresh_token"),
        ("client_id", TUTORIAL_CLIENT_ID),
    ];
    let renewed = http.post_form(&token_url(&fake), Auth::None, &form).await.json();
    let fresh = renewed["access_token"].as_str().expect("token");
    assert_eq!(http.get(&url, Auth::Bearer(fresh)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn tokens_only_work_for_their_resource_server() {
    let fake = fake().await;
    let http = Http::new();
    let tokens = login(&http, &fake, TUTORIAL_SCOPES, false).await;
    let groups = access_token(&tokens, GROUPS_RS);
    let url = format!("{}v0.10/task_list", fake.transfer_url());
    assert_eq!(
        http.get(&url, Auth::Bearer(&groups)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(http.get(&url, Auth::None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        http.get(&url, Auth::Bearer("made-up")).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(fake.counters().unauthenticated, 3);
}

#[tokio::test]
async fn revoked_tokens_are_dead() {
    let fake = fake().await;
    let http = Http::new();
    let tokens = login(&http, &fake, TUTORIAL_SCOPES, true).await;
    let transfer = access_token(&tokens, TRANSFER_RS);
    let refresh = token_for(&tokens, TRANSFER_RS)["refresh_token"]
        .as_str()
        .expect("refresh")
        .to_owned();
    let revoke = format!("{}v2/oauth2/token/revoke", fake.auth_url());
    for token in [&transfer, &refresh] {
        let reply = http
            .post_form(
                &revoke,
                Auth::None,
                &[("token", token.as_str()), ("client_id", TUTORIAL_CLIENT_ID)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.json(), json!({"active": false}));
    }
    let url = format!("{}v0.10/task_list", fake.transfer_url());
    assert_eq!(
        http.get(&url, Auth::Bearer(&transfer)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let form = [
        ("refresh_token", refresh.as_str()),
        ("grant_type", "refresh_token"),
        ("client_id", TUTORIAL_CLIENT_ID),
    ];
    assert_eq!(
        http.post_form(&token_url(&fake), Auth::None, &form).await.json()["error"],
        "invalid_grant"
    );
}

#[tokio::test]
async fn introspect_and_identities() {
    let fake = fake().await;
    fake.register_client(Client::confidential("rs-client", "pw"));
    let mut colleague = User::new("0b5e55ed-2222-4ccc-8ddd-000000000009", "colleague9@globusid.org");
    colleague.name = "Colleague Nine".into();
    fake.register_user(colleague);
    let http = Http::new();
    let tokens = login(&http, &fake, TUTORIAL_SCOPES, false).await;
    let transfer = access_token(&tokens, TRANSFER_RS);
    let introspect = format!("{}v2/oauth2/token/introspect", fake.auth_url());
    let form = [("token", transfer.as_str()), ("include", "identity_set")];
    let doc = http
        .post_form(&introspect, Auth::Basic("rs-client", "pw"), &form)
        .await
        .json();
    assert_eq!(doc["active"], true);
    assert_eq!(doc["sub"], DEFAULT_USER_ID);
    assert_eq!(doc["client_id"], TUTORIAL_CLIENT_ID);
    assert_eq!(doc["username"], DEFAULT_USERNAME);
    assert_eq!(doc["iss"], "https://auth.globus.org");
    assert_eq!(doc["aud"][0], TRANSFER_RS);
    assert_eq!(doc["identity_set"], json!([DEFAULT_USER_ID]));
    let dead = http
        .post_form(&introspect, Auth::Basic("rs-client", "pw"), &[("token", "nope")])
        .await
        .json();
    assert_eq!(dead, json!({"active": false}));
    let native = http
        .post_form(
            &introspect,
            Auth::None,
            &[("token", transfer.as_str()), ("client_id", TUTORIAL_CLIENT_ID)],
        )
        .await;
    assert_eq!(native.status, StatusCode::UNAUTHORIZED);

    let auth = tokens["access_token"].as_str().expect("token");
    let url = format!(
        "{}v2/api/identities?usernames={DEFAULT_USERNAME},colleague9@globusid.org,ghost@x.org",
        fake.auth_url()
    );
    let found = http.get(&url, Auth::Bearer(auth)).await.json();
    let names: Vec<&str> = found["identities"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|i| i["username"].as_str())
        .collect();
    assert_eq!(names, [DEFAULT_USERNAME, "colleague9@globusid.org"]);
    assert_eq!(found["identities"][0]["status"], "used");
    let by_id = http
        .get(
            &format!("{}v2/api/identities?ids={DEFAULT_USER_ID}", fake.auth_url()),
            Auth::Bearer(auth),
        )
        .await;
    assert_eq!(by_id.json()["identities"][0]["id"], DEFAULT_USER_ID);
    let provisioned = http
        .get(
            &format!(
                "{}v2/api/identities?usernames=ghost@x.org&provision=true",
                fake.auth_url()
            ),
            Auth::Bearer(auth),
        )
        .await;
    assert_eq!(provisioned.json()["identities"][0]["status"], "unused");
}

#[tokio::test]
async fn login_as_another_user() {
    let fake = fake().await;
    fake.register_user(User::new("0b5e55ed-2222-4ccc-8ddd-00000000000a", "alice@globusid.org"));
    assert!(fake.login_as("0b5e55ed-2222-4ccc-8ddd-00000000000a"));
    assert!(!fake.login_as("nobody"));
    let http = Http::new();
    let tokens = login(&http, &fake, "openid profile", false).await;
    let auth = tokens["access_token"].as_str().expect("token");
    let info = http
        .get(&format!("{}v2/oauth2/userinfo", fake.auth_url()), Auth::Bearer(auth))
        .await
        .json();
    assert_eq!(info["preferred_username"], "alice@globusid.org");
}
