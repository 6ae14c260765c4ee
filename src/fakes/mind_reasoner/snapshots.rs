//! Training: `GET /minds/{mindId}/signed-url`, `POST /minds/{mindId}/snapshots`
//! and `GET /minds/{mindId}/snapshots/{snapshotId}/status`.
//!
//! Choices where the docs are silent:
//! - `fileName` must be 1 to 255 characters without `/`, `\` or control
//!   characters (400 otherwise); without it the object is named after the
//!   artifact id, with no extension.
//! - An `artifactId` may be used by any mind of the tenant that received it,
//!   and more than once; another tenant's (or a never uploaded) artifact is 400.
//! - A `file` part's type is its own `Content-Type` when that is one of the
//!   three accepted types, else the file name's extension; anything else is
//!   400. An empty or unreadable file is accepted and its snapshot fails.
//! - Unknown multipart fields are ignored; a field given twice is 400.
//! - `startedAt` is the creation time; `completedAt` is `startedAt` plus two
//!   `snapshot_step`s once the snapshot has completed or failed.

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{StatusCode, Uri, header};
use axum::response::Response;
use chrono::Utc;
use serde_json::json;
use tokio::time::Instant;

use crate::fakes::mind_reasoner::api::read_body;
use crate::fakes::mind_reasoner::artifacts::{ACCEPTED, Kind};
use crate::fakes::mind_reasoner::model::Timing;
use crate::fakes::mind_reasoner::state::{AppState, Tenant};
use crate::fakes::mind_reasoner::wire::{ApiError, json_response};

pub(crate) const SNAPSHOT_STARTED: &str = "Memory bank snapshot processing initiated";
const MAX_FILE_NAME_CHARS: usize = 255;

pub(crate) fn mind_not_found(mind_id: &str) -> ApiError {
    ApiError::not_found(format!("Mind {mind_id} not found"))
}

fn check_file_name(name: &str) -> Result<(), ApiError> {
    let len = name.chars().count();
    if len == 0 || len > MAX_FILE_NAME_CHARS {
        return Err(ApiError::bad_request(format!(
            "fileName must be 1 to {MAX_FILE_NAME_CHARS} characters"
        )));
    }
    if name == "."
        || name == ".."
        || name
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control())
    {
        return Err(ApiError::bad_request(
            "fileName must not contain '/', '\\' or control characters",
        ));
    }
    Ok(())
}

pub(crate) fn signed_url(
    state: &AppState,
    tenant: &Tenant,
    mind_id: &str,
    uri: &Uri,
) -> Result<Response, ApiError> {
    let file_name = url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "fileName")
        .map(|(_, v)| v.into_owned());
    let mut data = tenant.data();
    if data.mind(mind_id).is_none() {
        return Err(mind_not_found(mind_id));
    }
    if let Some(name) = &file_name {
        check_file_name(name)?;
    }
    let (artifact_id, file_name) = data.issue_artifact(file_name.as_deref());
    drop(data);
    let signed_url = state
        .signer
        .sign(&tenant.tag, &artifact_id, &file_name, Utc::now());
    Ok(json_response(
        StatusCode::OK,
        &json!({ "signedUrl": signed_url, "fileName": file_name, "artifactId": artifact_id }),
    ))
}

/// The fields of a snapshot request.
#[derive(Default)]
struct Form {
    file: Option<(Vec<u8>, Kind)>,
    artifact_id: Option<String>,
    digital_twin_id: Option<String>,
}

/// Where a snapshot's artifact comes from.
enum Source {
    File(Vec<u8>, Kind),
    Artifact(String),
}

fn duplicate(field: &str) -> ApiError {
    ApiError::bad_request(format!("field {field} was sent more than once"))
}

fn malformed(e: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(format!("Malformed multipart/form-data body: {e}"))
}

