//! Concurrent identical Gong requests of one tenant share one upstream request.
//!
//! The first caller's future is shared; later callers with the same key await it. The work is
//! driven by whoever polls it, so it continues while any caller waits and stops (dropping the
//! HTTP request) when the last one is cancelled.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};

pub struct Coalescer<K, V> {
    in_flight: Arc<Mutex<HashMap<K, Shared<BoxFuture<'static, V>>>>>,
}

impl<K, V> Default for Coalescer<K, V> {
    fn default() -> Self {
        Self {
            in_flight: Arc::default(),
        }
    }
}

impl<K, V> Coalescer<K, V>
where
    K: Hash + Eq + Clone + Send + 'static,
    V: Clone + Send + Sync + 'static,
{
    /// Runs `make()` unless an identical request is in flight, in which case it joins that one.
    /// Returns the value and whether this caller joined another's request.
    pub async fn run<F>(&self, key: K, make: impl FnOnce() -> F) -> (V, bool)
    where
        F: Future<Output = V> + Send + 'static,
    {
        let (shared, joined) = {
            let mut map = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
            match map.get(&key) {
                Some(existing) => (existing.clone(), true),
                None => {
                    let in_flight = Arc::clone(&self.in_flight);
                    let done_key = key.clone();
                    let work = make();
                    let shared = async move {
                        let value = work.await;
                        // Later callers must make a fresh request (or hit the cache).
                        in_flight
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .remove(&done_key);
                        value
                    }
                    .boxed()
                    .shared();
                    map.insert(key.clone(), shared.clone());
                    (shared, false)
                }
            }
        };
        let mut guard = RemoveIfAbandoned {
            map: &self.in_flight,
            key,
            shared,
            armed: true,
        };
        let value = (&mut guard.shared).await;
        guard.armed = false;
        (value, joined)
    }

    #[cfg(test)]
    pub fn in_flight(&self) -> usize {
        self.in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .len()
    }
}

/// If every caller of a shared request is cancelled, nobody drives it to completion, so the entry
/// would stay forever. The last cancelled caller removes it.
struct RemoveIfAbandoned<'a, K: Hash + Eq, V> {
    map: &'a Mutex<HashMap<K, Shared<BoxFuture<'static, V>>>>,
    key: K,
    shared: Shared<BoxFuture<'static, V>>,
    /// Cleared once the shared work completed (it removed its own entry).
    armed: bool,
}

impl<K: Hash + Eq, V> Drop for RemoveIfAbandoned<'_, K, V> {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        // Only the map and this guard still hold it: nobody else waits for it.
        if map
            .get(&self.key)
            .is_some_and(|s| s.strong_count() == Some(2))
        {
            map.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn concurrent_identical_requests_run_once() {
        let coalescer: Arc<Coalescer<&'static str, u32>> = Arc::default();
        let runs = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..10 {
            let c = Arc::clone(&coalescer);
            let runs = Arc::clone(&runs);
            tasks.push(tokio::spawn(async move {
                c.run("k", || async move {
                    runs.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    7
                })
                .await
            }));
        }
        let mut joined = 0;
        for t in tasks {
            let (v, j) = t.await.unwrap();
            assert_eq!(v, 7);
            joined += j as usize;
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert_eq!(joined, 9);
        assert_eq!(coalescer.in_flight(), 0);
    }

    #[tokio::test]
    async fn abandoned_request_is_dropped_and_forgotten() {
        let coalescer: Arc<Coalescer<&'static str, u32>> = Arc::default();
        let finished = Arc::new(AtomicUsize::new(0));
        let f = Arc::clone(&finished);
        let c = Arc::clone(&coalescer);
        let task = tokio::spawn(async move {
            c.run("k", || async move {
                tokio::time::sleep(Duration::from_secs(5)).await;
                f.fetch_add(1, Ordering::SeqCst);
                1
            })
            .await
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(coalescer.in_flight(), 1);
        task.abort();
        let _ = task.await;
        assert_eq!(coalescer.in_flight(), 0);
        assert_eq!(finished.load(Ordering::SeqCst), 0);
    }
}
