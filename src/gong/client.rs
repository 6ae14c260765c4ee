//! A Gong client for one tool call of one tenant: the three endpoints the tools read, each through
//! the tenant's cache, request coalescing, pacing and bounded retries.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, SecondsFormat, Utc};
use futures::FutureExt;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::batch::{BatchResult, BatchTicket};
use super::cache::{CacheKey, Cached};
use super::credentials::GongCredentials;
use super::error::GongError;
use super::service::{GongShared, RequestKey, TenantState};
use super::transport::{self, Endpoint, Outcome};
use super::types::{CallTranscript, CallsPage, ExtensiveCall, ExtensivePage, TranscriptPage};
use crate::upstream::Deadline;
use crate::upstream::retry;

/// Gong's fixed page size, and the batch size used for `callIds` filters.
pub const MAX_CALL_IDS_PER_REQUEST: usize = 100;

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
    ctx: Arc<CallContext>,
}

/// Everything a request of this tool call needs, shareable with batch futures that outlive it.
struct CallContext {
    shared: Arc<GongShared>,
    credentials: Arc<GongCredentials>,
    tenant: Arc<TenantState>,
    deadline: Deadline,
    /// Requests this tool call sent to Gong (attempts, retries included), for answers that
    /// report what they cost.
    sent: std::sync::atomic::AtomicU32,
}

/// Whether a request already holds its pacing slot (a batch waits for it before closing).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Held,
    Needed,
}

impl GongClient {
    pub(crate) fn new(
        shared: Arc<GongShared>,
        credentials: Arc<GongCredentials>,
        tenant: Arc<TenantState>,
        budget: Duration,
    ) -> Self {
        let deadline = Deadline::after(budget);
        Self {
            ctx: Arc::new(CallContext {
                shared,
                credentials,
                tenant,
                deadline,
                sent: std::sync::atomic::AtomicU32::new(0),
            }),
        }
    }

    /// The company's Gong requests today (UTC) through this service (fleet-wide in a fleet).
    pub async fn spent_today(&self) -> u64 {
        self.ctx.tenant.pacer.spent_today_fresh().await
    }

    /// The operator's daily budget for expensive work.
    pub fn daily_budget(&self) -> crate::fleet::DailyBudget {
        self.ctx.shared.settings.daily_budget
    }

    /// Gong requests this client has sent so far (each attempt counts; cached and coalesced
    /// answers cost none).
    pub fn requests_sent(&self) -> u32 {
        self.ctx.sent.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// One page (up to 100 calls) of `GET /v2/calls`. Gong's 404 "No calls found" is an empty page.
    pub async fn list_calls(&self, query: &ListCallsQuery) -> Result<Arc<CallsPage>, GongError> {
        let ctx = &self.ctx;
        let input = query.to_query_string();
        let key = CacheKey::CallsPage(input.clone());
        if let Some(Cached::CallsPage(page)) = ctx.cache_get(key.clone()) {
            return Ok(page);
        }
        let request = RequestKey {
            tenant: ctx.credentials.tenant(),
            endpoint: Endpoint::ListCalls.name(),
            input: input.clone(),
        };
        let work = Arc::clone(ctx);
        let (result, joined) = ctx
            .shared
            .in_flight
            .run(request, move || async move {
                work.send(Endpoint::ListCalls, &input, Slot::Needed).await
            })
            .await;
        if joined {
            metrics::counter!("gong_requests_coalesced_total", "endpoint" => Endpoint::ListCalls.name())
                .increment(1);
        }
        let Some(body) = result? else {
            return Ok(Arc::default());
        };
        let page: Arc<CallsPage> = Arc::new(decode(&body)?);
        ctx.cache_put(key, Cached::CallsPage(Arc::clone(&page)), body.len());
        Ok(page)
    }

    /// Extensive data (metadata, parties, content, interaction, CRM context) of the given calls,
    /// keyed by call id. Cached calls cost nothing; the rest ride in batches of up to 100 ids,
    /// shared with concurrent tool calls of the same tenant. Unknown ids are absent.
    pub async fn calls_extensive(
        &self,
        call_ids: &[String],
    ) -> Result<HashMap<String, Arc<ExtensiveCall>>, GongError> {
        let ctx = &self.ctx;
        let mut found = HashMap::new();
        let mut missing = Vec::new();
        for id in call_ids {
            if found.contains_key(id) || missing.contains(id) {
                continue;
            }
            match ctx.cache_get(CacheKey::Call(id.clone())) {
                Some(Cached::Call(call)) => {
                    found.insert(id.clone(), call);
                }
                _ => missing.push(id.clone()),
            }
        }
        ctx.shared_lookup(&mut missing, &mut found).await;
        if !missing.is_empty() {
            let fetched = ctx
                .tenant
                .extensive
                .load(&missing, |ticket| {
                    let ctx = Arc::clone(ctx);
                    async move { ctx.extensive_batch(ticket).await }.boxed()
                })
                .await?;
            found.extend(fetched);
        }
        Ok(found)
    }

    /// The transcript of one call (speaker ids only; join them with the call's parties).
    /// `None` if Gong has no transcript for that id. Concurrent calls share batched requests.
    pub async fn transcript(
        &self,
        call_id: &str,
    ) -> Result<Option<Arc<CallTranscript>>, GongError> {
        let ctx = &self.ctx;
        let key = CacheKey::Transcript(call_id.to_owned());
        if let Some(Cached::Transcript(t)) = ctx.cache_get(key) {
            return Ok(Some(t));
        }
        let (mut missing, mut found) = (vec![call_id.to_owned()], HashMap::new());
        ctx.shared_lookup(&mut missing, &mut found).await;
        if let Some(t) = found.remove(call_id) {
            return Ok(Some(t));
        }
        let mut fetched = ctx
            .tenant
            .transcripts
            .load(&[call_id.to_owned()], |ticket| {
                let ctx = Arc::clone(ctx);
                async move { ctx.transcript_batch(ticket).await }.boxed()
            })
            .await?;
        Ok(fetched.remove(call_id))
    }
}

impl CallContext {
    fn cache_get(&self, key: CacheKey) -> Option<Cached> {
        self.shared.cache.get(self.credentials.tenant(), key)
    }

