//! PKCE (RFC 7636) with the S256 method, as the Python SDK's native-app flow does it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest as _, Sha256};

use crate::Error;

/// A PKCE code verifier: 43 to 128 characters of `[A-Za-z0-9~_.-]`. A secret: `Debug`
/// is redacted, and it is not `Clone`, so one login's verifier is never reused.
///
/// ```
/// use globus_auth_core::PkceVerifier;
/// let verifier = PkceVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")?;
/// assert_eq!(verifier.challenge(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
/// assert_eq!(format!("{verifier:?}"), "PkceVerifier(<redacted>)");
/// assert!(PkceVerifier::new("too-short").is_err());
/// # Ok::<(), globus_auth_core::Error>(())
/// ```
#[derive(PartialEq, Eq)]
pub struct PkceVerifier(String);

impl PkceVerifier {
    /// Validates a caller-supplied verifier with the Python SDK's rules and messages.
    pub fn new(verifier: impl Into<String>) -> Result<Self, Error> {
        let verifier = verifier.into();
        let length = verifier.chars().count();
        if !(43..=128).contains(&length) {
            return Err(Error::VerifierLength { length });
        }
        let valid = verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'~' | b'_' | b'.' | b'-'));
        if !valid {
            return Err(Error::VerifierCharacters);
        }
        Ok(Self(verifier))
    }

    /// The verifier the Python SDK generates from 32 random bytes: their unpadded
    /// base64url encoding (43 characters).
    ///
    /// ```
    /// use globus_auth_core::PkceVerifier;
    /// let bytes: [u8; 32] = core::array::from_fn(|i| i as u8);
    /// let verifier = PkceVerifier::from_entropy(&bytes);
    /// assert_eq!(verifier.expose_secret(), "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8");
    /// ```
    pub fn from_entropy(bytes: &[u8; 32]) -> Self {
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// A verifier from 32 bytes of a caller's cryptographic random number generator.
    pub fn from_rng<R: rand_core::CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut bytes = [0u8; 32];
        rng.fill_bytes(&mut bytes);
        Self::from_entropy(&bytes)
    }

    /// A verifier from the operating system's random number generator.
    #[cfg(feature = "os-rng")]
    pub fn generate() -> Result<Self, Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(Error::Entropy)?;
        Ok(Self::from_entropy(&bytes))
    }

    /// The S256 challenge: unpadded base64url of the verifier's SHA-256.
    pub fn challenge(&self) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(self.0.as_bytes()))
    }

    /// The verifier itself, for the code-exchange request.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for PkceVerifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("PkceVerifier(<redacted>)")
    }
}

/// The only challenge method the SDK uses.
pub const CHALLENGE_METHOD: &str = "S256";

#[cfg(test)]
mod tests {
    use super::*;

    struct CountingRng(u8);

    impl rand_core::TryRng for CountingRng {
        type Error = core::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            unreachable!("only fill_bytes is used")
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            unreachable!("only fill_bytes is used")
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
            for byte in dst {
                *byte = self.0;
                self.0 = self.0.wrapping_add(1);
            }
            Ok(())
        }
    }

    impl rand_core::TryCryptoRng for CountingRng {}

    #[test]
    fn rfc7636_appendix_b() {
        let verifier = PkceVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
        assert_eq!(verifier.challenge(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn rng_fills_32_bytes() {
        let verifier = PkceVerifier::from_rng(&mut CountingRng(0));
        assert_eq!(verifier.expose_secret(), "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8");
    }

    #[cfg(feature = "os-rng")]
    #[test]
    fn generated_verifiers_are_valid_and_distinct() {
        let a = PkceVerifier::generate().unwrap();
        let b = PkceVerifier::generate().unwrap();
        assert!(PkceVerifier::new(a.expose_secret()).is_ok());
        assert_ne!(a.expose_secret(), b.expose_secret());
    }

    #[test]
    fn debug_is_redacted() {
        let verifier = PkceVerifier::new("a".repeat(43)).unwrap();
        assert!(!format!("{verifier:?}").contains("aaaa"));
    }

    #[test]
    fn length_is_checked_before_characters() {
        assert!(matches!(
            PkceVerifier::new("+".repeat(42)),
            Err(Error::VerifierLength { length: 42 })
        ));
        assert!(matches!(
            PkceVerifier::new("+".repeat(43)),
            Err(Error::VerifierCharacters)
        ));
    }
}
