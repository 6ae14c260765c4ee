//! Per-tenant cache of what cannot change: the transcript of a recorded meeting, and the
//! headers (title, times, invitees, action items) of meetings seen in listings, which also let
//! a meeting be found again by id without listing (Fathom has no meeting-by-id endpoint).
//! Bounded in bytes; every key starts with the tenant key, so an entry is reachable only with
//! the same API key and API root.

use std::sync::Arc;
use std::time::Duration;

use moka::sync::Cache;

use super::types::{Entry, Meeting};
use crate::upstream::TenantKey;

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
enum Key {
    Transcript(String),
    Meeting(String),
}

#[derive(Clone)]
enum Value {
    Transcript(Arc<Vec<Entry>>),
    Meeting(Arc<Meeting>),
}

#[derive(Clone)]
struct Weighed {
    value: Value,
    /// Approximate size: the share of Fathom's JSON body this entry came from.
    bytes: u32,
}

pub(crate) struct FathomCache {
    cache: Option<Cache<(TenantKey, Key), Weighed>>,
}

impl FathomCache {
    /// `max_bytes` or `ttl` of 0 disables caching.
    pub fn new(max_bytes: u64, ttl: Duration) -> Self {
        Self {
            cache: (max_bytes > 0 && !ttl.is_zero()).then(|| {
                Cache::builder()
                    .max_capacity(max_bytes)
                    .weigher(|_k: &(TenantKey, Key), e: &Weighed| e.bytes.max(64))
                    .time_to_live(ttl)
                    .build()
            }),
        }
    }

    fn get(&self, tenant: TenantKey, key: Key) -> Option<Value> {
        let hit = self.cache.as_ref()?.get(&(tenant, key)).map(|e| e.value);
        metrics::counter!(
            "fathom_cache_lookups_total",
            "result" => if hit.is_some() { "hit" } else { "miss" }
        )
        .increment(1);
        hit
    }

    fn insert(&self, tenant: TenantKey, key: Key, value: Value, bytes: usize) {
        if let Some(cache) = &self.cache {
            let bytes = u32::try_from(bytes).unwrap_or(u32::MAX);
            cache.insert((tenant, key), Weighed { value, bytes });
        }
    }

    pub fn transcript(&self, tenant: TenantKey, id: &str) -> Option<Arc<Vec<Entry>>> {
        match self.get(tenant, Key::Transcript(id.to_owned()))? {
            Value::Transcript(t) => Some(t),
            Value::Meeting(_) => None,
        }
    }

    pub fn put_transcript(&self, tenant: TenantKey, id: &str, t: Arc<Vec<Entry>>, bytes: usize) {
        self.insert(
            tenant,
            Key::Transcript(id.to_owned()),
            Value::Transcript(t),
            bytes,
        );
    }

    pub fn meeting(&self, tenant: TenantKey, id: &str) -> Option<Arc<Meeting>> {
        match self.get(tenant, Key::Meeting(id.to_owned()))? {
            Value::Meeting(m) => Some(m),
            Value::Transcript(_) => None,
        }
    }

    pub fn put_meeting(&self, tenant: TenantKey, m: Arc<Meeting>, bytes: usize) {
        let id = m.recording_id.clone();
        self.insert(tenant, Key::Meeting(id), Value::Meeting(m), bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upstream::TenantHasher;

    #[test]
    fn entries_are_per_tenant() {
        let h = TenantHasher::random();
        let (a, b) = (
            h.tenant_key(&["fathom", "a"]),
            h.tenant_key(&["fathom", "b"]),
        );
        let cache = FathomCache::new(1 << 20, Duration::from_secs(60));
        let m = Meeting {
            recording_id: "7".into(),
            ..Meeting::default()
        };
        cache.put_meeting(a, Arc::new(m), 100);
        assert!(cache.meeting(a, "7").is_some());
        assert!(cache.meeting(b, "7").is_none());
        assert!(cache.transcript(a, "7").is_none());
        let off = FathomCache::new(0, Duration::from_secs(60));
        off.put_meeting(a, Arc::new(Meeting::default()), 1);
        assert!(off.meeting(a, "").is_none());
    }
}
