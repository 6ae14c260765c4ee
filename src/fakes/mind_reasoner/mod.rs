//! A synthetic Mind Reasoner: an in-process fake of its public REST API (v1,
//! `/api/public/v1`) on loopback, plus a second listener on another port that
//! plays Google Cloud Storage for signed-URL uploads. Built from
//! `shared/mindreasoner/API-NOTES.md`, strict where the real service is
//! strict, for `--demo` and the tests.
//!
//! Faithful to the notes:
//! - Bearer API keys; every error is `{error, message, code, details}` JSON;
//!   429 carries `Retry-After` and `details.retryAfter`.
//! - Minds with digital twins and mind assessments in the documented shape;
//!   `POST /minds` answers `{mind, digitalTwin}` (the MCP tool page's shape).
//! - Signed upload URLs in GCS V4 form, valid for one hour, with the content
//!   type part of the signature (the field report's `SignatureDoesNotMatch`);
//!   the `PUT` goes to a different origin than the API.
//! - Snapshots from a multipart `file` (at most `max_direct_upload_bytes`,
//!   4 MB by default) or an uploaded `artifactId`, processed asynchronously:
//!   `pending`, `processing`, then `completed` or `failed`.
//! - `POST /simulate` with `selectedSimulationModel` required (v1).
//! - Only WebVTT, PDF and DOCX are accepted.
//!
//! Choices where the notes are silent (each module says more):
//! - Routing comes before authentication: unknown paths are 404 and wrong
//!   methods 405 (with `Allow`) without a key; a trailing slash is 404, never
//!   a redirect.
//! - Tenants are isolated completely: another tenant's mind, snapshot or
//!   artifact id is unknown (404, or 400 for an artifact). A signed URL is a
//!   bearer capability, as in GCS: whoever holds it can `PUT`.
//! - Ids are UUID-shaped, deterministic per tenant (`ids`). Timestamps are
//!   JavaScript ISO strings with milliseconds. `scope` is `"private"`,
//!   `isSelf` false, `socialMedia` null.
//! - Every tenant starts with three minds (`seed`): one trained on a call
//!   transcript, one whose only snapshot failed, one untrained.
//! - Training takes `snapshot_step` in each of `pending` and `processing`
//!   (1 s each by default, not the real 5 to 15 minutes). A snapshot fails
//!   when its artifact is empty or not readable as its type (`artifacts`). A
//!   completed snapshot adds its word count to the mind's `tokenCount`.
//! - Simulations answer deterministically with the trained cue that shares
//!   the most words with the message (`simulate`).
//! - Rate limit: `requests_per_second` per API key in any rolling second
//!   (Mind Reasoner publishes none), counting refused requests too;
//!   `Retry-After` is always 1. The storage listener has no rate limit.
//! - API bodies above `max_direct_upload_bytes` + 64 KiB are 413 JSON; storage
//!   bodies above `max_signed_upload_bytes` are 413 `EntityTooLarge` XML.
//! - Scripted faults (`MrFaults`) apply to authenticated requests (storage
//!   `PUT`s once their signed URL checks out) and win over the rate limiter.
//!
//! Test hooks beyond the API: `artifact`, `minds`, `stats`, `faults`, and
//! `advance_storage_clock` to make signed URLs expire.

mod api;
mod artifacts;
mod fault_response;
mod faults;
mod ids;
mod minds;
mod model;
mod rate_limit;
mod seed;
mod signing;
mod simulate;
mod snapshots;
mod state;
mod stats;
mod storage;
mod storage_errors;
mod wire;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use chrono::Utc;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use faults::{MrFault, MrFaults};
pub use stats::{MrEndpoint, MrStats};

use crate::demo::conn::{ConnHandle, KillableListener};
use crate::fakes::mind_reasoner::model::TenantData;
use crate::fakes::mind_reasoner::rate_limit::RateLimiter;
use crate::fakes::mind_reasoner::signing::Signer;
use crate::fakes::mind_reasoner::state::{AppState, Tenant};

pub const DEMO_MIND_REASONER_API_KEY: &str = "demo-mind-reasoner-key";

/// One Mind Reasoner organisation (tenant) served by the fake.
#[derive(Clone, Debug)]
pub struct FakeMrTenant {
    pub api_key: String,
    /// The organisation's name, e.g. "Northwind"; the seeded minds' emails use it.
    pub label: String,
}

