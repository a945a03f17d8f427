//! Token responses: the Python SDK's `OAuthTokenResponse` (`by_resource_server`,
//! `by_scopes`) computed from an `http::Response<Bytes>` and an explicit `now`.

use core::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use crate::error_document::ErrorDocument;
use crate::scopes::is_python_space;
use crate::{AccessToken, Error, IdToken, RefreshToken};

/// The tokens of one resource server (one entry of Python's `by_resource_server`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenData {
    /// The resource server, e.g. `transfer.api.globus.org`.
    pub resource_server: String,
    /// The granted scopes, space-separated.
    pub scope: String,
    /// The access token.
    pub access_token: AccessToken,
    /// The refresh token, when one was issued.
    pub refresh_token: Option<RefreshToken>,
    /// The token type (`Bearer`), when given.
    pub token_type: Option<String>,
    /// When the access token expires, in seconds since the Unix epoch:
    /// `int(now + expires_in)`, as Python computes it.
    pub expires_at_seconds: i64,
}

impl TokenData {
    /// The granted scopes, one by one.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope.split(is_python_space).filter(|scope| !scope.is_empty())
    }

    /// When the access token expires.
    pub fn expires_at(&self) -> SystemTime {
        let seconds = Duration::from_secs(self.expires_at_seconds.unsigned_abs());
        if self.expires_at_seconds >= 0 {
            UNIX_EPOCH.checked_add(seconds).unwrap_or(UNIX_EPOCH)
        } else {
            UNIX_EPOCH.checked_sub(seconds).unwrap_or(UNIX_EPOCH)
        }
    }

    /// Whether the access token expires within `margin` of `now` (or has expired).
    pub fn expires_within(&self, now: SystemTime, margin: Duration) -> bool {
        now.checked_add(margin)
            .is_none_or(|deadline| deadline >= self.expires_at())
    }
}

/// A parsed token response.
#[derive(Clone, PartialEq)]
pub struct TokenResponse {
    tokens: Vec<TokenData>,
    id_token: Option<IdToken>,
    raw: Value,
}

fn unix_seconds(now: SystemTime) -> f64 {
    match now.duration_since(UNIX_EPOCH) {
        Ok(after) => after.as_secs_f64(),
        Err(before) => -before.duration().as_secs_f64(),
    }
}

fn required<'a>(map: &'a Map<String, Value>, field: &'static str) -> Result<&'a Value, Error> {
    map.get(field).ok_or(Error::MissingField { field })
}

fn required_str<'a>(map: &'a Map<String, Value>, field: &'static str) -> Result<&'a str, Error> {
    required(map, field)?.as_str().ok_or(Error::InvalidField {
        field,
        expected: "a string",
    })
}

fn optional_str<'a>(map: &'a Map<String, Value>, field: &'static str) -> Result<Option<&'a str>, Error> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(value)) => Ok(Some(value)),
        Some(_) => Err(Error::InvalidField {
            field,
            expected: "a string or null",
        }),
    }
}

fn as_object<'a>(value: &'a Value, field: &'static str) -> Result<&'a Map<String, Value>, Error> {
    value.as_object().ok_or(Error::InvalidField {
        field,
        expected: "a JSON object",
    })
}

/// Python's `_convert_token_info_dict`, with its field order for errors.
fn token_data(map: &Map<String, Value>, now: f64) -> Result<TokenData, Error> {
    let scope = required_str(map, "scope")?;
    let access_token = required_str(map, "access_token")?;
    let refresh_token = optional_str(map, "refresh_token")?;
    let token_type = optional_str(map, "token_type")?;
    let expires_in = match map.get("expires_in") {
        None => 0.0,
        Some(value) => value.as_f64().ok_or(Error::InvalidField {
            field: "expires_in",
            expected: "a number",
        })?,
    };
    let resource_server = required_str(map, "resource_server")?;
    Ok(TokenData {
        resource_server: resource_server.to_owned(),
        scope: scope.to_owned(),
        access_token: AccessToken::new(access_token),
        refresh_token: refresh_token.map(RefreshToken::new),
        token_type: token_type.map(str::to_owned),
        // Python's int(): truncation toward zero; `as` saturates out-of-range values.
        expires_at_seconds: (now + expires_in).trunc() as i64,
    })
}

