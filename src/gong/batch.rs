//! Cross-call batching of Gong requests by call id.
//!
//! Agents fan out: "details for each of these 30 calls" arrives as 30 concurrent tool calls of one
//! id each. Gong takes up to 100 ids per request and the tenant may send only 3 requests a second,
//! so ids that arrive while a tenant's request waits for its pacing slot ride in the same request.
//!
//! A batch is *open* until its request gets its pacing slot; ids asked for meanwhile join it (up to
//! 100). Then it is *in flight*: an id it carries is not requested again, later askers join it.
//! Every asker awaits the batch's shared future; the last one to give up drops it, which aborts
//! the HTTP request and forgets the batch.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};

use super::error::GongError;

/// What one batch request yields: the items Gong returned, by call id.
pub(crate) type BatchResult<T> = Result<Arc<HashMap<String, Arc<T>>>, GongError>;
type SharedBatch<T> = Shared<BoxFuture<'static, BatchResult<T>>>;

struct Batch<T> {
    id: u64,
    shared: SharedBatch<T>,
    waiters: Arc<AtomicUsize>,
}

impl<T> Clone for Batch<T> {
    fn clone(&self) -> Self {
        Self {
            id: self.id,
            shared: self.shared.clone(),
            waiters: Arc::clone(&self.waiters),
        }
    }
}

struct State<T> {
    next_id: u64,
    /// Batches waiting for their pacing slot, with their ids; only the last one still takes ids
    /// (the others are full).
    open: Vec<(Batch<T>, Vec<String>)>,
    /// Ids of batches already sent (or being retried).
    in_flight: HashMap<String, Batch<T>>,
}

pub(crate) struct Batcher<T> {
    max_ids: usize,
    state: Arc<Mutex<State<T>>>,
}

impl<T: Send + Sync + 'static> Batcher<T> {
    pub fn new(max_ids: usize) -> Self {
        Self {
            max_ids,
            state: Arc::new(Mutex::new(State {
                next_id: 0,
                open: Vec::new(),
                in_flight: HashMap::new(),
            })),
        }
    }

    /// Loads `ids` (deduplicated by the caller), joining open and in-flight batches where it can.
    /// `start` makes the request of a new batch: it receives a [`BatchTicket`], must wait for the
    /// tenant's pacing slot, then call [`BatchTicket::close`] to learn which ids to request.
    pub async fn load<F>(
        &self,
        ids: &[String],
        start: F,
    ) -> Result<HashMap<String, Arc<T>>, GongError>
    where
        F: Fn(BatchTicket<T>) -> BoxFuture<'static, BatchResult<T>>,
    {
        let mut joined: Vec<Batch<T>> = Vec::new();
        {
            let mut state = lock(&self.state);
            for id in ids {
                if let Some(batch) = state.in_flight.get(id) {
                    let batch = batch.clone();
                    push_unique(&mut joined, batch);
                    continue;
                }
                if let Some((batch, _)) = state
                    .open
                    .iter()
                    .find(|(_, open_ids)| open_ids.contains(id))
                {
                    let batch = batch.clone();
                    push_unique(&mut joined, batch);
                    continue;
                }
                let full = state
                    .open
                    .last()
                    .is_none_or(|(_, open_ids)| open_ids.len() >= self.max_ids);
                if full {
                    let batch_id = state.next_id;
                    state.next_id += 1;
                    let ticket = BatchTicket {
                        batch_id,
                        state: Arc::clone(&self.state),
                    };
                    let batch = Batch {
                        id: batch_id,
                        shared: start(ticket).shared(),
                        waiters: Arc::new(AtomicUsize::new(0)),
                    };
                    state.open.push((batch, Vec::new()));
                }
                if let Some((batch, open_ids)) = state.open.last_mut() {
                    open_ids.push(id.clone());
                    let batch = batch.clone();
                    push_unique(&mut joined, batch);
                }
            }
            for batch in &joined {
                batch.waiters.fetch_add(1, Ordering::SeqCst);
            }
        }
        let guards: Vec<WaiterGuard<T>> = joined
            .iter()
            .map(|b| WaiterGuard {
                batch: b.clone(),
                state: Arc::clone(&self.state),
            })
            .collect();
        let results = futures::future::join_all(joined.iter().map(|b| b.shared.clone())).await;
        drop(guards);
        let wanted: HashSet<&String> = ids.iter().collect();
        let mut found = HashMap::with_capacity(ids.len());
        for result in results {
            for (id, item) in result?.iter() {
                if wanted.contains(id) {
                    found.insert(id.clone(), Arc::clone(item));
                }
            }
        }
        Ok(found)
    }
}

fn push_unique<T>(batches: &mut Vec<Batch<T>>, batch: Batch<T>) {
    if !batches.iter().any(|b| b.id == batch.id) {
        batches.push(batch);
    }
}

fn lock<T>(state: &Mutex<State<T>>) -> std::sync::MutexGuard<'_, State<T>> {
    state.lock().unwrap_or_else(|p| p.into_inner())
}

/// Handed to a batch's request future; closes the batch when the request is about to be sent.
pub(crate) struct BatchTicket<T> {
    batch_id: u64,
    state: Arc<Mutex<State<T>>>,
}

impl<T> BatchTicket<T> {
    /// Stops the batch from collecting more ids and returns them. From now on its ids are in
    /// flight: askers join this request instead of starting another.
    pub fn close(&self) -> Vec<String> {
        let mut state = lock(&self.state);
        let Some(index) = state.open.iter().position(|(b, _)| b.id == self.batch_id) else {
            return Vec::new();
        };
        let (batch, ids) = state.open.remove(index);
        for id in &ids {
            state.in_flight.insert(id.clone(), batch.clone());
        }
        ids
    }

