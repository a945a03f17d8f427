//! Registered OAuth2 clients and user identities.

use std::collections::HashMap;
use std::fmt;

/// The native "tutorial" client of the Python SDK's documentation, known out of the box.
/// It accepts any redirect URI.
pub const TUTORIAL_CLIENT_ID: &str = "61338d24-54d5-408f-a10d-66c06b59f6d2";

/// The id of the user known out of the box; the simulated consent logs this user in
/// unless another one is chosen with [`crate::FakeGlobus::login_as`].
pub const DEFAULT_USER_ID: &str = "f1a7c0de-2b5e-4c11-9a6e-7e57ab1e0001";

/// The username of the default user.
pub const DEFAULT_USERNAME: &str = "tutorial-user@globusid.org";

/// The identity provider id of Globus ID, used for users by default.
pub const GLOBUS_ID_PROVIDER: &str = "41143743-f3c8-4d60-bbdb-eeecaba85bd9";

const CLIENT_IDENTITY_PROVIDER: &str = "e1a7c11e-0000-4000-8000-c11e0c11e0c1";

/// An OAuth2 client registered with the fake Auth: native (public, PKCE) or confidential
/// (authenticates with `Authorization: Basic base64(id:secret)`).
#[derive(Clone, PartialEq, Eq)]
pub struct Client {
    id: String,
    name: String,
    secret: Option<String>,
    redirect_uris: Vec<String>,
    dependent_scopes: Vec<String>,
}

impl Client {
    /// A native (public) client: token requests carry `client_id` in the body and no
    /// `Authorization`; code exchanges need PKCE.
    pub fn native(id: impl Into<String>) -> Self {
        let id = id.into();
        Self {
            name: format!("Native App {id}"),
            id,
            secret: None,
            redirect_uris: Vec::new(),
            dependent_scopes: Vec::new(),
        }
    }

    /// A confidential client with its secret.
    pub fn confidential(id: impl Into<String>, secret: impl Into<String>) -> Self {
        let id = id.into();
        Self {
            name: format!("Confidential App {id}"),
            id,
            secret: Some(secret.into()),
            redirect_uris: Vec::new(),
            dependent_scopes: Vec::new(),
        }
    }

    /// Sets the display name.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Registers an allowed redirect URI. A client with none accepts any redirect URI.
    pub fn with_redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uris.push(uri.into());
        self
    }

    /// Scopes granted by a dependent-token grant that names no `scope`.
    pub fn with_dependent_scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.dependent_scopes.extend(scopes.into_iter().map(Into::into));
        self
    }

    /// The client id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether this client authenticates with a secret.
    pub fn is_confidential(&self) -> bool {
        self.secret.is_some()
    }

    pub(crate) fn secret(&self) -> Option<&str> {
        self.secret.as_deref()
    }

    pub(crate) fn dependent_scopes(&self) -> &[String] {
        &self.dependent_scopes
    }

    /// Whether `uri` is an acceptable redirect URI for this client.
    pub(crate) fn allows_redirect(&self, uri: &str) -> bool {
        self.redirect_uris.is_empty() || self.redirect_uris.iter().any(|allowed| allowed == uri)
    }

    /// The client's own identity (what a client-credentials token belongs to).
    pub(crate) fn identity(&self) -> User {
        let mut user = User::new(self.id.clone(), format!("{}@clients.auth.globus.org", self.id));
        user.name = self.name.clone();
        user.email = None;
        user.identity_provider = CLIENT_IDENTITY_PROVIDER.to_owned();
        user.identity_provider_display_name = "Globus Auth (clients)".to_owned();
        user.organization = None;
        user
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field("redirect_uris", &self.redirect_uris)
            .field("dependent_scopes", &self.dependent_scopes)
            .finish()
    }
}

/// A user identity known to the fake Auth.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct User {
    /// The identity id (a UUID), the `sub` of its tokens.
    pub id: String,
    /// The username, e.g. `someone@globusid.org`.
    pub username: String,
    /// The display name.
    pub name: String,
    /// The email address, if any.
    pub email: Option<String>,
    /// The identity provider's id.
    pub identity_provider: String,
    /// The identity provider's display name.
    pub identity_provider_display_name: String,
    /// The organization, if any.
    pub organization: Option<String>,
}

