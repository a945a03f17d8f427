//! A JWT-shaped `id_token`, signed HS256 with a fixed, public key (this is a fake: nothing
//! should trust it; clients that only read claims, such as `sub`, work).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::registry::User;

/// The HS256 key of the fake's id tokens.
pub(crate) const ID_TOKEN_KEY: &[u8] = b"globus-testing fake id_token key";

/// The issuer claim.
pub(crate) const ISSUER: &str = "https://auth.globus.org";

/// HMAC-SHA256 (RFC 2104).
pub(crate) fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let inner_pad: Vec<u8> = block.iter().map(|b| b ^ 0x36).collect();
    let outer_pad: Vec<u8> = block.iter().map(|b| b ^ 0x5c).collect();
    let mut inner = Sha256::new();
    inner.update(&inner_pad);
    inner.update(message);
    let inner_hash = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(&outer_pad);
    outer.update(inner_hash);
    let mut out = [0u8; 32];
    out.copy_from_slice(&outer.finalize());
    out
}

/// The signed token for `user`, audience `client_id`, valid from `now` for `lifetime` seconds.
pub(crate) fn id_token(user: &User, client_id: &str, now: u64, lifetime: u64) -> String {
    let header = json!({"alg": "HS256", "typ": "JWT"});
    let claims = json!({
        "iss": ISSUER,
        "sub": user.id,
        "aud": client_id,
        "iat": now,
        "nbf": now,
        "exp": now.saturating_add(lifetime),
        "preferred_username": user.username,
        "name": user.name,
        "email": user.email,
        "organization": user.organization,
        "identity_provider": user.identity_provider,
        "identity_provider_display_name": user.identity_provider_display_name,
        "identity_set": [identity_set_entry(user)],
    });
    let signing_input = format!("{}.{}", encode(&header), encode(&claims));
    let signature = URL_SAFE_NO_PAD.encode(hmac_sha256(ID_TOKEN_KEY, signing_input.as_bytes()));
    format!("{signing_input}.{signature}")
}

/// One `identity_set` element, as userinfo and id tokens carry them.
pub(crate) fn identity_set_entry(user: &User) -> Value {
    json!({
        "sub": user.id,
        "username": user.username,
        "name": user.name,
        "email": user.email,
        "organization": user.organization,
        "identity_provider": user.identity_provider,
        "identity_provider_display_name": user.identity_provider_display_name,
    })
}

fn encode(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn hmac_rfc4231_case_2() {
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn id_token_carries_sub() {
        let user = User::default_user();
        let token = id_token(&user, "client", 10, 20);
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let claims: Value = URL_SAFE_NO_PAD
            .decode(parts[1])
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        assert_eq!(claims["sub"], json!(user.id));
        assert_eq!(claims["aud"], json!("client"));
        assert_eq!(claims["exp"], json!(30));
    }
}
