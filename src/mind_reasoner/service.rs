//! The process-wide Mind Reasoner service: one HTTP connection pool for every tenant, the
//! settings, and each tenant's pacer (keyed by the HMAC of its key). Per-call clients are cheap
//! views onto it.

use std::sync::Arc;
use std::time::Duration;

use url::Url;

use super::client::MindReasonerClient;
use super::credentials::MindReasonerKey;
use crate::upstream::{self, Deadline, HostAllowList, Pacer, TenantKey};

#[derive(Debug, Clone)]
pub struct MindReasonerSettings {
    /// The API root, e.g. `https://app.mindreasoner.com/api/public/v1` (path included).
    pub base_url: Url,
    /// Hosts a signed upload URL may point at.
    pub upload_hosts: HostAllowList,
    /// Per-tenant requests per second (0 = unpaced). Mind Reasoner publishes no limit.
    pub requests_per_second: f64,
    pub connect_timeout: Duration,
}

pub(crate) struct Shared {
    pub http: reqwest::Client,
    pub settings: MindReasonerSettings,
    tenants: moka::sync::Cache<TenantKey, Arc<Pacer>>,
    /// Fleet mode: each tenant's pacing shared through Redis.
    fleet: Option<crate::fleet::Fleet>,
}

#[derive(Clone)]
pub struct MindReasonerService {
    shared: Arc<Shared>,
}

impl MindReasonerService {
    pub fn new(settings: MindReasonerSettings) -> Result<Self, reqwest::Error> {
        Self::new_in_fleet(settings, None, upstream::DEFAULT_MAX_TENANTS)
    }

    /// With `fleet`, tenants are paced fleet-wide; at most `max_tenants` pacers are held.
    pub fn new_in_fleet(
        settings: MindReasonerSettings,
        fleet: Option<crate::fleet::Fleet>,
        max_tenants: u64,
    ) -> Result<Self, reqwest::Error> {
        Ok(Self {
            shared: Arc::new(Shared {
                http: upstream::http_client(settings.connect_timeout)?,
                tenants: upstream::tenant_states_capped("mind_reasoner", max_tenants),
                settings,
                fleet,
            }),
        })
    }

    pub fn settings(&self) -> &MindReasonerSettings {
        &self.shared.settings
    }

    /// A client for one tool call of one tenant, which must be done within `budget`.
    pub fn client(&self, key: Arc<MindReasonerKey>, budget: Duration) -> MindReasonerClient {
        let rps = self.shared.settings.requests_per_second;
        let tenant = key.tenant();
        let pacer = self.shared.tenants.get_with(tenant, || {
            Arc::new(match &self.shared.fleet {
                Some(fleet) => fleet.pacer("mind_reasoner", tenant, rps),
                None => Pacer::new(rps),
            })
        });
        MindReasonerClient::new(
            Arc::clone(&self.shared),
            key,
            pacer,
            Deadline::after(budget),
        )
    }
}