impl User {
    /// A Globus ID user with a name and email derived from `username`.
    pub fn new(id: impl Into<String>, username: impl Into<String>) -> Self {
        let username = username.into();
        let local = username.split('@').next().unwrap_or_default().to_owned();
        Self {
            id: id.into(),
            name: local.replace(['-', '_', '.'], " "),
            email: Some(format!("{local}@example.org")),
            username,
            identity_provider: GLOBUS_ID_PROVIDER.to_owned(),
            identity_provider_display_name: "Globus ID".to_owned(),
            organization: None,
        }
    }

    /// The user known out of the box ([`DEFAULT_USER_ID`], [`DEFAULT_USERNAME`]).
    pub fn default_user() -> Self {
        let mut user = User::new(DEFAULT_USER_ID, DEFAULT_USERNAME);
        user.name = "Tutorial User".to_owned();
        user.organization = Some("Globus Tutorial".to_owned());
        user
    }
}

/// Clients and users, plus who the simulated consent logs in.
#[derive(Debug, Clone)]
pub(crate) struct Registry {
    clients: HashMap<String, Client>,
    users: Vec<User>,
    current_user: String,
}

impl Registry {
    /// The tutorial client and the default user.
    pub(crate) fn new() -> Self {
        let mut registry = Self {
            clients: HashMap::new(),
            users: Vec::new(),
            current_user: DEFAULT_USER_ID.into(),
        };
        registry.add_client(Client::native(TUTORIAL_CLIENT_ID).with_name("Globus SDK Tutorial"));
        registry.add_user(User::default_user());
        registry
    }

    /// Adds or replaces a client.
    pub(crate) fn add_client(&mut self, client: Client) {
        self.clients.insert(client.id.clone(), client);
    }

    /// Adds or replaces a user (by id).
    pub(crate) fn add_user(&mut self, user: User) {
        match self.users.iter_mut().find(|existing| existing.id == user.id) {
            Some(existing) => *existing = user,
            None => self.users.push(user),
        }
    }

    /// A client by id.
    pub(crate) fn client(&self, id: &str) -> Option<&Client> {
        self.clients.get(id)
    }

    /// A user by id.
    pub(crate) fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|user| user.id == id)
    }

    /// A user by username (case-insensitive).
    pub(crate) fn user_by_username(&self, username: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|user| user.username.eq_ignore_ascii_case(username))
    }

    /// A user or client identity by id.
    pub(crate) fn identity(&self, id: &str) -> Option<User> {
        self.user(id).cloned().or_else(|| self.client(id).map(Client::identity))
    }

    /// The user the simulated consent logs in.
    pub(crate) fn current_user(&self) -> Option<&User> {
        self.user(&self.current_user)
    }

    /// Chooses the user the simulated consent logs in; `false` if no such user.
    pub(crate) fn set_current_user(&mut self, id: &str) -> bool {
        let known = self.user(id).is_some();
        if known {
            self.current_user = id.to_owned();
        }
        known
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_lookup() {
        let mut registry = Registry::new();
        assert!(
            !registry
                .client(TUTORIAL_CLIENT_ID)
                .map(Client::is_confidential)
                .unwrap_or(true)
        );
        assert_eq!(
            registry.current_user().map(|u| u.username.as_str()),
            Some(DEFAULT_USERNAME)
        );
        registry.add_client(Client::confidential("c1", "s3cret").with_redirect_uri("https://x/cb"));
        let client = registry
            .client("c1")
            .cloned()
            .unwrap_or_else(|| Client::native("missing"));
        assert!(client.allows_redirect("https://x/cb"));
        assert!(!client.allows_redirect("https://x/other"));
        assert!(!format!("{client:?}").contains("s3cret"));
        assert_eq!(
            registry.identity("c1").map(|u| u.username),
            Some("c1@clients.auth.globus.org".into())
        );
        assert!(registry.user_by_username("TUTORIAL-user@globusid.org").is_some());
        assert!(!registry.set_current_user("nobody"));
    }
}
