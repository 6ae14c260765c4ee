//! A Mind Reasoner client for one tool call of one tenant: each endpoint paced per tenant and
//! retried within the deadline, reads after any transient failure, creations only when Mind
//! Reasoner cannot have acted (see [`crate::upstream::retry`]).

use std::sync::Arc;

use bytes::Bytes;
use http::header;
use serde::de::DeserializeOwned;
use url::Url;

use super::credentials::MindReasonerKey;
use super::error::MindReasonerError;
use super::service::Shared;
use super::transport::{self, Endpoint, SendError};
use super::types::{self, Mind, SignedUrl, Simulation, SnapshotCreated, SnapshotStatus};
use crate::upstream::retry;
use crate::upstream::{Deadline, Pacer};

pub struct MindReasonerClient {
    shared: Arc<Shared>,
    key: Arc<MindReasonerKey>,
    pacer: Arc<Pacer>,
    deadline: Deadline,
}

/// What a snapshot is built from.
pub enum SnapshotSource {
    /// An artifact uploaded to a signed URL.
    Artifact(String),
    /// The document itself, sent as the multipart `file` field (at most 4 MB).
    File {
        file_name: String,
        content_type: String,
        bytes: Bytes,
    },
}

pub struct SimulateRequest {
    pub mind_id: String,
    pub message: String,
    pub digital_twin_id: Option<String>,
    pub model: String,
    pub run_in_background: Option<bool>,
}

impl MindReasonerClient {
    pub(crate) fn new(
        shared: Arc<Shared>,
        key: Arc<MindReasonerKey>,
        pacer: Arc<Pacer>,
        deadline: Deadline,
    ) -> Self {
        Self {
            shared,
            key,
            pacer,
            deadline,
        }
    }

    /// `GET /minds`.
    pub async fn list_minds(&self) -> Result<Vec<Mind>, MindReasonerError> {
        let url = self.url(&["minds"]);
        let body = self
            .api(
                Endpoint::ListMinds,
                true,
                &wrong_base(Endpoint::ListMinds),
                || self.shared.http.get(url.clone()),
            )
            .await?;
        types::decode_minds(&body).map_err(malformed)
    }

    /// `POST /minds`. Never retried once it may have reached Mind Reasoner.
    pub async fn create_mind(&self, name: &str) -> Result<Mind, MindReasonerError> {
        let url = self.url(&["minds"]);
        let body = serde_json::json!({ "name": name });
        let answer = self
            .api(
                Endpoint::CreateMind,
                false,
                &wrong_base(Endpoint::CreateMind),
                || self.shared.http.post(url.clone()).json(&body),
            )
            .await
            .and_then(|bytes| types::decode_created_mind(&bytes).map_err(malformed));
        answer.map_err(|e| {
            e.uncertain_unless_refused(
                &format!("Creating the mind '{name}'"),
                &format!("call search_minds with query '{name}' to see whether it exists"),
            )
        })
    }

    /// `GET /minds/{mindId}/signed-url[?fileName=]`.
    pub async fn signed_url(
        &self,
        mind_id: &str,
        file_name: Option<&str>,
    ) -> Result<SignedUrl, MindReasonerError> {
        let mut url = self.url(&["minds", mind_id, "signed-url"]);
        if let Some(name) = file_name {
            url.query_pairs_mut().append_pair("fileName", name);
        }
        let body = self
            .api(Endpoint::SignedUrl, true, &no_mind(mind_id), || {
                self.shared.http.get(url.clone())
            })
            .await?;
        let signed: SignedUrl = decode(&body)?;
        if signed.signed_url.is_empty() || signed.artifact_id.is_empty() {
            return Err(malformed_detail(
                "the answer has no signedUrl or artifactId",
            ));
        }
        Ok(signed)
    }