/// Inserts with Python dict semantics: a repeated resource server keeps its first
/// position and takes the last value.
fn insert(tokens: &mut Vec<TokenData>, data: TokenData) {
    match tokens
        .iter_mut()
        .find(|existing| existing.resource_server == data.resource_server)
    {
        Some(existing) => *existing = data,
        None => tokens.push(data),
    }
}

fn checked_body<B: AsRef<[u8]>>(response: &http::Response<B>) -> Result<Value, Error> {
    if !response.status().is_success() {
        return Err(Error::Api(Box::new(ErrorDocument::from_http(response))));
    }
    serde_json::from_slice(response.body().as_ref()).map_err(Error::InvalidJson)
}

impl TokenResponse {
    /// Parses the answer to a code exchange, refresh or client-credentials grant. An
    /// error status gives [`Error::Api`] with the parsed Globus error document.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use globus_auth_core::TokenResponse;
    /// let body = r#"{"access_token":"AT","scope":"openid email","resource_server":"auth.globus.org",
    ///   "expires_in":172800,"token_type":"Bearer","other_tokens":[]}"#;
    /// let response = http::Response::new(bytes::Bytes::from(body));
    /// let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// let tokens = TokenResponse::from_http(&response, now)?;
    /// let auth = tokens.by_scopes("email")?;
    /// assert_eq!(auth.resource_server, "auth.globus.org");
    /// assert_eq!(auth.expires_at_seconds, 1_700_172_800);
    /// assert!(!format!("{tokens:?}").contains("\"AT\""));
    /// # Ok::<(), globus_auth_core::Error>(())
    /// ```
    pub fn from_http<B: AsRef<[u8]>>(response: &http::Response<B>, now: SystemTime) -> Result<Self, Error> {
        Self::from_json(checked_body(response)?, now)
    }

    /// Parses the answer to a dependent-token grant (a JSON array of tokens).
    pub fn dependent_from_http<B: AsRef<[u8]>>(response: &http::Response<B>, now: SystemTime) -> Result<Self, Error> {
        Self::dependent_from_json(checked_body(response)?, now)
    }

    /// Parses a token document: the top-level token, then every `other_tokens` entry.
    pub fn from_json(document: Value, now: SystemTime) -> Result<Self, Error> {
        let now = unix_seconds(now);
        let root = as_object(&document, "(document)")?;
        required(root, "resource_server")?;
        let mut tokens = vec![token_data(root, now)?];
        let others = required(root, "other_tokens")?.as_array().ok_or(Error::InvalidField {
            field: "other_tokens",
            expected: "a list",
        })?;
        for other in others {
            let other = as_object(other, "other_tokens")?;
            required(other, "resource_server")?;
            insert(&mut tokens, token_data(other, now)?);
        }
        let id_token = optional_str(root, "id_token")?.map(IdToken::new);
        Ok(Self {
            tokens,
            id_token,
            raw: document,
        })
    }

    /// Parses a dependent-token document (a JSON array of token objects).
    pub fn dependent_from_json(document: Value, now: SystemTime) -> Result<Self, Error> {
        let now = unix_seconds(now);
        let items = document.as_array().ok_or(Error::InvalidField {
            field: "(document)",
            expected: "a list",
        })?;
        let mut tokens = Vec::with_capacity(items.len());
        for item in items {
            let item = as_object(item, "(document)")?;
            required(item, "resource_server")?;
            insert(&mut tokens, token_data(item, now)?);
        }
        Ok(Self {
            tokens,
            id_token: None,
            raw: document,
        })
    }

    /// The tokens per resource server, in Python's `by_resource_server` order.
    pub fn by_resource_server(&self) -> &[TokenData] {
        &self.tokens
    }

    /// The tokens of one resource server.
    pub fn get(&self, resource_server: &str) -> Option<&TokenData> {
        self.tokens.iter().find(|data| data.resource_server == resource_server)
    }

