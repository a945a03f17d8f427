//! Where a GlobusApp keeps its tokens, computed exactly as the Python SDK does
//! (`_default_globus_app_filepath` and `_slugify_app_name`), so that a Rust and a Python
//! app with the same client id and name share one login.
//!
//! - Linux and macOS: `~/.globus/app/{client_id}/{app_name}/{prefix}tokens.{ext}`
//! - Windows: `%LOCALAPPDATA%\globus\app\{client_id}\{app_name}\{prefix}tokens.{ext}`
//!   (else `%APPDATA%`, else `~\AppData\Local`)
//!
//! `{prefix}` is empty in the `production` environment and `{environment}-` otherwise;
//! `{ext}` is `json` or `db`. Nothing here reads the environment unless asked to:
//! [`globus_app_token_path`] takes a lookup function;
//! [`globus_app_token_path_from_env`] uses the process environment.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::Error;

/// The file format of a token storage, which gives the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenFileFormat {
    /// [`JsonTokenStorage`](crate::JsonTokenStorage): `tokens.json`.
    Json,
    /// [`SqliteTokenStorage`](crate::SqliteTokenStorage): `tokens.db`.
    Sqlite,
}

impl TokenFileFormat {
    /// The extension, as Python's `file_format`: `"json"` or `"db"`.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Sqlite => "db",
        }
    }
}

/// Which platform's layout to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Platform {
    /// Linux, macOS and other Unix systems: under `~/.globus`.
    Unix,
    /// Windows: under the local application-data directory.
    Windows,
}

impl Platform {
    /// The platform this program was built for.
    pub fn current() -> Self {
        if cfg!(windows) { Self::Windows } else { Self::Unix }
    }

    fn separator(self) -> char {
        match self {
            Self::Unix => '/',
            Self::Windows => '\\',
        }
    }
}

/// The token file of a GlobusApp, as Python computes it.
///
/// `lookup` answers environment variables: `HOME` on Unix; `LOCALAPPDATA`, `APPDATA`,
/// `USERPROFILE`, `HOMEDRIVE` and `HOMEPATH` on Windows. An empty value counts as unset.
///
/// ```
/// use std::ffi::OsString;
/// use std::path::PathBuf;
/// use globus_tokenstorage::{Platform, TokenFileFormat, globus_app_token_path};
///
/// let home = |name: &str| (name == "HOME").then(|| OsString::from("/home/ada"));
/// let path = globus_app_token_path(
///     "61338d24-54d5-408f-a10d-66c06b59f6d2", "My App", "sandbox", TokenFileFormat::Json, Platform::Unix, home,
/// )?;
/// assert_eq!(
///     path,
///     PathBuf::from("/home/ada/.globus/app/61338d24-54d5-408f-a10d-66c06b59f6d2/my-app/sandbox-tokens.json")
/// );
/// # Ok::<(), globus_tokenstorage::Error>(())
/// ```
pub fn globus_app_token_path(
    client_id: &str,
    app_name: &str,
    environment: &str,
    format: TokenFileFormat,
    platform: Platform,
    lookup: impl Fn(&str) -> Option<OsString>,
) -> Result<PathBuf, Error> {
    let app_name = slugify_app_name(app_name)?;
    let prefix = if environment == "production" {
        String::new()
    } else {
        format!("{environment}-")
    };
    let filename = format!("{prefix}tokens.{}", format.extension());
    let lookup = |name: &str| lookup(name).filter(|value| !value.is_empty());
    let base = match platform {
        Platform::Unix => {
            let home = lookup("HOME").ok_or(Error::HomeDirectoryUnknown { variables: "HOME" })?;
            join(platform, home, &[".globus"])
        }
        Platform::Windows => match lookup("LOCALAPPDATA").or_else(|| lookup("APPDATA")) {
            Some(data_dir) => data_dir,
            None => join(platform, windows_home(&lookup)?, &["AppData", "Local"]),
        },
    };
    let parts: &[&str] = match platform {
        Platform::Unix => &["app", client_id, &app_name, &filename],
        Platform::Windows => &["globus", "app", client_id, &app_name, &filename],
    };
    Ok(PathBuf::from(join(platform, base, parts)))
}

