//! Fleet mode (`--redis-url`): replicas spend each company's upstream quota as one. Per tenant
//! and upstream, Redis holds the pacing (one GCRA limiter, `gcra.lua`), a 429's cooldown, the
//! day's request count, and a compressed copy of immutable answers (ended calls' transcripts and
//! extensive data). Keys carry the HMAC tenant key, never a credential. When Redis is down or
//! slow every replica falls back to pacing in-process at rate / `--fleet-size` and to its own
//! cache (`link.rs`), and no tool call fails because of it.

pub mod args;
pub mod budget;
pub mod gcra;
pub mod link;
pub mod shared_cache;
pub mod url;

use std::sync::Arc;
use std::time::Duration;

pub use budget::DailyBudget;
pub use shared_cache::SharedCache;
pub use url::RedisUrl;

use crate::upstream::{Pacer, TenantKey};
use link::Link;

/// What can stop fleet mode from starting (Redis being down does not: that is fallback).
#[derive(Debug, thiserror::Error)]
pub enum FleetError {
    #[error(
        "GONG_MCP_REDIS_URL is not usable: {reason} (expected redis://[user:password@]host:port[/db] or rediss://… for TLS)"
    )]
    BadUrl { reason: &'static str },
    #[error(
        "fleet mode (GONG_MCP_REDIS_URL) needs GONG_MCP_TENANT_KEY_SECRET, the same on every replica: with a random one per process the replicas would not agree on who a tenant is, and would share nothing"
    )]
    RandomTenantKey,
    #[error("GONG_MCP_FLEET_SIZE must be at least 1")]
    FleetSize,
}

#[derive(Debug, Clone)]
pub struct FleetSettings {
    pub url: RedisUrl,
    /// Replicas sharing the quota: while Redis is unusable, each paces at rate / fleet size.
    pub fleet_size: u32,
    /// Per Redis command; past it, the replica falls back.
    pub timeout: Duration,
    /// How long Redis keeps a cached answer.
    pub cache_ttl: Duration,
    /// Largest cached answer stored in Redis, compressed.
    pub cache_max_entry_bytes: usize,
}

/// What every per-tenant handle shares: the connection and the loaded script.
pub(crate) struct FleetCore {
    pub link: Arc<Link>,
    pub gcra: redis::Script,
}

#[derive(Clone)]
pub struct Fleet {
    core: Arc<FleetCore>,
    settings: Arc<FleetSettings>,
}

impl std::fmt::Debug for Fleet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fleet")
            .field("url", &self.settings.url)
            .field("fleet_size", &self.settings.fleet_size)
            .field("redis_up", &self.is_up())
            .finish()
    }
}

impl Fleet {
    /// Connects (lazily) and asks Redis once whether it is there; if not, the replica starts
    /// in fallback and a probe brings it into shared mode when Redis answers.
    pub async fn connect(settings: FleetSettings) -> Result<Self, FleetError> {
        if settings.fleet_size == 0 {
            return Err(FleetError::FleetSize);
        }
        let link = Arc::new(Link::new(&settings.url, settings.timeout)?);
        if link.probe_at_start().await {
            tracing::info!(redis = %settings.url, fleet_size = settings.fleet_size, "fleet mode: pacing, daily budget, cooldowns and cache shared through Redis");
        } else {
            tracing::warn!(redis = %settings.url, "fleet mode: Redis does not answer yet; pacing in-process at rate / fleet size until it does");
        }
        Link::spawn_prober(&link);
        Ok(Self {
            core: Arc::new(FleetCore {
                link,
                gcra: gcra::script(),
            }),
            settings: Arc::new(settings),
        })
    }

    pub fn is_up(&self) -> bool {
        self.core.link.is_up()
    }

    pub fn settings(&self) -> &FleetSettings {
        &self.settings
    }

    /// `gong-mcp:{upstream:tenant}`: every key of this tenant and upstream starts with it.
    fn prefix(upstream: &str, tenant: TenantKey) -> String {
        format!("gong-mcp:{{{upstream}:{}}}", tenant.hex())
    }

    /// The pacer of one tenant of `upstream` at `requests_per_second`, shared by the fleet.
    pub fn pacer(
        &self,
        upstream: &'static str,
        tenant: TenantKey,
        requests_per_second: f64,
    ) -> Pacer {
        let slots = gcra::FleetSlots::new(
            Arc::clone(&self.core),
            Self::prefix(upstream, tenant),
            requests_per_second,
        );
        Pacer::shared(
            requests_per_second,
            self.settings.fleet_size,
            Arc::new(slots),
        )
    }

    /// The shared cache of one tenant of `upstream`.
    pub fn cache(&self, upstream: &'static str, tenant: TenantKey) -> SharedCache {
        SharedCache::new(
            Arc::clone(&self.core),
            Self::prefix(upstream, tenant),
            self.settings.cache_ttl,
            self.settings.cache_max_entry_bytes,
        )
    }
}
