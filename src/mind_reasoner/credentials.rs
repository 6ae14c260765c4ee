//! A tenant's Mind Reasoner API key, and the tenant key derived from it.
//!
//! Handled like Gong's secret: it lives only in a [`SecretString`] and a pre-built
//! `Authorization: Bearer` header value marked sensitive; `Debug` shows neither; state that
//! outlives a request is keyed by an HMAC ([`TenantKey`]).

use std::fmt;

use http::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::upstream::{TenantHasher, TenantKey};

pub struct MindReasonerKey {
    api_key: SecretString,
    authorization: HeaderValue,
    tenant: TenantKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidKey {
    #[error("the Mind Reasoner API key must not be empty")]
    Empty,
    #[error("the Mind Reasoner API key must be visible ASCII characters without spaces")]
    NotAToken,
}

impl MindReasonerKey {
    /// `base_url` is the API root this key is used with (one key may mean different accounts on
    /// different deployments).
    pub fn new(api_key: &str, base_url: &str, hasher: &TenantHasher) -> Result<Self, InvalidKey> {
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
            tenant: hasher.tenant_key(&["mind-reasoner", base_url, api_key]),
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

impl fmt::Debug for MindReasonerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MindReasonerKey")
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
        let key =
            MindReasonerKey::new("mr-live-123456", "https://x", &TenantHasher::random()).unwrap();
        let shown = format!("{key:?} {:?}", key.authorization());
        assert!(!shown.contains("mr-live-123456"), "{shown}");
        assert!(key.authorization().is_sensitive());
        assert_eq!(key.redact("bad key mr-live-123456!"), "bad key [redacted]!");
    }

    #[test]
    fn keys_are_tokens_and_tenants_differ_by_key_and_deployment() {
        let h = TenantHasher::random();
        assert_eq!(
            MindReasonerKey::new("", "u", &h).unwrap_err(),
            InvalidKey::Empty
        );
        assert_eq!(
            MindReasonerKey::new("a b", "u", &h).unwrap_err(),
            InvalidKey::NotAToken
        );
        let a = MindReasonerKey::new("k1", "u", &h).unwrap();
        assert_eq!(
            a.tenant(),
            MindReasonerKey::new("k1", "u", &h).unwrap().tenant()
        );
        assert_ne!(
            a.tenant(),
            MindReasonerKey::new("k2", "u", &h).unwrap().tenant()
        );
        assert_ne!(
            a.tenant(),
            MindReasonerKey::new("k1", "v", &h).unwrap().tenant()
        );
    }
}
