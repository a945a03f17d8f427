//! Property tests: encoders decode back to their inputs, scopes round-trip, parsers never
//! panic, and `Debug` never shows a secret.

use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;
use globus_auth_core::scopes::{self, Scope};
use globus_auth_core::{
    AuthorizationCode, AuthorizeParams, ClientSecret, ConfidentialAppClient, DependentTokenOptions, Environment,
    ErrorDocument, NativeAppClient, NativeFlowOptions, Params, PkceVerifier, RefreshToken, TokenResponse, TokenValue,
};
use proptest::prelude::*;

/// Decodes `application/x-www-form-urlencoded` (the inverse of Python's `quote_plus`).
fn decode_component(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii hex");
                out.push(u8::from_str_radix(hex, 16).expect("hex digits"));
                i += 2;
            }
            other => {
                assert!(
                    other.is_ascii_alphanumeric() || b"_.-~".contains(&other),
                    "unescaped {:?}",
                    other as char
                );
                out.push(other);
            }
        }
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8")
}

fn decode_pairs(encoded: &str) -> Vec<(String, String)> {
    if encoded.is_empty() {
        return Vec::new();
    }
    encoded
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').expect("name=value");
            (decode_component(name), decode_component(value))
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// Any text, including spaces, reserved characters and non-ASCII.
fn text() -> impl Strategy<Value = String> {
    "\\PC{0,24}"
}

fn verifier() -> impl Strategy<Value = String> {
    "[A-Za-z0-9~_.-]{43,128}"
}

fn secret() -> impl Strategy<Value = String> {
    "[A-Za-z0-9+/=_-]{16,40}"
}

/// A tree of scope names and optional markers; `build_unique` makes the names distinct.
fn scope_tree() -> impl Strategy<Value = RawTree> {
    let leaf = ("[a-z][a-z0-9:/._-]{0,10}", any::<bool>()).prop_map(|(name, optional)| RawTree {
        name,
        optional,
        children: Vec::new(),
    });
    leaf.prop_recursive(3, 12, 3, |inner| {
        (
            "[a-z][a-z0-9:/._-]{0,10}",
            any::<bool>(),
            prop::collection::vec(inner, 1..3),
        )
            .prop_map(|(name, optional, children)| RawTree {
                name,
                optional,
                children,
            })
    })
}

/// A generated tree before its names are made distinct.
#[derive(Clone, Debug)]
struct RawTree {
    name: String,
    optional: bool,
    children: Vec<RawTree>,
}

fn build_unique(raw: &RawTree, counter: &mut usize) -> Scope {
    *counter += 1;
    let name = format!("{}{}", raw.name, counter);
    let children: Vec<Scope> = raw.children.iter().map(|child| build_unique(child, counter)).collect();
    Scope::new(name)
        .expect("valid name")
        .with_optional(raw.optional)
        .with_dependencies(children)
}

proptest! {
    // A fixed seed keeps every run deterministic (PROPTEST_RNG_SEED still overrides it
    // for exploration); 256 cases per property.
    #![proptest_config(ProptestConfig {
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x0067_6c6f_6275_7321),
        cases: 256,
        ..ProptestConfig::default()
    })]

    #[test]
    fn authorize_url_query_decodes_to_inputs(
        client_id in "[a-z0-9-]{1,36}",
        scope_text in text().prop_filter("scopes must not be empty", |s| !s.is_empty()),
        state in text(),
        redirect in "https://[a-z]{1,10}\\.example/[a-z ?=&%]{0,12}",
        refresh in any::<bool>(),
        prefill in proptest::option::of(text()),
        identities in proptest::option::of(prop::collection::vec("[a-f0-9-]{1,36}", 0..3)),
        mfa in proptest::option::of(any::<bool>()),
        message in proptest::option::of(text()),
        extra in prop::collection::vec(("[a-z_]{1,8}", text()), 0..3),
        verifier in verifier(),
    ) {
        let client = NativeAppClient::new(&client_id, "https://auth.globus.org/").unwrap();
        let mut options = NativeFlowOptions::new()
            .requested_scopes(&scope_text)
            .state(&state)
            .redirect_uri(&redirect)
            .refresh_tokens(refresh)
            .verifier(PkceVerifier::new(&verifier).unwrap());
        if let Some(prefill) = &prefill {
            options = options.prefill_named_grant(prefill);
        }
        let flow = client.start_flow(options).unwrap();
        let params = AuthorizeParams {
            session_required_identities: identities.clone(),
            session_required_mfa: mfa,
            session_message: message.clone(),
            query_params: extra.iter().cloned().collect(),
            ..AuthorizeParams::default()
        };
        let url = flow.authorize_url(&params);
        let (base, query) = url.split_once('?').unwrap();
        prop_assert_eq!(base, "https://auth.globus.org/v2/oauth2/authorize");

        // The model: Python's dict, then query_params replacing values in place.
        let mut expected: Vec<(String, String)> = pairs(&[
            ("client_id", &client_id),
            ("redirect_uri", &redirect),
            ("scope", &scope_text),
            ("state", &state),
            ("response_type", "code"),
            ("code_challenge", flow.challenge()),
            ("code_challenge_method", "S256"),
            ("access_type", if refresh { "offline" } else { "online" }),
        ]);
        let mut optional = vec![("prefill_named_grant".to_owned(), prefill.clone())];
        optional.push(("session_required_identities".to_owned(), identities.map(|l| l.join(","))));
        optional.push(("session_required_mfa".to_owned(), mfa.map(|m| if m { "True" } else { "False" }.to_owned())));
        optional.push(("session_message".to_owned(), message));
        let mut model: Vec<(String, Option<String>)> = expected.drain(..).map(|(k, v)| (k, Some(v))).collect();
        model.extend(optional);
        for (name, value) in &extra {
            match model.iter_mut().find(|(k, _)| k == name) {
                Some(entry) => entry.1 = Some(value.clone()),
                None => model.push((name.clone(), Some(value.clone()))),
            }
        }
        let expected: Vec<(String, String)> = model.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect();
        prop_assert_eq!(decode_pairs(query), expected);
    }

    #[test]
    fn token_bodies_decode_to_expected_pairs(
        client_id in "[a-z0-9-]{1,36}",
        secret in secret(),
        token in text(),
        scope in proptest::option::of(text()),
        refresh in any::<bool>(),
        extra in prop::collection::vec(("[a-z_]{1,8}", text()), 0..3),
    ) {
        let native = NativeAppClient::new(&client_id, "https://auth.globus.org").unwrap();
        let confidential = ConfidentialAppClient::new(&client_id, ClientSecret::new(&secret), "https://auth.globus.org").unwrap();
        let body_params: Params = extra.iter().cloned().collect();
        let with_extra = |mut base: Vec<(String, String)>| {
            for (name, value) in &extra {
                match base.iter_mut().find(|(k, _)| k == name) {
                    Some(entry) => entry.1 = value.clone(),
                    None => base.push((name.clone(), value.clone())),
                }
            }
            base
        };
        let body = |request: http::Request<Bytes>| decode_pairs(std::str::from_utf8(request.body()).unwrap());

        let refresh_token = RefreshToken::new(&token);
        prop_assert_eq!(
            body(native.refresh_token_request(&refresh_token, &body_params).unwrap()),
            with_extra(pairs(&[("refresh_token", &token), ("grant_type", "refresh_token"), ("client_id", &client_id)]))
        );
        prop_assert_eq!(
            body(confidential.refresh_token_request(&refresh_token, &body_params).unwrap()),
            with_extra(pairs(&[("refresh_token", &token), ("grant_type", "refresh_token")]))
        );
        let value = TokenValue::new(&token);
        prop_assert_eq!(
            body(native.revoke_token_request(&value, &body_params).unwrap()),
            with_extra(pairs(&[("token", &token), ("client_id", &client_id)]))
        );
        let options = DependentTokenOptions { refresh_tokens: refresh, scope: scope.clone(), additional_params: body_params.clone() };
        let mut dependent = pairs(&[("grant_type", "urn:globus:auth:grant_type:dependent_token"), ("token", &token)]);
        if refresh {
            dependent.push(("access_type".into(), "offline".into()));
        }
        if let Some(scope) = &scope {
            dependent.push(("scope".into(), scope.clone()));
        }
        let request = confidential.dependent_token_request(&value, &options).unwrap();
        prop_assert!(request.headers()["authorization"].is_sensitive());
        prop_assert_eq!(body(request), with_extra(dependent));
    }

    #[test]
    fn scope_trees_round_trip(trees in prop::collection::vec(scope_tree(), 1..4)) {
        // Distinct names across the whole list, so parsing has nothing to merge.
        let mut counter = 0usize;
        let trees: Vec<Scope> = trees.iter().map(|raw| build_unique(raw, &mut counter)).collect();
        let text = scopes::serialize(&trees, true).unwrap();
        prop_assert_eq!(scopes::parse(&text).unwrap(), trees);
    }

    #[test]
    fn parse_serialize_parse_is_stable(input in "[ab*\\[\\] ]{0,16}") {
        if let Ok(first) = scopes::parse(&input) {
            let again = scopes::parse(&scopes::serialize(&first, false).unwrap()).unwrap();
            prop_assert_eq!(again, first);
        }
    }

    #[test]
    fn parsers_never_panic_on_strings(input in "\\PC{0,64}|[a-c*\\[\\] \t]{0,32}") {
        let _ = scopes::parse(&input);
        let _ = Scope::parse(&input);
        let _ = Scope::new(input.clone());
        let _ = PkceVerifier::new(input.clone());
        let _ = input.parse::<Environment>();
        let _ = TokenResponse::from_json(serde_json::Value::String(input.clone()), UNIX_EPOCH);
    }

    #[test]
    fn parsers_never_panic_on_bytes(body in prop::collection::vec(any::<u8>(), 0..256), status in 100u16..600) {
        let response = http::Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(Bytes::from(body.clone()))
            .unwrap();
        let _ = TokenResponse::from_http(&response, UNIX_EPOCH);
        let _ = TokenResponse::dependent_from_http(&response, UNIX_EPOCH);
        let _ = ErrorDocument::parse(status, Some("application/json"), &body);
        let _ = ErrorDocument::parse(status, Some("application/vnd.api+json"), &body);
    }

    #[test]
    fn token_json_of_any_shape_never_panics(value in json_value()) {
        let _ = TokenResponse::from_json(value.clone(), UNIX_EPOCH + Duration::from_secs(1));
        let _ = TokenResponse::dependent_from_json(value.clone(), UNIX_EPOCH);
        let _ = ErrorDocument::parse(400, Some("application/json"), value.to_string().as_bytes());
    }

    #[test]
    fn debug_never_shows_secrets(
        access in "AT[A-Za-z0-9]{20}",
        refresh in "RT[A-Za-z0-9]{20}",
        secret in "CS[A-Za-z0-9]{20}",
        code in "CO[A-Za-z0-9]{20}",
        id_token in "ID[A-Za-z0-9]{20}",
        verifier in "VE[A-Za-z0-9]{41}",
    ) {
        let client = ConfidentialAppClient::new("cid", ClientSecret::new(&secret), "https://auth.globus.org/").unwrap();
        let native = NativeAppClient::new("cid", "https://auth.globus.org/").unwrap();
        let flow = native
            .start_flow(NativeFlowOptions::new().verifier(PkceVerifier::new(&verifier).unwrap()))
            .unwrap();
        let exchange = flow.exchange_code_request(&AuthorizationCode::new(&code)).unwrap();
        let refresh_request = client.refresh_token_request(&RefreshToken::new(&refresh), &Params::new()).unwrap();
        let document = serde_json::json!({
            "access_token": access, "refresh_token": refresh, "id_token": id_token, "scope": "openid",
            "resource_server": "auth.globus.org", "expires_in": 10,
            "other_tokens": [{"access_token": access, "refresh_token": refresh, "scope": "s", "resource_server": "r"}],
        });
        let response = TokenResponse::from_json(document, UNIX_EPOCH).unwrap();
        let debug = format!(
            "{client:?} {native:?} {flow:?} {response:?} {:?} {:?} {:?}",
            response.by_resource_server(), refresh_request.headers(), exchange.headers()
        );
        for secret_value in [&access, &refresh, &secret, &code, &id_token, &verifier] {
            prop_assert!(!debug.contains(secret_value.as_str()), "{} leaked in {}", secret_value, debug);
        }
    }
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value, json};
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>().prop_map(|f| json!(f)),
        any::<i64>().prop_map(|i| json!(i)),
        prop_oneof![
            Just("access_token".to_owned()),
            Just("resource_server".to_owned()),
            Just("scope".to_owned()),
            "\\PC{0,8}"
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        let key = prop_oneof![
            Just("access_token".to_owned()),
            Just("resource_server".to_owned()),
            Just("scope".to_owned()),
            Just("expires_in".to_owned()),
            Just("other_tokens".to_owned()),
            Just("refresh_token".to_owned()),
            Just("errors".to_owned()),
            Just("code".to_owned()),
            Just("message".to_owned()),
            Just("authorization_parameters".to_owned()),
            "[a-z_]{1,6}"
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key, inner, 0..6).prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}
