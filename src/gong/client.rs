//! A Gong client for one tool call of one tenant: the three endpoints the tools read, each through
//! the tenant's cache, request coalescing, pacing and bounded retries.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::DeserializeOwned;
use serde_json::json;
use tokio::time::Instant;

use super::cache::{CacheKey, Cached};
use super::credentials::GongCredentials;
use super::error::GongError;
use super::service::{GongShared, RequestKey, TenantState};
use super::transport::{self, Endpoint, Outcome};
use super::types::{CallTranscript, CallsPage, ExtensiveCall, ExtensivePage, TranscriptPage};

/// Gong's fixed page size, and the batch size used for `callIds` filters.
pub const MAX_CALL_IDS_PER_REQUEST: usize = 100;

const MAX_RETRIES: u32 = 4;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListCallsQuery {
    pub from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub to: Option<DateTime<Utc>>,
    pub workspace_id: Option<String>,
    pub cursor: Option<String>,
}

impl ListCallsQuery {
    fn to_query_string(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        let fmt = |d: &DateTime<Utc>| d.to_rfc3339_opts(SecondsFormat::Secs, true);
        if let Some(from) = &self.from {
            q.append_pair("fromDateTime", &fmt(from));
        }
        if let Some(to) = &self.to {
            q.append_pair("toDateTime", &fmt(to));
        }
        if let Some(ws) = &self.workspace_id {
            q.append_pair("workspaceId", ws);
        }
        if let Some(cursor) = &self.cursor {
            q.append_pair("cursor", cursor);
        }
        q.finish()
    }
}

pub struct GongClient {
    shared: Arc<GongShared>,
    credentials: Arc<GongCredentials>,
    tenant: Arc<TenantState>,
    deadline: Deadline,
}

/// When a tool call must be done, and its whole budget (for messages).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    at: Instant,
    budget: Duration,
}

impl GongClient {
    pub(crate) fn new(
        shared: Arc<GongShared>,
        credentials: Arc<GongCredentials>,
        tenant: Arc<TenantState>,
        budget: Duration,
    ) -> Self {
        Self {
            shared,
            credentials,
            tenant,
            deadline: Deadline {
                at: Instant::now() + budget,
                budget,
            },
        }
    }

    /// One page (up to 100 calls) of `GET /v2/calls`. Gong's 404 "No calls found" is an empty page.
    pub async fn list_calls(&self, query: &ListCallsQuery) -> Result<Arc<CallsPage>, GongError> {
        let input = query.to_query_string();
        let key = CacheKey::CallsPage(input.clone());
        if let Some(Cached::CallsPage(page)) = self.cache_get(key.clone()) {
            return Ok(page);
        }
        let Some(body) = self.fetch(Endpoint::ListCalls, input).await? else {
            return Ok(Arc::default());
        };
        let page: Arc<CallsPage> = Arc::new(decode(&body)?);
        self.cache_put(key, Cached::CallsPage(Arc::clone(&page)), body.len());
        Ok(page)
    }

    /// Extensive data (metadata, parties, content, interaction, CRM context) of the given calls,
    /// keyed by call id. Cached calls cost nothing; the rest are fetched 100 ids per request.
    /// Unknown ids are simply absent from the result.
    pub async fn calls_extensive(
        &self,
        call_ids: &[String],
    ) -> Result<HashMap<String, Arc<ExtensiveCall>>, GongError> {
        let mut found = HashMap::new();
        let mut missing = Vec::new();
        for id in call_ids {
            if found.contains_key(id) || missing.contains(id) {
                continue;
            }
            match self.cache_get(CacheKey::Call(id.clone())) {
                Some(Cached::Call(call)) => {
                    found.insert(id.clone(), call);
                }
                _ => missing.push(id.clone()),
            }
        }
        let batches = missing
            .chunks(MAX_CALL_IDS_PER_REQUEST)
            .map(|batch| self.fetch_extensive_batch(batch));
        for calls in futures::future::try_join_all(batches).await? {
            found.extend(calls.into_iter().map(|c| (c.meta_data.id.clone(), c)));
        }
        Ok(found)
    }

