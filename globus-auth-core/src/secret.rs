//! Secret newtypes: tokens, client secrets, codes and verifiers.
//!
//! Every secret is a newtype whose `Debug` prints `Name(<redacted>)`, that has no
//! `Display` and no `Serialize`, and whose value is reachable only through one greppable
//! accessor, [`expose_secret`](AccessToken::expose_secret).

macro_rules! secret_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// Wraps a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The secret value. Call it only where the value goes on the wire or
            /// into storage.
            pub fn expose_secret(&self) -> &str {
                &self.0
            }

            /// Consumes the wrapper and returns the secret value.
            pub fn into_exposed(self) -> String {
                self.0
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self)
            }
        }
    };
}

secret_type! {
    /// An OAuth2 access token (a bearer credential).
    ///
    /// ```
    /// use globus_auth_core::AccessToken;
    /// let token = AccessToken::new("AT-123");
    /// assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
    /// assert_eq!(token.expose_secret(), "AT-123");
    /// ```
    AccessToken
}

secret_type! {
    /// An OAuth2 refresh token.
    RefreshToken
}

secret_type! {
    /// The secret of a confidential client.
    ClientSecret
}

secret_type! {
    /// A short-lived authorization code returned by the authorize step.
    AuthorizationCode
}

secret_type! {
    /// An OpenID Connect id token (a signed JWT about the user).
    IdToken
}

secret_type! {
    /// Any other token value handed to Globus Auth (revoke, introspect, dependent
    /// token grants), which may be an access token or a refresh token.
    TokenValue
}

impl From<&AccessToken> for TokenValue {
    fn from(value: &AccessToken) -> Self {
        Self(value.expose_secret().to_owned())
    }
}

impl From<&RefreshToken> for TokenValue {
    fn from(value: &RefreshToken) -> Self {
        Self(value.expose_secret().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "s3cr3t-VALUE/with+special=chars";

    fn assert_redacted<T: core::fmt::Debug>(value: T, name: &str) {
        let debug = format!("{value:?}");
        assert!(!debug.contains(SECRET), "{name} leaks its secret: {debug}");
        assert_eq!(debug, format!("{name}(<redacted>)"));
        let pretty = format!("{value:#?}");
        assert!(!pretty.contains(SECRET));
    }

    #[test]
    fn access_token_debug_is_redacted() {
        assert_redacted(AccessToken::new(SECRET), "AccessToken");
    }

    #[test]
    fn refresh_token_debug_is_redacted() {
        assert_redacted(RefreshToken::new(SECRET), "RefreshToken");
    }

    #[test]
    fn client_secret_debug_is_redacted() {
        assert_redacted(ClientSecret::new(SECRET), "ClientSecret");
    }

    #[test]
    fn authorization_code_debug_is_redacted() {
        assert_redacted(AuthorizationCode::new(SECRET), "AuthorizationCode");
    }

    #[test]
    fn id_token_debug_is_redacted() {
        assert_redacted(IdToken::new(SECRET), "IdToken");
    }

    #[test]
    fn token_value_debug_is_redacted() {
        assert_redacted(TokenValue::new(SECRET), "TokenValue");
    }

    #[test]
    fn deserialize_keeps_value() {
        let token: AccessToken = serde_json::from_str("\"abc\"").unwrap();
        assert_eq!(token.expose_secret(), "abc");
        assert_eq!(token.into_exposed(), "abc");
    }
}
