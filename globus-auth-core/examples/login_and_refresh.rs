//! The sans-IO core on its own: print the authorize URL of a native-app login and the
//! refresh request a stored refresh token would be sent with, then parse a token answer
//! produced by a blocking "HTTP client" (a closure here; any client works).
//!
//! Run: `cargo run -p globus-auth-core --example login_and_refresh`

use std::time::SystemTime;

use bytes::Bytes;
use globus_auth_core::{
    AuthorizeParams, Error, NativeAppClient, NativeFlowOptions, Params, RefreshToken, ServiceUrls, TokenResponse,
};

/// The tutorial client id of the Globus documentation.
const CLIENT_ID: &str = "61338d24-54d5-408f-a10d-66c06b59f6d2";

fn main() -> Result<(), Error> {
    // Where Auth lives: production unless GLOBUS_SDK_ENVIRONMENT / _SERVICE_URL_AUTH say otherwise.
    let urls = ServiceUrls::from_lookup(|name| std::env::var(name).ok())?;
    let client = NativeAppClient::new(CLIENT_ID, urls.url("auth"))?;

    let flow = client.start_flow(NativeFlowOptions::new().refresh_tokens(true))?;
    println!(
        "Please go to this URL and login:\n{}\n",
        flow.authorize_url(&AuthorizeParams::default())
    );

    let request = client.refresh_token_request(&RefreshToken::new("stored-refresh-token"), &Params::new())?;
    println!("A refresh is this request:\n{} {}", request.method(), request.uri());
    for (name, value) in request.headers() {
        println!("{name}: {value:?}");
    }

    // A blocking HTTP client of your own; this one answers like Globus Auth would.
    let send = |_request: http::Request<Bytes>| {
        http::Response::new(Bytes::from_static(
            br#"{"access_token":"new-access-token","scope":"openid profile email",
                "resource_server":"auth.globus.org","expires_in":172800,"token_type":"Bearer",
                "refresh_token":"rotated-refresh-token","other_tokens":[]}"#,
        ))
    };
    let tokens = TokenResponse::from_http(&send(request), SystemTime::now())?;
    for data in tokens.by_resource_server() {
        println!(
            "\n{}: scopes [{}], expires at {} (tokens stay redacted: {:?})",
            data.resource_server, data.scope, data.expires_at_seconds, data.access_token
        );
    }
    Ok(())
}
