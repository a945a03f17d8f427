//! Scope strings: splitting, and mapping each scope to its resource server.

/// The Auth resource server.
pub(crate) const AUTH_RS: &str = "auth.globus.org";
/// The Flows service's client id; its scopes belong to `flows.globus.org`.
pub(crate) const FLOWS_CLIENT_ID: &str = "eec9b274-0c81-4334-bdc2-54e90e689b9a";
/// The Timers service's client id, which is also its resource server.
pub(crate) const TIMERS_CLIENT_ID: &str = "524230d7-ea86-4a52-8312-86065a9e0417";
/// The Compute service's client id; its scopes belong to `funcx_service`.
pub(crate) const COMPUTE_CLIENT_ID: &str = "facd7ccc-c5f4-42aa-916b-a0e270e2c2a9";

/// Splits a space-separated scope string into its top-level scopes, dropping dependency
/// brackets (`a[b c]` gives `a`) and a leading optional marker `*`. Duplicates are removed,
/// order kept. Errors on unbalanced brackets or an empty result.
pub(crate) fn split_scopes(input: &str) -> Result<Vec<String>, String> {
    let mut scopes: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let push = |current: &mut String, scopes: &mut Vec<String>| {
        let scope = current.trim_start_matches('*').to_owned();
        if !scope.is_empty() && !scopes.contains(&scope) {
            scopes.push(scope);
        }
        current.clear();
    };
    for ch in input.chars() {
        match ch {
            '[' => depth += 1,
            ']' => depth = depth.checked_sub(1).ok_or("unbalanced ']' in scope string")?,
            c if c.is_whitespace() && depth == 0 => push(&mut current, &mut scopes),
            c if depth == 0 => current.push(c),
            _ => {}
        }
    }
    if depth != 0 {
        return Err("unbalanced '[' in scope string".into());
    }
    push(&mut current, &mut scopes);
    if scopes.is_empty() {
        return Err("no scopes requested".into());
    }
    Ok(scopes)
}

/// The resource server a scope belongs to, or `None` for a scope the fake does not understand.
pub(crate) fn resource_server(scope: &str) -> Option<String> {
    if matches!(scope, "openid" | "profile" | "email") {
        return Some(AUTH_RS.to_owned());
    }
    if let Some(rest) = scope.strip_prefix("urn:globus:auth:scope:") {
        let (rs, name) = rest.split_once(':')?;
        return (!rs.is_empty() && !name.is_empty()).then(|| rs.to_owned());
    }
    let rest = scope.strip_prefix("https://auth.globus.org/scopes/")?;
    let (rs, name) = rest.split_once('/')?;
    if rs.is_empty() || name.is_empty() {
        return None;
    }
    Some(
        match rs {
            FLOWS_CLIENT_ID => "flows.globus.org",
            COMPUTE_CLIENT_ID => "funcx_service",
            other => other,
        }
        .to_owned(),
    )
}

/// Groups scopes by resource server: Auth first if any of its scopes were requested, then the
/// others in the order they first appear. Errors name the first scope with no resource server.
pub(crate) fn group_by_resource_server(scopes: &[String]) -> Result<Vec<(String, Vec<String>)>, String> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for scope in scopes {
        let rs = resource_server(scope).ok_or_else(|| format!("unknown scope: {scope}"))?;
        match groups.iter_mut().find(|(existing, _)| *existing == rs) {
            Some((_, list)) => list.push(scope.clone()),
            None => groups.push((rs, vec![scope.clone()])),
        }
    }
    if let Some(position) = groups.iter().position(|(rs, _)| rs == AUTH_RS) {
        let auth = groups.remove(position);
        groups.insert(0, auth);
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_strips_dependencies() {
        let scopes = split_scopes(
            "openid  urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/c/data_access \
             other] openid",
        );
        assert_eq!(
            scopes,
            Ok(vec![
                "openid".into(),
                "urn:globus:auth:scope:transfer.api.globus.org:all".into()
            ])
        );
        assert!(split_scopes("a[b").is_err());
        assert!(split_scopes("a]").is_err());
        assert!(split_scopes("   ").is_err());
    }

    #[test]
    fn maps_resource_servers() {
        let cases = [
            ("email", Some("auth.globus.org")),
            (
                "urn:globus:auth:scope:auth.globus.org:view_identities",
                Some("auth.globus.org"),
            ),
            (
                "urn:globus:auth:scope:groups.api.globus.org:all",
                Some("groups.api.globus.org"),
            ),
            (
                "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all",
                Some("flows.globus.org"),
            ),
            (
                "https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer",
                Some("524230d7-ea86-4a52-8312-86065a9e0417"),
            ),
            (
                "https://auth.globus.org/scopes/facd7ccc-c5f4-42aa-916b-a0e270e2c2a9/all",
                Some("funcx_service"),
            ),
            ("https://auth.globus.org/scopes/abc/data_access", Some("abc")),
            ("nonsense", None),
            ("urn:globus:auth:scope:x", None),
        ];
        for (scope, expected) in cases {
            assert_eq!(resource_server(scope).as_deref(), expected, "{scope}");
        }
    }

    #[test]
    fn auth_goes_first() {
        let scopes: Vec<String> = ["urn:globus:auth:scope:transfer.api.globus.org:all", "openid", "profile"]
            .map(String::from)
            .into();
        let groups = group_by_resource_server(&scopes).unwrap_or_default();
        let names: Vec<&str> = groups.iter().map(|(rs, _)| rs.as_str()).collect();
        assert_eq!(names, ["auth.globus.org", "transfer.api.globus.org"]);
        assert_eq!(groups[0].1, ["openid", "profile"]);
        assert!(group_by_resource_server(&["bogus".to_owned()]).is_err());
    }
}