/// [`globus_app_token_path`] for this platform, reading the process environment (and,
/// on Unix, the user database when `HOME` is unset, as Python's `expanduser` does).
pub fn globus_app_token_path_from_env(
    client_id: &str,
    app_name: &str,
    environment: &str,
    format: TokenFileFormat,
) -> Result<PathBuf, Error> {
    globus_app_token_path(client_id, app_name, environment, format, Platform::current(), |name| {
        std::env::var_os(name).or_else(|| {
            (name == "HOME" && Platform::current() == Platform::Unix)
                .then(std::env::home_dir)
                .flatten()
                .map(PathBuf::into_os_string)
        })
    })
}

/// Python's `os.path.expanduser("~")` on Windows: `USERPROFILE`, else `HOMEDRIVE` +
/// `HOMEPATH`.
fn windows_home(lookup: &impl Fn(&str) -> Option<OsString>) -> Result<OsString, Error> {
    if let Some(profile) = lookup("USERPROFILE") {
        return Ok(profile);
    }
    let path = lookup("HOMEPATH").ok_or(Error::HomeDirectoryUnknown {
        variables: "LOCALAPPDATA, APPDATA, USERPROFILE and HOMEPATH",
    })?;
    let mut home = lookup("HOMEDRIVE").unwrap_or_default();
    home.push(path);
    Ok(home)
}

/// Joins path parts with the platform's separator, without doubling one already there.
fn join(platform: Platform, base: OsString, parts: &[&str]) -> OsString {
    let separator = platform.separator();
    let mut joined = base;
    for part in parts {
        let text = joined.to_string_lossy();
        let ends_with_separator = text.ends_with(separator) || (platform == Platform::Windows && text.ends_with('/'));
        if !ends_with_separator && !joined.is_empty() {
            joined.push(separator.to_string());
        }
        joined.push(part);
    }
    joined
}

/// Python's `_slugify_app_name`: each of `<>:"/\|?*` becomes `+`; `.` and space become
/// `-`; unprintable characters are removed; the result is lowercased. Reserved Windows
/// names (`con`, `prn`, `aux`, `nul`, `com0`-`com9`, `lpt0`-`lpt9`) and the empty string
/// are errors.
///
/// Python's `isprintable` needs the Unicode category tables; this keeps the categories
/// it removes that Rust's standard library can tell (control, format, private-use,
/// surrogate and separator characters other than the space) and keeps unassigned code
/// points, which Python would remove. Reserved names are matched with ASCII digits only
/// (Python's `\d` also matches other decimal digits).
///
/// ```
/// use globus_tokenstorage::slugify_app_name;
/// assert_eq!(slugify_app_name("My App v1.0")?, "my-app-v1-0");
/// assert_eq!(slugify_app_name("a?b")?, "a+b");
/// assert!(slugify_app_name("CON").is_err());
/// # Ok::<(), globus_tokenstorage::Error>(())
/// ```
pub fn slugify_app_name(app_name: &str) -> Result<String, Error> {
    let slug: String = app_name
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '+',
            '.' | ' ' => '-',
            other => other,
        })
        .filter(|&c| is_printable(c))
        .collect::<String>()
        .to_lowercase();
    if is_reserved_name(&slug) {
        return Err(Error::InvalidAppName {
            app_name: slug,
            reason: "App name results in a reserved filename. Please choose a different name.",
        });
    }
    if slug.is_empty() {
        return Err(Error::InvalidAppName {
            app_name: slug,
            reason: "App name results in the empty string. Please choose a different name.",
        });
    }
    Ok(slug)
}

/// `con|prn|aux|nul|com\d|lpt\d`, matched in full.
fn is_reserved_name(name: &str) -> bool {
    if matches!(name, "con" | "prn" | "aux" | "nul") {
        return true;
    }
    let mut chars = name.chars();
    let prefix: String = chars.by_ref().take(3).collect();
    let rest: Vec<char> = chars.collect();
    (prefix == "com" || prefix == "lpt") && matches!(rest.as_slice(), [digit] if digit.is_ascii_digit())
}