    fn cache_put(&self, key: CacheKey, value: Cached, bytes: usize) {
        if let Some(shared) = &self.tenant.shared_cache {
            match (&key, &value) {
                (CacheKey::Transcript(id), Cached::Transcript(t)) => {
                    shared.put(CallTranscript::KIND, id, Arc::clone(t));
                }
                (CacheKey::Call(id), Cached::Call(c)) => {
                    shared.put(ExtensiveCall::KIND, id, Arc::clone(c));
                }
                _ => {}
            }
        }
        self.shared
            .cache
            .insert(self.credentials.tenant(), key, value, bytes);
    }

    /// Fleet mode: moves the `missing` ids found in Redis into `found` (and into the
    /// in-process cache).
    async fn shared_lookup<T: Shareable>(
        &self,
        missing: &mut Vec<String>,
        found: &mut HashMap<String, Arc<T>>,
    ) {
        let Some(shared) = &self.tenant.shared_cache else {
            return;
        };
        if missing.is_empty() {
            return;
        }
        let values = shared.get_many(T::KIND, missing).await;
        let mut values = values.into_iter();
        missing.retain(|id| {
            let Some(json) = values.next().flatten() else {
                return true;
            };
            let Ok(value) = serde_json::from_slice::<T>(&json) else {
                return true;
            };
            let value = Arc::new(value);
            found.insert(id.clone(), Arc::clone(&value));
            self.shared.cache.insert(
                self.credentials.tenant(),
                T::key(id.clone()),
                T::cached(value),
                json.len(),
            );
            false
        });
    }

    /// Pacing and retries of one request to `endpoint`: every Gong request is a read.
    fn request(&self, endpoint: Endpoint) -> retry::Request<'_> {
        retry::Request {
            upstream: "gong",
            endpoint: endpoint.name(),
            pacer: &self.tenant.pacer,
            deadline: self.deadline,
            idempotent: true,
        }
    }

    /// Waits for the tenant's next pacing slot, or fails at once if it lies past the deadline.
    async fn acquire_slot(&self, endpoint: Endpoint) -> Result<(), GongError> {
        self.request(endpoint).acquire_slot().await
    }

    /// One batch of `POST /v2/calls/extensive`: waits for the slot, closes the batch, fetches all
    /// pages, caches every call.
    async fn extensive_batch(
        &self,
        ticket: BatchTicket<ExtensiveCall>,
    ) -> BatchResult<ExtensiveCall> {
        self.acquire_slot(Endpoint::CallsExtensive).await?;
        let ids = ticket.close();
        let result = self.fetch_extensive(&ids).await;
        ticket.finish(&ids);
        result.map(Arc::new)
    }

