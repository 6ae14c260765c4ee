//! A synthetic Fireflies: an in-process fake of its GraphQL API (`POST /graphql`) on loopback,
//! built from `shared/meetings/FATHOM-FIREFLIES.md`, strict where a GraphQL server is strict, for
//! `--demo` and the tests.
//!
//! Faithful to the facts:
//! - `Authorization: Bearer <key>`; errors are GraphQL `errors[]` with `extensions.code`
//!   (`auth_failed`, `object_not_found`, `args_required`, `invalid_arguments`,
//!   `too_many_requests` with `extensions.metadata.retryAfter` as a Unix time in ms), often
//!   under HTTP 200.
//! - `transcripts(keyword, scope: title|sentences|all, fromDate, toDate, limit ≤ 50, skip,
//!   organizers, participants, host_email, …)` newest first; `transcript(id:)` with sentences
//!   (seconds), speakers, attendees, summary and analytics.
//! - Plan limits per key: per minute (default 60, Business) and per UTC day (default none;
//!   Free and Pro: 50).
//!
//! Choices where the facts are silent (each module says more): the query text is parsed
//! (`graphql`) and validated against the served part of the schema (`schema`), so an unknown
//! field or argument is a validation error (HTTP 400); the meetings are the Gong demo
//! workspace's of the same company (`data`), so people, customers and words are shared.
//!
//! Test hooks beyond the API: `meetings` (ground truth), `requests`, `faults`, `reset_limits`.

mod data;
mod execute;
mod faults;
mod graphql;
mod limits;
mod schema;
mod server;

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use data::{FfSentence, Meeting};
pub use faults::{FfFault, FfFaults};

/// The key of the demo's Fireflies account (`serve --demo`, `stdio --demo`).
pub const DEMO_FIREFLIES_API_KEY: &str = "demo-fireflies-key";

/// One Fireflies account served by the fake.
#[derive(Clone, Debug)]
pub struct FakeFfTenant {
    pub api_key: String,
    /// The company, as in the Gong demo (its people and customers are shared).
    pub company: String,
    pub seed: u64,
    /// Calls of the underlying Gong workspace (about a third become Fireflies meetings).
    pub calls: usize,
}

impl FakeFfTenant {
    pub fn new(api_key: impl Into<String>, company: impl Into<String>, seed: u64) -> Self {
        Self {
            api_key: api_key.into(),
            company: company.into(),
            seed,
            calls: 300,
        }
    }
}

#[derive(Clone, Debug)]
pub struct FakeFirefliesConfig {
    /// Default: one tenant with `DEMO_FIREFLIES_API_KEY`, "Northwind Analytics" (the Gong
    /// demo's company and seed).
    pub tenants: Vec<FakeFfTenant>,
    /// Per key in any rolling minute; 0 = unlimited (default 60).
    pub requests_per_minute: u32,
    /// Per key per UTC day; 0 = unlimited (default).
    pub requests_per_day: u32,
    /// Meetings are generated over the 60 days before this instant.
    pub now: DateTime<Utc>,
}

impl Default for FakeFirefliesConfig {
    fn default() -> Self {
        Self {
            tenants: vec![FakeFfTenant::new(
                DEMO_FIREFLIES_API_KEY,
                "Northwind Analytics",
                42,
            )],
            requests_per_minute: 60,
            requests_per_day: 0,
            now: Utc::now(),
        }
    }
}

pub(crate) struct Tenant {
    pub api_key: String,
    pub meetings: Vec<Arc<Meeting>>,
    pub limits: limits::Limits,
    /// Every authenticated request, refused or not.
    pub requests: AtomicU64,
    /// Requests the limits let through.
    pub admitted: AtomicU64,
}

pub(crate) struct AppState {
    pub tenants: Vec<Tenant>,
    pub faults: FfFaults,
}

pub struct FakeFireflies {
    url: String,
    state: Arc<AppState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl FakeFireflies {
    pub async fn spawn(config: FakeFirefliesConfig) -> std::io::Result<Self> {
        let mut tenants = Vec::new();
        for t in &config.tenants {
            if tenants.iter().any(|x: &Tenant| x.api_key == t.api_key) {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "duplicate Fireflies API key",
                ));
            }
            let ws = crate::demo::generate_workspace(&t.company, t.seed, t.calls, config.now);
            tenants.push(Tenant {
                api_key: t.api_key.clone(),
                meetings: data::meetings(&ws, t.seed),
                limits: limits::Limits::new(config.requests_per_minute, config.requests_per_day),
                requests: AtomicU64::new(0),
                admitted: AtomicU64::new(0),
            });
        }
        let state = Arc::new(AppState {
            tenants,
            faults: FfFaults::default(),
        });
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let app = server::router(Arc::clone(&state));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                tracing::warn!(error = %e, "synthetic Fireflies stopped with an error");
            }
        });
        Ok(Self {
            url: format!("http://{addr}/graphql"),
            state,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The GraphQL endpoint, `http://127.0.0.1:PORT/graphql`.
    pub fn api_url(&self) -> String {
        self.url.clone()
    }

    fn tenant(&self, api_key: &str) -> Option<&Tenant> {
        self.state.tenants.iter().find(|t| t.api_key == api_key)
    }

    /// The account's meetings, newest first: ground truth for tests.
    pub fn meetings(&self, api_key: &str) -> Vec<Arc<Meeting>> {
        self.tenant(api_key)
            .map(|t| t.meetings.clone())
            .unwrap_or_default()
    }

    /// Authenticated requests this account sent (refused ones included).
    pub fn requests(&self, api_key: &str) -> u64 {
        self.tenant(api_key)
            .map_or(0, |t| t.requests.load(std::sync::atomic::Ordering::SeqCst))
    }

    pub fn faults(&self) -> &FfFaults {
        &self.state.faults
    }

    /// Forgets every account's per-minute window and daily count.
    pub fn reset_limits(&self) {
        self.state.tenants.iter().for_each(|t| t.limits.reset());
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
    }
}

impl Drop for FakeFireflies {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
