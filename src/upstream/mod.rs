//! What every upstream API client shares, whatever the provider: tenant identities, host
//! allow-lists, per-tenant pacing, bounded retries, and reading HTTP responses defensively.

pub mod allow_list;
pub mod api_key;
pub mod daily;
pub mod exchange;
pub mod lenient;
pub mod pacing;
pub mod response;
pub mod retry;
pub mod shared;
pub mod tenant;

pub use allow_list::HostAllowList;
pub use api_key::{ApiKey, KeyKind};
pub use pacing::Pacer;
pub use retry::{Deadline, Failure, RetryError};
pub use tenant::{TenantHasher, TenantKey};

use std::sync::Arc;
use std::time::Duration;

/// The HTTP client every upstream shares the shape of: no redirects (a redirect means a wrong
/// base URL, and following one could carry credentials elsewhere), our user agent, no Nagle.
pub fn http_client(connect_timeout: Duration) -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!(
            env!("CARGO_PKG_NAME"),
            "/",
            env!("CARGO_PKG_VERSION")
        ))
        .tcp_nodelay(true)
        .pool_idle_timeout(Duration::from_secs(60))
        .build()
}

/// Tenants whose state one process holds per upstream when nothing else is configured.
pub const DEFAULT_MAX_TENANTS: u64 = 10_000;

/// Per-tenant state (pacers, batchers), forgotten after 10 idle minutes: memory stays bounded
/// with thousands of tenants, and a tenant idle that long has no pacing debt left anyway.
pub fn tenant_states<T: Send + Sync + 'static>() -> moka::sync::Cache<TenantKey, Arc<T>> {
    tenant_states_capped("upstream", DEFAULT_MAX_TENANTS)
}

/// Per-tenant state of `upstream`, at most `max_tenants` of them: past the cap the least
/// recently used tenant is forgotten (counted in `tenant_states_evicted_total{upstream}`), so a
/// client cycling through credentials cannot grow memory without bound. A forgotten tenant
/// starts afresh (in a fleet its pacing lives in the shared store anyway).
pub fn tenant_states_capped<T: Send + Sync + 'static>(
    upstream: &'static str,
    max_tenants: u64,
) -> moka::sync::Cache<TenantKey, Arc<T>> {
    moka::sync::Cache::builder()
        .time_to_idle(Duration::from_secs(600))
        .max_capacity(max_tenants.max(1))
        .eviction_policy(moka::policy::EvictionPolicy::lru())
        .eviction_listener(move |_k, _v, cause| {
            if cause == moka::notification::RemovalCause::Size {
                metrics::counter!("tenant_states_evicted_total", "upstream" => upstream)
                    .increment(1);
            }
        })
        .build()
}