    /// The request finished: its ids are no longer in flight (the cache has them now).
    pub fn finish(&self, ids: &[String]) {
        let mut state = lock(&self.state);
        forget(&mut state, self.batch_id, ids);
    }
}

fn forget<T>(state: &mut State<T>, batch_id: u64, ids: &[String]) {
    for id in ids {
        if state.in_flight.get(id).is_some_and(|b| b.id == batch_id) {
            state.in_flight.remove(id);
        }
    }
}

/// The last asker of a batch to give up (cancelled) removes it, which drops its request.
struct WaiterGuard<T> {
    batch: Batch<T>,
    state: Arc<Mutex<State<T>>>,
}

impl<T> Drop for WaiterGuard<T> {
    fn drop(&mut self) {
        if self.batch.waiters.fetch_sub(1, Ordering::SeqCst) != 1 {
            return;
        }
        let mut state = lock(&self.state);
        state.open.retain(|(b, _)| b.id != self.batch.id);
        let ids: Vec<String> = state
            .in_flight
            .iter()
            .filter(|(_, b)| b.id == self.batch.id)
            .map(|(id, _)| id.clone())
            .collect();
        forget(&mut state, self.batch.id, &ids);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU64;
    use std::time::Duration;

    /// A fake "Gong" request: waits for a slot, closes the batch, records the ids it carried.
    fn starter(
        requests: Arc<Mutex<Vec<Vec<String>>>>,
        sent: Arc<AtomicU64>,
        slot: Duration,
    ) -> impl Fn(BatchTicket<String>) -> BoxFuture<'static, BatchResult<String>> {
        move |ticket| {
            let requests = Arc::clone(&requests);
            let sent = Arc::clone(&sent);
            async move {
                tokio::time::sleep(slot).await;
                let ids = ticket.close();
                sent.fetch_add(1, Ordering::SeqCst);
                lock_vec(&requests).push(ids.clone());
                tokio::time::sleep(Duration::from_millis(20)).await;
                let map = ids
                    .iter()
                    .map(|i| (i.clone(), Arc::new(format!("v{i}"))))
                    .collect();
                ticket.finish(&ids);
                Ok(Arc::new(map))
            }
            .boxed()
        }
    }

    fn lock_vec(v: &Mutex<Vec<Vec<String>>>) -> std::sync::MutexGuard<'_, Vec<Vec<String>>> {
        v.lock().unwrap()
    }

    #[tokio::test]
    async fn concurrent_single_id_loads_share_a_request() {
        let batcher = Arc::new(Batcher::<String>::new(100));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let sent = Arc::new(AtomicU64::new(0));
        let start = Arc::new(starter(
            Arc::clone(&requests),
            Arc::clone(&sent),
            Duration::from_millis(30),
        ));
        let mut tasks = Vec::new();
        for i in 0..30 {
            let (b, start) = (Arc::clone(&batcher), Arc::clone(&start));
            tasks.push(tokio::spawn(async move {
                let id = i.to_string();
                let found = b
                    .load(std::slice::from_ref(&id), |t| start(t))
                    .await
                    .unwrap();
                assert_eq!(*found[&id], format!("v{id}"));
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(sent.load(Ordering::SeqCst), 1, "{:?}", lock_vec(&requests));
        assert_eq!(lock_vec(&requests)[0].len(), 30);
    }

    #[tokio::test]
    async fn batches_hold_at_most_max_ids_and_in_flight_ids_are_joined() {
        let batcher = Arc::new(Batcher::<String>::new(10));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let sent = Arc::new(AtomicU64::new(0));
        let start = Arc::new(starter(
            Arc::clone(&requests),
            Arc::clone(&sent),
            Duration::from_millis(30),
        ));
        let ids: Vec<String> = (0..25).map(|i| i.to_string()).collect();
        let (b1, s1, ids1) = (Arc::clone(&batcher), Arc::clone(&start), ids.clone());
        let first = tokio::spawn(async move { b1.load(&ids1, |t| s1(t)).await.unwrap().len() });
        tokio::time::sleep(Duration::from_millis(40)).await; // all three batches are in flight
        let again = batcher.load(&ids[..5], |t| start(t)).await.unwrap();
        assert_eq!(again.len(), 5);
        assert_eq!(first.await.unwrap(), 25);
        let reqs = lock_vec(&requests);
        assert_eq!(reqs.len(), 3, "{reqs:?}");
        assert!(reqs.iter().all(|r| r.len() <= 10));
    }

    #[tokio::test]
    async fn a_batch_everyone_abandoned_is_dropped_and_forgotten() {
        let batcher = Arc::new(Batcher::<String>::new(100));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let sent = Arc::new(AtomicU64::new(0));
        let start = Arc::new(starter(
            Arc::clone(&requests),
            Arc::clone(&sent),
            Duration::from_millis(200),
        ));
        let (b, s) = (Arc::clone(&batcher), Arc::clone(&start));
        let task = tokio::spawn(async move { b.load(&["1".to_owned()], |t| s(t)).await });
        tokio::time::sleep(Duration::from_millis(20)).await;
        task.abort();
        let _ = task.await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            sent.load(Ordering::SeqCst),
            0,
            "the abandoned request never went out"
        );
        {
            let state = lock(&batcher.state);
            assert!(state.open.is_empty() && state.in_flight.is_empty());
        }
        // The id can be loaded afresh.
        let found = batcher.load(&["1".to_owned()], |t| start(t)).await.unwrap();
        assert_eq!(found.len(), 1);
    }
}