    async fn fetch_extensive(
        &self,
        call_ids: &[String],
    ) -> Result<HashMap<String, Arc<ExtensiveCall>>, GongError> {
        let mut calls = HashMap::with_capacity(call_ids.len());
        let mut cursor: Option<String> = None;
        let mut slot = Slot::Held;
        while !call_ids.is_empty() {
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
                .send(Endpoint::CallsExtensive, &body.to_string(), slot)
                .await?
            else {
                break;
            };
            slot = Slot::Needed;
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
                calls.insert(call.meta_data.id.clone(), call);
            }
            match page.records.cursor {
                Some(next) if cursor.as_ref() != Some(&next) => cursor = Some(next),
                _ => break,
            }
        }
        Ok(calls)
    }

    /// One batch of `POST /v2/calls/transcript`, like [`Self::extensive_batch`].
    async fn transcript_batch(
        &self,
        ticket: BatchTicket<CallTranscript>,
    ) -> BatchResult<CallTranscript> {
        self.acquire_slot(Endpoint::Transcript).await?;
        let ids = ticket.close();
        let result = self.fetch_transcripts(&ids).await;
        ticket.finish(&ids);
        result.map(Arc::new)
    }

    async fn fetch_transcripts(
        &self,
        call_ids: &[String],
    ) -> Result<HashMap<String, Arc<CallTranscript>>, GongError> {
        let mut transcripts = HashMap::with_capacity(call_ids.len());
        let mut cursor: Option<String> = None;
        let mut slot = Slot::Held;
        while !call_ids.is_empty() {
            let mut body = json!({ "filter": { "callIds": call_ids } });
            if let Some(c) = &cursor {
                body["cursor"] = json!(c);
            }
            let Some(bytes) = self
                .send(Endpoint::Transcript, &body.to_string(), slot)
                .await?
            else {
                break;
            };
            slot = Slot::Needed;
            let page: TranscriptPage = decode(&bytes)?;
            let share = bytes.len() / page.call_transcripts.len().max(1);
            for transcript in page.call_transcripts {
                if !call_ids.contains(&transcript.call_id) {
                    continue;
                }
                let transcript = Arc::new(transcript);
                self.cache_put(
                    CacheKey::Transcript(transcript.call_id.clone()),
                    Cached::Transcript(Arc::clone(&transcript)),
                    share,
                );
                transcripts.insert(transcript.call_id.clone(), transcript);
            }
            match page.records.cursor {
                Some(next) if cursor.as_ref() != Some(&next) => cursor = Some(next),
                _ => break,
            }
        }
        Ok(transcripts)
    }

    /// One logical request, paced and retried until it succeeds, fails for good, or the deadline
    /// would pass. `Ok(None)` is Gong's "No calls found" 404.
    async fn send(
        &self,
        endpoint: Endpoint,
        input: &str,
        slot: Slot,
    ) -> Result<Option<Bytes>, GongError> {
        self.request(endpoint)
            .run(slot == Slot::Held, |remaining| async move {
                self.sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                match transport::send(&self.shared, &self.credentials, endpoint, input, remaining)
                    .await
                {
                    Ok(Outcome::Body(body)) => Ok(Some(body)),
                    Ok(Outcome::NoCalls) => Ok(None),
                    Err(transport::SendError::Timeout) => {
                        Err(GongError::Timeout(self.deadline.budget))
                    }
                    Err(transport::SendError::Gong(e)) => Err(e),
                }
            })
            .await
    }
}

/// An answer kept in the fleet's shared cache: its kind (in the Redis key) and in-process slot.
trait Shareable: DeserializeOwned {
    const KIND: &'static str;
    fn key(id: String) -> CacheKey;
    fn cached(value: Arc<Self>) -> Cached;
}

impl Shareable for CallTranscript {
    const KIND: &'static str = "transcript";
    fn key(id: String) -> CacheKey {
        CacheKey::Transcript(id)
    }
    fn cached(value: Arc<Self>) -> Cached {
        Cached::Transcript(value)
    }
}

impl Shareable for ExtensiveCall {
    const KIND: &'static str = "extensive";
    fn key(id: String) -> CacheKey {
        CacheKey::Call(id)
    }
    fn cached(value: Arc<Self>) -> Cached {
        Cached::Call(value)
    }
}

/// The body is checked as UTF-8 once, up front, so the parser need not check each string again
/// (a tenth of the decoding time of a 100-call page).
fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, GongError> {
    let malformed = |detail: String| GongError::Malformed {
        detail,
        request_id: None,
    };
    let text = std::str::from_utf8(body)
        .map_err(|e| malformed(format!("invalid JSON: not UTF-8 ({e})")))?;
    serde_json::from_str(text).map_err(|e| malformed(format!("invalid JSON: {e}")))
}
