//! Flags of fleet mode and of the bounds on tenants' state and spend (`gong-mcp serve`).

use std::time::Duration;

use clap::Args;

use super::{DailyBudget, FleetError, FleetSettings, RedisUrl};
use crate::upstream::DEFAULT_MAX_TENANTS;

/// `Debug` is written by hand below: it must never show the Redis password.
#[derive(Args, Clone)]
pub struct FleetArgs {
    /// Redis (or Valkey) shared by the replicas of a fleet: `redis://[user:password@]host:port[/db]`
    /// or `rediss://…` (TLS). Unset: each instance paces, counts and caches on its own.
    #[arg(long, env = "GONG_MCP_REDIS_URL", hide_env_values = true)]
    pub redis_url: Option<String>,
    /// Replicas in the fleet: while Redis is unusable, each paces a tenant at rate / this.
    #[arg(long, env = "GONG_MCP_FLEET_SIZE", default_value_t = 1)]
    pub fleet_size: u32,
    /// Milliseconds a Redis command may take before the replica falls back to in-process state.
    #[arg(long, env = "GONG_MCP_REDIS_TIMEOUT_MS", default_value_t = 150)]
    pub redis_timeout_ms: u64,
    /// Seconds Redis keeps a cached transcript or call detail.
    #[arg(long, env = "GONG_MCP_REDIS_CACHE_TTL", default_value_t = 6 * 3600)]
    pub redis_cache_ttl: u64,
    /// Largest cached answer stored in Redis, in KiB after gzip (larger ones stay in-process).
    #[arg(
        long,
        env = "GONG_MCP_REDIS_CACHE_MAX_ENTRY_KB",
        default_value_t = 1024
    )]
    pub redis_cache_max_entry_kb: usize,
    /// Tenants (distinct credentials) whose state one instance holds at once; past it the least
    /// recently used is forgotten.
    #[arg(long, env = "GONG_MCP_MAX_TENANTS", default_value_t = DEFAULT_MAX_TENANTS)]
    pub max_tenants: u64,
    /// Refuse expensive tools (gong_list_speakers, create_mind_from_calls) for a company once its
    /// Gong requests today (UTC) through this service reach this (Gong allows 10,000).
    #[arg(long, env = "GONG_MCP_GONG_DAILY_BUDGET")]
    pub gong_daily_budget: Option<u64>,
}

impl std::fmt::Debug for FleetArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FleetArgs")
            .field("redis_url", &self.redis_url_redacted())
            .field("fleet_size", &self.fleet_size)
            .field("max_tenants", &self.max_tenants)
            .field("gong_daily_budget", &self.gong_daily_budget)
            .finish_non_exhaustive()
    }
}

impl FleetArgs {
    pub fn redis_url_redacted(&self) -> Option<String> {
        let raw = self.redis_url.as_deref().filter(|u| !u.trim().is_empty())?;
        Some(
            RedisUrl::parse(raw)
                .map_or_else(|_| "[unparseable, redacted]".into(), |u| u.redacted()),
        )
    }

    /// Fleet settings when `--redis-url` is set. `tenant_key_secret_set`: replicas must agree on
    /// tenant keys, so a random per-process secret is refused.
    pub fn settings(
        &self,
        tenant_key_secret_set: bool,
    ) -> Result<Option<FleetSettings>, FleetError> {
        let Some(raw) = self.redis_url.as_deref().filter(|u| !u.trim().is_empty()) else {
            return Ok(None);
        };
        let url = RedisUrl::parse(raw)?;
        if !tenant_key_secret_set {
            return Err(FleetError::RandomTenantKey);
        }
        if self.fleet_size == 0 {
            return Err(FleetError::FleetSize);
        }
        Ok(Some(FleetSettings {
            url,
            fleet_size: self.fleet_size,
            timeout: Duration::from_millis(self.redis_timeout_ms.clamp(5, 10_000)),
            cache_ttl: Duration::from_secs(self.redis_cache_ttl),
            cache_max_entry_bytes: self.redis_cache_max_entry_kb.saturating_mul(1024),
        }))
    }

    pub fn daily_budget(&self) -> DailyBudget {
        DailyBudget {
            limit: self.gong_daily_budget,
        }
    }

    /// For `--print-config`.
    pub fn redacted(&self) -> serde_json::Value {
        serde_json::json!({
            "redis_url": self.redis_url_redacted(),
            "fleet_size": self.fleet_size,
            "redis_timeout_ms": self.redis_timeout_ms,
            "redis_cache_ttl_secs": self.redis_cache_ttl,
            "redis_cache_max_entry_kb": self.redis_cache_max_entry_kb,
            "max_tenants": self.max_tenants,
            "gong_daily_budget": self.gong_daily_budget,
        })
    }
}
