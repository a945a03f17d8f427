//! The stored record of one resource server's tokens: Python's `TokenStorageData`.

use core::fmt;

use globus_auth_core::{AccessToken, RefreshToken, TokenData};
use serde_json::{Map, Value};

/// The keys of a record that are fields of [`StoredToken`]; every other key is kept in
/// [`StoredToken::extra`].
pub(crate) const STANDARD_KEYS: [&str; 7] = [
    "resource_server",
    "identity_id",
    "scope",
    "access_token",
    "refresh_token",
    "expires_at_seconds",
    "token_type",
];

/// The tokens of one resource server as they are stored: Python's `TokenStorageData`,
/// with the same fields in the same order.
///
/// In a file, a field that is `None` is left out (Python's `to_dict()`), and every key in
/// [`extra`](Self::extra) is written back as it was read. Python drops extra keys when it
/// writes; this SDK keeps them, so data written by a newer tool survives.
///
/// `Debug` never shows the tokens:
///
/// ```
/// use globus_tokenstorage::StoredToken;
/// let token = StoredToken::new("transfer.api.globus.org", "urn:globus:auth:scope:transfer.api.globus.org:all", "AT-secret", 1_767_229_200)
///     .with_refresh_token("RT-secret")
///     .with_identity_id("ae341a98-d274-11e5-b888-dbae3a8ba545")
///     .with_token_type("Bearer");
/// let debug = format!("{token:?}");
/// assert!(!debug.contains("AT-secret") && !debug.contains("RT-secret"));
/// assert_eq!(token.access_token.expose_secret(), "AT-secret");
/// ```
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct StoredToken {
    /// The resource server the tokens are for, e.g. `transfer.api.globus.org`.
    pub resource_server: String,
    /// The Globus identity the tokens were issued to (the id token's `sub`), when known.
    pub identity_id: Option<String>,
    /// The granted scopes, space-separated.
    pub scope: String,
    /// The access token.
    pub access_token: AccessToken,
    /// The refresh token, when one was issued.
    pub refresh_token: Option<RefreshToken>,
    /// When the access token expires, in seconds since the Unix epoch.
    pub expires_at_seconds: i64,
    /// The token type (`Bearer`), when known.
    pub token_type: Option<String>,
    /// Any other keys of the stored record, kept as they were read. A key that names one
    /// of the fields above is ignored when writing.
    pub extra: Map<String, Value>,
}

impl StoredToken {
    /// A record with the required fields; the optional ones start empty.
    pub fn new(
        resource_server: impl Into<String>,
        scope: impl Into<String>,
        access_token: impl Into<AccessToken>,
        expires_at_seconds: i64,
    ) -> Self {
        Self {
            resource_server: resource_server.into(),
            identity_id: None,
            scope: scope.into(),
            access_token: access_token.into(),
            refresh_token: None,
            expires_at_seconds,
            token_type: None,
            extra: Map::new(),
        }
    }

    /// The record of one resource server of a token response (Python's
    /// `store_token_response` conversion), tagged with `identity_id`.
    pub fn from_token_data(data: &TokenData, identity_id: Option<&str>) -> Self {
        Self {
            resource_server: data.resource_server.clone(),
            identity_id: identity_id.map(str::to_owned),
            scope: data.scope.clone(),
            access_token: data.access_token.clone(),
            refresh_token: data.refresh_token.clone(),
            expires_at_seconds: data.expires_at_seconds,
            token_type: data.token_type.clone(),
            extra: Map::new(),
        }
    }

    /// Sets the identity id.
    pub fn with_identity_id(mut self, identity_id: impl Into<String>) -> Self {
        self.identity_id = Some(identity_id.into());
        self
    }

    /// Sets the refresh token.
    pub fn with_refresh_token(mut self, refresh_token: impl Into<RefreshToken>) -> Self {
        self.refresh_token = Some(refresh_token.into());
        self
    }

    /// Sets the token type.
    pub fn with_token_type(mut self, token_type: impl Into<String>) -> Self {
        self.token_type = Some(token_type.into());
        self
    }

    /// Adds an extra key, written to files beside the standard fields.
    pub fn with_extra(mut self, key: impl Into<String>, value: Value) -> Self {
        self.extra.insert(key.into(), value);
        self
    }

    /// Fills what a refresh response leaves out from the record stored before it: the
    /// refresh token and the identity id are kept when this record has none (DESIGN §6
    /// "Storing refreshed tokens"). Extra keys of `previous` that this record lacks are
    /// kept too. Nothing happens when `previous` is for another resource server.
    ///
    /// ```
    /// use globus_tokenstorage::StoredToken;
    /// let stored = StoredToken::new("rs", "s", "AT1", 100).with_refresh_token("RT1").with_identity_id("me");
    /// let mut refreshed = StoredToken::new("rs", "s", "AT2", 200);
    /// refreshed.keep_missing_from(&stored);
    /// assert_eq!(refreshed.refresh_token.unwrap().expose_secret(), "RT1");
    /// assert_eq!(refreshed.identity_id.as_deref(), Some("me"));
    /// assert_eq!(refreshed.access_token.expose_secret(), "AT2");
    /// ```
    pub fn keep_missing_from(&mut self, previous: &StoredToken) {
        if previous.resource_server != self.resource_server {
            return;
        }
        if self.refresh_token.is_none() {
            self.refresh_token.clone_from(&previous.refresh_token);
        }
        if self.identity_id.is_none() {
            self.identity_id.clone_from(&previous.identity_id);
        }
        for (key, value) in &previous.extra {
            if !self.extra.contains_key(key) {
                self.extra.insert(key.clone(), value.clone());
            }
        }
    }

