//! What every upstream API client shares, whatever the provider: tenant identities, host
//! allow-lists, per-tenant pacing, bounded retries, and reading HTTP responses defensively.

pub mod allow_list;
pub mod lenient;
pub mod pacing;
pub mod response;
pub mod retry;
pub mod tenant;

pub use allow_list::HostAllowList;
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

/// Per-tenant state (pacers, batchers), forgotten after 10 idle minutes: memory stays bounded
/// with thousands of tenants, and a tenant idle that long has no pacing debt left anyway.
pub fn tenant_states<T: Send + Sync + 'static>() -> moka::sync::Cache<TenantKey, Arc<T>> {
    moka::sync::Cache::builder()
        .time_to_idle(Duration::from_secs(600))
        .max_capacity(100_000)
        .build()
}
