//! Scripted failures: the next N matching requests get a fault instead of (or
//! before, or after) the normal answer, so tests can reproduce what Mind
//! Reasoner, a proxy in front of it, Google Cloud Storage or the network can
//! do to a client.

use std::collections::VecDeque;
use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::fakes::mind_reasoner::stats::MrEndpoint;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MrFault {
    /// Any status with the given body and content type.
    Status {
        status: u16,
        body: String,
        content_type: &'static str,
    },
    /// 429 with `Retry-After` and `details.retryAfter` set to this.
    TooManyRequests { retry_after_secs: u64 },
    /// Wait, then answer normally (rate limiting included).
    Delay(Duration),
    /// 500 with the JSON error body.
    ServerError,
    /// Do the work (create the mind or snapshot, store the upload), then
    /// answer 500 anyway: retrying such a request creates a duplicate.
    AfterEffect500,
    /// The connection is closed without any response.
    ResetConnection,
    /// 200 with a body that is not valid JSON.
    InvalidJson,
    /// An HTML error page like a CDN or load balancer serves.
    HtmlError { status: u16 },
}

struct Entry {
    api_key: Option<String>,
    endpoint: Option<MrEndpoint>,
    fault: MrFault,
    remaining: usize,
}

/// A FIFO of scripted faults. A request takes the first entry that matches its
/// tenant and endpoint. Faults apply only to authenticated requests (storage
/// `PUT`s once their signed URL checks out) and take precedence over the rate
/// limiter (the request still counts toward it).
#[derive(Default)]
pub struct MrFaults {
    queue: Mutex<VecDeque<Entry>>,
    fired: AtomicU64,
}

impl fmt::Debug for MrFaults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MrFaults")
            .field("pending", &self.pending())
            .field("fired", &self.fired())
            .finish()
    }
}

impl MrFaults {
    /// Applies `fault` to the next `times` requests to `endpoint` (any endpoint if `None`) of any tenant.
    pub fn push(&self, endpoint: Option<MrEndpoint>, fault: MrFault, times: usize) {
        self.push_for(None, endpoint, fault, times);
    }

    /// Like `push`, for one tenant only when `api_key` is given.
    pub fn push_for(
        &self,
        api_key: Option<&str>,
        endpoint: Option<MrEndpoint>,
        fault: MrFault,
        times: usize,
    ) {
        if times == 0 {
            return;
        }
        self.queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push_back(Entry {
                api_key: api_key.map(str::to_string),
                endpoint,
                fault,
                remaining: times,
            });
    }

    pub fn clear(&self) {
        self.queue.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Faults still to fire (sum over entries).
    pub fn pending(&self) -> usize {
        self.queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|e| e.remaining)
            .sum()
    }

    /// Faults fired so far.
    pub fn fired(&self) -> u64 {
        self.fired.load(Ordering::Relaxed)
    }

    pub(crate) fn take(&self, api_key: &str, endpoint: MrEndpoint) -> Option<MrFault> {
        let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        let pos = q.iter().position(|e| {
            e.api_key.as_deref().is_none_or(|k| k == api_key)
                && e.endpoint.is_none_or(|ep| ep == endpoint)
        })?;
        let entry = &mut q[pos];
        let fault = entry.fault.clone();
        entry.remaining -= 1;
        if entry.remaining == 0 {
            q.remove(pos);
        }
        self.fired.fetch_add(1, Ordering::Relaxed);
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fires_in_order_and_only_for_matches() {
        let f = MrFaults::default();
        f.push(Some(MrEndpoint::CreateMind), MrFault::InvalidJson, 2);
        f.push(None, MrFault::ResetConnection, 1);
        f.push_for(Some("b"), None, MrFault::ServerError, 1);
        assert_eq!(f.pending(), 4);
        assert_eq!(
            f.take("a", MrEndpoint::ListMinds),
            Some(MrFault::ResetConnection)
        );
        assert_eq!(f.take("a", MrEndpoint::ListMinds), None);
        assert_eq!(
            f.take("b", MrEndpoint::ListMinds),
            Some(MrFault::ServerError)
        );
        assert_eq!(
            f.take("a", MrEndpoint::CreateMind),
            Some(MrFault::InvalidJson)
        );
        assert_eq!(
            f.take("a", MrEndpoint::CreateMind),
            Some(MrFault::InvalidJson)
        );
        assert_eq!(f.take("a", MrEndpoint::CreateMind), None);
        assert_eq!(f.fired(), 4);
        assert_eq!(f.pending(), 0);
        f.push(None, MrFault::ServerError, 3);
        f.clear();
        assert_eq!(f.pending(), 0);
    }
}
