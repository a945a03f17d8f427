//! Globus error documents: what a Globus service says when it answers with an error
//! status, parsed like the Python SDK's `GlobusAPIError` (`globus_sdk/exc/api.py`,
//! `err_info.py`, `AuthAPIError`).

use core::fmt;

use serde_json::{Map, Value};

/// The session and consent requirements a service attaches to an error, telling the
/// client how to log in again (Python's `AuthorizationParameterInfo` and the GARE
/// `authorization_parameters`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuthorizationParameters {
    /// A message to show the user at login.
    pub session_message: Option<String>,
    /// Identities that must be in the session.
    pub session_required_identities: Vec<String>,
    /// Domains one of whose identities must be in the session.
    pub session_required_single_domain: Vec<String>,
    /// Policies the session must satisfy (a comma-separated string is split).
    pub session_required_policies: Vec<String>,
    /// Whether the session needs multi-factor authentication.
    pub session_required_mfa: Option<bool>,
    /// Scopes the user must consent to.
    pub required_scopes: Vec<String>,
    /// `login` when the user must log in again.
    pub prompt: Option<String>,
}

/// A parsed Globus error answer. `Display` shows the status, code and message, never
/// the whole body.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorDocument {
    status: u16,
    code: Option<String>,
    messages: Vec<String>,
    request_id: Option<String>,
    oauth_error: Option<String>,
    oauth_error_description: Option<String>,
    errors: Vec<Map<String, Value>>,
    authorization_parameters: Option<AuthorizationParameters>,
    consent_required_scopes: Vec<String>,
    raw_json: Option<Value>,
}

fn is_json_content_type(content_type: Option<&str>) -> bool {
    let Some(content_type) = content_type else {
        return false;
    };
    let mime = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

fn is_jsonapi_content_type(content_type: Option<&str>) -> bool {
    content_type
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/vnd.api+json"))
}

fn str_field<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.get(key).and_then(Value::as_str)
}

fn list_of_objects(value: Option<&Value>) -> Option<Vec<Map<String, Value>>> {
    let list = value?.as_array()?;
    list.iter().map(|item| item.as_object().cloned()).collect()
}

fn first_message(map: &Map<String, Value>, fields: &[&str]) -> Option<String> {
    fields.iter().find_map(|field| str_field(map, field)).map(str::to_owned)
}

fn agreed_code(errors: &[Map<String, Value>]) -> Option<String> {
    let mut codes = errors.iter().filter_map(|error| str_field(error, "code"));
    let first = codes.next()?;
    codes.all(|code| code == first).then(|| first.to_owned())
}

fn string_list(value: Option<&Value>, split_commas: bool) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        Some(Value::String(text)) if split_commas => text.split(',').map(str::to_owned).collect(),
        Some(Value::String(text)) => vec![text.clone()],
        _ => Vec::new(),
    }
}

fn authorization_parameters(map: &Map<String, Value>) -> Option<AuthorizationParameters> {
    let params = map.get("authorization_parameters")?.as_object()?;
    Some(AuthorizationParameters {
        session_message: str_field(params, "session_message").map(str::to_owned),
        session_required_identities: string_list(params.get("session_required_identities"), true),
        session_required_single_domain: string_list(params.get("session_required_single_domain"), true),
        session_required_policies: string_list(params.get("session_required_policies"), true),
        session_required_mfa: params.get("session_required_mfa").and_then(Value::as_bool),
        required_scopes: string_list(params.get("required_scopes"), false),
        prompt: str_field(params, "prompt").map(str::to_owned),
    })
}

fn consent_required_scopes(map: &Map<String, Value>) -> Vec<String> {
    if str_field(map, "code") != Some("ConsentRequired") {
        return Vec::new();
    }
    match map.get("required_scopes") {
        Some(value @ Value::Array(_)) => string_list(Some(value), false),
        _ => str_field(map, "required_scope")
            .map(|scope| vec![scope.to_owned()])
            .unwrap_or_default(),
    }
}

