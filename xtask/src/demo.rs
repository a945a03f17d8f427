//! `cargo xtask demo`: the native-app login of `seeds/000` (the tutorial client), shown
//! as the requests this SDK builds. For now this is the sans-IO half: the authorize URL
//! and the exact token requests, with secrets redacted; later issues run the whole
//! login against the embedded fake Globus.

use globus_auth_core::{
    AuthorizationCode, AuthorizeParams, NativeAppClient, NativeFlowOptions, Params, RefreshToken, ServiceUrls,
};

/// The tutorial client id of the seed documents.
const TUTORIAL_CLIENT_ID: &str = "61338d24-54d5-408f-a10d-66c06b59f6d2";
/// Form fields whose values are secrets.
const SECRET_FIELDS: [&str; 4] = ["code", "code_verifier", "refresh_token", "token"];

/// Runs the demo.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    if let Some(extra) = args.first() {
        return Err(format!("`demo` takes no arguments (got `{extra}`)"));
    }
    let urls = ServiceUrls::from_lookup(|name| std::env::var(name).ok()).map_err(|e| e.to_string())?;
    let client = NativeAppClient::new(TUTORIAL_CLIENT_ID, urls.url("auth")).map_err(|e| e.to_string())?;
    let flow = client
        .start_flow(NativeFlowOptions::new().refresh_tokens(true))
        .map_err(|e| e.to_string())?;

    println!(
        "globus-sdk-rs demo: native-app login (seed 000), environment `{}`",
        urls.environment()
    );
    println!();
    println!("1. Please go to this URL and login:");
    println!("   {}", flow.authorize_url(&AuthorizeParams::default()));
    println!();
    println!("2. The request that exchanges the code you paste back for tokens:");
    let code = AuthorizationCode::new("the-code-from-the-login-page");
    print_request(&flow.exchange_code_request(&code).map_err(|e| e.to_string())?);
    println!();
    println!("3. The request that refreshes the tokens later (refresh_tokens=True):");
    let refresh = client
        .refresh_token_request(&RefreshToken::new("a-stored-refresh-token"), &Params::new())
        .map_err(|e| e.to_string())?;
    print_request(&refresh);
    Ok(())
}

/// Prints a request: method, URL, headers (sensitive ones redacted), form body with
/// secret fields redacted.
fn print_request(request: &http::Request<bytes::Bytes>) {
    println!("   {} {}", request.method(), request.uri());
    for (name, value) in request.headers() {
        let shown = if value.is_sensitive() {
            "<redacted>"
        } else {
            value.to_str().unwrap_or("<binary>")
        };
        println!("   {name}: {shown}");
    }
    println!();
    println!("   {}", redact_form(&String::from_utf8_lossy(request.body())));
}

/// The form body with the values of [`SECRET_FIELDS`] replaced by `<redacted>`.
fn redact_form(body: &str) -> String {
    body.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if SECRET_FIELDS.contains(&name) => format!("{name}=<redacted>"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_fields_are_redacted() {
        let body = "client_id=abc&grant_type=authorization_code&code=XYZ&code_verifier=V&redirect_uri=r";
        assert_eq!(
            redact_form(body),
            "client_id=abc&grant_type=authorization_code&code=<redacted>&code_verifier=<redacted>&redirect_uri=r"
        );
    }
}
