//! Per-tenant caches of Gong answers.
//!
//! A call's transcript and extensive data do not change once the call has ended (and only ended
//! calls are in Gong), so they are kept until `cache_ttl`, bounded by bytes. Pages of the call
//! list change as calls arrive, so they live only `list_ttl`. Every key starts with the tenant
//! key: an entry is reachable only with the same credentials and base URL.

use std::sync::Arc;
use std::time::Duration;

use moka::sync::Cache;

use super::credentials::TenantKey;
use super::types::{CallTranscript, CallsPage, ExtensiveCall};

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub(crate) enum CacheKey {
    Transcript(String),
    Call(String),
    /// The query string of a `GET /v2/calls`.
    CallsPage(String),
}

#[derive(Clone)]
pub(crate) enum Cached {
    Transcript(Arc<CallTranscript>),
    Call(Arc<ExtensiveCall>),
    CallsPage(Arc<CallsPage>),
}

#[derive(Clone)]
struct Entry {
    value: Cached,
    /// Approximate size: the share of Gong's JSON body this entry came from.
    bytes: u32,
}

pub(crate) struct ResponseCache {
    immutable: Option<Cache<(TenantKey, CacheKey), Entry>>,
    lists: Option<Cache<(TenantKey, CacheKey), Entry>>,
}

impl ResponseCache {
    pub fn new(max_bytes: u64, ttl: Duration, list_ttl: Duration) -> Self {
        let build = |bytes: u64, ttl: Duration| {
            (bytes > 0 && !ttl.is_zero()).then(|| {
                Cache::builder()
                    .max_capacity(bytes)
                    .weigher(|_k: &(TenantKey, CacheKey), e: &Entry| e.bytes.max(64))
                    .time_to_live(ttl)
                    .build()
            })
        };
        Self {
            immutable: build(max_bytes, ttl),
            // Lists get a tenth of the budget: they are short-lived by design.
            lists: build(max_bytes / 10, list_ttl),
        }
    }

    fn cache_for(&self, key: &CacheKey) -> Option<&Cache<(TenantKey, CacheKey), Entry>> {
        match key {
            CacheKey::CallsPage(_) => self.lists.as_ref(),
            _ => self.immutable.as_ref(),
        }
    }

    pub fn get(&self, tenant: TenantKey, key: CacheKey) -> Option<Cached> {
        let cache = self.cache_for(&key)?;
        let hit = cache.get(&(tenant, key)).map(|e| e.value);
        metrics::counter!(
            "gong_cache_lookups_total",
            "result" => if hit.is_some() { "hit" } else { "miss" }
        )
        .increment(1);
        hit
    }

    pub fn insert(&self, tenant: TenantKey, key: CacheKey, value: Cached, bytes: usize) {
        if let Some(cache) = self.cache_for(&key) {
            let bytes = u32::try_from(bytes).unwrap_or(u32::MAX);
            cache.insert((tenant, key), Entry { value, bytes });
        }
    }
}
