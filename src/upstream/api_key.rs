//! A tenant's API key for an upstream that authenticates with one key (Mind Reasoner, Fathom,
//! Fireflies), and the tenant key derived from it.
//!
//! The key lives only in a [`SecretString`] and a pre-built header value marked sensitive;
//! `Debug` shows neither; state that outlives a request (pacing, caches, daily counts) is keyed
//! by an HMAC of the provider, the API root and the key ([`TenantKey`]): one key may mean
//! different accounts on different deployments.

use std::fmt;
use std::marker::PhantomData;

use http::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::upstream::{TenantHasher, TenantKey};

/// Which upstream a key is for: a marker type per provider.
pub trait KeyKind: Send + Sync + 'static {
    /// The provider as messages name it, e.g. "Fathom".
    const NAME: &'static str;
    /// The key type's name in `Debug`, e.g. "FathomKey".
    const TYPE_NAME: &'static str;
    /// The provider in the tenant key's HMAC input, e.g. "fathom".
    const TENANT_TAG: &'static str;
    /// Sent as `Bearer <key>` (else as the bare key, in the provider's own header).
    const BEARER: bool;
}

pub struct ApiKey<K: KeyKind> {
    api_key: SecretString,
    header: HeaderValue,
    tenant: TenantKey,
    kind: PhantomData<K>,
}

/// Why a key was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyProblem {
    Empty,
    NotAToken,
}

/// A key refused before any use; says which provider's.
pub struct InvalidKey<K: KeyKind> {
    pub problem: KeyProblem,
    kind: PhantomData<K>,
}

impl<K: KeyKind> InvalidKey<K> {
    fn new(problem: KeyProblem) -> Self {
        Self {
            problem,
            kind: PhantomData,
        }
    }
}

impl<K: KeyKind> fmt::Display for InvalidKey<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problem {
            KeyProblem::Empty => write!(f, "the {} API key must not be empty", K::NAME),
            KeyProblem::NotAToken => write!(
                f,
                "the {} API key must be visible ASCII characters without spaces",
                K::NAME
            ),
        }
    }
}

impl<K: KeyKind> fmt::Debug for InvalidKey<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InvalidKey({}, {:?})", K::NAME, self.problem)
    }
}

impl<K: KeyKind> std::error::Error for InvalidKey<K> {}

impl<K: KeyKind> ApiKey<K> {
    /// `api_root` is the API root (or endpoint) this key is used with.
    pub fn new(
        api_key: &str,
        api_root: &str,
        hasher: &TenantHasher,
    ) -> Result<Self, InvalidKey<K>> {
        if api_key.is_empty() {
            return Err(InvalidKey::new(KeyProblem::Empty));
        }
        if !api_key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(InvalidKey::new(KeyProblem::NotAToken));
        }
        let value = if K::BEARER {
            HeaderValue::from_str(&format!("Bearer {api_key}"))
        } else {
            HeaderValue::from_str(api_key)
        };
        let mut header = value.map_err(|_| InvalidKey::new(KeyProblem::NotAToken))?;
        header.set_sensitive(true);
        Ok(Self {
            tenant: hasher.tenant_key(&[K::TENANT_TAG, api_root, api_key]),
            api_key: SecretString::from(api_key.to_owned()),
            header,
            kind: PhantomData,
        })
    }

    /// The header value to send (`Bearer …` or the bare key), marked sensitive for hyper and
    /// logs.
    pub fn header(&self) -> &HeaderValue {
        &self.header
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

impl<K: KeyKind> fmt::Debug for ApiKey<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(K::TYPE_NAME)
            .field("api_key", &"[redacted]")
            .field("tenant", &self.tenant)
            .finish()
    }
}

impl<K: KeyKind> fmt::Display for ApiKey<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} API key [redacted]", K::NAME)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Bearer;
    impl KeyKind for Bearer {
        const NAME: &'static str = "Unit";
        const TYPE_NAME: &'static str = "UnitKey";
        const TENANT_TAG: &'static str = "unit";
        const BEARER: bool = true;
    }

    struct Bare;
    impl KeyKind for Bare {
        const NAME: &'static str = "Bare";
        const TYPE_NAME: &'static str = "BareKey";
        const TENANT_TAG: &'static str = "bare";
        const BEARER: bool = false;
    }

    /// Also in the api tests' secret scan (`other_secrets`): never in a log.
    const KEY: &str = "mr-live-123456";

    #[test]
    fn debug_display_and_redact_never_show_the_key() {
        let key = ApiKey::<Bearer>::new(KEY, "https://x", &TenantHasher::random()).unwrap();
        let shown = format!("{key:?} {key} {:?}", key.header());
        assert!(!shown.contains(KEY), "{shown}");
        assert!(shown.starts_with("UnitKey {"), "{shown}");
        assert!(key.header().is_sensitive());
        assert_eq!(key.header().to_str().unwrap(), format!("Bearer {KEY}"));
        assert_eq!(key.redact(&format!("bad {KEY}!")), "bad [redacted]!");
        let bare = ApiKey::<Bare>::new("bare-Kk9", "u", &TenantHasher::random()).unwrap();
        assert_eq!(bare.header().to_str().unwrap(), "bare-Kk9");
    }

    #[test]
    fn keys_are_tokens_and_tenants_differ_by_provider_key_and_deployment() {
        let h = TenantHasher::random();
        let e = ApiKey::<Bearer>::new("", "u", &h).unwrap_err();
        assert_eq!(e.problem, KeyProblem::Empty);
        assert_eq!(e.to_string(), "the Unit API key must not be empty");
        let e = ApiKey::<Bearer>::new("a b", "u", &h).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the Unit API key must be visible ASCII characters without spaces"
        );
        let a = ApiKey::<Bearer>::new("k1", "u", &h).unwrap();
        assert_eq!(
            a.tenant(),
            ApiKey::<Bearer>::new("k1", "u", &h).unwrap().tenant()
        );
        assert_ne!(
            a.tenant(),
            ApiKey::<Bearer>::new("k2", "u", &h).unwrap().tenant()
        );
        assert_ne!(
            a.tenant(),
            ApiKey::<Bearer>::new("k1", "v", &h).unwrap().tenant()
        );
        assert_ne!(
            a.tenant(),
            ApiKey::<Bare>::new("k1", "u", &h).unwrap().tenant()
        );
    }
}
