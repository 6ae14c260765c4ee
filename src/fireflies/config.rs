//! Fireflies' command-line flags and environment variables (flattened into `serve` and `stdio`).

use std::time::Duration;

use clap::Args;
use url::Url;

use super::{DEFAULT_API_URL, FirefliesSettings};

/// Fireflies: where its GraphQL endpoint is, the default tenant's key, and the plan's limits.
/// `Debug` is written by hand below: it must never show the key.
#[derive(Args)]
pub struct FirefliesArgs {
    /// Fireflies' GraphQL endpoint: the full URL, path included.
    #[arg(long, env = "FIREFLIES_API_URL", default_value = DEFAULT_API_URL)]
    pub fireflies_api_url: String,
    /// Fireflies API key of the default tenant (stdio; serve: requests that send none).
    #[arg(long, env = "FIREFLIES_API_KEY", hide_env_values = true)]
    pub fireflies_api_key: Option<String>,
    /// Fireflies requests per tenant per UTC day that this instance sends at most (0 = no daily
    /// cap, as on Fireflies' Business and Enterprise plans; set 50 for Free and Pro). Past it a
    /// tool call fails at once, saying so, without spending the tenant's requests on retries.
    #[arg(long, env = "FIREFLIES_DAILY_REQUESTS", default_value_t = 0)]
    pub fireflies_daily_requests: u64,
    /// Fireflies requests per tenant per minute on this instance, spaced evenly (Business and
    /// Enterprise allow 60). 0 = unpaced; Fireflies' own limit is honoured either way.
    #[arg(long, env = "FIREFLIES_REQUESTS_PER_MINUTE", default_value_t = 60.0)]
    pub fireflies_requests_per_minute: f64,
    /// MiB of Fireflies transcripts cached in memory (0 disables the cache); kept 6 hours.
    #[arg(long, env = "FIREFLIES_CACHE_MB", default_value_t = 32)]
    pub fireflies_cache_mb: u64,
}

impl std::fmt::Debug for FirefliesArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FirefliesArgs")
            .field("fireflies_api_url", &self.fireflies_api_url)
            .field(
                "fireflies_api_key",
                &self.fireflies_api_key.as_ref().map(|_| "[redacted]"),
            )
            .field("fireflies_daily_requests", &self.fireflies_daily_requests)
            .field(
                "fireflies_requests_per_minute",
                &self.fireflies_requests_per_minute,
            )
            .field("fireflies_cache_mb", &self.fireflies_cache_mb)
            .finish()
    }
}

impl FirefliesArgs {
    /// The GraphQL URL: http(s), a host; no user info or fragment.
    pub fn api_url(&self) -> anyhow::Result<Url> {
        let raw = self.fireflies_api_url.trim();
        let url = Url::parse(raw)
            .map_err(|e| anyhow::anyhow!("FIREFLIES_API_URL '{raw}' is not a URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https")
            || url.host_str().is_none()
            || !url.username().is_empty()
            || url.password().is_some()
            || url.fragment().is_some()
        {
            anyhow::bail!(
                "FIREFLIES_API_URL must be an http(s) URL without user info or fragment, e.g. {DEFAULT_API_URL}"
            );
        }
        Ok(url)
    }

    pub fn settings(&self, api_url: Url) -> FirefliesSettings {
        FirefliesSettings {
            api_url,
            requests_per_minute: self.fireflies_requests_per_minute.max(0.0),
            daily_requests: self.fireflies_daily_requests,
            cache_bytes: self.fireflies_cache_mb.saturating_mul(1024 * 1024),
            cache_ttl: Duration::from_secs(6 * 3600),
            connect_timeout: Duration::from_secs(5),
        }
    }

    /// The default tenant's key, if set (empty counts as unset).
    pub fn api_key(&self) -> Option<&str> {
        self.fireflies_api_key
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
    }

    /// For `--print-config`: the key redacted.
    pub fn redacted(&self) -> serde_json::Value {
        serde_json::json!({
            "api_url": self.fireflies_api_url,
            "api_key": self.api_key().map(|_| "[redacted]"),
            "daily_requests": self.fireflies_daily_requests,
            "requests_per_minute": self.fireflies_requests_per_minute,
            "cache_mb": self.fireflies_cache_mb,
        })
    }
}