    /// `PUT`s `bytes` to a signed upload URL, only if its host is allowed. The URL carries its
    /// own authorisation: the API key is never sent there, and redirects are never followed.
    pub async fn upload(
        &self,
        signed_url: &str,
        content_type: &str,
        bytes: Bytes,
    ) -> Result<(), MindReasonerError> {
        let url = self.allowed_upload_url(signed_url)?;
        let host = url.host_str().unwrap_or_default().to_owned();
        // The storage is not Mind Reasoner: its requests do not spend the tenant's pace.
        let unpaced = Pacer::new(0.0);
        let request = retry::Request {
            upstream: "mind_reasoner",
            endpoint: Endpoint::Upload.name(),
            pacer: &unpaced,
            deadline: self.deadline,
            // A PUT to the same object replaces it: safe to repeat.
            idempotent: true,
        };
        request
            .run(false, |remaining| {
                let put = self
                    .shared
                    .http
                    .put(url.clone())
                    .header(header::CONTENT_TYPE, content_type)
                    .body(bytes.clone());
                let host = host.as_str();
                async move {
                    match transport::send(put, Endpoint::Upload, host, remaining).await {
                        Ok(answer) => transport::classify_upload(answer),
                        Err(SendError::Timeout) => {
                            Err(MindReasonerError::Timeout(self.deadline.budget))
                        }
                        Err(SendError::Failed(e)) => Err(e),
                    }
                }
            })
            .await
    }

