//! A synthetic Fathom: an in-process fake of Fathom's public REST API (`/external/v1`) on
//! loopback, for `--demo` and the tests. Built from `shared/meetings/FATHOM-FIREFLIES.md`.
//!
//! Faithful to the facts:
//! - `X-Api-Key` authentication; a key sees only its own meetings.
//! - `GET /meetings`: newest first, cursor paging (`cursor` in, `next_cursor` out,
//!   `{items, next_cursor, limit}`), `created_after`/`created_before`, `calendar_invitees[]`,
//!   `calendar_invitees_domains[]`, `calendar_invitees_domains_type`, `recorded_by[]`, and
//!   `include_transcript`/`include_summary`/`include_action_items`/`include_crm_matches`.
//! - `GET /recordings/{id}/transcript` (`{transcript: [...]}`) and `/summary`
//!   (`{summary: {template_name, markdown_formatted}}`); no meeting by id, no search.
//! - 60 requests per 60 s per key; `RateLimit-Limit`/`-Remaining`/`-Reset` on every
//!   authenticated answer, 429 with `Retry-After` when spent.
//!
//! Choices where the facts are silent:
//! - Errors are `{"message": ...}` JSON; an unknown or another key's recording is 404.
//! - Pages hold `page_size` meetings (10 by default); a cursor names its tenant and filters, and
//!   is refused (400) with other filters or another key.
//! - Refused (429) requests do not count toward the limit.
//! - Scripted faults (`FathomFaults`) apply to authenticated requests and win over the limiter.
//!
//! The meetings share the synthetic Gong workspace's people (see `data`): the demo tenant's
//! colleagues and customer contacts meet on Fathom too, in other conversations.

mod api;
mod data;
mod faults;
mod limits;
mod wire;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use data::{FakeActionItem, FakeEntry, FakeInvitee, FakeMeeting};
pub use faults::{FathomEndpoint, FathomFault, FathomFaults, FathomStats};

use crate::demo::conn::{ConnHandle, KillableListener};

pub const DEMO_FATHOM_API_KEY: &str = "demo-fathom-api-key";

/// One Fathom account (an API key and the meetings it sees).
#[derive(Clone, Debug)]
pub struct FakeFathomTenant {
    pub api_key: String,
    /// The company whose people meet (as in the synthetic Gong workspace).
    pub company: String,
    /// The people's seed: the Gong demo tenant's, to meet the same people.
    pub people_seed: u64,
    /// The conversations' seed (other meetings than Gong's).
    pub conversation_seed: u64,
    /// Calls generated; dialer calls are dropped, so the meetings are somewhat fewer.
    pub calls: usize,
}

impl FakeFathomTenant {
    /// The Gong demo tenant's people in 120 calls' worth of other meetings.
    pub fn new(api_key: impl Into<String>, people_seed: u64, conversation_seed: u64) -> Self {
        Self {
            api_key: api_key.into(),
            company: crate::demo::DEMO_COMPANY.to_owned(),
            people_seed,
            conversation_seed,
            calls: 120,
        }
    }
}

#[derive(Clone, Debug)]
pub struct FakeFathomConfig {
    /// Default: one tenant with `DEMO_FATHOM_API_KEY`, the Gong demo's people.
    pub tenants: Vec<FakeFathomTenant>,
    /// Per key in any rolling 60 s; 0 = unlimited (Fathom's is 60).
    pub requests_per_minute: u32,
    pub page_size: usize,
    /// Meetings are generated over the 60 days before this instant.
    pub now: DateTime<Utc>,
}

impl Default for FakeFathomConfig {
    fn default() -> Self {
        Self {
            tenants: vec![FakeFathomTenant::new(
                DEMO_FATHOM_API_KEY,
                crate::demo::DEMO_SEED,
                crate::demo::DEMO_SEED + 1000,
            )],
            requests_per_minute: 60,
            page_size: 10,
            now: Utc::now(),
        }
    }
}

/// A running synthetic Fathom. Stops on `shutdown()` or, abruptly, when dropped.
pub struct FakeFathom {
    base_url: String,
    state: Arc<api::AppState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    stopped: Arc<AtomicBool>,
}

impl std::fmt::Debug for FakeFathom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeFathom")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl FakeFathom {
    pub async fn spawn(config: FakeFathomConfig) -> std::io::Result<Self> {
        let mut tenants = HashMap::new();
        for t in &config.tenants {
            if tenants.contains_key(&t.api_key) {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("duplicate fake Fathom API key {:?}", t.api_key),
                ));
            }
            let ws = crate::demo::companion_workspace(
                &t.company,
                t.people_seed,
                t.conversation_seed,
                t.calls,
                config.now,
            );
            let meetings = data::meetings(&ws, t.conversation_seed);
            let by_id = meetings
                .iter()
                .enumerate()
                .map(|(i, m)| (m.recording_id, i))
                .collect();
            tenants.insert(
                t.api_key.clone(),
                api::Tenant {
                    api_key: t.api_key.clone(),
                    tag: format!("t{}", tenants.len()),
                    meetings,
                    by_id,
                    limiter: limits::RateLimiter::new(config.requests_per_minute),
                },
            );
        }
        let state = Arc::new(api::AppState {
            tenants,
            stats: FathomStats::default(),
            faults: FathomFaults::default(),
            page_size: config.page_size.max(1),
        });
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let stopped = Arc::new(AtomicBool::new(false));
        let listener = KillableListener {
            listener,
            stopped: stopped.clone(),
        };
        let app = api::router(state.clone()).into_make_service_with_connect_info::<ConnHandle>();
        let (stop, stop_rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stop_rx.await;
            });
            if let Err(e) = serve.await {
                tracing::warn!(error = %e, "synthetic Fathom stopped with an error");
            }
        });
        Ok(Self {
            base_url: format!("http://{addr}{}", api::BASE_PATH),
            state,
            stop: Some(stop),
            task: Some(task),
            stopped,
        })
    }

    /// The API root, e.g. `http://127.0.0.1:PORT/external/v1` (no trailing slash).
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// A tenant's meetings, newest first: ground truth for tests.
    pub fn meetings(&self, api_key: &str) -> &[FakeMeeting] {
        self.state
            .tenants
            .get(api_key)
            .map(|t| t.meetings.as_slice())
            .unwrap_or_default()
    }

    pub fn stats(&self) -> &FathomStats {
        &self.state.stats
    }

    pub fn faults(&self) -> &FathomFaults {
        &self.state.faults
    }

    /// Forgets every key's rate-limit window.
    pub fn reset_rate_limits(&self) {
        self.state.tenants.values().for_each(|t| t.limiter.reset());
    }

    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
        self.stopped.store(true, Ordering::SeqCst);
    }
}

impl Drop for FakeFathom {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
