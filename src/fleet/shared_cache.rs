//! Immutable answers (an ended call's transcript or extensive data) kept in Redis behind each
//! replica's own cache, so what one replica fetched costs the others no upstream request.
//!
//! Keys: `gong-mcp:{upstream:tenant}:cache:<kind>:<id>`: only the same credentials (and base
//! URL) reach an entry. Values: the answer's JSON, gzip-compressed (fast level); entries larger
//! than the cap after compression are not stored; each expires after the TTL, and Redis's
//! `maxmemory` with `volatile-lru` bounds the whole (see the README).

use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Duration;

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::Serialize;

use super::FleetCore;

/// A decompressed entry larger than this is refused (a corrupt or hostile value).
const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Clone)]
pub struct SharedCache {
    core: Arc<FleetCore>,
    prefix: String,
    ttl: Duration,
    max_entry_bytes: usize,
}

impl SharedCache {
    pub(super) fn new(
        core: Arc<FleetCore>,
        prefix: String,
        ttl: Duration,
        max_entry_bytes: usize,
    ) -> Self {
        Self {
            core,
            prefix,
            ttl,
            max_entry_bytes,
        }
    }

    fn key(&self, kind: &str, id: &str) -> String {
        format!("{}:cache:{kind}:{id}", self.prefix)
    }

    /// The cached JSON of each id (`None` where absent, or when Redis is unusable).
    pub async fn get_many(&self, kind: &str, ids: &[String]) -> Vec<Option<Vec<u8>>> {
        if ids.is_empty() || self.ttl.is_zero() {
            return Vec::new();
        }
        let keys: Vec<String> = ids.iter().map(|id| self.key(kind, id)).collect();
        let values = self
            .core
            .link
            .run("MGET", |mut conn| async move {
                redis::cmd("MGET")
                    .arg(&keys)
                    .query_async::<Vec<Option<Vec<u8>>>>(&mut conn)
                    .await
            })
            .await;
        let Some(values) = values else {
            metrics::counter!("fleet_cache_lookups_total", "result" => "unavailable")
                .increment(ids.len() as u64);
            return vec![None; ids.len()];
        };
        values
            .into_iter()
            .map(|v| {
                let json = v.and_then(|gz| inflate(&gz));
                let result = if json.is_some() { "hit" } else { "miss" };
                metrics::counter!("fleet_cache_lookups_total", "result" => result).increment(1);
                json
            })
            .collect()
    }

    /// Stores `value` under (kind, id) as gzip-compressed JSON, in the background (a write
    /// never delays an answer); skipped when too large or when Redis is unusable.
    pub fn put<T: Serialize + Send + Sync + 'static>(
        &self,
        kind: &'static str,
        id: &str,
        value: Arc<T>,
    ) {
        if self.ttl.is_zero() || !self.core.link.is_up() {
            return;
        }
        let (this, key) = (self.clone(), self.key(kind, id));
        tokio::spawn(async move {
            let encode = move || serde_json::to_vec(&*value).ok().and_then(|j| deflate(&j));
            let Ok(Some(gz)) = tokio::task::spawn_blocking(encode).await else {
                return;
            };
            if gz.len() > this.max_entry_bytes {
                metrics::counter!("fleet_cache_writes_total", "result" => "too_large").increment(1);
                return;
            }
            let ttl = this.ttl.as_secs().max(1);
            let stored = this
                .core
                .link
                .run("SET", |mut conn| async move {
                    redis::cmd("SET")
                        .arg(&key)
                        .arg(gz)
                        .arg("EX")
                        .arg(ttl)
                        .query_async::<()>(&mut conn)
                        .await
                })
                .await;
            let result = if stored.is_some() { "stored" } else { "failed" };
            metrics::counter!("fleet_cache_writes_total", "result" => result).increment(1);
        });
    }
}

pub fn deflate(json: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(json.len() / 4), Compression::fast());
    encoder.write_all(json).ok()?;
    encoder.finish().ok()
}

pub fn inflate(gz: &[u8]) -> Option<Vec<u8>> {
    let mut json = Vec::new();
    GzDecoder::new(gz)
        .take(MAX_INFLATED_BYTES)
        .read_to_end(&mut json)
        .ok()?;
    Some(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_round_trips_and_shrinks_transcript_like_json() {
        let json = br#"{"callId":"1","transcript":[{"speakerId":"7","sentences":[{"start":0,"end":1,"text":"hello there"}]}]}"#.repeat(200);
        let gz = deflate(&json).unwrap();
        assert!(gz.len() * 10 < json.len(), "{} of {}", gz.len(), json.len());
        assert_eq!(inflate(&gz).unwrap(), json);
        assert_eq!(inflate(b"not gzip"), None);
    }
}
