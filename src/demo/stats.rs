//! Request counters per tenant and endpoint, so tests can see what a client
//! really sent (how many calls, how fast, how many 429s).

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::time::Instant;

/// The Gong endpoints the demo serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `GET /v2/calls`
    ListCalls,
    /// `GET /v2/calls/{id}`
    GetCall,
    /// `POST /v2/calls` (creates calls in Gong; the demo rejects it like Gong
    /// rejects a list-style body).
    CreateCall,
    /// `POST /v2/calls/extensive`
    CallsExtensive,
    /// `POST /v2/calls/transcript`
    CallsTranscript,
    /// `GET /v2/users`
    ListUsers,
    /// `GET /v2/users/{id}`
    GetUser,
    /// `GET /v2/workspaces`
    Workspaces,
}

impl Endpoint {
    pub const ALL: [Endpoint; 8] = [
        Endpoint::ListCalls,
        Endpoint::GetCall,
        Endpoint::CreateCall,
        Endpoint::CallsExtensive,
        Endpoint::CallsTranscript,
        Endpoint::ListUsers,
        Endpoint::GetUser,
        Endpoint::Workspaces,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Endpoint::ListCalls => "GET /v2/calls",
            Endpoint::GetCall => "GET /v2/calls/{id}",
            Endpoint::CreateCall => "POST /v2/calls",
            Endpoint::CallsExtensive => "POST /v2/calls/extensive",
            Endpoint::CallsTranscript => "POST /v2/calls/transcript",
            Endpoint::ListUsers => "GET /v2/users",
            Endpoint::GetUser => "GET /v2/users/{id}",
            Endpoint::Workspaces => "GET /v2/workspaces",
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Default)]
struct TenantStats {
    per_endpoint: HashMap<Endpoint, u64>,
    total: u64,
    rate_limited: u64,
    /// Arrival times within the last second, for the observed peak.
    window: VecDeque<Instant>,
    peak: u32,
    call_ids: HashMap<Endpoint, Vec<usize>>,
    /// Every arrival, oldest first: the request log tests read rates and holds from.
    arrivals: Vec<Instant>,
}

/// Thread-safe counters. Only authenticated requests to known endpoints are
/// counted per tenant; failed authentication only bumps `unauthorized()`.
#[derive(Default)]
pub struct Stats {
    tenants: Mutex<HashMap<String, TenantStats>>,
    /// Every tenant's arrivals within the last second, and the peak: what one Gong sees in all.
    all: Mutex<(VecDeque<Instant>, u32)>,
    unauthorized: AtomicU64,
}

/// Drops the arrivals a second or more before `now`, adds `now`, and returns how many remain.
fn rolling_second(window: &mut VecDeque<Instant>, now: Instant) -> u32 {
    while window
        .front()
        .is_some_and(|&at| now.duration_since(at) >= Duration::from_secs(1))
    {
        window.pop_front();
    }
    window.push_back(now);
    window.len() as u32
}

impl fmt::Debug for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stats")
            .field("unauthorized", &self.unauthorized())
            .finish_non_exhaustive()
    }
}

impl Stats {
    fn with<R>(&self, access_key: &str, f: impl FnOnce(&TenantStats) -> R) -> Option<R> {
        let map = self.tenants.lock().unwrap_or_else(|e| e.into_inner());
        map.get(access_key).map(f)
    }

    fn with_mut<R>(&self, access_key: &str, f: impl FnOnce(&mut TenantStats) -> R) -> R {
        let mut map = self.tenants.lock().unwrap_or_else(|e| e.into_inner());
        f(map.entry(access_key.to_string()).or_default())
    }

    /// Authenticated requests this tenant sent to `endpoint` (all outcomes).
    pub fn requests(&self, access_key: &str, endpoint: Endpoint) -> u64 {
        self.with(access_key, |t| {
            t.per_endpoint.get(&endpoint).copied().unwrap_or(0)
        })
        .unwrap_or(0)
    }

    /// Authenticated requests this tenant sent to any endpoint.
    pub fn total_requests(&self, access_key: &str) -> u64 {
        self.with(access_key, |t| t.total).unwrap_or(0)
    }

    /// 429s the rate limiter sent this tenant (scripted `Fault::TooManyRequests` not included).
    pub fn rate_limited(&self, access_key: &str) -> u64 {
        self.with(access_key, |t| t.rate_limited).unwrap_or(0)
    }

    /// Requests rejected with 401 (missing, malformed or wrong credentials).
    pub fn unauthorized(&self) -> u64 {
        self.unauthorized.load(Ordering::Relaxed)
    }

    /// Most requests from this tenant seen within any rolling one-second window
    /// (counting every authenticated request, including those answered 429).
    pub fn max_requests_in_any_second(&self, access_key: &str) -> u32 {
        self.with(access_key, |t| t.peak).unwrap_or(0)
    }

    /// Most requests from all tenants together within any rolling one-second window.
    pub fn max_requests_in_any_second_all_tenants(&self) -> u32 {
        self.all.lock().unwrap_or_else(|e| e.into_inner()).1
    }

    /// When each of this tenant's authenticated requests arrived, oldest first.
    pub fn arrivals(&self, access_key: &str) -> Vec<Instant> {
        self.with(access_key, |t| t.arrivals.clone())
            .unwrap_or_default()
    }

    /// Number of `filter.callIds` in the tenant's last parsed request to `endpoint`.
    pub fn last_call_ids_len(&self, access_key: &str, endpoint: Endpoint) -> Option<usize> {
        self.with(access_key, |t| {
            t.call_ids.get(&endpoint).and_then(|v| v.last().copied())
        })
        .flatten()
    }

    /// `filter.callIds` lengths of every parsed request to `endpoint`, oldest first.
    pub fn call_ids_lens(&self, access_key: &str, endpoint: Endpoint) -> Vec<usize> {
        self.with(access_key, |t| {
            t.call_ids.get(&endpoint).cloned().unwrap_or_default()
        })
        .unwrap_or_default()
    }

    pub fn reset(&self) {
        self.tenants
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        *self.all.lock().unwrap_or_else(|e| e.into_inner()) = Default::default();
        self.unauthorized.store(0, Ordering::Relaxed);
    }

    pub(crate) fn record_request(&self, access_key: &str, endpoint: Endpoint, now: Instant) {
        self.with_mut(access_key, |t| {
            *t.per_endpoint.entry(endpoint).or_default() += 1;
            t.total += 1;
            t.peak = t.peak.max(rolling_second(&mut t.window, now));
            t.arrivals.push(now);
        });
        let mut all = self.all.lock().unwrap_or_else(|e| e.into_inner());
        let in_window = rolling_second(&mut all.0, now);
        all.1 = all.1.max(in_window);
    }

    pub(crate) fn record_call_ids(&self, access_key: &str, endpoint: Endpoint, len: usize) {
        self.with_mut(access_key, |t| {
            t.call_ids.entry(endpoint).or_default().push(len)
        });
    }

    pub(crate) fn record_rate_limited(&self, access_key: &str) {
        self.with_mut(access_key, |t| t.rate_limited += 1);
    }

    pub(crate) fn record_unauthorized(&self) {
        self.unauthorized.fetch_add(1, Ordering::Relaxed);
    }
}
