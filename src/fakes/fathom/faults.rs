//! Scripted failures and request counters, so tests can make the synthetic Fathom fail as the
//! real one (or a proxy, or the network) can, and see what a client really sent.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

/// The endpoints the fake serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FathomEndpoint {
    /// `GET /meetings`
    ListMeetings,
    /// `GET /recordings/{id}/transcript`
    Transcript,
    /// `GET /recordings/{id}/summary`
    Summary,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FathomFault {
    /// 500 with a JSON error body.
    ServerError,
    /// An HTML error page like a CDN or load balancer serves.
    HtmlError { status: u16 },
    /// 429 with `Retry-After` and `RateLimit-Reset` set to this.
    TooManyRequests { retry_after_secs: u64 },
    /// 200 with a body that is not valid JSON.
    MalformedJson,
    /// 200 with JSON of the wrong shape (`items` an object).
    WrongShape,
    /// Wait, then answer normally.
    Delay(Duration),
    /// The connection is closed without any response.
    ResetConnection,
}

struct Entry {
    api_key: Option<String>,
    endpoint: Option<FathomEndpoint>,
    fault: FathomFault,
    remaining: usize,
}

/// A FIFO of scripted faults: a request takes the first entry matching its key and endpoint.
/// Faults apply to authenticated requests and win over the rate limiter.
#[derive(Default)]
pub struct FathomFaults {
    queue: Mutex<VecDeque<Entry>>,
}

impl FathomFaults {
    /// The next `times` requests to `endpoint` (any if `None`) of any key get `fault`.
    pub fn push(&self, endpoint: Option<FathomEndpoint>, fault: FathomFault, times: usize) {
        self.push_for(None, endpoint, fault, times);
    }

    /// Like `push`, for one API key only when given.
    pub fn push_for(
        &self,
        api_key: Option<&str>,
        endpoint: Option<FathomEndpoint>,
        fault: FathomFault,
        times: usize,
    ) {
        if times > 0 {
            self.lock().push_back(Entry {
                api_key: api_key.map(str::to_owned),
                endpoint,
                fault,
                remaining: times,
            });
        }
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    pub fn pending(&self) -> usize {
        self.lock().iter().map(|e| e.remaining).sum()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Entry>> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn take(&self, api_key: &str, endpoint: FathomEndpoint) -> Option<FathomFault> {
        let mut q = self.lock();
        let pos = q.iter().position(|e| {
            e.api_key.as_deref().is_none_or(|k| k == api_key)
                && e.endpoint.is_none_or(|ep| ep == endpoint)
        })?;
        let fault = q[pos].fault.clone();
        q[pos].remaining -= 1;
        if q[pos].remaining == 0 {
            q.remove(pos);
        }
        Some(fault)
    }
}

/// Authenticated requests per API key and endpoint (refused ones included), and the requests
/// that came without a valid key.
#[derive(Default)]
pub struct FathomStats {
    counts: Mutex<HashMap<(String, FathomEndpoint), u64>>,
    unauthorized: Mutex<u64>,
}

impl FathomStats {
    pub(crate) fn count(&self, api_key: &str, endpoint: FathomEndpoint) {
        *self
            .counts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((api_key.to_owned(), endpoint))
            .or_default() += 1;
    }

    pub(crate) fn count_unauthorized(&self) {
        *self.unauthorized.lock().unwrap_or_else(|e| e.into_inner()) += 1;
    }

    /// Requests of this key to this endpoint.
    pub fn requests_to(&self, api_key: &str, endpoint: FathomEndpoint) -> u64 {
        self.counts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&(api_key.to_owned(), endpoint))
            .copied()
            .unwrap_or(0)
    }

    /// Requests of this key to any endpoint: the quota it spent.
    pub fn requests(&self, api_key: &str) -> u64 {
        self.counts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|((k, _), _)| k == api_key)
            .map(|(_, n)| n)
            .sum()
    }

    pub fn unauthorized(&self) -> u64 {
        *self.unauthorized.lock().unwrap_or_else(|e| e.into_inner())
    }
}
