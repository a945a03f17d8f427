//! Building the form POSTs sent to Globus Auth as `http::Request<Bytes>`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HeaderValue, USER_AGENT};

use crate::encoding::{Params, slash_join};
use crate::{ClientSecret, Error};

/// The `User-Agent` this SDK sends.
pub const USER_AGENT_VALUE: &str = concat!("globus-sdk-rs/", env!("CARGO_PKG_VERSION"));
/// The `X-Globus-Client-Info` this SDK sends (Python sends `product=python-sdk,...`).
pub const CLIENT_INFO_VALUE: &str = concat!("product=rust-sdk,version=", env!("CARGO_PKG_VERSION"));
/// The name of the client-info header.
pub const CLIENT_INFO_HEADER: &str = "x-globus-client-info";
/// The form content type.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// The `Authorization: Basic` value of a confidential client, as the Python SDK builds
/// it: base64 of the UTF-8 `client_id:client_secret`, without form-encoding either part
/// first. The value is marked sensitive.
///
/// ```
/// use globus_auth_core::{ClientSecret, request::basic_authorization};
/// let value = basic_authorization("cid", &ClientSecret::new("p+ss/=")).unwrap();
/// assert_eq!(value, "Basic Y2lkOnArc3MvPQ==");
/// assert!(value.is_sensitive());
/// ```
pub fn basic_authorization(client_id: &str, client_secret: &ClientSecret) -> Result<HeaderValue, Error> {
    let credentials = format!("{client_id}:{}", client_secret.expose_secret());
    let mut value = HeaderValue::try_from(format!("Basic {}", STANDARD.encode(credentials)))
        .map_err(|_| Error::InvalidHeader { name: "Authorization" })?;
    value.set_sensitive(true);
    Ok(value)
}

/// A form POST to `path` under `base_url`, with `query` on the URL and `form` as the
/// body.
pub(crate) fn form_post(
    base_url: &str,
    path: &str,
    query: &Params,
    form: &Params,
    authorization: Option<HeaderValue>,
) -> Result<http::Request<Bytes>, Error> {
    let mut url = slash_join(base_url, path);
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query.encode());
    }
    let body = Bytes::from(form.encode());
    let mut builder = http::Request::post(url.as_str())
        .header(ACCEPT, "application/json")
        .header(USER_AGENT, USER_AGENT_VALUE)
        .header(CLIENT_INFO_HEADER, CLIENT_INFO_VALUE)
        .header(CONTENT_TYPE, FORM_CONTENT_TYPE)
        .header(CONTENT_LENGTH, body.len());
    if let Some(value) = authorization {
        builder = builder.header(AUTHORIZATION, value);
    }
    builder.body(body).map_err(|_| Error::InvalidUrl { url })
}
