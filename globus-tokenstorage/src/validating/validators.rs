//! The validator hook and Python's local validators.

use std::fmt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use super::ValidationError;
use crate::StoredToken;

/// What a validator knows besides the token data (Python's `TokenValidationContext`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValidationContext {
    /// The identity the storage knew before this operation, if any.
    pub prior_identity_id: Option<String>,
    /// The identity of the token data being validated, if any.
    pub token_data_identity_id: Option<String>,
}

impl ValidationContext {
    /// A context with these identities.
    pub fn new(prior_identity_id: Option<String>, token_data_identity_id: Option<String>) -> Self {
        Self {
            prior_identity_id,
            token_data_identity_id,
        }
    }
}

/// A check run by [`ValidatingTokenStorage`](crate::ValidatingTokenStorage) before token
/// data is stored and after it is read (Python's `TokenDataValidator`). Both hooks
/// accept everything by default.
///
/// ```
/// use globus_tokenstorage::{StoredToken, TokenDataValidator, ValidationContext, ValidationError};
///
/// /// Refuses tokens without the `openid` scope.
/// #[derive(Debug)]
/// struct NeedsOpenid;
///
/// impl TokenDataValidator for NeedsOpenid {
///     fn before_store(&self, tokens: &[StoredToken], _: &ValidationContext) -> Result<(), ValidationError> {
///         match tokens.iter().find(|t| t.resource_server == "auth.globus.org") {
///             Some(t) if !t.scope.split(' ').any(|s| s == "openid") => {
///                 Err(ValidationError::Other("openid is required".into()))
///             }
///             _ => Ok(()),
///         }
///     }
/// }
/// ```
pub trait TokenDataValidator: Send + Sync + fmt::Debug {
    /// Checks token data about to be stored.
    fn before_store(&self, tokens: &[StoredToken], context: &ValidationContext) -> Result<(), ValidationError> {
        let _ = (tokens, context);
        Ok(())
    }

    /// Checks token data just read.
    fn after_retrieve(&self, tokens: &[StoredToken], context: &ValidationContext) -> Result<(), ValidationError> {
        let _ = (tokens, context);
        Ok(())
    }
}

/// Every token read must have a refresh token (Python's `HasRefreshTokensValidator`,
/// after retrieval only).
#[derive(Debug, Clone, Copy, Default)]
pub struct HasRefreshTokensValidator;

impl TokenDataValidator for HasRefreshTokensValidator {
    fn after_retrieve(&self, tokens: &[StoredToken], _context: &ValidationContext) -> Result<(), ValidationError> {
        match tokens.iter().find(|token| token.refresh_token.is_none()) {
            Some(token) => Err(ValidationError::MissingRefreshToken {
                resource_server: token.resource_server.clone(),
            }),
            None => Ok(()),
        }
    }
}

/// The current time, for [`NotExpiredValidator`]; tests give a fixed one.
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Every token read must not have expired: `expires_at_seconds >= now`, with no margin,
/// exactly like Python's `NotExpiredValidator` (after retrieval only).
#[derive(Clone)]
pub struct NotExpiredValidator {
    clock: Clock,
}

impl NotExpiredValidator {
    /// Uses the system clock.
    pub fn new() -> Self {
        Self::with_clock(Arc::new(SystemTime::now))
    }

    /// Uses `clock` for the current time.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use globus_tokenstorage::{NotExpiredValidator, StoredToken, TokenDataValidator, ValidationContext};
    /// let validator = NotExpiredValidator::with_clock(Arc::new(|| UNIX_EPOCH + Duration::from_secs(100)));
    /// let context = ValidationContext::new(None, None);
    /// assert!(validator.after_retrieve(&[StoredToken::new("rs", "s", "AT", 100)], &context).is_ok());
    /// assert!(validator.after_retrieve(&[StoredToken::new("rs", "s", "AT", 99)], &context).is_err());
    /// ```
    pub fn with_clock(clock: Clock) -> Self {
        Self { clock }
    }
}