async fn read_form(state: &AppState, req: Request) -> Result<Form, ApiError> {
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        });
    if !is_multipart {
        return Err(ApiError::bad_request(
            "Content-Type must be multipart/form-data (fields: file or artifactId, digitalTwinId)",
        ));
    }
    let (parts, body) = req.into_parts();
    let bytes = read_body(state, body).await?;
    let req = Request::from_parts(parts, axum::body::Body::from(bytes));
    let mut multipart = Multipart::from_request(req, &()).await.map_err(malformed)?;
    let mut form = Form::default();
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        match field.name().unwrap_or("") {
            "file" => {
                if form.file.is_some() {
                    return Err(duplicate("file"));
                }
                let declared = field.content_type().map(str::to_string);
                let name = field.file_name().unwrap_or("").to_string();
                let kind = declared
                    .as_deref()
                    .and_then(Kind::from_content_type)
                    .or_else(|| Kind::from_file_name(&name))
                    .ok_or_else(|| {
                        ApiError::bad_request(format!(
                            "Unsupported file type {:?} (file name {name:?}); accepted: {}",
                            declared.as_deref().unwrap_or("none"),
                            ACCEPTED.join(", ")
                        ))
                    })?;
                let bytes = field.bytes().await.map_err(malformed)?;
                let limit = state.max_direct_upload_bytes;
                if bytes.len() > limit {
                    return Err(ApiError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        format!(
                            "file is too large: {} bytes (limit {limit} bytes)",
                            bytes.len()
                        ),
                    ));
                }
                form.file = Some((bytes.to_vec(), kind));
            }
            "artifactId" => {
                if form.artifact_id.is_some() {
                    return Err(duplicate("artifactId"));
                }
                form.artifact_id = Some(field.text().await.map_err(malformed)?.trim().to_string());
            }
            "digitalTwinId" => {
                if form.digital_twin_id.is_some() {
                    return Err(duplicate("digitalTwinId"));
                }
                form.digital_twin_id =
                    Some(field.text().await.map_err(malformed)?.trim().to_string());
            }
            _ => {}
        }
    }
    Ok(form)
}

pub(crate) async fn create(
    state: &AppState,
    tenant: &Tenant,
    mind_id: &str,
    req: Request,
) -> Result<Response, ApiError> {
    if tenant.data().mind(mind_id).is_none() {
        return Err(mind_not_found(mind_id));
    }
    let form = read_form(state, req).await?;
    let source = match (form.file, form.artifact_id.filter(|s| !s.is_empty())) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "Send either file or artifactId, not both",
            ));
        }
        (None, None) => {
            return Err(ApiError::bad_request(
                "Either file or artifactId is required",
            ));
        }
        (Some((bytes, kind)), None) => Source::File(bytes, kind),
        (None, Some(id)) => Source::Artifact(id),
    };
    let mut data = tenant.data();
    let mind = data.mind(mind_id).ok_or_else(|| mind_not_found(mind_id))?;
    let wanted_twin = form.digital_twin_id.as_deref().filter(|s| !s.is_empty());
    let twin = match wanted_twin {
        Some(want) => mind.twins.iter().find(|t| t.id == want),
        None => mind.twins.iter().find(|t| t.is_default),
    };
    let Some(twin_id) = twin.map(|t| t.id.clone()) else {
        let want = wanted_twin.unwrap_or("(default)");
        return Err(ApiError::not_found(format!(
            "Digital twin {want} not found for mind {mind_id}"
        )));
    };
    let artifact_id = match source {
        Source::Artifact(id) => {
            let uploaded = data.artifacts.get(&id).is_some_and(|a| a.stored.is_some());
            if !uploaded {
                return Err(ApiError::bad_request(format!(
                    "artifact {id} has not been uploaded; PUT the file to its signed URL first"
                )));
            }
            id
        }
        Source::File(bytes, kind) => data.store_new_artifact(bytes, kind.content_type()),
    };
    let snapshot_id = data.create_assessment(
        mind_id,
        &twin_id,
        &artifact_id,
        Utc::now(),
        Timing::Running(Instant::now()),
    );
    Ok(json_response(
        StatusCode::CREATED,
        &json!({
            "message": SNAPSHOT_STARTED,
            "mindAssessmentId": snapshot_id,
            "artifactId": artifact_id,
        }),
    ))
}

pub(crate) fn status(
    state: &AppState,
    tenant: &Tenant,
    mind_id: &str,
    snapshot_id: &str,
) -> Result<Response, ApiError> {
    let data = tenant.data();
    if data.mind(mind_id).is_none() {
        return Err(mind_not_found(mind_id));
    }
    let snapshot = data.assessment(mind_id, snapshot_id).ok_or_else(|| {
        ApiError::not_found(format!(
            "Snapshot {snapshot_id} not found for mind {mind_id}"
        ))
    })?;
    Ok(json_response(
        StatusCode::OK,
        &snapshot.status_json(state.clock()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert!(check_file_name("call.vtt").is_ok());
        assert!(check_file_name("a b (1).docx").is_ok());
        assert!(check_file_name("").is_err());
        assert!(check_file_name("../x.vtt").is_err());
        assert!(check_file_name("a\\b").is_err());
        assert!(check_file_name("..").is_err());
        assert!(check_file_name(&"x".repeat(256)).is_err());
    }
}
