//! The process-wide Gong service: one HTTP connection pool for every tenant, plus the state keyed
//! to a tenant alone (pacing, cached responses, in-flight requests). Per-request clients are cheap
//! views onto it.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use moka::sync::Cache;

use super::batch::Batcher;
use super::cache::ResponseCache;
use super::client::GongClient;
use super::client::MAX_CALL_IDS_PER_REQUEST;
use super::coalesce::Coalescer;
use super::credentials::{GongCredentials, TenantKey};
use super::error::GongError;
use super::types::{CallTranscript, ExtensiveCall};
use crate::upstream::{self, Pacer};

/// Transcripts per request: an hour-long call's transcript is about a megabyte of JSON, so a
/// batch stays well below the response size limit.
const TRANSCRIPTS_PER_REQUEST: usize = 10;

#[derive(Debug, Clone)]
pub struct GongSettings {
    /// Per-tenant requests per second (0 = unpaced).
    pub requests_per_second: f64,
    pub connect_timeout: Duration,
    /// Bytes of immutable responses (transcripts, call details) kept per process; 0 disables.
    pub cache_bytes: u64,
    pub cache_ttl: Duration,
    /// How long a page of the call list may be reused (new calls keep arriving).
    pub list_ttl: Duration,
    /// Largest Gong response body accepted.
    pub max_response_bytes: usize,
    /// Tenants whose state (pacer, batchers) is held at once; least recently used go first.
    pub max_tenants: u64,
    /// Fleet mode: pacing, daily count, cooldowns and immutable answers shared through Redis.
    pub fleet: Option<crate::fleet::Fleet>,
    /// Expensive tools are refused once a company's requests today reach this.
    pub daily_budget: crate::fleet::DailyBudget,
}

impl Default for GongSettings {
    fn default() -> Self {
        Self {
            requests_per_second: 3.0,
            connect_timeout: Duration::from_secs(5),
            cache_bytes: 64 * 1024 * 1024,
            cache_ttl: Duration::from_secs(6 * 3600),
            list_ttl: Duration::from_secs(10),
            max_response_bytes: 64 * 1024 * 1024,
            max_tenants: upstream::DEFAULT_MAX_TENANTS,
            fleet: None,
            daily_budget: crate::fleet::DailyBudget::default(),
        }
    }
}

/// The identity of one upstream request, for coalescing: tenant, method+path, and query or body.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct RequestKey {
    pub tenant: TenantKey,
    pub endpoint: &'static str,
    pub input: String,
}

pub(crate) struct TenantState {
    pub pacer: Pacer,
    /// Fleet mode: this tenant's answers in Redis, behind the in-process cache.
    pub shared_cache: Option<crate::fleet::SharedCache>,
    pub extensive: Batcher<ExtensiveCall>,
    pub transcripts: Batcher<CallTranscript>,
}

pub(crate) struct GongShared {
    pub http: reqwest::Client,
    pub settings: GongSettings,
    tenants: Cache<TenantKey, Arc<TenantState>>,
    pub cache: ResponseCache,
    /// Identical concurrent call-list requests share one upstream request.
    pub in_flight: Coalescer<RequestKey, Result<Option<Bytes>, GongError>>,
}

#[derive(Clone)]
pub struct GongService {
    shared: Arc<GongShared>,
}

impl GongService {
    pub fn new(settings: GongSettings) -> Result<Self, reqwest::Error> {
        let http = upstream::http_client(settings.connect_timeout)?;
        let tenants = upstream::tenant_states_capped("gong", settings.max_tenants);
        let cache = ResponseCache::new(settings.cache_bytes, settings.cache_ttl, settings.list_ttl);
        Ok(Self {
            shared: Arc::new(GongShared {
                http,
                settings,
                tenants,
                cache,
                in_flight: Coalescer::default(),
            }),
        })
    }

    /// A client for one tool call of one tenant, which must be done within `budget`.
    pub fn client(&self, credentials: Arc<GongCredentials>, budget: Duration) -> GongClient {
        let rps = self.shared.settings.requests_per_second;
        let key = credentials.tenant();
        let fleet = self.shared.settings.fleet.as_ref();
        let tenant = self.shared.tenants.get_with(key, || {
            Arc::new(TenantState {
                pacer: match fleet {
                    Some(fleet) => fleet.pacer("gong", key, rps),
                    None => Pacer::new(rps),
                },
                shared_cache: fleet.map(|f| f.cache("gong", key)),
                extensive: Batcher::new(MAX_CALL_IDS_PER_REQUEST),
                transcripts: Batcher::new(TRANSCRIPTS_PER_REQUEST),
            })
        });
        GongClient::new(Arc::clone(&self.shared), credentials, tenant, budget)
    }

    /// Tenants whose state is held now (bounded by `max_tenants`).
    pub fn tenants_held(&self) -> u64 {
        self.shared.tenants.run_pending_tasks();
        self.shared.tenants.entry_count()
    }
}