    /// Every scope name with a token, in Python's `by_scopes` iteration order.
    pub fn scope_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for scope in self.tokens.iter().flat_map(TokenData::scopes) {
            if !names.contains(&scope) {
                names.push(scope);
            }
        }
        names
    }

    fn token_for_scope(&self, scope: &str) -> Option<&TokenData> {
        // Later tokens win, as in Python's scope map.
        self.tokens.iter().rev().find(|data| data.scopes().any(|s| s == scope))
    }

    /// The token whose scopes include every scope of `specifier` (space-separated); they
    /// must all belong to one resource server (Python's `by_scopes[...]`).
    pub fn by_scopes(&self, specifier: &str) -> Result<&TokenData, Error> {
        let mut found: Option<&TokenData> = None;
        let mut resource_servers: Vec<&str> = Vec::new();
        for scope in specifier.split(is_python_space).filter(|s| !s.is_empty()) {
            let data = self.token_for_scope(scope).ok_or_else(|| Error::ScopeNotFound {
                specifier: specifier.to_owned(),
                scope: scope.to_owned(),
            })?;
            if !resource_servers.contains(&data.resource_server.as_str()) {
                resource_servers.push(&data.resource_server);
            }
            found = Some(data);
        }
        match (found, resource_servers.len()) {
            (Some(data), 1) => Ok(data),
            _ => Err(Error::AmbiguousScopes {
                specifier: specifier.to_owned(),
            }),
        }
    }

    /// Whether [`by_scopes`](Self::by_scopes) would find a token (Python's `in`).
    pub fn contains_scopes(&self, specifier: &str) -> bool {
        self.by_scopes(specifier).is_ok()
    }

    /// The OpenID Connect id token, when the response has one.
    pub fn id_token(&self) -> Option<&IdToken> {
        self.id_token.as_ref()
    }

    /// The whole response document. It holds the tokens in clear: never log it.
    pub fn raw_json(&self) -> &Value {
        &self.raw
    }
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("by_resource_server", &self.tokens)
            .field("id_token", &self.id_token)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: f64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs_f64(seconds)
    }

    #[test]
    fn fractional_expiry_truncates_like_python() {
        let doc = serde_json::json!({"access_token":"AT","scope":"openid","resource_server":"auth.globus.org",
            "expires_in":3599.9,"other_tokens":[]});
        let tokens = TokenResponse::from_json(doc, at(1_700_000_000.5)).unwrap();
        assert_eq!(tokens.by_resource_server()[0].expires_at_seconds, 1_700_003_600);
    }

    #[test]
    fn error_status_gives_api_error() {
        let response = http::Response::builder()
            .status(400)
            .header("content-type", "application/json")
            .body(br#"{"error":"invalid_grant"}"#.to_vec())
            .unwrap();
        let error = TokenResponse::from_http(&response, at(0.0)).unwrap_err();
        assert_eq!(
            error.api_error().and_then(ErrorDocument::oauth_error),
            Some("invalid_grant")
        );
    }

    #[test]
    fn expiry_margin() {
        let doc = serde_json::json!({"access_token":"AT","scope":"s","resource_server":"r","expires_in":100,"other_tokens":[]});
        let tokens = TokenResponse::from_json(doc, at(1000.0)).unwrap();
        let data = &tokens.by_resource_server()[0];
        assert!(!data.expires_within(at(1000.0), Duration::from_secs(60)));
        assert!(data.expires_within(at(1041.0), Duration::from_secs(60)));
    }

    #[test]
    fn wrong_types_are_typed_errors() {
        let doc = serde_json::json!({"access_token":5,"scope":"s","resource_server":"r","other_tokens":[]});
        assert!(matches!(
            TokenResponse::from_json(doc, at(0.0)),
            Err(Error::InvalidField {
                field: "access_token",
                ..
            })
        ));
        let doc = serde_json::json!({"access_token":"a","scope":"s","resource_server":"r","other_tokens":{}});
        assert!(matches!(
            TokenResponse::from_json(doc, at(0.0)),
            Err(Error::InvalidField {
                field: "other_tokens",
                ..
            })
        ));
        assert!(TokenResponse::from_json(serde_json::json!([1]), at(0.0)).is_err());
    }
}
