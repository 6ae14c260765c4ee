//! A built-in synthetic Gong workspace: an in-process HTTP server on loopback
//! that behaves like Gong's REST API v2 (auth, paging, 404-on-empty, 429s,
//! JSON shapes), for `gong-mcp serve --demo` and for every test and benchmark.
//!
//! Each tenant gets its own generated workspace (deterministic from its seed
//! and `now`); call ids follow the same sequence for every tenant on purpose
//! (`call_id_for_index`). Transcripts are generated on demand and never stored.
//!
//! Choices where Gong's behaviour is not documented:
//! - Routing comes before authentication: an unknown path is 404 and a wrong
//!   method 405 even without credentials.
//! - Rate limits count every authenticated request, including those answered
//!   429, so a client that ignores `Retry-After` stays locked out. The
//!   per-second `Retry-After` is therefore always 1; the daily one is the
//!   seconds until UTC midnight.
//! - Scripted faults apply to authenticated requests only and win over the
//!   rate limiter (the faulted request still counts toward the limits);
//!   `Delay` and `NullsEverywhere` then answer normally, 429 included.
//! - Cursors are base64url JSON (tenant hash, filter hash, offset, page,
//!   expiry one hour after the first page), refused with 400 for another
//!   tenant, other filter inputs (`contentSelector` may change), or after expiry.
//! - 200s are `application/json;charset=UTF-8`, errors
//!   `application/json; charset=utf-8`, as recorded from Gong.
//! - Empty optional fields are `null`, except `userId`/`speakerId` on parties,
//!   which are omitted as in Gong's own sample payload.

mod catalog;
pub(crate) mod conn;
mod content;
mod cursor;
mod data;
#[cfg(test)]
mod data_tests;
mod endpoints;
mod faults;
mod model;
mod parties;
mod phrases;
mod rate_limit;
mod rng;
mod server;
mod stats;
mod timeline;
mod transcript;
mod wire;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use data::call_id_for_index;
pub(crate) use data::generate as generate_workspace;
pub use endpoints::PAGE_SIZE;
pub use faults::{Fault, Faults};
pub use model::*;
pub use stats::{Endpoint, Stats};

pub const DEMO_ACCESS_KEY: &str = "demo-access-key";

/// The demo tenant's company and seed (its people); other synthetic recorders reuse them.
pub const DEMO_COMPANY: &str = "Northwind Analytics";
pub const DEMO_SEED: u64 = 42;

/// The same people as the workspace of (`company`, `people_seed`) (users, customer companies
/// and their contacts), in other conversations drawn from `conversation_seed`: what a second
/// recorder of the same company (the synthetic Fathom) holds. Calls are generated over the 60
/// days before `now`; `Workspace::transcript` gives their words.
pub fn companion_workspace(
    company: &str,
    people_seed: u64,
    conversation_seed: u64,
    calls: usize,
    now: DateTime<Utc>,
) -> Workspace {
    data::generate_with(company, people_seed, conversation_seed, calls, now)
}
pub const DEMO_ACCESS_SECRET: &str = "demo-access-secret";

/// One Gong company (tenant) served by the demo.
#[derive(Clone, Debug)]
pub struct DemoTenant {
    pub access_key: String,
    pub access_secret: String,
    /// The tenant's own company, e.g. "Northwind Analytics".
    pub company: String,
    pub seed: u64,
    pub calls: usize,
}

impl DemoTenant {
    /// A tenant with 300 calls.
    pub fn new(
        access_key: impl Into<String>,
        access_secret: impl Into<String>,
        company: impl Into<String>,
        seed: u64,
    ) -> Self {
        DemoTenant {
            access_key: access_key.into(),
            access_secret: access_secret.into(),
            company: company.into(),
            seed,
            calls: 300,
        }
    }

    pub fn with_calls(mut self, n: usize) -> Self {
        self.calls = n;
        self
    }
}

#[derive(Clone, Debug)]
pub struct DemoGongConfig {
    /// Default: one tenant with `DEMO_ACCESS_KEY` / `DEMO_ACCESS_SECRET`.
    pub tenants: Vec<DemoTenant>,
    /// Per tenant, in any rolling 1 s window; 0 = unlimited. Gong's default is 3.
    pub requests_per_second: u32,
    /// Per tenant per UTC day; `None` = unlimited (Gong's default is 10 000).
    pub daily_limit: Option<u32>,
    /// Calls are generated over the 60 days before this instant.
    pub now: DateTime<Utc>,
}

impl Default for DemoGongConfig {
    fn default() -> Self {
        DemoGongConfig {
            tenants: vec![DemoTenant::new(
                DEMO_ACCESS_KEY,
                DEMO_ACCESS_SECRET,
                DEMO_COMPANY,
                DEMO_SEED,
            )],
            requests_per_second: 3,
            daily_limit: None,
            now: Utc::now(),
        }
    }
}

/// A running fake Gong. Stops on `shutdown()` or, abruptly, when dropped:
/// requests on kept-alive connections then fail too.
pub struct DemoGong {
    base_url: String,
    state: Arc<server::AppState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    /// Fails every open connection's I/O once set.
    stopped: Arc<AtomicBool>,
}

impl std::fmt::Debug for DemoGong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoGong")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl DemoGong {
    /// Generates every tenant's workspace and serves them on 127.0.0.1 (random port).
    pub async fn spawn(config: DemoGongConfig) -> std::io::Result<DemoGong> {
        let mut tenants = HashMap::new();
        for t in &config.tenants {
            if tenants.contains_key(&t.access_key) {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("duplicate demo access key {:?}", t.access_key),
                ));
            }
            let workspace = Arc::new(data::generate(&t.company, t.seed, t.calls, config.now));
            tenants.insert(
                t.access_key.clone(),
                server::Tenant {
                    access_key: t.access_key.clone(),
                    access_secret: t.access_secret.clone(),
                    tag: cursor::short_hash(&t.access_key),
                    workspace,
                    limiter: rate_limit::RateLimiter::new(
                        config.requests_per_second,
                        config.daily_limit,
                    ),
                },
            );
        }
        let state = Arc::new(server::AppState {
            tenants,
            stats: Stats::default(),
            faults: Faults::default(),
        });
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let app =
            server::router(state.clone()).into_make_service_with_connect_info::<conn::ConnHandle>();
        let all_stopped = Arc::new(AtomicBool::new(false));
        let listener = conn::KillableListener {
            listener,
            stopped: all_stopped.clone(),
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                tracing::warn!(error = %e, "demo Gong server stopped with an error");
            }
        });
        Ok(DemoGong {
            base_url: format!("http://{addr}"),
            state,
            stop: Some(stop),
            task: Some(task),
            stopped: all_stopped,
        })
    }

    /// `http://127.0.0.1:PORT` (no trailing slash, no `/v2`).
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The tenant's generated data: ground truth for tests.
    pub fn workspace(&self, access_key: &str) -> Option<Arc<Workspace>> {
        self.state
            .tenants
            .get(access_key)
            .map(|t| t.workspace.clone())
    }

    pub fn stats(&self) -> &Stats {
        &self.state.stats
    }

    pub fn faults(&self) -> &Faults {
        &self.state.faults
    }

    /// Forgets every tenant's rate-limit window and daily count.
    pub fn reset_rate_limits(&self) {
        self.state.tenants.values().for_each(|t| t.limiter.reset());
    }

    /// Stops accepting, lets in-flight requests finish (up to 5 s), then
    /// fails any connection still open.
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

impl Drop for DemoGong {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
