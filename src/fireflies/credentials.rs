//! A tenant's Fireflies API key, and the tenant key derived from it.
//!
//! Handled like the other providers' secrets: it lives only in a [`SecretString`] and a pre-built
//! `Authorization: Bearer` header value marked sensitive; `Debug` shows neither; state that
//! outlives a request (pacing, the daily allowance, the cache) is keyed by an HMAC ([`TenantKey`]).

use std::fmt;

use http::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::upstream::{TenantHasher, TenantKey};

pub struct FirefliesKey {
    api_key: SecretString,
    authorization: HeaderValue,
    tenant: TenantKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidKey {
    #[error("the Fireflies API key must not be empty")]
    Empty,
    #[error("the Fireflies API key must be visible ASCII characters without spaces")]
    NotAToken,
}

impl FirefliesKey {
    /// `api_url` is the GraphQL endpoint this key is used with (one key may mean different
    /// accounts on different deployments).
    pub fn new(api_key: &str, api_url: &str, hasher: &TenantHasher) -> Result<Self, InvalidKey> {
        if api_key.is_empty() {
            return Err(InvalidKey::Empty);
        }
        if !api_key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(InvalidKey::NotAToken);
        }
        let mut authorization = HeaderValue::from_str(&format!("Bearer {api_key}"))
            .map_err(|_| InvalidKey::NotAToken)?;
        authorization.set_sensitive(true);
        Ok(Self {
            tenant: hasher.tenant_key(&["fireflies", api_url, api_key]),
            api_key: SecretString::from(api_key.to_owned()),
            authorization,
        })
    }

    /// `Authorization: Bearer …` (marked sensitive for hyper and logs).
    pub fn authorization(&self) -> &HeaderValue {
        &self.authorization
    }

    pub fn tenant(&self) -> TenantKey {
        self.tenant
    }

    /// `text` with the key replaced by `[redacted]`, for text that came from the upstream.
    pub fn redact(&self, text: &str) -> String {
        let key = self.api_key.expose_secret();
        if key.len() >= 6 && text.contains(key) {
            text.replace(key, "[redacted]")
        } else {
            text.to_owned()
        }
    }

    /// Whether this is the given key (tests and diagnostics only).
    pub fn is(&self, key: &str) -> bool {
        self.api_key.expose_secret() == key
    }
}

impl fmt::Debug for FirefliesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FirefliesKey")
            .field("api_key", &"[redacted]")
            .field("tenant", &self.tenant)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_redact_never_show_the_key_and_tenants_differ_by_key_and_url() {
        let h = TenantHasher::random();
        let key = FirefliesKey::new("ff-unit-key-Kk3", "https://x/graphql", &h).unwrap();
        let shown = format!("{key:?} {:?}", key.authorization());
        assert!(!shown.contains("ff-unit-key-Kk3"), "{shown}");
        assert!(key.authorization().is_sensitive());
        assert_eq!(key.redact("bad ff-unit-key-Kk3!"), "bad [redacted]!");
        assert_eq!(
            FirefliesKey::new("", "u", &h).unwrap_err(),
            InvalidKey::Empty
        );
        assert_eq!(
            FirefliesKey::new("has space-secret", "u", &h).unwrap_err(),
            InvalidKey::NotAToken
        );
        let same = FirefliesKey::new("ff-unit-key-Kk3", "https://x/graphql", &h).unwrap();
        assert_eq!(key.tenant(), same.tenant());
        let other_url = FirefliesKey::new("ff-unit-key-Kk3", "https://y/graphql", &h).unwrap();
        assert_ne!(key.tenant(), other_url.tenant());
    }
}
