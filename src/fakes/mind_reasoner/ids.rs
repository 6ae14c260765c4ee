//! Identifiers: UUID-shaped strings, deterministic from the tenant and a
//! per-tenant counter, so two tenants never share an id and a test run is
//! reproducible. Mind Reasoner's ids look like UUIDs; nothing depends on them
//! being random.

use sha2::{Digest, Sha256};

/// Twelve hex characters naming a tenant in storage paths (`{tenantTag}`), so
/// a signed URL does not reveal the API key.
pub(crate) fn tenant_tag(api_key: &str) -> String {
    let digest = Sha256::digest(format!("mind-reasoner-tenant:{api_key}").as_bytes());
    hex(&digest[..6])
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hands out the ids of one tenant: `8-4-4-4-12` lowercase hex with the
/// version nibble 4 and the RFC 4122 variant, like `crypto.randomUUID()`.
#[derive(Debug)]
pub(crate) struct IdGen {
    tag: String,
    next: u64,
}

impl IdGen {
    pub(crate) fn new(tag: &str) -> Self {
        IdGen {
            tag: tag.to_string(),
            next: 1,
        }
    }

    pub(crate) fn next_id(&mut self) -> String {
        let n = self.next;
        self.next += 1;
        let digest = Sha256::digest(format!("{}:{n}", self.tag).as_bytes());
        let mut b = [0u8; 16];
        b.copy_from_slice(&digest[..16]);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h = hex(&b);
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_uuid_shaped_distinct_and_per_tenant() {
        let mut a = IdGen::new(&tenant_tag("key-a"));
        let mut b = IdGen::new(&tenant_tag("key-b"));
        let (a1, a2, b1) = (a.next_id(), a.next_id(), b.next_id());
        assert_ne!(a1, a2);
        assert_ne!(a1, b1);
        assert_eq!(a1.len(), 36);
        assert_eq!(a1.as_bytes()[14], b'4');
        assert!(matches!(a1.as_bytes()[19], b'8' | b'9' | b'a' | b'b'));
        assert_eq!(IdGen::new(&tenant_tag("key-a")).next_id(), a1);
        assert_eq!(tenant_tag("key-a").len(), 12);
    }
}
