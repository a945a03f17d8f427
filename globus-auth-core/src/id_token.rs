//! Reading an id token's claims without verifying its signature: enough to learn whose
//! tokens these are (`sub`), as the Python SDK's token storage does. Verification (OIDC
//! configuration, JWKs, `aud`, `iss`, expiry) is a separate, networked step.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::{Error, IdToken};

impl IdToken {
    /// The claims of the token's payload, **not verified**: never base an authorization
    /// decision on them.
    ///
    /// ```
    /// use globus_auth_core::IdToken;
    /// // header {"alg":"none"}, payload {"sub":"user-1"}
    /// let token = IdToken::new("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTEifQ.");
    /// assert_eq!(token.unverified_subject()?, "user-1");
    /// # Ok::<(), globus_auth_core::Error>(())
    /// ```
    pub fn unverified_claims(&self) -> Result<Map<String, Value>, Error> {
        let mut parts = self.expose_secret().split('.');
        let (Some(_header), Some(payload), Some(_signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Error::InvalidIdToken {
                reason: "not three dot-separated parts",
            });
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .map_err(|_| Error::InvalidIdToken {
                reason: "the payload is not base64url",
            })?;
        match serde_json::from_slice(&bytes) {
            Ok(Value::Object(claims)) => Ok(claims),
            _ => Err(Error::InvalidIdToken {
                reason: "the payload is not a JSON object",
            }),
        }
    }

    /// The `sub` claim (the Globus identity id), **not verified**.
    pub fn unverified_subject(&self) -> Result<String, Error> {
        match self.unverified_claims()?.get("sub") {
            Some(Value::String(sub)) => Ok(sub.clone()),
            _ => Err(Error::InvalidIdToken {
                reason: "no string `sub` claim",
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_tokens_are_errors() {
        for bad in ["", "a.b", "a.b.c.d", "a.!!!.c", "a.bm90IGpzb24.c", "a.WzFd.c"] {
            assert!(IdToken::new(bad).unverified_claims().is_err(), "{bad}");
        }
        let no_sub = IdToken::new("e30.e30.sig"); // {} . {}
        assert!(no_sub.unverified_subject().is_err());
    }

    #[test]
    fn errors_do_not_contain_the_token() {
        let token = IdToken::new("secret-header.not-base64!.sig");
        let error = token.unverified_claims().unwrap_err();
        assert!(!error.to_string().contains("secret"));
    }
}