    /// The record as a JSON object, secrets in clear: only for writing to storage.
    pub(crate) fn to_json_map(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("resource_server".into(), self.resource_server.clone().into());
        if let Some(identity_id) = &self.identity_id {
            map.insert("identity_id".into(), identity_id.clone().into());
        }
        map.insert("scope".into(), self.scope.clone().into());
        map.insert("access_token".into(), self.access_token.expose_secret().into());
        if let Some(refresh_token) = &self.refresh_token {
            map.insert("refresh_token".into(), refresh_token.expose_secret().into());
        }
        map.insert("expires_at_seconds".into(), self.expires_at_seconds.into());
        if let Some(token_type) = &self.token_type {
            map.insert("token_type".into(), token_type.clone().into());
        }
        for (key, value) in &self.extra {
            if !STANDARD_KEYS.contains(&key.as_str()) {
                map.insert(key.clone(), value.clone());
            }
        }
        map
    }

    /// Reads a record the way Python's `TokenStorageData.from_dict` does: a missing key
    /// and `null` are the same, types are checked, unknown keys go to `extra`.
    pub(crate) fn from_json(value: &Value) -> Result<Self, FieldError> {
        let map = value.as_object().ok_or(FieldError {
            field: "(record)",
            expected: "a JSON object",
        })?;
        let extra = map
            .iter()
            .filter(|(key, _)| !STANDARD_KEYS.contains(&key.as_str()))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        Ok(Self {
            resource_server: required_str(map, "resource_server")?,
            identity_id: optional_str(map, "identity_id")?,
            scope: required_str(map, "scope")?,
            access_token: AccessToken::new(required_str(map, "access_token")?),
            refresh_token: optional_str(map, "refresh_token")?.map(RefreshToken::new),
            expires_at_seconds: map
                .get("expires_at_seconds")
                .and_then(Value::as_i64)
                .ok_or(FieldError {
                    field: "expires_at_seconds",
                    expected: "an integer",
                })?,
            token_type: optional_str(map, "token_type")?,
            extra,
        })
    }
}

/// A field of a stored record with the wrong type; the caller adds where it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FieldError {
    pub(crate) field: &'static str,
    pub(crate) expected: &'static str,
}

fn required_str(map: &Map<String, Value>, field: &'static str) -> Result<String, FieldError> {
    match map.get(field) {
        Some(Value::String(value)) => Ok(value.clone()),
        _ => Err(FieldError {
            field,
            expected: "a string",
        }),
    }
}

fn optional_str(map: &Map<String, Value>, field: &'static str) -> Result<Option<String>, FieldError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(value)) => Ok(Some(value.clone())),
        Some(_) => Err(FieldError {
            field,
            expected: "a string or null",
        }),
    }
}

impl fmt::Debug for StoredToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredToken")
            .field("resource_server", &self.resource_server)
            .field("identity_id", &self.identity_id)
            .field("scope", &self.scope)
            .field("access_token", &self.access_token)
            .field("refresh_token", &self.refresh_token)
            .field("expires_at_seconds", &self.expires_at_seconds)
            .field("token_type", &self.token_type)
            .field("extra_keys", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip_keeps_extra_and_omits_none() {
        let value = json!({"resource_server": "rs", "scope": "a b", "access_token": "AT",
            "expires_at_seconds": 5, "refresh_token": null, "future": {"x": [1]}});
        let token = StoredToken::from_json(&value).unwrap();
        assert_eq!(token.refresh_token, None);
        assert_eq!(token.extra.get("future"), Some(&json!({"x": [1]})));
        let written = Value::Object(token.to_json_map());
        assert_eq!(
            written,
            json!({"resource_server": "rs", "scope": "a b", "access_token": "AT",
                "expires_at_seconds": 5, "future": {"x": [1]}})
        );
    }

    #[test]
    fn wrong_types_name_the_field() {
        let base = json!({"resource_server": "rs", "scope": "s", "access_token": "AT", "expires_at_seconds": 5});
        for (field, bad, expected) in [
            ("resource_server", json!(1), "a string"),
            ("scope", Value::Null, "a string"),
            ("access_token", json!(["AT"]), "a string"),
            ("identity_id", json!(7), "a string or null"),
            ("refresh_token", json!(true), "a string or null"),
            ("token_type", json!({}), "a string or null"),
            ("expires_at_seconds", json!(1.5), "an integer"),
            ("expires_at_seconds", json!("5"), "an integer"),
            ("expires_at_seconds", json!(u64::MAX), "an integer"),
        ] {
            let mut value = base.clone();
            value[field] = bad;
            assert_eq!(
                StoredToken::from_json(&value),
                Err(FieldError { field, expected }),
                "{field}"
            );
        }
        assert_eq!(StoredToken::from_json(&json!([])).unwrap_err().field, "(record)");
    }

    #[test]
    fn extra_keys_cannot_shadow_standard_fields() {
        let token = StoredToken::new("rs", "s", "AT", 1).with_extra("access_token", json!("other"));
        assert_eq!(token.to_json_map()["access_token"], json!("AT"));
    }

    #[test]
    fn debug_is_redacted() {
        let token = StoredToken::new("rs", "s", "AT-SECRET", 1).with_refresh_token("RT-SECRET");
        let debug = format!("{token:?} {token:#?}");
        assert!(!debug.contains("AT-SECRET") && !debug.contains("RT-SECRET"), "{debug}");
    }

    #[test]
    fn keep_missing_from_ignores_other_resource_servers() {
        let other = StoredToken::new("other", "s", "AT", 1).with_refresh_token("RT");
        let mut token = StoredToken::new("rs", "s", "AT", 1);
        token.keep_missing_from(&other);
        assert_eq!(token.refresh_token, None);
    }
}