/// An approximation of Python's `str.isprintable` for one character.
fn is_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false; // Cc, Zs, Zl, Zp
    }
    let code = u32::from(c);
    let format = matches!(
        code,
        0x00AD
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x0890..=0x0891
            | 0x08E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    );
    let private_use = matches!(code, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD);
    let noncharacter = matches!(code, 0xFDD0..=0xFDEF) || code & 0xFFFE == 0xFFFE;
    !(format || private_use || noncharacter)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<OsString> {
        move |name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| OsString::from(value))
        }
    }

    const CID: &str = "61338d24-54d5-408f-a10d-66c06b59f6d2";

    #[test]
    fn unix_paths() {
        let path = |environment, format, vars| {
            globus_app_token_path(CID, "app", environment, format, Platform::Unix, env(vars))
                .map(|p| p.to_string_lossy().into_owned())
        };
        assert_eq!(
            path("production", TokenFileFormat::Json, &[("HOME", "/home/u")]).unwrap(),
            format!("/home/u/.globus/app/{CID}/app/tokens.json")
        );
        assert_eq!(
            path("test", TokenFileFormat::Sqlite, &[("HOME", "/home/u/")]).unwrap(),
            format!("/home/u/.globus/app/{CID}/app/test-tokens.db")
        );
        assert!(matches!(
            path("production", TokenFileFormat::Json, &[("HOME", "")]),
            Err(Error::HomeDirectoryUnknown { .. })
        ));
    }

    #[test]
    fn windows_paths_follow_pythons_fallbacks() {
        let path = |vars| {
            globus_app_token_path(
                CID,
                "App",
                "production",
                TokenFileFormat::Json,
                Platform::Windows,
                env(vars),
            )
            .map(|p| p.to_string_lossy().into_owned())
        };
        let expected = |base: &str| format!("{base}\\globus\\app\\{CID}\\app\\tokens.json");
        assert_eq!(
            path(&[("LOCALAPPDATA", r"C:\Users\u\AppData\Local"), ("APPDATA", r"C:\R")]).unwrap(),
            expected(r"C:\Users\u\AppData\Local")
        );
        assert_eq!(path(&[("APPDATA", r"C:\R\")]).unwrap(), expected(r"C:\R"));
        assert_eq!(
            path(&[("USERPROFILE", r"C:\Users\u")]).unwrap(),
            expected(r"C:\Users\u\AppData\Local")
        );
        assert_eq!(
            path(&[("HOMEDRIVE", "D:"), ("HOMEPATH", r"\home")]).unwrap(),
            expected(r"D:\home\AppData\Local")
        );
        assert!(matches!(path(&[]), Err(Error::HomeDirectoryUnknown { .. })));
    }

    #[test]
    fn slugs_match_pythons_examples() {
        // The examples of `_slugify_app_name`'s docstring.
        assert_eq!(slugify_app_name("a?").unwrap(), "a+");
        assert_eq!(slugify_app_name("a. b").unwrap(), "a--b");
        assert_eq!(slugify_app_name("a\0b").unwrap(), "ab");
        assert_eq!(slugify_app_name("AB").unwrap(), "ab");
        assert_eq!(slugify_app_name(r#"<>:"/\|?*"#).unwrap(), "+++++++++");
        assert_eq!(slugify_app_name("Ünïcode\u{200B}\u{E000}").unwrap(), "ünïcode");
        assert_eq!(slugify_app_name("tab\there").unwrap(), "tabhere");
    }

    #[test]
    fn reserved_and_empty_names_are_errors() {
        for name in ["con", "PRN", "Aux", "nul", "COM1", "lpt9", "com0"] {
            assert!(
                matches!(slugify_app_name(name), Err(Error::InvalidAppName { reason, .. }) if reason.contains("reserved")),
                "{name}"
            );
        }
        for name in ["com", "com10", "console", "lpt", "nul-"] {
            assert!(slugify_app_name(name).is_ok(), "{name}");
        }
        for name in ["", "\u{7}", "\u{200B}"] {
            assert!(
                matches!(slugify_app_name(name), Err(Error::InvalidAppName { reason, .. }) if reason.contains("empty")),
                "{name:?}"
            );
        }
    }
}