impl FakeMrTenant {
    pub fn new(api_key: impl Into<String>, label: impl Into<String>) -> Self {
        FakeMrTenant {
            api_key: api_key.into(),
            label: label.into(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct FakeMindReasonerConfig {
    /// Default: one tenant with `DEMO_MIND_REASONER_API_KEY`, "Northwind".
    pub tenants: Vec<FakeMrTenant>,
    /// Time spent in each of `pending` and `processing` (default 1 s, so a
    /// snapshot completes after about 2 s).
    pub snapshot_step: Duration,
    /// Limit of a multipart `file` (default 4 MiB; 413 above).
    pub max_direct_upload_bytes: usize,
    /// Limit of a signed-URL `PUT` (default 50 MiB; 413 above).
    pub max_signed_upload_bytes: usize,
    /// Per API key in any rolling second; 0 = unlimited (default 10; 429 above).
    pub requests_per_second: u32,
}

impl Default for FakeMindReasonerConfig {
    fn default() -> Self {
        FakeMindReasonerConfig {
            tenants: vec![FakeMrTenant::new(DEMO_MIND_REASONER_API_KEY, "Northwind")],
            snapshot_step: Duration::from_secs(1),
            max_direct_upload_bytes: 4 * 1024 * 1024,
            max_signed_upload_bytes: 50 * 1024 * 1024,
            requests_per_second: 10,
        }
    }
}

/// A running fake Mind Reasoner (API and storage listeners). Stops on
/// `shutdown()` or, abruptly, when dropped.
pub struct FakeMindReasoner {
    base_url: String,
    storage_origin: String,
    state: Arc<AppState>,
    /// Set to `true` to stop both listeners gracefully.
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    /// Fails every open connection's I/O once set.
    stopped: Arc<AtomicBool>,
}

impl std::fmt::Debug for FakeMindReasoner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeMindReasoner")
            .field("base_url", &self.base_url)
            .field("storage_origin", &self.storage_origin)
            .finish_non_exhaustive()
    }
}

fn serve(
    listener: TcpListener,
    app: axum::Router,
    stopped: Arc<AtomicBool>,
    stop: watch::Receiver<bool>,
    what: &'static str,
) -> JoinHandle<()> {
    let listener = KillableListener { listener, stopped };
    let app = app.into_make_service_with_connect_info::<ConnHandle>();
    tokio::spawn(async move {
        let mut stop = stop;
        let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = stop.wait_for(|s| *s).await;
        });
        if let Err(e) = serve.await {
            tracing::warn!(error = %e, listener = what, "fake Mind Reasoner stopped with an error");
        }
    })
}

impl FakeMindReasoner {
    /// Seeds every tenant and serves the API and the storage on two random
    /// ports of 127.0.0.1.
    pub async fn spawn(config: FakeMindReasonerConfig) -> std::io::Result<Self> {
        let storage_listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let storage_addr = storage_listener.local_addr()?;
        let api_listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let api_addr = api_listener.local_addr()?;

        let now = Utc::now();
        let mut tenants = HashMap::new();
        let mut by_tag = HashMap::new();
        for t in &config.tenants {
            if tenants.contains_key(&t.api_key) {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("duplicate fake Mind Reasoner API key {:?}", t.api_key),
                ));
            }
            let tag = ids::tenant_tag(&t.api_key);
            let mut data = TenantData::new(&tag);
            seed::seed(&mut data, &t.label, now);
            by_tag.insert(tag.clone(), t.api_key.clone());
            tenants.insert(
                t.api_key.clone(),
                Tenant::new(
                    &t.api_key,
                    tag,
                    RateLimiter::new(config.requests_per_second),
                    data,
                ),
            );
        }
        let state = Arc::new(AppState {
            tenants,
            by_tag,
            signer: Signer::new(storage_addr.to_string()),
            stats: MrStats::default(),
            faults: MrFaults::default(),
            snapshot_step: config.snapshot_step,
            max_direct_upload_bytes: config.max_direct_upload_bytes,
            max_signed_upload_bytes: config.max_signed_upload_bytes,
            storage_clock_offset_secs: AtomicI64::new(0),
        });

        let stopped = Arc::new(AtomicBool::new(false));
        let (stop_tx, stop_rx) = watch::channel(false);
        let tasks = vec![
            serve(
                api_listener,
                api::router(state.clone()),
                stopped.clone(),
                stop_rx.clone(),
                "api",
            ),
            serve(
                storage_listener,
                storage::router(state.clone()),
                stopped.clone(),
                stop_rx,
                "storage",
            ),
        ];
        Ok(FakeMindReasoner {
            base_url: format!("http://{api_addr}{}", api::BASE_PATH),
            storage_origin: format!("http://{storage_addr}"),
            state,
            stop: stop_tx,
            tasks,
            stopped,
        })
    }

    /// API root, e.g. `http://127.0.0.1:PORT/api/public/v1` (no trailing slash).
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// Origin of the storage listener signed URLs point at, `http://127.0.0.1:PORT2`
    /// (another port than the API's: it plays Google Cloud Storage).
    pub fn storage_origin(&self) -> String {
        self.storage_origin.clone()
    }

    pub fn faults(&self) -> &MrFaults {
        &self.state.faults
    }

    pub fn stats(&self) -> &MrStats {
        &self.state.stats
    }

    /// The bytes stored for an artifact of that tenant (uploaded by signed-URL
    /// `PUT` or multipart `file`) and their content type.
    pub fn artifact(&self, api_key: &str, artifact_id: &str) -> Option<(Vec<u8>, String)> {
        let tenant = self.state.tenants.get(api_key)?;
        let data = tenant.data();
        data.artifacts.get(artifact_id)?.stored.clone()
    }

    /// All minds of a tenant (ground truth for tests), in creation order, as
    /// `GET /minds` shows them; empty for an unknown key.
    pub fn minds(&self, api_key: &str) -> Vec<serde_json::Value> {
        self.state
            .tenants
            .get(api_key)
            .map(|t| t.data().minds_json(self.state.clock()))
            .unwrap_or_default()
    }

    /// Moves the storage listener's clock forward, so signed URLs issued
    /// earlier expire as if that much time had passed (a test hook).
    pub fn advance_storage_clock(&self, by: Duration) {
        storage::advance_clock(&self.state, by);
    }

    /// Stops accepting, lets in-flight requests finish (up to 5 s), then
    /// fails any connection still open.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for mut task in std::mem::take(&mut self.tasks) {
            if tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
        self.stopped.store(true, Ordering::SeqCst);
    }
}

impl Drop for FakeMindReasoner {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        for task in &self.tasks {
            task.abort();
        }
    }
}
