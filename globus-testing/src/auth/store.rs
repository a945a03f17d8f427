//! Issued access tokens, refresh tokens and pending authorization codes.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::random::IdGen;

/// An issued access token.
#[derive(Debug, Clone)]
pub(crate) struct AccessGrant {
    pub(crate) client_id: String,
    pub(crate) user_id: String,
    pub(crate) resource_server: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) issued_at: u64,
    pub(crate) expires_at: u64,
    pub(crate) revoked: bool,
}

/// An issued refresh token.
#[derive(Debug, Clone)]
pub(crate) struct RefreshGrant {
    pub(crate) client_id: String,
    pub(crate) user_id: String,
    pub(crate) resource_server: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) revoked: bool,
}

/// An authorization code waiting to be exchanged.
#[derive(Debug, Clone)]
pub(crate) struct PendingCode {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) code_challenge: Option<String>,
    pub(crate) user_id: String,
    pub(crate) offline: bool,
    pub(crate) state: Option<String>,
    pub(crate) expires_at: u64,
}

/// Why an access token is not usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenProblem {
    Unknown,
    Revoked,
    Expired,
}

impl TokenProblem {
    /// A message for error documents.
    pub(crate) fn message(self) -> &'static str {
        match self {
            TokenProblem::Unknown => "the bearer token is not known",
            TokenProblem::Revoked => "the bearer token has been revoked",
            TokenProblem::Expired => "the bearer token has expired",
        }
    }
}

/// Who a set of new tokens is for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Grantee<'a> {
    pub(crate) client_id: &'a str,
    pub(crate) user_id: &'a str,
    pub(crate) offline: bool,
}

/// Every token and code the fake Auth has issued.
#[derive(Debug, Default)]
pub(crate) struct TokenStore {
    access: HashMap<String, AccessGrant>,
    refresh: HashMap<String, RefreshGrant>,
    codes: HashMap<String, PendingCode>,
}

impl TokenStore {
    /// Checks an access token at time `now`.
    pub(crate) fn check_access(&self, token: &str, now: u64) -> Result<&AccessGrant, TokenProblem> {
        let grant = self.access.get(token).ok_or(TokenProblem::Unknown)?;
        if grant.revoked {
            Err(TokenProblem::Revoked)
        } else if now >= grant.expires_at {
            Err(TokenProblem::Expired)
        } else {
            Ok(grant)
        }
    }

    /// A refresh token that is still live.
    pub(crate) fn live_refresh(&self, token: &str) -> Option<&RefreshGrant> {
        self.refresh.get(token).filter(|grant| !grant.revoked)
    }

    /// Revokes a refresh token (rotation or revocation).
    pub(crate) fn revoke_refresh(&mut self, token: &str) {
        if let Some(grant) = self.refresh.get_mut(token) {
            grant.revoked = true;
        }
    }

    /// Revokes an access or refresh token if `client_id` owns it; `true` if one was revoked.
    pub(crate) fn revoke_owned(&mut self, token: &str, client_id: &str) -> bool {
        if let Some(grant) = self.access.get_mut(token).filter(|g| g.client_id == client_id) {
            grant.revoked = true;
            return true;
        }
        if let Some(grant) = self.refresh.get_mut(token).filter(|g| g.client_id == client_id) {
            grant.revoked = true;
            return true;
        }
        false
    }

    /// Stores a new authorization code.
    pub(crate) fn add_code(&mut self, code: String, pending: PendingCode) {
        self.codes.insert(code, pending);
    }

    /// Removes and returns a code (codes are single-use: any exchange attempt consumes it).
    pub(crate) fn take_code(&mut self, code: &str) -> Option<PendingCode> {
        self.codes.remove(code)
    }

    /// Issues one token per resource server; returns the token documents in order.
    pub(crate) fn issue(
        &mut self,
        ids: &IdGen,
        now: u64,
        lifetime: u64,
        grantee: Grantee<'_>,
        by_resource_server: &[(String, Vec<String>)],
    ) -> Vec<Map<String, Value>> {
        by_resource_server
            .iter()
            .map(|(rs, scopes)| {
                let access_token = ids.secret();
                self.access.insert(
                    access_token.clone(),
                    AccessGrant {
                        client_id: grantee.client_id.to_owned(),
                        user_id: grantee.user_id.to_owned(),
                        resource_server: rs.clone(),
                        scopes: scopes.clone(),
                        issued_at: now,
                        expires_at: now.saturating_add(lifetime),
                        revoked: false,
                    },
                );
                let mut doc = Map::new();
                doc.insert("access_token".into(), json!(access_token));
                doc.insert("expires_in".into(), json!(lifetime));
                doc.insert("resource_server".into(), json!(rs));
                doc.insert("scope".into(), json!(scopes.join(" ")));
                doc.insert("token_type".into(), json!("Bearer"));
                if grantee.offline {
                    let refresh_token = ids.secret();
                    self.refresh.insert(
                        refresh_token.clone(),
                        RefreshGrant {
                            client_id: grantee.client_id.to_owned(),
                            user_id: grantee.user_id.to_owned(),
                            resource_server: rs.clone(),
                            scopes: scopes.clone(),
                            revoked: false,
                        },
                    );
                    doc.insert("refresh_token".into(), json!(refresh_token));
                }
                doc
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_check_revoke() {
        let ids = IdGen::new();
        let mut store = TokenStore::default();
        let grantee = Grantee {
            client_id: "c",
            user_id: "u",
            offline: true,
        };
        let groups = vec![("transfer.api.globus.org".to_owned(), vec!["s".to_owned()])];
        let docs = store.issue(&ids, 100, 10, grantee, &groups);
        let token = docs[0]["access_token"].as_str().unwrap_or_default().to_owned();
        let refresh = docs[0]["refresh_token"].as_str().unwrap_or_default().to_owned();
        assert!(store.check_access(&token, 109).is_ok());
        assert_eq!(store.check_access(&token, 110).err(), Some(TokenProblem::Expired));
        assert_eq!(store.check_access("nope", 100).err(), Some(TokenProblem::Unknown));
        assert!(store.live_refresh(&refresh).is_some());
        assert!(!store.revoke_owned(&refresh, "other-client"));
        assert!(store.revoke_owned(&refresh, "c"));
        assert!(store.live_refresh(&refresh).is_none());
        assert!(store.revoke_owned(&token, "c"));
        assert_eq!(store.check_access(&token, 100).err(), Some(TokenProblem::Revoked));
    }
}
