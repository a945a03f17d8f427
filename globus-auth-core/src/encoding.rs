//! Python-compatible encodings: `urllib.parse.urlencode` (quote_plus) and `slash_join`.
//!
//! `url::form_urlencoded` and `serde_urlencoded` differ from Python (they leave `*`
//! literal and escape `~`), so the SDK has its own encoder (DESIGN.md §6).

/// Percent-encodes `value` exactly like Python's `urllib.parse.quote_plus`: space becomes
/// `+`; `A-Z a-z 0-9 _ . - ~` stay literal; every other byte of the UTF-8 encoding
/// becomes `%XX` (upper-case hex).
///
/// ```
/// use globus_auth_core::encoding::quote_plus;
/// assert_eq!(quote_plus("a b*c/~"), "a+b%2Ac%2F~");
/// ```
pub fn quote_plus(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + value.len() / 2);
    push_quote_plus(&mut out, value);
    out
}

fn push_quote_plus(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in value.as_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0x0f)]));
            }
        }
    }
}

/// Encodes name/value pairs like Python's `urllib.parse.urlencode`, in the given order.
///
/// ```
/// use globus_auth_core::encoding::urlencode;
/// let pairs = [("scope", "openid email"), ("state", "_default")];
/// assert_eq!(urlencode(pairs), "scope=openid+email&state=_default");
/// ```
pub fn urlencode<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> String
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut out = String::new();
    for (index, (name, value)) in pairs.into_iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        push_quote_plus(&mut out, name.as_ref());
        out.push('=');
        push_quote_plus(&mut out, value.as_ref());
    }
    out
}

/// Joins two URL parts with exactly one slash, like the Python SDK's `slash_join`; an
/// empty `b` returns `a` unchanged. The parts are treated as opaque strings (never
/// parsed and re-escaped).
///
/// ```
/// use globus_auth_core::encoding::slash_join;
/// assert_eq!(slash_join("https://auth.globus.org/", "/v2/oauth2/token"),
///            "https://auth.globus.org/v2/oauth2/token");
/// assert_eq!(slash_join("https://x.test/prefix", "v2"), "https://x.test/prefix/v2");
/// ```
pub fn slash_join(a: &str, b: &str) -> String {
    if b.is_empty() {
        return a.to_owned();
    }
    match (a.ends_with('/'), b.starts_with('/')) {
        (true, true) => format!("{}{}", &a[..a.len() - 1], b),
        (true, false) | (false, true) => format!("{a}{b}"),
        (false, false) => format!("{a}/{b}"),
    }
}

/// Ordered request parameters with Python dict semantics: setting a name that is
/// already present keeps its position and takes the new value. An omitted entry (Python's
/// `MISSING`, or `None` in a form body) holds its position but is not encoded.
///
/// ```
/// use globus_auth_core::Params;
/// let mut params = Params::new().with("a", "1").with("b", "2");
/// params.set("a", "x y");
/// params.omit("b");
/// params.set("c", "3");
/// assert_eq!(params.encode(), "a=x+y&c=3");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    entries: Vec<(String, Option<String>)>,
}

impl Params {
    /// No parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `name` to `value` and returns the parameters.
    #[must_use]
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.set(name, value);
        self
    }

    /// Sets `name` to `value`, keeping the position of an existing entry.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.put(name.into(), Some(value.into()));
    }

    /// Sets `name` when `value` is `Some`, else marks it omitted (keeping its position).
    pub fn set_opt(&mut self, name: impl Into<String>, value: Option<String>) {
        self.put(name.into(), value);
    }

    /// Marks `name` omitted: it keeps (or takes) a position but is not encoded.
    pub fn omit(&mut self, name: impl Into<String>) {
        self.put(name.into(), None);
    }

    fn put(&mut self, name: String, value: Option<String>) {
        match self.entries.iter_mut().find(|(existing, _)| *existing == name) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((name, value)),
        }
    }

    /// Applies every entry of `other` in order (Python's `{**self, **other}`).
    pub fn merge(&mut self, other: &Params) {
        for (name, value) in &other.entries {
            self.put(name.clone(), value.clone());
        }
    }

    /// The value of `name`, if set and not omitted.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(existing, _)| existing == name)
            .and_then(|(_, value)| value.as_deref())
    }

    /// The entries that are not omitted, in order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries
            .iter()
            .filter_map(|(name, value)| value.as_deref().map(|value| (name.as_str(), value)))
    }

    /// Whether no entry would be encoded.
    pub fn is_empty(&self) -> bool {
        self.pairs().next().is_none()
    }

    /// [`urlencode`] of the entries that are not omitted.
    pub fn encode(&self) -> String {
        urlencode(self.pairs())
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Params {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut params = Params::new();
        for (name, value) in iter {
            params.set(name, value);
        }
        params
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_plus_matches_python() {
        assert_eq!(
            quote_plus("https://auth.globus.org/v2/web/auth-code"),
            "https%3A%2F%2Fauth.globus.org%2Fv2%2Fweb%2Fauth-code"
        );
        assert_eq!(quote_plus("a[*b]"), "a%5B%2Ab%5D");
        assert_eq!(quote_plus("Ünï ✓ #1"), "%C3%9Cn%C3%AF+%E2%9C%93+%231");
        assert_eq!(quote_plus("-._~"), "-._~");
        assert_eq!(quote_plus(""), "");
    }

    #[test]
    fn slash_join_cases() {
        assert_eq!(slash_join("a/", "/b"), "a/b");
        assert_eq!(slash_join("a/", "b"), "a/b");
        assert_eq!(slash_join("a", "/b"), "a/b");
        assert_eq!(slash_join("a", "b"), "a/b");
        assert_eq!(slash_join("a", ""), "a");
    }

    #[test]
    fn params_keep_first_position() {
        let mut params = Params::new();
        params.set("a", "1");
        params.omit("b");
        params.set("c", "3");
        params.set("a", "x");
        assert_eq!(params.encode(), "a=x&c=3");
        params.set("b", "2");
        assert_eq!(params.encode(), "a=x&b=2&c=3");
    }
}