impl ErrorDocument {
    /// Parses an error answer. The body is read as JSON only when `content_type` is
    /// `application/json` or `application/*+json`, as in Python.
    ///
    /// ```
    /// use globus_auth_core::ErrorDocument;
    /// let body = br#"{"code":"ClientError.NotFound","message":"Endpoint not found","request_id":"abc123"}"#;
    /// let error = ErrorDocument::parse(404, Some("application/json"), body);
    /// assert_eq!(error.code(), Some("ClientError.NotFound"));
    /// assert_eq!(error.message().as_deref(), Some("Endpoint not found"));
    /// assert_eq!(error.request_id(), Some("abc123"));
    /// ```
    pub fn parse(status: u16, content_type: Option<&str>, body: &[u8]) -> Self {
        let mut document = Self {
            status,
            code: None,
            messages: Vec::new(),
            request_id: None,
            oauth_error: None,
            oauth_error_description: None,
            errors: Vec::new(),
            authorization_parameters: None,
            consent_required_scopes: Vec::new(),
            raw_json: None,
        };
        if !is_json_content_type(content_type) {
            return document;
        }
        let Ok(json) = serde_json::from_slice::<Value>(body) else {
            return document;
        };
        if let Some(root) = json.as_object() {
            document.parse_root(root, content_type);
        }
        document.raw_json = Some(json);
        document
    }

    /// Parses the error answer of an HTTP response.
    pub fn from_http<B: AsRef<[u8]>>(response: &http::Response<B>) -> Self {
        let content_type = response
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok());
        Self::parse(response.status().as_u16(), content_type, response.body().as_ref())
    }

    fn parse_root(&mut self, root: &Map<String, Value>, content_type: Option<&str>) {
        const MESSAGE_FIELDS: [&str; 3] = ["message", "detail", "title"];
        let listed_errors = list_of_objects(root.get("errors")).filter(|errors| !errors.is_empty());
        let type_zero = str_field(root, "code").is_some()
            && str_field(root, "message").is_some()
            && root.get("request_id").is_none_or(Value::is_string);
        if is_jsonapi_content_type(content_type) && listed_errors.is_some() {
            let errors = listed_errors.unwrap_or_default();
            self.code = agreed_code(&errors);
            self.messages = errors
                .iter()
                .filter_map(|e| first_message(e, &["detail", "title"]))
                .collect();
            self.errors = errors;
        } else if type_zero && !is_jsonapi_content_type(content_type) {
            self.code = str_field(root, "code").map(str::to_owned);
            self.messages = str_field(root, "message").map(str::to_owned).into_iter().collect();
            self.request_id = str_field(root, "request_id").map(str::to_owned);
            self.errors = list_of_objects(root.get("errors")).unwrap_or_else(|| vec![root.clone()]);
        } else {
            self.errors = list_of_objects(root.get("errors")).unwrap_or_else(|| vec![root.clone()]);
            self.code = str_field(root, "code")
                .map(str::to_owned)
                .or_else(|| agreed_code(&self.errors));
            self.messages = self
                .errors
                .iter()
                .filter_map(|e| first_message(e, &MESSAGE_FIELDS))
                .collect();
        }
        if self.request_id.is_none() {
            // AuthAPIError: the request id is the one distinct `id` of the subdocuments.
            let mut ids = self.errors.iter().filter_map(|error| str_field(error, "id"));
            if let Some(first) = ids.next()
                && ids.all(|id| id == first)
            {
                self.request_id = Some(first.to_owned());
            }
        }
        self.oauth_error = str_field(root, "error").map(str::to_owned);
        self.oauth_error_description = str_field(root, "error_description").map(str::to_owned);
        self.authorization_parameters =
            authorization_parameters(root).or_else(|| self.errors.iter().find_map(authorization_parameters));
        self.consent_required_scopes = Some(root)
            .into_iter()
            .chain(self.errors.iter())
            .map(consent_required_scopes)
            .find(|scopes| !scopes.is_empty())
            .unwrap_or_default();
    }

    /// The HTTP status.
    pub fn http_status(&self) -> u16 {
        self.status
    }

    /// The Globus error code, e.g. `ClientError.NotFound` or `ConsentRequired`.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// Every message the document carries.
    pub fn messages(&self) -> &[String] {
        &self.messages
    }

    /// The messages joined with `; `, as Python's `message`.
    pub fn message(&self) -> Option<String> {
        (!self.messages.is_empty()).then(|| self.messages.join("; "))
    }

    /// The request id, for Globus support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The OAuth2 `error` (e.g. `invalid_grant`) of a token-endpoint answer.
    pub fn oauth_error(&self) -> Option<&str> {
        self.oauth_error.as_deref()
    }

    /// The OAuth2 `error_description`.
    pub fn oauth_error_description(&self) -> Option<&str> {
        self.oauth_error_description.as_deref()
    }

    /// The error subdocuments (`errors[]`, or the root document).
    pub fn errors(&self) -> &[Map<String, Value>] {
        &self.errors
    }

    /// The session requirements attached to the error, if any.
    pub fn authorization_parameters(&self) -> Option<&AuthorizationParameters> {
        self.authorization_parameters.as_ref()
    }

    /// Whether the error asks for consent (`ConsentRequired` with scopes).
    pub fn is_consent_required(&self) -> bool {
        !self.consent_required_scopes.is_empty()
    }

    /// The scopes a `ConsentRequired` error asks for.
    pub fn consent_required_scopes(&self) -> &[String] {
        &self.consent_required_scopes
    }

    /// The body as JSON, when it was a JSON document.
    pub fn raw_json(&self) -> Option<&Value> {
        self.raw_json.as_ref()
    }
}

