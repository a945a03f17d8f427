//! Globus scopes: the [`Scope`] value, the scope-string parser and serializer, and the
//! scope constants of every Globus service.
//!
//! ```
//! use globus_auth_core::scopes::{GcsCollectionScopes, Scope, TransferScopes};
//!
//! let collection = GcsCollectionScopes::new("11111111-2222-3333-4444-555555555555")?;
//! let transfer = TransferScopes::all().with_dependency(collection.data_access().with_optional(true));
//! assert_eq!(
//!     transfer.to_string(),
//!     "urn:globus:auth:scope:transfer.api.globus.org:all\
//!      [*https://auth.globus.org/scopes/11111111-2222-3333-4444-555555555555/data_access]"
//! );
//! assert_eq!(Scope::parse(&transfer.to_string())?, transfer);
//! # Ok::<(), globus_auth_core::Error>(())
//! ```

mod collections;
mod parser;
mod scope;

pub use collections::{
    AuthScopes, ComputeScopes, FlowsScopes, GcsCollectionScopes, GcsEndpointScopes, GroupsScopes, NexusScopes,
    SearchScopes, SpecificFlowScopes, TimersScopes, TransferScopes,
};
pub(crate) use parser::is_python_space;
pub use parser::{ScopeParseErrorKind, merge, parse, serialize};
pub use scope::Scope;
