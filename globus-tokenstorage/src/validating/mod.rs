//! [`ValidatingTokenStorage`] and the local validators of Python's
//! `globus_sdk.token_storage.validating_token_storage`.
//!
//! Only the validators that need no network are here: [`NotExpiredValidator`],
//! [`HasRefreshTokensValidator`] and [`UnchangingIdentityIdValidator`]. Python's
//! `ScopeRequirementsValidator` asks Globus Auth for consents, so it belongs with the
//! GlobusApp; it can be written against [`TokenDataValidator`].

mod error;
mod storage;
mod validators;

pub use error::ValidationError;
pub use storage::ValidatingTokenStorage;
pub use validators::{
    Clock, HasRefreshTokensValidator, NotExpiredValidator, TokenDataValidator, UnchangingIdentityIdValidator,
    ValidationContext,
};
