//! A tenant's Fireflies API key: an [`ApiKey`] sent as `Authorization: Bearer`, its tenant key
//! an HMAC of "fireflies", the GraphQL endpoint and the key.

use crate::upstream::{ApiKey, KeyKind};

pub struct Fireflies;

impl KeyKind for Fireflies {
    const NAME: &'static str = "Fireflies";
    const TYPE_NAME: &'static str = "FirefliesKey";
    const TENANT_TAG: &'static str = "fireflies";
    const BEARER: bool = true;
}

pub type FirefliesKey = ApiKey<Fireflies>;
pub type InvalidKey = crate::upstream::api_key::InvalidKey<Fireflies>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upstream::TenantHasher;

    #[test]
    fn sent_as_bearer_with_its_own_messages() {
        let h = TenantHasher::random();
        let key = FirefliesKey::new("ff-unit-key-Kk3", "https://x/graphql", &h).unwrap();
        assert_eq!(key.header().to_str().unwrap(), "Bearer ff-unit-key-Kk3");
        assert!(!format!("{key:?}").contains("ff-unit-key-Kk3"));
        assert_eq!(
            FirefliesKey::new("", "u", &h).unwrap_err().to_string(),
            "the Fireflies API key must not be empty"
        );
    }
}
