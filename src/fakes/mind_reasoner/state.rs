//! What both listeners share: the tenants (each with its own data and rate
//! limiter), the signing key, counters, scripted faults and limits.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;

use crate::fakes::mind_reasoner::faults::MrFaults;
use crate::fakes::mind_reasoner::model::{Clock, TenantData};
use crate::fakes::mind_reasoner::rate_limit::RateLimiter;
use crate::fakes::mind_reasoner::signing::Signer;
use crate::fakes::mind_reasoner::stats::MrStats;

pub(crate) struct Tenant {
    pub api_key: String,
    /// Names the tenant's folder in the storage bucket.
    pub tag: String,
    pub limiter: RateLimiter,
    data: Mutex<TenantData>,
}

impl Tenant {
    pub(crate) fn new(api_key: &str, tag: String, limiter: RateLimiter, data: TenantData) -> Self {
        Tenant {
            api_key: api_key.to_string(),
            tag,
            limiter,
            data: Mutex::new(data),
        }
    }

    /// Never held across an `.await`.
    pub(crate) fn data(&self) -> MutexGuard<'_, TenantData> {
        self.data.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub(crate) struct AppState {
    /// By API key.
    pub tenants: HashMap<String, Tenant>,
    /// Tenant tag → API key.
    pub by_tag: HashMap<String, String>,
    pub signer: Signer,
    pub stats: MrStats,
    pub faults: MrFaults,
    pub snapshot_step: Duration,
    pub max_direct_upload_bytes: usize,
    pub max_signed_upload_bytes: usize,
    /// Added to the storage listener's wall clock (a test hook for expiry).
    pub storage_clock_offset_secs: AtomicI64,
}

impl AppState {
    pub(crate) fn clock(&self) -> Clock {
        Clock {
            step: self.snapshot_step,
            now: Instant::now(),
        }
    }

    pub(crate) fn tenant_by_tag(&self, tag: &str) -> Option<&Tenant> {
        self.by_tag.get(tag).and_then(|k| self.tenants.get(k))
    }

    /// The time the storage listener judges expiry by.
    pub(crate) fn storage_now(&self) -> DateTime<Utc> {
        Utc::now()
            + chrono::Duration::seconds(self.storage_clock_offset_secs.load(Ordering::Relaxed))
    }
}
