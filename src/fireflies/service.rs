//! The process-wide Fireflies service: one HTTP connection pool for every tenant, the settings,
//! each tenant's pacer and daily count (keyed by the HMAC of its key), and the transcript cache.
//! Per-call clients are cheap views onto it.

use std::sync::Arc;
use std::time::Duration;

use url::Url;

use super::allowance::DailyAllowance;
use super::cache::TranscriptCache;
use super::client::FirefliesClient;
use super::credentials::FirefliesKey;
use crate::upstream::{self, Deadline, Pacer, TenantKey};

#[derive(Debug, Clone)]
pub struct FirefliesSettings {
    /// The GraphQL endpoint, e.g. `https://api.fireflies.ai/graphql` (the full URL).
    pub api_url: Url,
    /// Per-tenant requests per minute (0 = unpaced). Business and Enterprise plans allow 60.
    pub requests_per_minute: f64,
    /// Per-tenant requests per UTC day (0 = no daily cap). Free and Pro plans allow 50.
    pub daily_requests: u64,
    pub cache_bytes: u64,
    pub cache_ttl: Duration,
    pub connect_timeout: Duration,
}

impl FirefliesSettings {
    /// Fireflies' own endpoint with the documented defaults (until configured).
    pub fn unconfigured() -> Self {
        Self {
            api_url: Url::parse(super::DEFAULT_API_URL).expect("the default URL parses"),
            requests_per_minute: 60.0,
            daily_requests: 0,
            cache_bytes: 32 * 1024 * 1024,
            cache_ttl: Duration::from_secs(6 * 3600),
            connect_timeout: Duration::from_secs(5),
        }
    }
}

pub(crate) struct Shared {
    pub http: reqwest::Client,
    pub settings: FirefliesSettings,
    pub allowance: DailyAllowance,
    pub cache: TranscriptCache,
    pacers: moka::sync::Cache<TenantKey, Arc<Pacer>>,
    /// Fleet mode: each tenant's pacing shared through Redis.
    fleet: Option<crate::fleet::Fleet>,
}

#[derive(Clone)]
pub struct FirefliesService {
    shared: Arc<Shared>,
}

impl FirefliesService {
    pub fn new(settings: FirefliesSettings) -> Result<Self, reqwest::Error> {
        Self::new_in_fleet(settings, None, upstream::DEFAULT_MAX_TENANTS)
    }

    /// With `fleet`, tenants are paced fleet-wide; at most `max_tenants` pacers are held.
    pub fn new_in_fleet(
        settings: FirefliesSettings,
        fleet: Option<crate::fleet::Fleet>,
        max_tenants: u64,
    ) -> Result<Self, reqwest::Error> {
        Ok(Self {
            shared: Arc::new(Shared {
                http: upstream::http_client(settings.connect_timeout)?,
                allowance: DailyAllowance::new(settings.daily_requests),
                cache: TranscriptCache::new(settings.cache_bytes, settings.cache_ttl),
                pacers: upstream::tenant_states_capped("fireflies", max_tenants),
                settings,
                fleet,
            }),
        })
    }

    pub fn settings(&self) -> &FirefliesSettings {
        &self.shared.settings
    }

    /// A client for one tool call of one tenant, which must be done within `budget`.
    pub fn client(&self, key: Arc<FirefliesKey>, budget: Duration) -> FirefliesClient {
        // Unpaced (0) still keeps a pacer, so that a rate limit holds the tenant's later requests.
        let rpm = self.shared.settings.requests_per_minute;
        let rps = if rpm > 0.0 { rpm / 60.0 } else { 1e6 };
        let tenant = key.tenant();
        let pacer = self.shared.pacers.get_with(tenant, || {
            Arc::new(match &self.shared.fleet {
                Some(fleet) => fleet.pacer("fireflies", tenant, rps),
                None => Pacer::with_jitter(rps, Duration::ZERO),
            })
        });
        FirefliesClient::new(
            Arc::clone(&self.shared),
            key,
            pacer,
            Deadline::after(budget),
        )
    }
}