impl Default for NotExpiredValidator {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for NotExpiredValidator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotExpiredValidator").finish_non_exhaustive()
    }
}

impl TokenDataValidator for NotExpiredValidator {
    fn after_retrieve(&self, tokens: &[StoredToken], _context: &ValidationContext) -> Result<(), ValidationError> {
        // Python: `expires_at_seconds < time.time()`, a float comparison.
        let now = match (self.clock)().duration_since(UNIX_EPOCH) {
            Ok(after) => after.as_secs_f64(),
            Err(before) => -before.duration().as_secs_f64(),
        };
        match tokens.iter().find(|token| (token.expires_at_seconds as f64) < now) {
            Some(token) => Err(ValidationError::Expired {
                resource_server: token.resource_server.clone(),
                expires_at_seconds: token.expires_at_seconds,
            }),
            None => Ok(()),
        }
    }
}

/// Stored token data must carry an identity, and the identity must never change
/// (Python's `UnchangingIdentityIDValidator`, before storing only).
#[derive(Debug, Clone, Copy, Default)]
pub struct UnchangingIdentityIdValidator;

impl TokenDataValidator for UnchangingIdentityIdValidator {
    fn before_store(&self, _tokens: &[StoredToken], context: &ValidationContext) -> Result<(), ValidationError> {
        let Some(new_id) = &context.token_data_identity_id else {
            return Err(ValidationError::MissingIdentity);
        };
        match &context.prior_identity_id {
            Some(stored_id) if stored_id != new_id => Err(ValidationError::IdentityMismatch {
                stored_id: stored_id.clone(),
                new_id: new_id.clone(),
            }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn context(prior: Option<&str>, new: Option<&str>) -> ValidationContext {
        ValidationContext::new(prior.map(str::to_owned), new.map(str::to_owned))
    }

    #[test]
    fn not_expired_has_no_margin_and_compares_fractions() {
        let validator = NotExpiredValidator::with_clock(Arc::new(|| UNIX_EPOCH + Duration::from_millis(100_500)));
        let ctx = context(None, None);
        assert!(
            validator
                .after_retrieve(&[StoredToken::new("rs", "s", "AT", 101)], &ctx)
                .is_ok()
        );
        let error = validator
            .after_retrieve(&[StoredToken::new("rs", "s", "AT", 100)], &ctx)
            .unwrap_err();
        assert!(matches!(
            error,
            ValidationError::Expired {
                expires_at_seconds: 100,
                ..
            }
        ));
        assert!(
            validator
                .before_store(&[StoredToken::new("rs", "s", "AT", 0)], &ctx)
                .is_ok()
        );
    }

    #[test]
    fn refresh_tokens_required_after_retrieve_only() {
        let ctx = context(None, None);
        let without = [StoredToken::new("rs", "s", "AT", 1)];
        assert!(HasRefreshTokensValidator.before_store(&without, &ctx).is_ok());
        let error = HasRefreshTokensValidator.after_retrieve(&without, &ctx).unwrap_err();
        assert!(error.is_missing_token());
        assert_eq!(error.to_string(), "No refresh_token for rs");
        let with = [StoredToken::new("rs", "s", "AT", 1).with_refresh_token("RT")];
        assert!(HasRefreshTokensValidator.after_retrieve(&with, &ctx).is_ok());
    }

    #[test]
    fn identity_must_exist_and_not_change() {
        let v = UnchangingIdentityIdValidator;
        assert!(matches!(
            v.before_store(&[], &context(None, None)),
            Err(ValidationError::MissingIdentity)
        ));
        assert!(v.before_store(&[], &context(None, Some("a"))).is_ok());
        assert!(v.before_store(&[], &context(Some("a"), Some("a"))).is_ok());
        let error = v.before_store(&[], &context(Some("a"), Some("b"))).unwrap_err();
        assert!(
            matches!(&error, ValidationError::IdentityMismatch { stored_id, new_id } if stored_id == "a" && new_id == "b")
        );
        assert!(error.is_identity_error());
        assert!(v.after_retrieve(&[], &context(Some("a"), Some("b"))).is_ok());
    }
}
