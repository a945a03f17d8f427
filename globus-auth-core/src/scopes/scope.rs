//! The [`Scope`] value.

use core::fmt;

use crate::Error;

/// One Globus scope: a scope string, whether it is optional (`*`), and the scopes it
/// depends on (`[...]`). Immutable; the evolvers return new values, like Python's
/// frozen `Scope` dataclass.
///
/// `Display` gives the scope string Globus Auth accepts, e.g. `*x[y *z]`.
///
/// ```
/// use globus_auth_core::scopes::Scope;
/// let scope = Scope::new("x")?
///     .with_optional(true)
///     .with_dependencies([Scope::new("y")?, Scope::new("z")?.with_optional(true)]);
/// assert_eq!(scope.to_string(), "*x[y *z]");
/// # Ok::<(), globus_auth_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Scope {
    scope_string: String,
    optional: bool,
    dependencies: Vec<Scope>,
}

impl Scope {
    /// A required scope without dependencies. Rejects strings holding any of `[`, `]`,
    /// `*` or a space, like Python's constructor (use [`Scope::parse`] for those).
    pub fn new(scope_string: impl Into<String>) -> Result<Self, Error> {
        let scope_string = scope_string.into();
        if scope_string.contains(['[', ']', '*', ' ']) {
            return Err(Error::ScopeSpecialCharacters { scope_string });
        }
        Ok(Self::trusted(scope_string))
    }

    /// A scope from a string already known to hold no special character.
    pub(crate) fn trusted(scope_string: String) -> Self {
        Self {
            scope_string,
            optional: false,
            dependencies: Vec::new(),
        }
    }

    /// A scope built by the parser.
    pub(crate) fn from_parts(scope_string: String, optional: bool, dependencies: Vec<Scope>) -> Self {
        Self {
            scope_string,
            optional,
            dependencies,
        }
    }

    /// Parses a scope string that must hold exactly one top-level scope.
    ///
    /// ```
    /// use globus_auth_core::scopes::Scope;
    /// let scope = Scope::parse("a[b *c]")?;
    /// assert_eq!(scope.scope_string(), "a");
    /// assert_eq!(scope.dependencies().len(), 2);
    /// assert!(Scope::parse("a b").is_err());
    /// # Ok::<(), globus_auth_core::Error>(())
    /// ```
    pub fn parse(scope_string: &str) -> Result<Self, Error> {
        let mut scopes = super::parse(scope_string)?;
        if scopes.len() != 1 {
            return Err(Error::NotExactlyOneScope { count: scopes.len() });
        }
        Ok(scopes.remove(0))
    }

    /// The scope string, without the optional marker or dependencies.
    pub fn scope_string(&self) -> &str {
        &self.scope_string
    }

    /// Whether the scope is optional (may be declined without declining the rest).
    pub fn optional(&self) -> bool {
        self.optional
    }

    /// The scopes this scope depends on, in the order they were added.
    pub fn dependencies(&self) -> &[Scope] {
        &self.dependencies
    }

    /// A copy with `dependency` appended to the dependencies.
    #[must_use]
    pub fn with_dependency(mut self, dependency: Scope) -> Self {
        self.dependencies.push(dependency);
        self
    }

    /// A copy with every scope of `dependencies` appended, in order.
    #[must_use]
    pub fn with_dependencies(mut self, dependencies: impl IntoIterator<Item = Scope>) -> Self {
        self.dependencies.extend(dependencies);
        self
    }

    /// A copy with the optional marker set to `optional`.
    #[must_use]
    pub fn with_optional(mut self, optional: bool) -> Self {
        self.optional = optional;
        self
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.optional {
            f.write_str("*")?;
        }
        f.write_str(&self.scope_string)?;
        if let Some((first, rest)) = self.dependencies.split_first() {
            write!(f, "[{first}")?;
            for dependency in rest {
                write!(f, " {dependency}")?;
            }
            f.write_str("]")?;
        }
        Ok(())
    }
}

impl core::str::FromStr for Scope {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scope::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructor_rejects_special_characters() {
        for bad in ["a b", "a[b]", "*a", "a]"] {
            assert!(
                matches!(Scope::new(bad), Err(Error::ScopeSpecialCharacters { .. })),
                "{bad}"
            );
        }
        assert_eq!(Scope::new("").unwrap().to_string(), "");
        assert_eq!(Scope::new("a\tb").unwrap().to_string(), "a\tb");
    }

    #[test]
    fn display_nests() {
        let scope = Scope::new("a")
            .unwrap()
            .with_dependency(Scope::new("b").unwrap().with_optional(true))
            .with_dependency(Scope::new("c").unwrap().with_dependency(Scope::new("d").unwrap()));
        assert_eq!(scope.to_string(), "a[*b c[d]]");
    }
}
