//! A Fireflies client for one tool call of one tenant: every GraphQL request paced per tenant,
//! counted against the tenant's daily allowance, and retried within the deadline (all are reads).
//! Rate limits arrive as the `too_many_requests` error code: a short wait is waited out, a wait
//! past the deadline fails at once with the time to retry.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::credentials::FirefliesKey;
use super::error::FirefliesError;
use super::graphql::{Body, GET_TRANSCRIPT, LIST_TRANSCRIPTS, ListVariables};
use super::service::Shared;
use super::transport::{self, SendError};
use super::types::{FullTranscript, TranscriptData, TranscriptItem, TranscriptsData};
use crate::upstream::retry;
use crate::upstream::{Deadline, Pacer};

pub struct FirefliesClient {
    shared: Arc<Shared>,
    key: Arc<FirefliesKey>,
    pacer: Arc<Pacer>,
    deadline: Deadline,
    /// Requests sent to Fireflies by this client (cached answers and refusals cost none).
    sent: AtomicU32,
}

impl FirefliesClient {
    pub(crate) fn new(
        shared: Arc<Shared>,
        key: Arc<FirefliesKey>,
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

    /// Requests this client has sent to Fireflies so far.
    pub fn requests_sent(&self) -> u32 {
        self.sent.load(Ordering::Relaxed)
    }

    /// One page of `transcripts(...)`, as Fireflies orders it (newest first).
    pub async fn list(
        &self,
        variables: &ListVariables,
    ) -> Result<Vec<TranscriptItem>, FirefliesError> {
        let data: TranscriptsData = self
            .query("transcripts", LIST_TRANSCRIPTS, variables, "")
            .await?
            .0;
        Ok(data.transcripts)
    }

    /// `transcript(id:)`, from the cache when this tenant read it before.
    pub async fn transcript(&self, id: &str) -> Result<Arc<FullTranscript>, FirefliesError> {
        let tenant = self.key.tenant();
        if let Some(hit) = self.shared.cache.get(tenant, id) {
            return Ok(hit);
        }
        let not_found = format!(
            "Fireflies has no transcript with id '{}' for this API key: take the transcriptId from fireflies_list_transcripts or fireflies_search_transcripts.",
            id.chars().take(80).collect::<String>()
        );
        let variables = serde_json::json!({ "transcriptId": id });
        let (data, bytes): (TranscriptData, usize) = self
            .query("transcript", GET_TRANSCRIPT, &variables, &not_found)
            .await?;
        let transcript = Arc::new(data.transcript.ok_or(FirefliesError::NotFound(not_found))?);
        // Only a meeting that has its words is final; one still processing may gain them.
        if !transcript.sentences.is_empty() {
            self.shared
                .cache
                .insert(tenant, id, Arc::clone(&transcript), bytes);
        }
        Ok(transcript)
    }

    /// Requests this tenant made today, and the allowance (0 = none), for answers that say so.
    pub fn allowance(&self) -> (u64, u64) {
        let allowance = &self.shared.allowance;
        (
            allowance.used(self.key.tenant(), chrono::Utc::now()),
            allowance.limit(),
        )
    }

    /// One GraphQL request; returns the data and the size of the answer.
    async fn query<T: DeserializeOwned, V: Serialize>(
        &self,
        operation: &'static str,
        document: &'static str,
        variables: &V,
        not_found: &str,
    ) -> Result<(T, usize), FirefliesError> {
        let url = self.shared.settings.api_url.clone();
        let host = url.host_str().unwrap_or_default().to_owned();
        let body = serde_json::to_vec(&Body {
            query: document,
            variables,
        })
        .map_err(|e| FirefliesError::Malformed {
            detail: format!("the request could not be written: {e}"),
        })?;
        let request = retry::Request {
            upstream: "fireflies",
            endpoint: operation,
            pacer: &self.pacer,
            deadline: self.deadline,
            idempotent: true,
        };
        let key = Arc::clone(&self.key);
        request
            .run(false, |remaining| {
                let post = self
                    .shared
                    .http
                    .post(url.clone())
                    .header(http::header::AUTHORIZATION, key.header().clone())
                    .header(http::header::CONTENT_TYPE, "application/json")
                    .body(body.clone());
                let host = host.as_str();
                let key = &key;
                async move {
                    self.shared
                        .allowance
                        .spend(key.tenant(), chrono::Utc::now())?;
                    self.sent.fetch_add(1, Ordering::Relaxed);
                    match transport::send(post, operation, host, remaining).await {
                        Ok(answer) => {
                            let bytes = answer.body.len();
                            transport::classify::<T>(answer, not_found, &|s| key.redact(s))
                                .map(|data| (data, bytes))
                        }
                        Err(SendError::Timeout) => {
                            Err(FirefliesError::Timeout(self.deadline.budget))
                        }
                        Err(SendError::Failed(e)) => Err(e),
                    }
                }
            })
            .await
    }
}
