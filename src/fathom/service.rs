//! The process-wide Fathom service: one HTTP connection pool for every tenant, the settings,
//! each tenant's pacer (keyed by the HMAC of its key) and the cache. Per-call clients are cheap
//! views onto it.

use std::sync::Arc;
use std::time::Duration;

use url::Url;

use super::cache::FathomCache;
use super::client::FathomClient;
use super::credentials::FathomKey;
use crate::upstream::{self, Deadline, Pacer, TenantKey};

#[derive(Debug, Clone)]
pub struct FathomSettings {
    /// The API root, e.g. `https://api.fathom.ai/external/v1` (path included).
    pub base_url: Url,
    /// Per-tenant requests per second (0 = unpaced); Fathom allows 60 a minute per key.
    pub requests_per_second: f64,
    pub connect_timeout: Duration,
    /// Bytes of transcripts and meeting headers cached (0 disables the cache).
    pub cache_bytes: u64,
    pub cache_ttl: Duration,
}

pub(crate) struct Shared {
    pub http: reqwest::Client,
    pub settings: FathomSettings,
    pub cache: FathomCache,
    tenants: moka::sync::Cache<TenantKey, Arc<Pacer>>,
    /// Fleet mode: each tenant's pacing shared through Redis.
    fleet: Option<crate::fleet::Fleet>,
}

#[derive(Clone)]
pub struct FathomService {
    shared: Arc<Shared>,
}

impl FathomService {
    pub fn new(settings: FathomSettings) -> Result<Self, reqwest::Error> {
        Self::new_in_fleet(settings, None, upstream::DEFAULT_MAX_TENANTS)
    }

    /// With `fleet`, tenants are paced fleet-wide; at most `max_tenants` pacers are held.
    pub fn new_in_fleet(
        settings: FathomSettings,
        fleet: Option<crate::fleet::Fleet>,
        max_tenants: u64,
    ) -> Result<Self, reqwest::Error> {
        Ok(Self {
            shared: Arc::new(Shared {
                http: upstream::http_client(settings.connect_timeout)?,
                cache: FathomCache::new(settings.cache_bytes, settings.cache_ttl),
                tenants: upstream::tenant_states_capped("fathom", max_tenants),
                settings,
                fleet,
            }),
        })
    }

    pub fn settings(&self) -> &FathomSettings {
        &self.shared.settings
    }

    /// A client for one tool call of one tenant, which must be done within `budget`.
    pub fn client(&self, key: Arc<FathomKey>, budget: Duration) -> FathomClient {
        let rps = self.shared.settings.requests_per_second;
        let tenant = key.tenant();
        let pacer = self.shared.tenants.get_with(tenant, || {
            Arc::new(match &self.shared.fleet {
                Some(fleet) => fleet.pacer("fathom", tenant, rps),
                None => Pacer::new(rps),
            })
        });
        FathomClient::new(
            Arc::clone(&self.shared),
            key,
            pacer,
            Deadline::after(budget),
        )
    }
}
