//! The request and response types the handlers share, and the common error documents.

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue, LOCATION};
use http::{HeaderMap, Method, StatusCode};
use serde_json::{Value, json};

use crate::encoding::parse_pairs;

/// A fully read request, with the service prefix removed from its path.
#[derive(Debug, Clone)]
pub(crate) struct Req {
    /// The HTTP method.
    pub(crate) method: Method,
    /// The path as received, e.g. `/transfer/v0.10/endpoint_search`.
    pub(crate) full_path: String,
    /// The path after the service prefix, always starting with `/`, e.g. `/v0.10/endpoint_search`.
    pub(crate) path: String,
    /// The raw query string (no `?`).
    pub(crate) raw_query: String,
    /// The decoded query pairs, in order.
    pub(crate) query: Vec<(String, String)>,
    /// The request headers.
    pub(crate) headers: HeaderMap,
    /// The request body.
    pub(crate) body: Bytes,
    /// The id this fake gives the request in error documents.
    pub(crate) request_id: String,
}

impl Req {
    /// The first value of query parameter `key`.
    pub(crate) fn query_param(&self, key: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Every value of query parameter `key`, in order.
    pub(crate) fn query_all(&self, key: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The body parsed as a form.
    pub(crate) fn form(&self) -> Form {
        Form(parse_pairs(&String::from_utf8_lossy(&self.body)))
    }

    /// The body parsed as JSON, or a description of why it is not JSON.
    pub(crate) fn json(&self) -> Result<Value, String> {
        serde_json::from_slice(&self.body).map_err(|err| format!("request body is not valid JSON: {err}"))
    }

    /// A header's value, if present and visible ASCII.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The non-empty segments of [`Req::path`].
    pub(crate) fn segments(&self) -> Vec<&str> {
        self.path.split('/').filter(|segment| !segment.is_empty()).collect()
    }
}

/// A decoded form body.
#[derive(Debug, Clone, Default)]
pub(crate) struct Form(pub(crate) Vec<(String, String)>);

impl Form {
    /// The first value of field `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The first non-empty value of field `key`.
    pub(crate) fn non_empty(&self, key: &str) -> Option<&str> {
        self.get(key).filter(|value| !value.is_empty())
    }
}

/// A response to send.
#[derive(Debug, Clone)]
pub(crate) struct Resp {
    /// The status code.
    pub(crate) status: StatusCode,
    /// Headers besides `Content-Length`.
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// The body.
    pub(crate) body: Bytes,
}

impl Resp {
    /// A JSON response.
    pub(crate) fn json(status: StatusCode, body: &Value) -> Self {
        Self {
            status,
            headers: vec![(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
            body: Bytes::from(body.to_string()),
        }
    }

    /// A 200 JSON response.
    pub(crate) fn ok(body: &Value) -> Self {
        Self::json(StatusCode::OK, body)
    }

    /// An HTML response.
    pub(crate) fn html(status: StatusCode, body: String) -> Self {
        Self {
            status,
            headers: vec![(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"))],
            body: Bytes::from(body),
        }
    }

    /// A 302 to `location`, or a 400 if `location` cannot be a header value.
    pub(crate) fn redirect(location: &str) -> Self {
        match HeaderValue::from_str(location) {
            Ok(value) => Self {
                status: StatusCode::FOUND,
                headers: vec![(LOCATION, value)],
                body: Bytes::new(),
            },
            Err(_) => oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "redirect_uri is not a valid URI",
            ),
        }
    }

    /// Adds a header.
    pub(crate) fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Converts into an `http::Response`.
    pub(crate) fn into_response<B: From<Bytes>>(self) -> http::Response<B> {
        let mut response = http::Response::new(B::from(self.body));
        *response.status_mut() = self.status;
        for (name, value) in self.headers {
            response.headers_mut().append(name, value);
        }
        response
    }
}

/// An OAuth2 error document (`{"error", "error_description"}`), as Auth's token endpoints send.
pub(crate) fn oauth_error(status: StatusCode, error: &str, description: &str) -> Resp {
    Resp::json(status, &json!({"error": error, "error_description": description}))
}

/// A Globus "type zero" error document (`{"code", "message", "request_id"}`).
pub(crate) fn globus_error(status: StatusCode, code: &str, message: &str, req: &Req) -> Resp {
    Resp::json(
        status,
        &json!({"code": code, "message": message, "request_id": req.request_id}),
    )
}

/// A Transfer error document (`{"code", "message", "request_id", "resource"}`).
pub(crate) fn transfer_error(status: StatusCode, code: &str, message: &str, req: &Req) -> Resp {
    Resp::json(
        status,
        &json!({"code": code, "message": message, "request_id": req.request_id, "resource": req.path}),
    )
}

/// A FastAPI-style validation error (Groups, Timers): `{"detail": [{"loc", "msg", "type"}]}`.
pub(crate) fn validation_error(loc: &[&str], msg: &str) -> Resp {
    Resp::json(
        StatusCode::UNPROCESSABLE_ENTITY,
        &json!({"detail": [{"loc": loc, "msg": msg, "type": "value_error"}]}),
    )
}

/// The 401 every resource-server route answers for a missing or unusable bearer token.
pub(crate) fn unauthenticated(req: &Req, message: &str) -> Resp {
    globus_error(StatusCode::UNAUTHORIZED, "AuthenticationFailed", message, req)
        .with_header(http::header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))
}

/// The 404 for a route no handler or fixture knows.
pub(crate) fn route_not_found(req: &Req) -> Resp {
    globus_error(
        StatusCode::NOT_FOUND,
        "NotFound",
        &format!("the fake Globus has no route for {} {}", req.method, req.full_path),
        req,
    )
}

/// The 405 for a known path with an unsupported method.
pub(crate) fn method_not_allowed(req: &Req) -> Resp {
    globus_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
        &format!("{} is not allowed on {}", req.method, req.full_path),
        req,
    )
}

/// A request for tests: `GET`/`POST` to `path` (service-relative) with a query and a body.
#[cfg(test)]
pub(crate) fn test_req(method: Method, path: &str, query: &str, body: &str) -> Req {
    Req {
        method,
        full_path: path.to_owned(),
        path: path.to_owned(),
        raw_query: query.to_owned(),
        query: parse_pairs(query),
        headers: HeaderMap::new(),
        body: Bytes::from(body.to_owned()),
        request_id: "test".to_owned(),
    }
}
