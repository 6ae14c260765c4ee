//! Request counters, so tests can see what a client really sent: how often it
//! called each endpoint (retries included), and whether it ever leaked its
//! API key to the storage host.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// The endpoints the fake serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MrEndpoint {
    /// `GET /minds`
    ListMinds,
    /// `POST /minds`
    CreateMind,
    /// `GET /minds/{mindId}/signed-url`
    SignedUrl,
    /// `POST /minds/{mindId}/snapshots`
    CreateSnapshot,
    /// `GET /minds/{mindId}/snapshots/{snapshotId}/status`
    SnapshotStatus,
    /// `POST /simulate`
    Simulate,
    /// `PUT {signedUrl}` on the storage listener.
    StorageUpload,
}

impl MrEndpoint {
    pub const ALL: [MrEndpoint; 7] = [
        MrEndpoint::ListMinds,
        MrEndpoint::CreateMind,
        MrEndpoint::SignedUrl,
        MrEndpoint::CreateSnapshot,
        MrEndpoint::SnapshotStatus,
        MrEndpoint::Simulate,
        MrEndpoint::StorageUpload,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MrEndpoint::ListMinds => "GET /minds",
            MrEndpoint::CreateMind => "POST /minds",
            MrEndpoint::SignedUrl => "GET /minds/{mindId}/signed-url",
            MrEndpoint::CreateSnapshot => "POST /minds/{mindId}/snapshots",
            MrEndpoint::SnapshotStatus => "GET /minds/{mindId}/snapshots/{snapshotId}/status",
            MrEndpoint::Simulate => "POST /simulate",
            MrEndpoint::StorageUpload => "PUT {signedUrl}",
        }
    }
}

impl fmt::Display for MrEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Thread-safe counters.
///
/// - `requests` counts API requests with a valid key (every outcome: 2xx, 4xx,
///   429, scripted faults) and storage `PUT`s whose path names the tenant's
///   bucket folder (whatever their signature).
/// - `total` counts every request either listener received, unknown paths and
///   401s included.
#[derive(Default)]
pub struct MrStats {
    per_key: Mutex<HashMap<(String, MrEndpoint), u64>>,
    total: AtomicU64,
    unauthorized: AtomicU64,
    rate_limited: AtomicU64,
    storage_with_authorization: AtomicU64,
    last_user_agent: Mutex<Option<String>>,
}

impl fmt::Debug for MrStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MrStats")
            .field("total", &self.total())
            .field("unauthorized", &self.unauthorized())
            .finish_non_exhaustive()
    }
}

impl MrStats {
    /// Requests to `endpoint` by the tenant with that key, or by all tenants (`None`).
    pub fn requests(&self, api_key: Option<&str>, endpoint: MrEndpoint) -> u64 {
        let map = self.per_key.lock().unwrap_or_else(|e| e.into_inner());
        map.iter()
            .filter(|((k, e), _)| *e == endpoint && api_key.is_none_or(|want| want == k))
            .map(|(_, n)| *n)
            .sum()
    }

    /// Every request received on either listener.
    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    /// API requests answered 401 (missing, malformed or unknown key).
    pub fn unauthorized(&self) -> u64 {
        self.unauthorized.load(Ordering::Relaxed)
    }

    /// 429s sent by the rate limiter (scripted `TooManyRequests` not included).
    pub fn rate_limited(&self) -> u64 {
        self.rate_limited.load(Ordering::Relaxed)
    }

    /// Storage `PUT`s that carried an `Authorization` header (refused with 400):
    /// any of these means a client sent credentials to the storage host.
    pub fn storage_requests_with_authorization(&self) -> u64 {
        self.storage_with_authorization.load(Ordering::Relaxed)
    }

    /// The `User-Agent` of the most recent request on either listener.
    pub fn last_user_agent(&self) -> Option<String> {
        self.last_user_agent
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn record_arrival(&self, user_agent: Option<&str>) {
        self.total.fetch_add(1, Ordering::Relaxed);
        *self
            .last_user_agent
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = user_agent.map(str::to_string);
    }

    pub(crate) fn record_request(&self, api_key: &str, endpoint: MrEndpoint) {
        let mut map = self.per_key.lock().unwrap_or_else(|e| e.into_inner());
        *map.entry((api_key.to_string(), endpoint)).or_default() += 1;
    }

    pub(crate) fn record_unauthorized(&self) {
        self.unauthorized.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn record_rate_limited(&self) {
        self.rate_limited.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn record_storage_authorization(&self) {
        self.storage_with_authorization
            .fetch_add(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_key_and_overall() {
        let s = MrStats::default();
        s.record_request("a", MrEndpoint::ListMinds);
        s.record_request("a", MrEndpoint::ListMinds);
        s.record_request("b", MrEndpoint::ListMinds);
        s.record_request("b", MrEndpoint::Simulate);
        assert_eq!(s.requests(Some("a"), MrEndpoint::ListMinds), 2);
        assert_eq!(s.requests(None, MrEndpoint::ListMinds), 3);
        assert_eq!(s.requests(Some("a"), MrEndpoint::Simulate), 0);
        assert_eq!(s.requests(None, MrEndpoint::Simulate), 1);
    }
}
