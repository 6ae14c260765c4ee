//! A tenant's Fathom API key: an [`ApiKey`] sent as `X-Api-Key`, its tenant key an HMAC of
//! "fathom", the API root and the key.

use crate::upstream::{ApiKey, KeyKind};

pub struct Fathom;

impl KeyKind for Fathom {
    const NAME: &'static str = "Fathom";
    const TYPE_NAME: &'static str = "FathomKey";
    const TENANT_TAG: &'static str = "fathom";
    const BEARER: bool = false;
}

pub type FathomKey = ApiKey<Fathom>;
pub type InvalidKey = crate::upstream::api_key::InvalidKey<Fathom>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upstream::TenantHasher;

    #[test]
    fn sent_bare_with_its_own_messages() {
        let h = TenantHasher::random();
        let key = FathomKey::new("fathom-unit-Kk9", "https://x", &h).unwrap();
        assert_eq!(key.header().to_str().unwrap(), "fathom-unit-Kk9");
        assert!(!format!("{key:?}").contains("fathom-unit-Kk9"));
        assert_eq!(
            FathomKey::new("a b", "u", &h).unwrap_err().to_string(),
            "the Fathom API key must be visible ASCII characters without spaces"
        );
    }
}
