//! The storage listener: plays Google Cloud Storage for signed-URL uploads.
//!
//! Only `PUT /mind-reasoner-artifacts/{tenantTag}/{artifactId}/{fileName}`
//! with a valid signature stores anything. Checks in this order (GCS
//! documents none): an `Authorization` header (400 `InvalidArgument`, counted
//! in `storage_requests_with_authorization`), missing signature (403
//! `AccessDenied`), malformed parameters (400 `InvalidArgument`), expiry (400
//! `ExpiredToken`), signature (403 `SignatureDoesNotMatch`), scripted fault,
//! size (413 `EntityTooLarge`). Success is 200 with an empty body and an
//! `ETag`; a second `PUT` replaces the object, as in GCS. No rate limit (GCS
//! allows far more than a client sends) and never a redirect.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use sha2::{Digest, Sha256};

use crate::demo::conn::ConnHandle;
use crate::fakes::mind_reasoner::fault_response::{Side, after_effect, fault_response};
use crate::fakes::mind_reasoner::faults::MrFault;
use crate::fakes::mind_reasoner::ids::hex;
use crate::fakes::mind_reasoner::signing::{BUCKET, Refusal};
use crate::fakes::mind_reasoner::state::AppState;
use crate::fakes::mind_reasoner::stats::MrEndpoint;
use crate::fakes::mind_reasoner::storage_errors::{GcsError, respond};
use crate::fakes::mind_reasoner::wire;

pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new().fallback(handle).with_state(state)
}

/// `(tenantTag, artifactId)` of an object path, if it has the fake's shape.
fn object_of(path: &str) -> Option<(&str, &str)> {
    let rest = path
        .strip_prefix('/')?
        .strip_prefix(BUCKET)?
        .strip_prefix('/')?;
    let mut parts = rest.split('/');
    let (tag, artifact, name) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || [tag, artifact, name].iter().any(|s| s.is_empty()) {
        return None;
    }
    Some((tag, artifact))
}

async fn handle(
    State(state): State<Arc<AppState>>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let header = |name: header::HeaderName| parts.headers.get(name).and_then(|v| v.to_str().ok());
    state.stats.record_arrival(header(header::USER_AGENT));

    let path = parts.uri.path();
    let in_bucket = path == format!("/{BUCKET}") || path.starts_with(&format!("/{BUCKET}/"));
    if !in_bucket {
        return respond(
            GcsError::NoSuchBucket,
            "The specified bucket does not exist.",
            None,
        );
    }
    if parts.method != Method::PUT {
        let mut res = respond(
            GcsError::MethodNotAllowed,
            "The specified method is not allowed against this resource.",
            None,
        );
        res.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("PUT"));
        return res;
    }
    let object = object_of(path);
    let tenant = object.and_then(|(tag, _)| state.tenant_by_tag(tag));
    if let Some(t) = tenant {
        state
            .stats
            .record_request(&t.api_key, MrEndpoint::StorageUpload);
    }
    if parts.headers.contains_key(header::AUTHORIZATION) {
        state.stats.record_storage_authorization();
        return respond(
            GcsError::InvalidArgument,
            "Invalid argument.",
            Some(
                "Cannot use an Authorization header together with a signed URL (query string authentication).",
            ),
        );
    }
    let verdict = state.signer.verify(
        path,
        parts.uri.query().unwrap_or(""),
        header(header::CONTENT_TYPE),
        header(header::HOST),
        state.storage_now(),
    );
    match verdict {
        Ok(()) => {}
        Err(Refusal::Anonymous) => {
            return respond(
                GcsError::AccessDenied,
                "Access denied.",
                Some(
                    "Anonymous caller does not have storage.objects.create access to the Google Cloud Storage object.",
                ),
            );
        }
        Err(Refusal::Malformed(why)) => {
            return respond(GcsError::InvalidArgument, "Invalid argument.", Some(&why));
        }
        Err(Refusal::Expired { at }) => {
            let details = format!("Request signature expired at: {}", at.to_rfc3339());
            return respond(
                GcsError::ExpiredToken,
                "The provided token has expired.",
                Some(&details),
            );
        }
        Err(Refusal::Mismatch { string_to_sign }) => {
            return respond(
                GcsError::SignatureDoesNotMatch,
                "Access denied.",
                Some(&format!(
                    "The request signature we calculated does not match the signature you provided. Check your Google secret key and signing method. StringToSign: {string_to_sign}"
                )),
            );
        }
    }
    // A valid signature names an object the fake signed, so these hold.
    let (Some(tenant), Some((_, artifact_id))) = (tenant, object) else {
        return respond(GcsError::NoSuchBucket, "No such object.", None);
    };

    let mut after = false;
    match state
        .faults
        .take(&tenant.api_key, MrEndpoint::StorageUpload)
    {
        None => {}
        Some(MrFault::Delay(d)) => tokio::time::sleep(d).await,
        Some(MrFault::AfterEffect500) => after = true,
        Some(fault) => return fault_response(fault, Side::Storage, &conn),
    }

    let limit = state.max_signed_upload_bytes;
    let too_large = || {
        respond(
            GcsError::EntityTooLarge,
            "Your proposed upload is larger than the maximum object size specified in your Policy Document.",
            Some(&format!(
                "Content-length exceeds upper bound on range (limit {limit} bytes)"
            )),
        )
    };
    let declared = header(header::CONTENT_LENGTH).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large();
    }
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return too_large();
    };
    let content_type = header(header::CONTENT_TYPE)
        .unwrap_or("")
        .trim()
        .to_string();
    let etag = format!("\"{}\"", hex(&Sha256::digest(&bytes)[..16]));
    let stored = {
        let mut data = tenant.data();
        match data.artifacts.get_mut(artifact_id) {
            Some(slot) => {
                slot.stored = Some((bytes.to_vec(), content_type));
                true
            }
            None => false,
        }
    };
    if !stored {
        return respond(GcsError::NoSuchBucket, "No such object.", None);
    }
    if after {
        return after_effect(Side::Storage);
    }
    let mut res = wire::respond(StatusCode::OK, "text/html; charset=UTF-8", "");
    if let Ok(v) = HeaderValue::from_str(&etag) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

/// Moves the storage clock forward (test hook behind `advance_storage_clock`).
pub(crate) fn advance_clock(state: &AppState, by: std::time::Duration) {
    let secs = i64::try_from(by.as_secs()).unwrap_or(i64::MAX / 2);
    state
        .storage_clock_offset_secs
        .fetch_add(secs, Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_paths() {
        assert_eq!(
            object_of("/mind-reasoner-artifacts/t/a/f.vtt"),
            Some(("t", "a"))
        );
        assert_eq!(object_of("/mind-reasoner-artifacts/t/a"), None);
        assert_eq!(object_of("/mind-reasoner-artifacts/t/a/f/g"), None);
        assert_eq!(object_of("/mind-reasoner-artifacts/t//f"), None);
        assert_eq!(object_of("/other/t/a/f"), None);
    }
}