    /// The signed URL, if it is one this server may write to.
    pub fn allowed_upload_url(&self, signed_url: &str) -> Result<Url, MindReasonerError> {
        let allowed = &self.shared.settings.upload_hosts;
        let refuse = |host: &str| MindReasonerError::UploadHostNotAllowed {
            host: host.chars().filter(|c| !c.is_control()).take(100).collect(),
            allowed: allowed.to_string(),
        };
        let url = Url::parse(signed_url.trim()).map_err(|_| refuse("an invalid URL"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(refuse(url.scheme()));
        }
        if !allowed.allows(&url) {
            let host = url.host_str().unwrap_or("no host");
            return Err(if url.username().is_empty() && url.password().is_none() {
                refuse(host)
            } else {
                refuse(&format!("{host} (with user info)"))
            });
        }
        Ok(url)
    }

    /// `POST /minds/{mindId}/snapshots` (multipart). Never retried once it may have reached
    /// Mind Reasoner.
    pub async fn create_snapshot(
        &self,
        mind_id: &str,
        digital_twin_id: Option<&str>,
        source: &SnapshotSource,
    ) -> Result<SnapshotCreated, MindReasonerError> {
        let url = self.url(&["minds", mind_id, "snapshots"]);
        let not_found = match digital_twin_id {
            Some(twin) => format!(
                "Mind Reasoner found no mind {mind_id} with digital twin {twin} for this API key: check both ids with get_all_minds or search_minds."
            ),
            None => no_mind(mind_id),
        };
        let answer = self
            .api(Endpoint::CreateSnapshot, false, &not_found, || {
                let mut form = reqwest::multipart::Form::new();
                if let Some(twin) = digital_twin_id {
                    form = form.text("digitalTwinId", twin.to_owned());
                }
                form = match source {
                    SnapshotSource::Artifact(id) => form.text("artifactId", id.clone()),
                    SnapshotSource::File {
                        file_name,
                        content_type,
                        bytes,
                    } => {
                        let part = reqwest::multipart::Part::stream_with_length(
                            reqwest::Body::from(bytes.clone()),
                            bytes.len() as u64,
                        )
                        .file_name(file_name.clone())
                        .mime_str(content_type)
                        .unwrap_or_else(|_| {
                            reqwest::multipart::Part::bytes(Vec::new()).file_name("invalid")
                        });
                        form.part("file", part)
                    }
                };
                self.shared.http.post(url.clone()).multipart(form)
            })
            .await
            .and_then(|bytes| decode::<SnapshotCreated>(&bytes));
        let created = answer.map_err(|e| {
            e.uncertain_unless_refused(
                &format!("Creating a snapshot of mind {mind_id}"),
                &format!(
                    "call search_minds or get_all_minds and look at mind {mind_id}'s snapshots (a new one for this artifact means it was created)"
                ),
            )
        })?;
        if created.mind_assessment_id.is_empty() {
            return Err(malformed_detail(
                "the answer has no mindAssessmentId (the snapshot id)",
            ));
        }
        Ok(created)
    }

    /// `GET /minds/{mindId}/snapshots/{snapshotId}/status`.
    pub async fn snapshot_status(
        &self,
        mind_id: &str,
        snapshot_id: &str,
    ) -> Result<SnapshotStatus, MindReasonerError> {
        let url = self.url(&["minds", mind_id, "snapshots", snapshot_id, "status"]);
        let not_found = format!(
            "Mind Reasoner found no snapshot {snapshot_id} of mind {mind_id} for this API key: the snapshot id is the mindAssessmentId that create_snapshot returned; check the mind id with get_all_minds."
        );
        let body = self
            .api(Endpoint::SnapshotStatus, true, &not_found, || {
                self.shared.http.get(url.clone())
            })
            .await?;
        decode(&body)
    }

    /// `POST /simulate`. Never retried once it may have reached Mind Reasoner.
    pub async fn simulate(&self, req: &SimulateRequest) -> Result<Simulation, MindReasonerError> {
        let url = self.url(&["simulate"]);
        let mut body = serde_json::json!({
            "scenario": { "message": req.message },
            "mindId": req.mind_id,
            "selectedSimulationModel": req.model,
        });
        if let Some(twin) = &req.digital_twin_id {
            body["digitalTwinId"] = twin.as_str().into();
        }
        if let Some(background) = req.run_in_background {
            body["runInBackground"] = background.into();
        }
        let not_found = no_mind(&req.mind_id);
        let answer = self
            .api(Endpoint::Simulate, false, &not_found, || {
                self.shared.http.post(url.clone()).json(&body)
            })
            .await
            .and_then(|bytes| decode::<Simulation>(&bytes));
        answer.map_err(|e| {
            e.uncertain_unless_refused(
                "The simulation",
                "know that simulate only answers (it changes no mind), so running it again is safe but costs another simulation",
            )
        })
    }

    /// One API request with the tenant's key: paced, retried as `idempotent` allows.
    async fn api<F>(
        &self,
        endpoint: Endpoint,
        idempotent: bool,
        not_found: &str,
        build: F,
    ) -> Result<Bytes, MindReasonerError>
    where
        F: Fn() -> reqwest::RequestBuilder,
    {
        let host = self
            .shared
            .settings
            .base_url
            .host_str()
            .unwrap_or_default()
            .to_owned();
        let request = retry::Request {
            upstream: "mind_reasoner",
            endpoint: endpoint.name(),
            pacer: &self.pacer,
            deadline: self.deadline,
            idempotent,
        };
        request
            .run(false, |remaining| {
                let sent = build()
                    .header(header::AUTHORIZATION, self.key.header().clone())
                    .header(header::ACCEPT, "application/json");
                let host = host.as_str();
                async move {
                    match transport::send(sent, endpoint, host, remaining).await {
                        Ok(answer) => {
                            transport::classify_api(answer, not_found).map_err(|e| self.redacted(e))
                        }
                        Err(SendError::Timeout) => {
                            Err(MindReasonerError::Timeout(self.deadline.budget))
                        }
                        Err(SendError::Failed(e)) => Err(e),
                    }
                }
            })
            .await
    }

    /// Mind Reasoner's own texts are quoted to the agent and logged: one echoing the key must
    /// not carry it any further.
    fn redacted(&self, e: MindReasonerError) -> MindReasonerError {
        match e {
            MindReasonerError::Rejected { status, message } => MindReasonerError::Rejected {
                status,
                message: self.key.redact(&message),
            },
            MindReasonerError::Forbidden { message } => MindReasonerError::Forbidden {
                message: message.map(|m| self.key.redact(&m)),
            },
            MindReasonerError::TooLarge { message } => MindReasonerError::TooLarge {
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

fn no_mind(mind_id: &str) -> String {
    format!(
        "Mind Reasoner found no mind {mind_id} for this API key: check the id with get_all_minds or search_minds."
    )
}

fn wrong_base(endpoint: Endpoint) -> String {
    format!(
        "Mind Reasoner answered 404 to {}: check MIND_REASONER_BASE_URL (the API root, e.g. https://app.mindreasoner.com/api/public/v1).",
        endpoint.name()
    )
}

fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, MindReasonerError> {
    serde_json::from_slice(body).map_err(malformed)
}

fn malformed(e: serde_json::Error) -> MindReasonerError {
    malformed_detail(&format!("invalid JSON: {e}"))
}

fn malformed_detail(detail: &str) -> MindReasonerError {
    MindReasonerError::Malformed {
        detail: detail.to_owned(),
    }
}
