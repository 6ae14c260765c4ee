//! A tenant's Mind Reasoner API key: an [`ApiKey`] sent as `Authorization: Bearer`, its tenant
//! key an HMAC of "mind-reasoner", the API root and the key.

use crate::upstream::{ApiKey, KeyKind};

pub struct MindReasoner;

impl KeyKind for MindReasoner {
    const NAME: &'static str = "Mind Reasoner";
    const TYPE_NAME: &'static str = "MindReasonerKey";
    const TENANT_TAG: &'static str = "mind-reasoner";
    const BEARER: bool = true;
}

pub type MindReasonerKey = ApiKey<MindReasoner>;
pub type InvalidKey = crate::upstream::api_key::InvalidKey<MindReasoner>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upstream::TenantHasher;

    #[test]
    fn sent_as_bearer_with_its_own_messages() {
        let h = TenantHasher::random();
        let key = MindReasonerKey::new("mr-live-123456", "https://x", &h).unwrap();
        assert_eq!(key.header().to_str().unwrap(), "Bearer mr-live-123456");
        assert!(!format!("{key:?}").contains("mr-live-123456"));
        assert_eq!(
            MindReasonerKey::new("", "u", &h).unwrap_err().to_string(),
            "the Mind Reasoner API key must not be empty"
        );
    }
}
