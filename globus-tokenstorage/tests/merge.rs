//! The merge every backend does for refreshed tokens: a record without a refresh token
//! or identity keeps the stored ones, and other fields take the new values.

use globus_tokenstorage::{JsonTokenStorage, MemoryTokenStorage, StoredToken, TokenStorage};

fn check(storage: &dyn TokenStorage) {
    let first = StoredToken::new("groups.api.globus.org", "s", "AT1", 100)
        .with_refresh_token("RT1")
        .with_identity_id("user-1");
    storage.store_token_data(&first).unwrap();
    let refreshed = StoredToken::new("groups.api.globus.org", "s", "AT2", 200);
    storage.merge_token_data_by_resource_server(&[refreshed]).unwrap();
    let merged = storage.get_token_data("groups.api.globus.org").unwrap().unwrap();
    assert_eq!(merged.access_token.expose_secret(), "AT2");
    assert_eq!(merged.expires_at_seconds, 200);
    assert_eq!(merged.refresh_token.unwrap().expose_secret(), "RT1");
    assert_eq!(merged.identity_id.as_deref(), Some("user-1"));

    let rotated = StoredToken::new("groups.api.globus.org", "s", "AT3", 300).with_refresh_token("RT2");
    let fresh = StoredToken::new("transfer.api.globus.org", "t", "AT4", 300);
    storage.merge_token_data_by_resource_server(&[rotated, fresh]).unwrap();
    let merged = storage.get_token_data("groups.api.globus.org").unwrap().unwrap();
    assert_eq!(merged.refresh_token.unwrap().expose_secret(), "RT2");
    assert!(
        storage
            .get_token_data("transfer.api.globus.org")
            .unwrap()
            .unwrap()
            .refresh_token
            .is_none()
    );
}

#[test]
fn every_backend_merges() {
    let dir = tempfile::tempdir().unwrap();
    check(&MemoryTokenStorage::new());
    check(&JsonTokenStorage::open(dir.path().join("tokens.json")).unwrap());
    #[cfg(feature = "sqlite")]
    check(&globus_tokenstorage::SqliteTokenStorage::open(dir.path().join("tokens.db")).unwrap());
}