impl fmt::Display for ErrorDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Globus answered HTTP {}", self.status)?;
        if let Some(code) = self.code.as_deref().or(self.oauth_error.as_deref()) {
            write!(f, " ({code})")?;
        }
        match (self.message(), &self.oauth_error_description) {
            (Some(message), _) => write!(f, ": {message}")?,
            (None, Some(description)) => write!(f, ": {description}")?,
            (None, None) => {}
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " [request id {request_id}]")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonapi_auth_error() {
        let body =
            br#"{"errors":[{"id":"e1","code":"INVALID_PARAMETERS","title":"Bad","detail":"The x param is bad"}]}"#;
        let error = ErrorDocument::parse(400, Some("application/vnd.api+json"), body);
        assert_eq!(error.code(), Some("INVALID_PARAMETERS"));
        assert_eq!(error.message().as_deref(), Some("The x param is bad"));
        assert_eq!(error.request_id(), Some("e1"));
    }

    #[test]
    fn oauth_error() {
        let body = br#"{"error":"invalid_grant","error_description":"bad refresh token"}"#;
        let error = ErrorDocument::parse(400, Some("application/json; charset=utf-8"), body);
        assert_eq!(error.code(), None);
        assert_eq!(error.message(), None);
        assert_eq!(error.oauth_error(), Some("invalid_grant"));
        assert_eq!(
            error.to_string(),
            "Globus answered HTTP 400 (invalid_grant): bad refresh token"
        );
    }

    #[test]
    fn html_body_is_not_parsed() {
        let error = ErrorDocument::parse(502, Some("text/html"), b"<html>Bad Gateway</html>");
        assert_eq!(error.code(), None);
        assert!(error.raw_json().is_none());
        assert_eq!(error.to_string(), "Globus answered HTTP 502");
    }

    #[test]
    fn consent_required_and_session_parameters() {
        let body = br#"{"code":"ConsentRequired","message":"Missing required data_access consent",
            "request_id":"r1","required_scopes":["urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/c/data_access]"],
            "authorization_parameters":{"session_message":"Log in with your campus","session_required_identities":["id1","id2"],
            "session_required_policies":"p1,p2","session_required_mfa":true,"session_required_single_domain":["uchicago.edu"]}}"#;
        let error = ErrorDocument::parse(403, Some("application/json"), body);
        assert!(error.is_consent_required());
        assert_eq!(error.consent_required_scopes().len(), 1);
        let params = error.authorization_parameters().unwrap();
        assert_eq!(params.session_message.as_deref(), Some("Log in with your campus"));
        assert_eq!(params.session_required_identities, ["id1", "id2"]);
        assert_eq!(params.session_required_policies, ["p1", "p2"]);
        assert_eq!(params.session_required_mfa, Some(true));
        assert_eq!(params.session_required_single_domain, ["uchicago.edu"]);
    }

    #[test]
    fn undefined_format_takes_agreed_code_and_messages() {
        let body = br#"{"errors":[{"code":"A","message":"one"},{"code":"A","detail":"two"}]}"#;
        let error = ErrorDocument::parse(409, Some("application/json"), body);
        assert_eq!(error.code(), Some("A"));
        assert_eq!(error.message().as_deref(), Some("one; two"));
    }
}