    async fn fetch_extensive_batch(
        &self,
        call_ids: &[String],
    ) -> Result<Vec<Arc<ExtensiveCall>>, GongError> {
        let mut calls = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut body = json!({
                "filter": { "callIds": call_ids },
                "contentSelector": {
                    // Extended: CRM objects with their field values (account, opportunity names).
                    "context": "Extended",
                    "exposedFields": {
                        "parties": true,
                        "content": {
                            "structure": true, "topics": true, "trackers": true, "brief": true,
                            "outline": true, "highlights": true, "callOutcome": true, "keyPoints": true
                        },
                        "interaction": { "speakers": true, "personInteractionStats": true, "questions": true }
                    }
                }
            });
            if let Some(c) = &cursor {
                body["cursor"] = json!(c);
            }
            let Some(bytes) = self
                .fetch(Endpoint::CallsExtensive, body.to_string())
                .await?
            else {
                break;
            };
            let page: ExtensivePage = decode(&bytes)?;
            let share = bytes.len() / page.calls.len().max(1);
            for call in page.calls {
                if call.meta_data.id.is_empty() {
                    continue;
                }
                let call = Arc::new(call);
                self.cache_put(
                    CacheKey::Call(call.meta_data.id.clone()),
                    Cached::Call(Arc::clone(&call)),
                    share,
                );
                calls.push(call);
            }
            match page.records.cursor {
                Some(next) if cursor.as_ref() != Some(&next) => cursor = Some(next),
                _ => break,
            }
        }
        Ok(calls)
    }

    /// The transcript of one call (speaker ids only; join them with the call's parties).
    /// `None` if Gong has no transcript for that id.
    pub async fn transcript(
        &self,
        call_id: &str,
    ) -> Result<Option<Arc<CallTranscript>>, GongError> {
        let key = CacheKey::Transcript(call_id.to_owned());
        if let Some(Cached::Transcript(t)) = self.cache_get(key.clone()) {
            return Ok(Some(t));
        }
        let body = json!({ "filter": { "callIds": [call_id] } }).to_string();
        let Some(bytes) = self.fetch(Endpoint::Transcript, body).await? else {
            return Ok(None);
        };
        let page: TranscriptPage = decode(&bytes)?;
        let Some(transcript) = page
            .call_transcripts
            .into_iter()
            .find(|t| t.call_id == call_id)
        else {
            return Ok(None);
        };
        let transcript = Arc::new(transcript);
        self.cache_put(
            key,
            Cached::Transcript(Arc::clone(&transcript)),
            bytes.len(),
        );
        Ok(Some(transcript))
    }

    fn cache_get(&self, key: CacheKey) -> Option<Cached> {
        self.shared.cache.get(self.credentials.tenant(), key)
    }

    fn cache_put(&self, key: CacheKey, value: Cached, bytes: usize) {
        self.shared
            .cache
            .insert(self.credentials.tenant(), key, value, bytes);
    }

    /// One logical request: joined with an identical in-flight one of the same tenant, else paced
    /// and retried until it succeeds, fails for good, or the deadline would pass.
    /// `Ok(None)` is Gong's "No calls found" 404.
    async fn fetch(&self, endpoint: Endpoint, input: String) -> Result<Option<Bytes>, GongError> {
        let key = RequestKey {
            tenant: self.credentials.tenant(),
            endpoint: endpoint.name(),
            input: input.clone(),
        };
        let shared = Arc::clone(&self.shared);
        let credentials = Arc::clone(&self.credentials);
        let tenant = Arc::clone(&self.tenant);
        let deadline = self.deadline;
        let (result, joined) = self
            .shared
            .in_flight
            .run(key, move || async move {
                send_with_retries(&shared, &credentials, &tenant, deadline, endpoint, &input)
                    .await
                    .map(|outcome| match outcome {
                        Outcome::Body(b) => b,
                        Outcome::NoCalls => Bytes::new(),
                    })
            })
            .await;
        if joined {
            metrics::counter!("gong_requests_coalesced_total", "endpoint" => endpoint.name())
                .increment(1);
        }
        // An empty body stands for "No calls found" (a real success body is never empty).
        result.map(|b| (!b.is_empty()).then_some(b))
    }
}

async fn send_with_retries(
    shared: &GongShared,
    credentials: &GongCredentials,
    tenant: &TenantState,
    deadline: Deadline,
    endpoint: Endpoint,
    input: &str,
) -> Result<Outcome, GongError> {
    let mut retries = 0;
    loop {
        let waited =
            tenant
                .pacer
                .acquire(deadline.at)
                .await
                .map_err(|e| GongError::RateLimited {
                    retry_after: e.wait,
                })?;
        metrics::histogram!("gong_limiter_wait_seconds").record(waited.as_secs_f64());
        let now = Instant::now();
        let remaining = deadline.at.saturating_duration_since(now);
        if remaining.is_zero() {
            return Err(GongError::Timeout(deadline.budget));
        }
        let error = match transport::send(shared, credentials, endpoint, input, remaining).await {
            Ok(outcome) => return Ok(outcome),
            Err(transport::SendError::Timeout) => {
                return Err(GongError::Timeout(deadline.budget));
            }
            Err(transport::SendError::Gong(e)) => e,
        };
        let wait = match &error {
            GongError::RateLimited { retry_after } => {
                // Everyone of this tenant waits, not only this request.
                tenant.pacer.hold_until(Instant::now() + *retry_after);
                *retry_after
            }
            e if e.is_retryable() => backoff(retries),
            _ => return Err(error),
        };
        if retries >= MAX_RETRIES || Instant::now() + wait >= deadline.at {
            return Err(error);
        }
        retries += 1;
        metrics::counter!("gong_retries_total", "endpoint" => endpoint.name(), "reason" => error.kind())
            .increment(1);
        tracing::debug!(
            endpoint = endpoint.name(),
            reason = error.kind(),
            wait_ms = wait.as_millis() as u64,
            "retrying Gong request"
        );
        if !matches!(error, GongError::RateLimited { .. }) {
            tokio::time::sleep(wait).await;
        }
    }
}

/// Full-jitter exponential backoff: 0..(250 ms × 2^n), capped at 4 s.
fn backoff(retries: u32) -> Duration {
    let ceiling = Duration::from_millis(250 * (1 << retries.min(4))).min(Duration::from_secs(4));
    ceiling.mul_f64(rand::random::<f64>())
}

fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, GongError> {
    serde_json::from_slice(body).map_err(|e| GongError::Malformed {
        detail: format!("invalid JSON: {e}"),
        request_id: None,
    })
}
