//! A Fathom client for one tool call of one tenant: every request paced per tenant (Fathom
//! allows 60 a minute per key), retried within the deadline (all are reads), the quota that
//! `RateLimit-Remaining`/`RateLimit-Reset` announce honoured before Fathom has to refuse, and
//! what cannot change cached.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, SecondsFormat, Utc};
use http::header;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use url::Url;

use super::credentials::FathomKey;
use super::error::FathomError;
use super::service::Shared;
use super::transport::{self, Endpoint, SendError};
use super::types::{Entry, Meeting, MeetingsPage, Summary, SummaryBody, TranscriptBody};
use crate::upstream::retry;
use crate::upstream::{Deadline, Pacer};

pub struct FathomClient {
    shared: Arc<Shared>,
    key: Arc<FathomKey>,
    pacer: Arc<Pacer>,
    deadline: Deadline,
    /// Requests sent to Fathom by this client (retries included).
    sent: AtomicU32,
}

/// One `GET /meetings` request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub created_after: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
    /// `calendar_invitees[]`: meetings with any of these invitees.
    pub invitees: Vec<String>,
    /// Fathom's cursor from the previous page.
    pub cursor: Option<String>,
}

/// One page: meetings newest first (each also cached), and Fathom's cursor for the next.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub meetings: Vec<Arc<Meeting>>,
    pub next_cursor: Option<String>,
}

impl FathomClient {
    pub(crate) fn new(
        shared: Arc<Shared>,
        key: Arc<FathomKey>,
        pacer: Arc<Pacer>,
        deadline: Deadline,
    ) -> Self {
        Self {
            shared,
            key,
            pacer,
            deadline,
            sent: AtomicU32::new(0),
        }
    }

    /// Requests this client has sent to Fathom (retries included; cached answers cost none).
    pub fn requests_sent(&self) -> u32 {
        self.sent.load(Ordering::Relaxed)
    }

    /// `GET /meetings` with action items embedded (small, and the details tool needs them);
    /// every meeting seen is cached by id.
    pub async fn list_meetings(&self, q: &ListQuery) -> Result<Page, FathomError> {
        let mut url = self.url(&["meetings"]);
        {
            let mut pairs = url.query_pairs_mut();
            let time = |t: &DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
            if let Some(t) = &q.created_after {
                pairs.append_pair("created_after", &time(t));
            }
            if let Some(t) = &q.created_before {
                pairs.append_pair("created_before", &time(t));
            }
            for email in &q.invitees {
                pairs.append_pair("calendar_invitees[]", email);
            }
            pairs.append_pair("include_action_items", "true");
            if let Some(c) = &q.cursor {
                pairs.append_pair("cursor", c);
            }
        }
        let not_found = "Fathom answered 404 to GET /meetings: check FATHOM_BASE_URL (the API root, e.g. https://api.fathom.ai/external/v1).";
        let (page, len): (MeetingsPage, usize) =
            self.get(Endpoint::ListMeetings, url, not_found).await?;
        let share = len / page.items.len().max(1);
        let tenant = self.key.tenant();
        let meetings = page
            .items
            .into_iter()
            .filter_map(|item| item.0)
            .filter(|m| !m.recording_id.is_empty())
            .map(|mut m| {
                // The header is kept; an embedded transcript is not ours to keep here.
                m.transcript = Vec::new();
                let m = Arc::new(m);
                self.shared.cache.put_meeting(tenant, Arc::clone(&m), share);
                m
            })
            .collect();
        Ok(Page {
            meetings,
            next_cursor: page.next_cursor,
        })
    }

    /// A meeting seen in an earlier listing of this tenant (no request).
    pub fn cached_meeting(&self, id: &str) -> Option<Arc<Meeting>> {
        self.shared.cache.meeting(self.key.tenant(), id)
    }

    /// `GET /recordings/{id}/transcript`, cached (a recording's words do not change).
    pub async fn transcript(&self, id: &str) -> Result<Arc<Vec<Entry>>, FathomError> {
        let tenant = self.key.tenant();
        if let Some(t) = self.shared.cache.transcript(tenant, id) {
            return Ok(t);
        }
        let url = self.url(&["recordings", id, "transcript"]);
        let (parsed, len): (TranscriptBody, usize) = self
            .get(Endpoint::Transcript, url, &no_recording(id))
            .await?;
        let entries: Arc<Vec<Entry>> =
            Arc::new(parsed.transcript.into_iter().filter_map(|e| e.0).collect());
        self.shared
            .cache
            .put_transcript(tenant, id, Arc::clone(&entries), len);
        Ok(entries)
    }

    /// `GET /recordings/{id}/summary` (not cached: Fathom may regenerate it).
    pub async fn summary(&self, id: &str) -> Result<Option<Summary>, FathomError> {
        let url = self.url(&["recordings", id, "summary"]);
        let (parsed, _): (SummaryBody, usize) =
            self.get(Endpoint::Summary, url, &no_recording(id)).await?;
        Ok(parsed.summary)
    }

    /// One GET with the tenant's key, decoded (with the body's size): paced, and retried within
    /// the deadline after a failure or an unreadable answer.
    async fn get<T: DeserializeOwned>(
        &self,
        endpoint: Endpoint,
        url: Url,
        not_found: &str,
    ) -> Result<(T, usize), FathomError> {
        let host = url.host_str().unwrap_or_default().to_owned();
        let request = retry::Request {
            upstream: "fathom",
            endpoint: endpoint.name(),
            pacer: &self.pacer,
            deadline: self.deadline,
            idempotent: true,
        };
        request
            .run(false, |remaining| {
                let sent = self
                    .shared
                    .http
                    .get(url.clone())
                    .header("x-api-key", self.key.header().clone())
                    .header(header::ACCEPT, "application/json");
                let host = host.as_str();
                self.sent.fetch_add(1, Ordering::Relaxed);
                async move {
                    match transport::send(sent, endpoint, host, remaining).await {
                        Ok(answer) => {
                            if let Some(wait) = transport::quota_spent(&answer.headers) {
                                // The quota is spent: the tenant's next request waits for it
                                // here rather than being refused by Fathom.
                                self.pacer.hold_until(Instant::now() + wait);
                            }
                            let body = transport::classify(answer, not_found)
                                .map_err(|e| self.redacted(e))?;
                            Ok((decode::<T>(&body)?, body.len()))
                        }
                        Err(SendError::Timeout) => Err(FathomError::Timeout(self.deadline.budget)),
                        Err(SendError::Failed(e)) => Err(e),
                    }
                }
            })
            .await
    }

    /// Fathom's own texts are quoted to the agent and logged: one echoing the key must not carry
    /// it any further.
    fn redacted(&self, e: FathomError) -> FathomError {
        match e {
            FathomError::Rejected { status, message } => FathomError::Rejected {
                status,
                message: self.key.redact(&message),
            },
            FathomError::Forbidden { message } => FathomError::Forbidden {
                message: message.map(|m| self.key.redact(&m)),
            },
            other => other,
        }
    }

    /// The API root plus path segments, each percent-encoded (an id cannot add a path).
    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.shared.settings.base_url.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty();
            for segment in segments {
                path.push(segment);
            }
        }
        url
    }
}

fn no_recording(id: &str) -> String {
    format!(
        "Fathom has no recording {id} for this API key: check the meetingId with fathom_list_meetings (a key sees the meetings its user recorded or that were shared with them)."
    )
}

fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, FathomError> {
    serde_json::from_slice(body).map_err(|e| FathomError::Malformed {
        detail: format!(
            "invalid JSON: {}",
            crate::upstream::response::clip(&e.to_string(), 120)
        ),
    })
}
