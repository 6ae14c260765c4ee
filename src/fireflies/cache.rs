//! Per-tenant cache of what cannot change: a finished meeting's transcript. Bounded by bytes (the
//! share of Fireflies' JSON each entry came from); every key starts with the tenant key, so an
//! entry is reachable only with the same API key and endpoint.

use std::sync::Arc;
use std::time::Duration;

use moka::sync::Cache;

use super::types::FullTranscript;
use crate::upstream::TenantKey;

#[derive(Clone)]
struct Entry {
    value: Arc<FullTranscript>,
    bytes: u32,
}

pub struct TranscriptCache {
    cache: Option<Cache<(TenantKey, String), Entry>>,
}

impl TranscriptCache {
    pub fn new(max_bytes: u64, ttl: Duration) -> Self {
        Self {
            cache: (max_bytes > 0 && !ttl.is_zero()).then(|| {
                Cache::builder()
                    .max_capacity(max_bytes)
                    .weigher(|_k: &(TenantKey, String), e: &Entry| e.bytes.max(64))
                    .time_to_live(ttl)
                    .build()
            }),
        }
    }

    pub fn get(&self, tenant: TenantKey, id: &str) -> Option<Arc<FullTranscript>> {
        let cache = self.cache.as_ref()?;
        let hit = cache.get(&(tenant, id.to_owned())).map(|e| e.value);
        metrics::counter!(
            "fireflies_cache_lookups_total",
            "result" => if hit.is_some() { "hit" } else { "miss" }
        )
        .increment(1);
        hit
    }

    pub fn insert(&self, tenant: TenantKey, id: &str, value: Arc<FullTranscript>, bytes: usize) {
        if let Some(cache) = &self.cache {
            let bytes = u32::try_from(bytes).unwrap_or(u32::MAX);
            cache.insert((tenant, id.to_owned()), Entry { value, bytes });
        }
    }
}
