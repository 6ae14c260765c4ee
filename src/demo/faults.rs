//! Scripted failures: the next N matching requests get a fault instead of (or
//! before) the normal answer, so tests can reproduce whatever Gong, a proxy or
//! the network can do to a client.

use std::collections::VecDeque;
use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::stats::Endpoint;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Any status with the given body and content type.
    Status {
        status: u16,
        body: String,
        content_type: &'static str,
    },
    /// 429 with `Retry-After` and Gong's error body.
    TooManyRequests { retry_after_secs: u64 },
    /// Wait, then answer normally (rate limiting included).
    Delay(Duration),
    /// A 3xx with `Location` (as a wrong regional host does).
    Redirect { location: String, status: u16 },
    /// 200 with a body that is not valid JSON.
    InvalidJson,
    /// 200 whose `Content-Length` promises more than is sent before the
    /// connection is aborted.
    TruncatedBody,
    /// The connection is closed without any response.
    ResetConnection,
    /// An HTML error page like nginx or Cloudflare serve in front of Gong.
    HtmlError { status: u16 },
    /// 200 as normal, but every optional field is null and unknown fields are added.
    NullsEverywhere,
}

struct Entry {
    access_key: Option<String>,
    endpoint: Option<Endpoint>,
    fault: Fault,
    remaining: usize,
}

/// A FIFO of scripted faults. A request takes the first entry that matches its
/// tenant and endpoint. Faults apply only to authenticated requests, and take
/// precedence over the rate limiter (the request still counts toward it).
#[derive(Default)]
pub struct Faults {
    queue: Mutex<VecDeque<Entry>>,
    fired: AtomicU64,
}

impl fmt::Debug for Faults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Faults")
            .field("pending", &self.pending())
            .field("fired", &self.fired())
            .finish()
    }
}

impl Faults {
    /// Applies `fault` to the next `times` requests of any tenant and endpoint.
    pub fn push(&self, fault: Fault, times: usize) {
        self.push_for(None, None, fault, times);
    }

    /// Applies `fault` to the next `times` requests matching the tenant and/or endpoint.
    pub fn push_for(
        &self,
        access_key: Option<&str>,
        endpoint: Option<Endpoint>,
        fault: Fault,
        times: usize,
    ) {
        if times == 0 {
            return;
        }
        let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        q.push_back(Entry {
            access_key: access_key.map(str::to_string),
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

    /// Faults still to fire that are scripted for this tenant alone.
    pub fn pending_for(&self, access_key: &str) -> usize {
        self.queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|e| e.access_key.as_deref() == Some(access_key))
            .map(|e| e.remaining)
            .sum()
    }

    /// Faults fired so far.
    pub fn fired(&self) -> u64 {
        self.fired.load(Ordering::Relaxed)
    }

    pub(crate) fn take(&self, access_key: &str, endpoint: Endpoint) -> Option<Fault> {
        let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        let pos = q.iter().position(|e| {
            e.access_key.as_deref().is_none_or(|k| k == access_key)
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
        let f = Faults::default();
        f.push_for(Some("a"), Some(Endpoint::ListCalls), Fault::InvalidJson, 2);
        f.push(Fault::ResetConnection, 1);
        assert_eq!(f.pending(), 3);
        assert_eq!((f.pending_for("a"), f.pending_for("b")), (2, 0));
        assert_eq!(
            f.take("b", Endpoint::ListCalls),
            Some(Fault::ResetConnection)
        );
        assert_eq!(f.take("a", Endpoint::Workspaces), None);
        assert_eq!(f.take("a", Endpoint::ListCalls), Some(Fault::InvalidJson));
        assert_eq!(f.take("a", Endpoint::ListCalls), Some(Fault::InvalidJson));
        assert_eq!(f.take("a", Endpoint::ListCalls), None);
        assert_eq!(f.fired(), 3);
    }
}
