//! A tenant's Fathom API key, and the tenant key derived from it.
//!
//! The key lives only in a [`SecretString`] and a pre-built `X-Api-Key` header value marked
//! sensitive; `Debug` shows neither; state that outlives a request (pacing, caches) is keyed by
//! an HMAC of the API root and the key ([`TenantKey`]).

use std::fmt;

use http::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::upstream::{TenantHasher, TenantKey};

pub struct FathomKey {
    api_key: SecretString,
    header: HeaderValue,
    tenant: TenantKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidKey {
    #[error("the Fathom API key must not be empty")]
    Empty,
    #[error("the Fathom API key must be visible ASCII characters without spaces")]
    NotAToken,
}

impl FathomKey {
    /// `base_url` is the API root this key is used with (part of the tenant's identity).
    pub fn new(api_key: &str, base_url: &str, hasher: &TenantHasher) -> Result<Self, InvalidKey> {
        if api_key.is_empty() {
            return Err(InvalidKey::Empty);
        }
        if !api_key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(InvalidKey::NotAToken);
        }
        let mut header = HeaderValue::from_str(api_key).map_err(|_| InvalidKey::NotAToken)?;
        header.set_sensitive(true);
        Ok(Self {
            tenant: hasher.tenant_key(&["fathom", base_url, api_key]),
            api_key: SecretString::from(api_key.to_owned()),
            header,
        })
    }

    /// The `X-Api-Key` value (marked sensitive for hyper and logs).
    pub fn header(&self) -> &HeaderValue {
        &self.header
    }

    pub fn tenant(&self) -> TenantKey {
        self.tenant
    }

    /// `text` with the key replaced by `[redacted]`, for text that came from Fathom.
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

impl fmt::Debug for FathomKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FathomKey")
            .field("api_key", &"[redacted]")
            .field("tenant", &self.tenant)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_redact_never_show_the_key() {
        let key = FathomKey::new("fathom-unit-Kk9", "https://x", &TenantHasher::random()).unwrap();
        let shown = format!("{key:?} {:?}", key.header());
        assert!(!shown.contains("fathom-unit-Kk9"), "{shown}");
        assert!(key.header().is_sensitive());
        assert_eq!(
            key.redact("bad key fathom-unit-Kk9!"),
            "bad key [redacted]!"
        );
    }

    #[test]
    fn keys_are_tokens_and_tenants_differ_by_key_and_deployment() {
        let h = TenantHasher::random();
        assert_eq!(FathomKey::new("", "u", &h).unwrap_err(), InvalidKey::Empty);
        assert_eq!(
            FathomKey::new("a b", "u", &h).unwrap_err(),
            InvalidKey::NotAToken
        );
        let a = FathomKey::new("k1", "u", &h).unwrap();
        assert_eq!(a.tenant(), FathomKey::new("k1", "u", &h).unwrap().tenant());
        assert_ne!(a.tenant(), FathomKey::new("k2", "u", &h).unwrap().tenant());
        assert_ne!(a.tenant(), FathomKey::new("k1", "v", &h).unwrap().tenant());
    }
}
