//! Tenant identities: an HMAC of a tenant's credentials under a per-process (or per-fleet) key.
//! Anything that must outlive a request (pacing, caches) is keyed by a [`TenantKey`], so a raw
//! credential never becomes a map key, a log field or a metric label.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// An opaque, non-reversible tenant identity: HMAC-SHA256 of the credential parts.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantKey([u8; 32]);

impl TenantKey {
    /// A short hex prefix, safe for logs: it identifies a tenant without revealing anything.
    pub fn short(&self) -> String {
        self.0[..6].iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl TenantKey {
    /// The whole key in hex, for keys in a store shared by replicas (never a credential).
    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl fmt::Debug for TenantKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TenantKey({})", self.short())
    }
}

impl fmt::Display for TenantKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.short())
    }
}

/// Derives [`TenantKey`]s. A random key per process by default; a configured key lets a fleet of
/// replicas agree on tenant identities (e.g. for shared dashboards) without sharing secrets.
#[derive(Clone)]
pub struct TenantHasher {
    mac: Hmac<Sha256>,
}

impl TenantHasher {
    pub fn random() -> Self {
        let key: [u8; 32] = rand::random();
        Self::with_key(&key)
    }

    pub fn with_key(key: &[u8]) -> Self {
        let mac =
            <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts keys of any size");
        Self { mac }
    }

    /// The key of the tenant these credential parts identify. Callers start with a constant
    /// naming the provider, so two providers' keys never coincide.
    pub fn tenant_key(&self, parts: &[&str]) -> TenantKey {
        let mut mac = self.mac.clone();
        // Length-prefix each part so ("ab","c") and ("a","bc") can never collide.
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        TenantKey(mac.finalize().into_bytes().into())
    }
}

impl fmt::Debug for TenantHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TenantHasher([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_depend_on_every_part_its_boundaries_and_the_process_key() {
        let h = TenantHasher::with_key(b"unit-tenant-hmac-1");
        let a = h.tenant_key(&["gong", "ab", "c"]);
        assert_eq!(a, h.tenant_key(&["gong", "ab", "c"]));
        assert_ne!(a, h.tenant_key(&["gong", "a", "bc"]));
        assert_ne!(a, h.tenant_key(&["mind-reasoner", "ab", "c"]));
        assert_ne!(
            a,
            TenantHasher::with_key(b"unit-tenant-hmac-2").tenant_key(&["gong", "ab", "c"])
        );
        assert_eq!(format!("{h:?}"), "TenantHasher([redacted])");
    }
}
